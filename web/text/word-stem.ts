/**
 * Words and their stems, for finding a term in any of its forms: «кадры», «кадров» and «кадр» are
 * one word to the search (web/search) and to the glossary's terminology test (web/glossary).
 *
 * Not a full morphological analyser: a light suffix stripper in the spirit of Snowball's, enough
 * for a course whose words are mostly nouns. Russian endings of nouns, adjectives, participles
 * and common verb forms are cut (the longest that leaves at least three letters); English loses a
 * plural, -ing, -ed or a final e. Text is compared in lower case with ё read as е.
 */

/** Lower case, ё as е: «Ёмкость» and «емкость» are one word. */
export function normalizeWord(word: string): string {
  return word.toLowerCase().replaceAll('ё', 'е');
}

/** Letters and digits; a hyphen, a dot or anything else separates words («keep-alive» is two). */
const WORD = /[\p{L}\p{N}]+/gu;

export interface WordAt {
  /** normalized (lower case, ё → е) */
  word: string;
  /** its stem (stemWord) */
  stem: string;
  /** where the word starts in the original text (UTF-16 index) */
  start: number;
  end: number;
}

/** The words of a text with their places, normalized and stemmed. */
export function wordsOf(text: string): WordAt[] {
  return [...text.matchAll(WORD)].map((match) => {
    const word = normalizeWord(match[0]);
    return { word, stem: stemWord(word), start: match.index, end: match.index + match[0].length };
  });
}

// Longest first. Reflexive -ся/-сь is cut before these.
const RUSSIAN_ENDINGS = [
  'иями',
  'ьями',
  'ями',
  'ами',
  'иях',
  'ией',
  'ием',
  'иям',
  'ого',
  'его',
  'ому',
  'ему',
  'ыми',
  'ими',
  'ать',
  'ять',
  'ить',
  'еть',
  'ешь',
  'ете',
  'ите',
  'ует',
  'уют',
  'ая',
  'яя',
  'ое',
  'ее',
  'ые',
  'ие',
  'ый',
  'ий',
  'ой',
  'ую',
  'юю',
  'ых',
  'их',
  'ым',
  'им',
  'ом',
  'ем',
  'ах',
  'ях',
  'ов',
  'ев',
  'ей',
  'ам',
  'ям',
  'ию',
  'ия',
  'ии',
  'ью',
  'ья',
  'ет',
  'ют',
  'ут',
  'ит',
  'ат',
  'ят',
  'ла',
  'ли',
  'ло',
  'а',
  'я',
  'о',
  'е',
  'ы',
  'и',
  'у',
  'ю',
  'ь',
  'й',
];

const CYRILLIC = /[\u0400-\u04ff]/;
const MIN_STEM = 3;

function russianStem(word: string): string {
  let stem = word;
  if (stem.length - 2 >= MIN_STEM + 1 && /(?:ся|сь)$/.test(stem)) stem = stem.slice(0, -2);
  for (const ending of RUSSIAN_ENDINGS) {
    if (stem.endsWith(ending) && stem.length - ending.length >= MIN_STEM) return stem.slice(0, -ending.length);
  }
  return stem;
}

function englishStem(word: string): string {
  const cut = (ending: string, replacement = '') =>
    word.endsWith(ending) && word.length - ending.length >= MIN_STEM ? word.slice(0, -ending.length) + replacement : null;
  return (
    cut('ies', 'y') ??
    cut('ing') ??
    cut('ed') ??
    // statuses, classes; not "status" itself (a word ending in -us or -ss is no plural)
    (/(?:ss|us)es$/.test(word) ? cut('es') : null) ??
    (/(?:ss|us|is)$/.test(word) ? word : null) ??
    cut('es') ??
    cut('s') ??
    cut('e') ??
    word
  ).replace(/e$/, (e, offset: number) => (offset >= MIN_STEM ? '' : e));
}

/** The stem of one normalized word: «кадрами» → «кадр», "frames" → "fram". */
export function stemWord(word: string): string {
  const normalized = normalizeWord(word);
  if (/^\p{N}+$/u.test(normalized)) return normalized;
  return CYRILLIC.test(normalized) ? russianStem(normalized) : englishStem(normalized);
}

/** A word a reader asked for, ready to be compared with a text's words. */
export interface WantedWord {
  stem: string;
  /** the word without a final vowel: a short stem must also start like this */
  base: string;
}

export function wantedWord(word: string): WantedWord {
  const normalized = normalizeWord(word);
  return { stem: stemWord(normalized), base: normalized.replace(/[аеиоуыэюяьй]$/, '') };
}

/**
 * Whether a word of a text is a form of a word a reader asked for: the same stem, or, when that
 * stem is long enough to say something (four letters or more), a word that starts with it
 * («подписк» finds «подписками»). A short stem must match whole and the word must start like the
 * wanted one: «поле» finds «поля» but not «полезная», «стрим» not «строго».
 */
export function isFormOf(text: Pick<WordAt, 'word' | 'stem'>, wanted: WantedWord): boolean {
  if (wanted.stem.length >= 4) return text.stem === wanted.stem || text.word.startsWith(wanted.stem);
  // the stemmer cut too much («стрим» → «стр»): the word itself, less a final vowel, still says enough
  return text.word.startsWith(wanted.base) && (text.stem === wanted.stem || wanted.base.length >= 4);
}

const firstLetters = new WeakMap<WordAt[], Map<string, number[]>>();

/** The positions of a text's words by their first letter, computed once per text. */
function positionsByFirstLetter(words: WordAt[]): Map<string, number[]> {
  let index = firstLetters.get(words);
  if (!index) {
    index = new Map();
    words.forEach((word, position) => {
      const list = index!.get(word.word[0]);
      if (list) list.push(position);
      else index!.set(word.word[0], [position]);
    });
    firstLetters.set(words, index);
  }
  return index;
}

/** Between two words of a phrase: spaces (one line break at most, as in wrapped text) or a hyphen (or the plus of «N+1»). */
const PHRASE_GAP = /^[ \t\u00a0]*(?:[-–+][ \t\u00a0]*)?\n?[ \t\u00a0]*$/;

/**
 * Every place a phrase occurs in a text in any form of its words, each word right after the one
 * before: «трёхэтапное рукопожатие» finds «Трёхэтапного рукопожатия».
 */
export function findPhrase(text: string, phrase: string, words: WordAt[] = wordsOf(text)): Array<{ start: number; end: number }> {
  const wanted = wordsOf(phrase).map((word) => wantedWord(word.word));
  if (wanted.length === 0) return [];
  const found: Array<{ start: number; end: number }> = [];
  // a form of a word starts with the word's stem, so with its first letter
  for (const i of positionsByFirstLetter(words).get(wanted[0].stem[0]) ?? []) {
    if (i + wanted.length > words.length) continue;
    let all = true;
    for (let k = 0; k < wanted.length && all; k++) {
      const word = words[i + k];
      if (!isFormOf(word, wanted[k])) all = false;
      else if (k > 0 && !PHRASE_GAP.test(text.slice(words[i + k - 1].end, word.start))) all = false;
    }
    if (all) found.push({ start: words[i].start, end: words[i + wanted.length - 1].end });
  }
  return found;
}
