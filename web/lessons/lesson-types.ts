import type { Lang } from '../app/lang-context.ts';
import type { Check } from './checks.ts';
import type { LessonHeadline } from './lesson-summary.ts';

/** One entry of the lesson list: everything it shows without loading the lesson itself. */
export interface LessonIndexEntry {
  slug: string;
  folder: string;
  headline: Record<Lang, LessonHeadline>;
  exercises: string[];
  /** how many questions its "Interview questions" section asks (the quiz takes them; web/course/lesson-interview.ts) */
  interviewQuestions: number;
}

/** lesson.json (see lessons/README.md) */
export interface LessonJson {
  cells: Record<string, { kind: string; file: string }>;
  exercises: Record<string, LessonExercise>;
}

export interface LessonExercise {
  cell?: string;
  check: Check;
  /** pressing Run on the unchanged starting cell is the whole step; the card says so */
  runOnly?: boolean;
}
