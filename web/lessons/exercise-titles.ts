import type { Lang } from '../kit/lang-context.ts';
import { splitLessonDirectives } from './lesson-directives.ts';
import type { LessonFolder } from './lesson-files.ts';
import { plainText } from './lesson-summary.ts';

/** lesson slug → language → exercise id → its short title (the teacher's board heads its columns with them). */
export type ExerciseTitles = Record<string, Record<Lang, Record<string, string>>>;

/** A column heading stays readable beside a dozen others. */
export const EXERCISE_TITLE_MAX = 48;

/**
 * An exercise's title: the first sentence of its prompt as plain text, cut at a word before
 * EXERCISE_TITLE_MAX characters (with "…"). Lessons give exercises no title of their own; the
 * prompt's first sentence is what the student reads first, in the same language.
 */
export function exerciseTitle(prompt: string): string {
  const text = plainText(prompt.split(/\n\s*\n/)[0] ?? '');
  const sentence = /^(.+?[.!?:])(\s|$)/.exec(text)?.[1] ?? text;
  const trimmed = sentence.replace(/[.:]$/, '');
  if (trimmed.length <= EXERCISE_TITLE_MAX) return trimmed;
  const cut = trimmed.slice(0, EXERCISE_TITLE_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXERCISE_TITLE_MAX / 2 ? cut.slice(0, space) : cut).replace(/[,;:—–-]\s*$/, '').trimEnd()}…`;
}

/** Every lesson's exercise titles in both languages (`virtual:wirelab-exercise-titles`, built by vite.config.ts). */
export function buildExerciseTitles(folders: LessonFolder[]): ExerciseTitles {
  const titles: ExerciseTitles = {};
  for (const lesson of folders) {
    if (lesson.markdown.en === null || lesson.markdown.ru === null) continue;
    const byLang = { en: {}, ru: {} } as Record<Lang, Record<string, string>>;
    for (const lang of ['en', 'ru'] as const) {
      for (const segment of splitLessonDirectives(lesson.markdown[lang]!).segments) {
        if (segment.type === 'exercise') byLang[lang][segment.id] = exerciseTitle(segment.prompt);
      }
    }
    titles[lesson.slug] = byLang;
  }
  return titles;
}
