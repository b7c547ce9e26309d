import type { Lang } from '../kit/lang-context.ts';
import type { Check } from '../../contracts/exercise-checks/check-types.ts';
import type { LessonHeadline } from './lesson-summary.ts';

/** One entry of the lesson list: everything it shows without loading the lesson itself. */
export interface LessonIndexEntry {
  slug: string;
  folder: string;
  /** titles only: the summaries are a module of their own (`virtual:wirelab-lesson-summaries`), which only the list and the course map load */
  headline: Record<Lang, Pick<LessonHeadline, 'title'>>;
  exercises: string[];
  /** how many questions its "Interview questions" section asks (the quiz takes them; web/lessons/lesson-interview.ts) */
  interviewQuestions: number;
}

/** Each lesson's summary (the `> ` paragraph under its title) by slug and language. */
export type LessonSummaries = Record<string, Record<Lang, string>>;

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
