import type { Lang } from '../app/lang-context.ts';

// Some answers of the server carry English text only: the domain's "user 999 does not exist",
// ajv's "must NOT have fewer than 1 characters" in a 422, a gRPC status message. The bytes stay as
// they are (they are what crossed the wire); the page adds what they say in the reader's language.

const ENTITY_RU: Record<string, string> = { user: 'пользователь', post: 'пост', comment: 'комментарий' };
const TYPE_RU: Record<string, string> = { integer: 'целым числом', number: 'числом', string: 'строкой', boolean: 'логическим значением', object: 'объектом', array: 'массивом', null: 'null' };

const PHRASES: Array<{ pattern: RegExp; ru(match: RegExpExecArray): string }> = [
  { pattern: /^(user|post|comment) (\d+) does not exist( in this sandbox)?$/, ru: (m) => `${ENTITY_RU[m[1]]} ${m[2]} не существует${m[3] ? ' в этой песочнице' : ''}` },
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
];

function characters(n: number): string {
  const last = n % 10;
  const lastTwo = n % 100;
  if (last === 1 && lastTwo !== 11) return 'символа';
  return 'символов';
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
