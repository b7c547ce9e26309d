import type { Lang } from '../kit/lang-context.ts';

// JSON.parse explains itself in English only ("Expected property name or '}' in JSON at position
// 1 (line 1 column 2)"), and those words would sit inside a Russian sentence. The page says the
// same thing in the reader's language, with the line and column counted from the text.

const KINDS: Array<{ pattern: RegExp; en: string; ru: string }> = [
  {
    pattern: /Unexpected end of JSON input|Unterminated (?:string|fractional number)?.*end/i,
    en: 'the JSON ends too early',
    ru: 'JSON обрывается раньше времени',
  },
  {
    pattern: /Expected (?:double-quoted )?property name/i,
    en: 'a property name in double quotes (or “}”) was expected',
    ru: 'ожидалось имя свойства в двойных кавычках (или «}»)',
  },
  {
    pattern: /Expected ',' or '}' after property value/i,
    en: '“,” or “}” was expected after a property value',
    ru: 'после значения свойства ожидалась «,» или «}»',
  },
  {
    pattern: /Expected ',' or ']' after array element/i,
    en: '“,” or “]” was expected after an array element',
    ru: 'после элемента массива ожидалась «,» или «]»',
  },
  { pattern: /Expected ':' after property name/i, en: '“:” was expected after a property name', ru: 'после имени свойства ожидалось «:»' },
  { pattern: /Unterminated string/i, en: 'a string is not closed with a quote', ru: 'строка не закрыта кавычкой' },
  {
    pattern: /Bad control character/i,
    en: 'a control character (a line break?) inside a string: write it as \\n',
    ru: 'управляющий символ (перевод строки?) внутри строки: его пишут как \\n',
  },
  {
    pattern: /Bad (?:escaped character|Unicode escape)/i,
    en: 'an invalid escape (\\…) inside a string',
    ru: 'недопустимая escape-последовательность (\\…) внутри строки',
  },
  { pattern: /non-whitespace character after JSON/i, en: 'there is more text after the JSON value', ru: 'после значения JSON идёт лишний текст' },
  {
    pattern: /No number after minus sign|Exponent part is missing|Unterminated fractional number|Unexpected number/i,
    en: 'a malformed number',
    ru: 'некорректное число',
  },
  { pattern: /Unexpected token|is not valid JSON|Unexpected string|Unexpected character/i, en: 'an unexpected character', ru: 'неожиданный символ' },
];

/** Where the parser stopped, as line and column (1-based), if its message tells. */
function whereIn(message: string, text: string | undefined): { line: number; column: number } | null {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /at position (\d+)/.exec(message);
  if (!position || text === undefined) return null;
  const before = text.slice(0, Number(position[1])).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** JSON.parse's error message said in `lang`: what is wrong and where (line, column). */
export function describeJsonError(message: string, lang: Lang, text?: string): string {
  const kind = KINDS.find((candidate) => candidate.pattern.test(message));
  const what = kind ? kind[lang] : lang === 'ru' ? 'синтаксическая ошибка' : 'a syntax error';
  const where = whereIn(message, text);
  if (!where) return what;
  return lang === 'ru' ? `строка ${where.line}, столбец ${where.column}: ${what}` : `line ${where.line}, column ${where.column}: ${what}`;
}

/**
 * protobuf-es's complaint about JSON for a message ("cannot decode field X.id from JSON: expected
 * number (uint32), got \"abc\"") said in `lang`; the type and field names stay as they are.
 */
export function describeProtobufJsonError(message: string, lang: Lang, outerType?: string): string {
  const decode = /^cannot decode (message|field) (\S+) from JSON:? (.*)$/s.exec(message);
  if (!decode) return lang === 'en' ? message : describeJsonError(message, lang);
  const [, what, name, rest] = decode;
  const subject = lang === 'ru' ? `${what === 'field' ? 'поле' : 'сообщение'} ${name}` : `${what} ${name}`;
  const unknownKey = /^key "(.+)" is unknown$/.exec(rest);
  const expected = /^expected (.+?), got (.+)$/.exec(rest);
  let reason: string;
  if (unknownKey) reason = lang === 'ru' ? `в нём нет поля «${unknownKey[1]}»` : `it has no field "${unknownKey[1]}"`;
  else if (expected) reason = lang === 'ru' ? `ожидалось ${expected[1]}, а пришло ${expected[2]}` : `expected ${expected[1]}, got ${expected[2]}`;
  else if (/JSON|position|token|Unexpected|Expected/.test(rest)) reason = describeJsonError(rest, lang);
  else reason = lang === 'ru' ? `неподходящее значение ${rest}` : `an unfit value ${rest}`;
  // the sentence around it already names the message: say only the reason
  return what === 'message' && name === outerType ? reason : `${subject}: ${reason}`;
}
