import { findPhrase, wordsOf, type WordAt } from '../text/word-stem.ts';
import type { GlossaryTerm } from './glossary-terms.ts';

export interface LessonTexts {
  slug: string;
  en: string;
  ru: string;
}

// A lesson's words are cut once, not once per term.
const cutTexts = new Map<string, WordAt[]>();
function wordsOfText(text: string): WordAt[] {
  let words = cutTexts.get(text);
  if (!words) cutTexts.set(text, (words = wordsOf(text)));
  return words;
}

/**
 * Whether a lesson uses a term: its English text names it (or one of its other English names)
 * AND its Russian text does too. Both, so that a common word in one language (Russian «тема»,
 * English "call") does not list every lesson.
 */
export function lessonUsesTerm(lesson: LessonTexts, term: GlossaryTerm, forms: 'all' | 'main' = 'all'): boolean {
  const names = (main: string, also: string[] | undefined) => (forms === 'main' ? [main] : [main, ...(also ?? [])]);
  const inText = (text: string, phrases: string[]) => {
    const words = wordsOfText(text);
    return phrases.some((phrase) => findPhrase(text, phrase, words).length > 0);
  };
  return inText(lesson.en, names(term.en, term.alsoEn)) && inText(lesson.ru, names(term.ru, term.alsoRu));
}
