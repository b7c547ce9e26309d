import type { Lang } from '../kit/lang-context.ts';
import { findPhrase, normalizeWord, stemWord, type WordAt, wordsOf } from '../text/word-stem.ts';
import type { GlossaryTerm } from './glossary-terms.ts';

/**
 * What a variant check needs of a term: its names and the variants it rules out (a glossary term
 * or a house word). A variant written `=word` is that one word exactly, no other form: «=почту»
 * for the email, where every form of «почта» would also catch «почти».
 */
export type WordRule = Pick<GlossaryTerm, 'id' | 'en' | 'ru' | 'wrongRu' | 'wrongEn' | 'allowRu' | 'allowEn'>;

export interface WrongTermHit {
  /** 1-based line of the text */
  line: number;
  /** where the words start in the text */
  start: number;
  /** the words as written */
  found: string;
  /** the glossary's variant they are a form of */
  variant: string;
  /** the term to write instead */
  term: WordRule;
}

/**
 * Every use in a text of a variant the glossary rules out for that language, in any form of its
 * words («Тройного рукопожатия» is a form of «тройное рукопожатие»), except words the term
 * allows that merely start the same way («фреймворк»).
 */
export function findWrongTerms(text: string, lang: Lang, glossary: readonly WordRule[]): WrongTermHit[] {
  const words = wordsOf(text);
  const hits: WrongTermHit[] = [];
  for (const term of glossary) {
    const variants = (lang === 'ru' ? term.wrongRu : term.wrongEn) ?? [];
    const allowed = ((lang === 'ru' ? term.allowRu : term.allowEn) ?? []).map((word) => stemWord(word));
    for (const variant of variants) {
      for (const place of placesOf(text, variant, words)) {
        const found = text.slice(place.start, place.end);
        const firstWord = wordsOf(found)[0]?.word ?? '';
        if (allowed.some((stem) => firstWord.startsWith(stem))) continue;
        hits.push({ line: text.slice(0, place.start).split('\n').length, start: place.start, found, variant, term });
      }
    }
  }
  // one place, one hit: «кеширование» is a form of several listed variants
  const seen = new Set<number>();
  return hits.filter((hit) => !seen.has(hit.start) && seen.add(hit.start)).sort((a, b) => a.start - b.start);
}

/** Where a variant occurs: in any form of its words, or, written `=word`, as exactly that word. */
function placesOf(text: string, variant: string, words: WordAt[]): Array<{ start: number; end: number }> {
  if (!variant.startsWith('=')) return findPhrase(text, variant, words);
  const exact = normalizeWord(variant.slice(1));
  return words.filter((word) => word.word === exact);
}
