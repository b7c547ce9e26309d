/**
 * Russian typography, applied to a lesson's `ru.md` as it is built (vite.config.ts's lesson-page
 * plugin, the quiz, the lesson list's summaries), so the texts never need a hand-typed invisible
 * character (issue 39 item 2). The rules, after the usual Russian norm (Мильчин, «Справочник
 * издателя и автора»):
 *
 * - a non-breaking space between a number and its unit (500 мс, 16 КиБ, 20 байт, 8 часов) and
 *   after «№» (№ 3), so a line never starts with the unit;
 * - four-digit numbers solid (1000, 8080), five digits and more in groups of three with a narrow
 *   non-breaking space (16 383, 268 435 455). Only a number the text already writes in groups is
 *   regrouped: a bare 50051 or 65535 may be a port, a year or a code, and stays as written;
 * - after a number, the counting form «байт» («20 байт», «11 байт»; «2 байта» stays), elsewhere
 *   the genitive plural «байтов» («сколько байтов», «несколько сотен байтов»). The same for «бит».
 *
 * Code is left alone: fenced blocks, inline code, link targets, heading ids and directive lines.
 */

const NBSP = '\u00a0';
/** U+202F NARROW NO-BREAK SPACE: the thin space between groups of digits. */
const THIN_NBSP = '\u202f';

/** Units and counted nouns that must stay on the line of their number. */
const UNITS = [
  'мкс',
  'мс',
  'нс',
  'мин',
  'ч',
  'байт',
  'байта',
  'байтов',
  'бит',
  'бита',
  'битов',
  'Б',
  'кБ',
  'КБ',
  'КиБ',
  'МБ',
  'МиБ',
  'ГБ',
  'ГиБ',
  'Кбит/с',
  'Мбит/с',
  'секунда',
  'секунды',
  'секунд',
  'секунду',
  'миллисекунда',
  'миллисекунды',
  'миллисекунд',
  'минута',
  'минуты',
  'минут',
  'минуту',
  'час',
  'часа',
  'часов',
  'дней',
  'дня',
  'день',
].sort((a, b) => b.length - a.length);

const SPACE = `[ ${NBSP}]`;
const NOT_LETTER_AFTER = '(?![\\p{L}\\p{N}])';
/** a number that is a word of its own, not the end of one (base64, h2, x86) */
const NUMBER_END = '(?<![\\p{L}_]\\p{N}*)(\\p{N})';
const UNIT_AFTER_NUMBER = new RegExp(`${NUMBER_END}${SPACE}(${UNITS.map(escapeRegExp).join('|')})${NOT_LETTER_AFTER}`, 'gu');
/** «с» (seconds) is also the preposition «с»: a unit only before punctuation, or after a range (20–30 с). */
const SECONDS_AFTER_NUMBER = new RegExp(`${NUMBER_END}${SPACE}с(?=[),.;:!?»\\]])|(\\p{N}[–-]\\p{N}+)${SPACE}с${NOT_LETTER_AFTER}`, 'gu');
const NUMERO = /№[ \u00a0]?(?=\p{N})/gu;
/** a number already written in groups of three: 1 000, 16 383, 268 435 455 */
const GROUPED_NUMBER = /(?<![\p{N}.,])\p{N}{1,3}(?:[ \u00a0\u202f]\p{N}{3})+(?![\p{N}]|[.,]\p{N})/gu;
const COUNTED_BYTES = new RegExp(`${NUMBER_END}${SPACE}(байт|бит)ов${NOT_LETTER_AFTER}`, 'gu');
/** a quantity without a number before «байт»: the genitive plural («сколько байтов», «сотни байтов») */
const UNCOUNTED_BYTES =
  /(?<![\p{L}])((?:[Сс]колько|[Сс]только|[Нн]есколько|[Мм]ного|[Нн]емного|[Бб]ольше|[Мм]еньше|сотни|сотен|тысячи|тысяч)[ \u00a0])(байт|бит)(?![\p{L}])/gu;

/** The parts of a markdown line that are code or addresses, which typography must not touch. */
const PROTECTED_IN_LINE = /`+[^`]*`+|\]\([^)]*\)|\{#[^}]*\}|<[^>]+>|https?:\/\/\S+/g;

/** Russian lesson markdown with the typography above applied to its prose. */
export function typesetRussian(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return line;
      }
      if (inFence || /^\s*::/.test(line)) return line;
      return typesetProse(line);
    })
    .join('\n');
}

/** One line of prose: typography between its code spans, never inside them. */
function typesetProse(line: string): string {
  let result = '';
  let last = 0;
  for (const match of line.matchAll(PROTECTED_IN_LINE)) {
    result += typesetText(line.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return result + typesetText(line.slice(last));
}

/** Typography of plain text (no code in it). */
export function typesetText(text: string): string {
  return text
    .replace(GROUPED_NUMBER, (number) => groupDigits(number.replace(/[ \u00a0\u202f]/g, '')))
    .replace(COUNTED_BYTES, `$1 $2`)
    .replace(UNCOUNTED_BYTES, `$1$2ов`)
    .replace(UNIT_AFTER_NUMBER, `$1${NBSP}$2`)
    .replace(SECONDS_AFTER_NUMBER, (_all, single: string | undefined, range: string | undefined) => `${single ?? range}${NBSP}с`)
    .replace(NUMERO, `№${NBSP}`);
}

/** 1000 → «1000», 16383 → «16 383» (narrow no-break spaces). */
function groupDigits(digits: string): string {
  if (digits.length <= 4) return digits;
  return digits.replace(/\p{N}(?=(?:\p{N}{3})+$)/gu, `$&${THIN_NBSP}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The same typography over every string of a Russian text table (the quiz, the decision matrix,
 * the protocol chooser), so their numbers and units follow the lessons' rules without a hand-typed
 * invisible character. Keys are left as they are.
 */
export function typesetStrings<T>(value: T): T {
  if (typeof value === 'string') return typesetText(value) as T;
  if (typeof value === 'function') return ((...args: unknown[]) => typesetStrings((value as (...args: unknown[]) => unknown)(...args))) as T;
  if (Array.isArray(value)) return value.map((item) => typesetStrings(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, typesetStrings(item)])) as T;
  }
  return value;
}
