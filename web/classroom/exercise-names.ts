import type { ExerciseTitles } from '../lessons/exercise-titles.ts';
import type { LessonIndexEntry } from '../lessons/lesson-types.ts';

// An exercise named as the pages name it: its title (the first sentence of its prompt) in the
// page's language, after its lesson's title — what the teacher picks from and the student reads.

export type Lang = 'en' | 'ru';

/** "REST — Create a user…"; the ids when the lesson or exercise is not in this build. */
export function exerciseName(index: readonly LessonIndexEntry[], titles: ExerciseTitles, lang: Lang, lesson: string, exercise: string): string {
  const lessonTitle = index.find((entry) => entry.slug === lesson)?.headline[lang].title ?? lesson;
  return `${lessonTitle} — ${titles[lesson]?.[lang][exercise] ?? exercise}`;
}

/** Where an exercise is on its lesson's page, in the reader's language: the link a student follows. */
export function exerciseHref(lang: Lang, lesson: string, exercise: string): string {
  return `/${lang}/${lesson}#exercise-${exercise}-title`;
}

/** Every exercise of the course, grouped by lesson, titled in `lang`: the teacher's choice. */
export function exerciseChoices(
  index: readonly LessonIndexEntry[],
  titles: ExerciseTitles,
  lang: Lang,
): Array<{ lesson: string; title: string; exercises: Array<{ id: string; title: string }> }> {
  return index
    .filter((entry) => entry.exercises.length > 0)
    .map((entry) => ({
      lesson: entry.slug,
      title: entry.headline[lang].title,
      exercises: entry.exercises.map((id) => ({ id, title: titles[entry.slug]?.[lang][id] ?? id })),
    }));
}
