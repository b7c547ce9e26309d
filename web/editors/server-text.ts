import type { Lang } from '../kit/lang-context.ts';
import { russianPlural } from '../text/russian-plural.ts';

// Some answers of the server carry English text only: the domain's "user 999 does not exist",
// ajv's "must NOT have fewer than 1 characters" in a 422, a gRPC status message, graphql-js's
// parse and validation errors. The bytes stay as
// they are (they are what crossed the wire); the page adds what they say in the reader's language.

const ENTITY_RU: Record<string, string> = { user: 'пользователь', post: 'пост', comment: 'комментарий' };
const TYPE_RU: Record<string, string> = {
  integer: 'целым числом',
  number: 'числом',
  string: 'строкой',
  boolean: 'логическим значением',
  object: 'объектом',
  array: 'массивом',
  null: 'null',
};

const PHRASES: Array<{ pattern: RegExp; ru(match: RegExpExecArray): string }> = [
  {
    pattern: /^(user|post|comment) (\d+) does not exist( in this sandbox)?$/,
    ru: (m) => `${ENTITY_RU[m[1]]} ${m[2]} не существует${m[3] ? ' в этой песочнице' : ''}`,
  },
  { pattern: /^must NOT have fewer than (\d+) characters?$/, ru: (m) => `должно быть не короче ${m[1]} ${characters(Number(m[1]))}` },
  { pattern: /^must NOT have more than (\d+) characters?$/, ru: (m) => `должно быть не длиннее ${m[1]} ${characters(Number(m[1]))}` },
  { pattern: /^must NOT have fewer than (\d+) items?$/, ru: (m) => `нужно не меньше ${m[1]} элементов` },
  { pattern: /^must NOT have more than (\d+) items?$/, ru: (m) => `допускается не больше ${m[1]} элементов` },
  { pattern: /^must have required property '(.+)'$/, ru: (m) => `нет обязательного свойства «${m[1]}»` },
  { pattern: /^must be (integer|number|string|boolean|object|array|null)$/, ru: (m) => `должно быть ${TYPE_RU[m[1]]}` },
  { pattern: /^must match format "(.+)"$/, ru: (m) => `должно быть в формате «${m[1]}»` },
  { pattern: /^must match pattern "(.+)"$/, ru: (m) => `должно соответствовать шаблону ${m[1]}` },
  { pattern: /^must be >= (\S+)$/, ru: (m) => `должно быть не меньше ${m[1]}` },
  { pattern: /^must be <= (\S+)$/, ru: (m) => `должно быть не больше ${m[1]}` },
  { pattern: /^must be > (\S+)$/, ru: (m) => `должно быть больше ${m[1]}` },
  { pattern: /^must be < (\S+)$/, ru: (m) => `должно быть меньше ${m[1]}` },
  { pattern: /^must NOT have additional properties$/, ru: () => 'лишние свойства не допускаются' },
  { pattern: /^must be equal to one of the allowed values$/, ru: () => 'должно быть одним из допустимых значений' },
  { pattern: /^Some fields are invalid: see errors\.$/, ru: () => 'некоторые поля заполнены неверно: см. errors' },
  // graphql-js (validation and parsing) says these in English only
  { pattern: /^Syntax Error: Expected (.+), found (.+)\.$/, ru: (m) => `Синтаксическая ошибка: ожидалось ${gqlToken(m[1])}, а встретилось ${gqlToken(m[2])}.` },
  { pattern: /^Syntax Error: Unexpected (.+)\.$/, ru: (m) => `Синтаксическая ошибка: неожиданный ${gqlToken(m[1])}.` },
  { pattern: /^Syntax Error: Unterminated string\.$/, ru: () => 'Синтаксическая ошибка: строка не закрыта кавычкой.' },
  {
    pattern: /^Cannot query field "(.+)" on type "(.+)"\.(?: Did you mean (.+)\?)?$/,
    ru: (m) => `В типе "${m[2]}" нет поля "${m[1]}".${m[3] ? ` Может быть, имелось в виду ${m[3].replace(/ or /g, ' или ')}?` : ''}`,
  },
  {
    pattern: /^Field "(.+)" of type "(.+)" must have a selection of subfields\. Did you mean "(.+)"\?$/,
    ru: (m) => `Поле "${m[1]}" типа "${m[2]}" — объект: перечислите его поля, например "${m[3]}".`,
  },
  {
    pattern: /^Field "(.+)" must not have a selection since type "(.+)" has no subfields\.$/,
    ru: (m) => `У поля "${m[1]}" тип "${m[2]}" без вложенных полей: фигурные скобки после него не нужны.`,
  },
  { pattern: /^Unknown argument "(.+)" on field "(.+)"\.$/, ru: (m) => `У поля "${m[2]}" нет аргумента "${m[1]}".` },
  {
    pattern: /^Field "(.+)" argument "(.+)" of type "(.+)" is required, but it was not provided\.$/,
    ru: (m) => `У поля "${m[1]}" обязательный аргумент "${m[2]}" типа "${m[3]}", а он не передан.`,
  },
  { pattern: /^Variable "(.+)" of required type "(.+)" was not provided\.$/, ru: (m) => `Не передана обязательная переменная "${m[1]}" типа "${m[2]}".` },
  {
    pattern: /^Variable "(.+)" is never used(?: in operation "(.+)")?\.$/,
    ru: (m) => `Переменная "${m[1]}" объявлена, но нигде не используется${m[2] ? ` в операции "${m[2]}"` : ''}.`,
  },
  {
    pattern: /^Unknown type "(.+)"\.(?: Did you mean (.+)\?)?$/,
    ru: (m) => `Неизвестный тип "${m[1]}".${m[2] ? ` Может быть, имелось в виду ${m[2].replace(/ or /g, ' или ')}?` : ''}`,
  },
];

/** graphql-js names tokens in English: the few words among them said in Russian, the rest (names, punctuation) kept. */
function gqlToken(token: string): string {
  return token
    .replace(/^Name\b/, 'имя')
    .replace(/^<EOF>$/, 'конец документа')
    .replace(/^Int\b/, 'целое число')
    .replace(/^String\b/, 'строка');
}

/** «не короче 1 символа», «не короче 2 символов»: the genitive after a number, singular only for 1, 21… */
function characters(n: number): string {
  return russianPlural(n, 'символа', 'символов', 'символов');
}

/** One English server phrase (or several joined by "; ", each maybe "field: phrase") said in `lang`; null when nothing is known to translate. */
export function serverTextIn(text: string, lang: Lang): string | null {
  if (lang === 'en') return null;
  let known = false;
  const parts = text.split('; ').map((part) => {
    const field = /^([\w/.[\]-]+): (.+)$/.exec(part);
    const [prefix, phrase] = field && !PHRASES.some(({ pattern }) => pattern.test(part)) ? [`${field[1]}: `, field[2]] : ['', part];
    for (const { pattern, ru } of PHRASES) {
      const match = pattern.exec(phrase);
      if (match) {
        known = true;
        return prefix + ru(match);
      }
    }
    return part;
  });
  return known ? parts.join('; ') : null;
}

/** What a problem+json body (RFC 9457) says in `lang`: its `localized` text, or its detail and errors translated. */
export function problemTextIn(body: string, lang: Lang): string[] {
  if (lang === 'en') return [];
  let problem: unknown;
  try {
    problem = JSON.parse(body);
  } catch {
    return [];
  }
  if (problem === null || typeof problem !== 'object') return [];
  const record = problem as { detail?: unknown; localized?: Partial<Record<Lang, unknown>>; errors?: unknown };
  const lines: string[] = [];
  const localized = record.localized?.[lang];
  if (typeof localized === 'string') lines.push(localized);
  else if (typeof record.detail === 'string') {
    const detail = serverTextIn(record.detail, lang);
    if (detail) lines.push(detail);
  }
  if (Array.isArray(record.errors)) {
    for (const error of record.errors as Array<{ field?: unknown; message?: unknown }>) {
      if (typeof error?.message !== 'string') continue;
      const message = serverTextIn(error.message, lang);
      if (message) lines.push(typeof error.field === 'string' && error.field ? `${error.field}: ${message}` : message);
    }
  }
  return lines;
}
