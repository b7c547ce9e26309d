import type { LessonIndexEntry } from '../lessons/lesson-types.ts';
import type { Progress } from '../lessons/progress.ts';
import { QUIZ_PROGRESS_KEY, lessonQuestionId } from './quiz-progress-key.ts';

export interface LessonProgress {
  lesson: LessonIndexEntry;
  done: number;
  total: number;
}

export interface CourseProgress {
  lessons: LessonProgress[];
  /** every exercise of every lesson */
  done: number;
  total: number;
  quiz: { done: number; total: number };
}

/**
 * Counts what the progress store holds against what exists now: an exercise or a question that
 * was removed from the course since it was solved does not count.
 */
export function courseProgress(lessons: readonly LessonIndexEntry[], progress: Progress, quizQuestionIds: readonly string[]): CourseProgress {
  const perLesson = lessons.map((lesson) => ({
    lesson,
    done: lesson.exercises.filter((id) => progress[lesson.slug]?.[id]).length,
    total: lesson.exercises.length,
  }));
  return {
    lessons: perLesson,
    done: perLesson.reduce((sum, entry) => sum + entry.done, 0),
    total: perLesson.reduce((sum, entry) => sum + entry.total, 0),
    quiz: { done: quizQuestionIds.filter((id) => progress[QUIZ_PROGRESS_KEY]?.[id]).length, total: quizQuestionIds.length },
  };
}

/** Every question of the quiz: its own, then each lesson's interview questions. */
export function allQuizQuestionIds(ownIds: readonly string[], lessons: readonly LessonIndexEntry[]): string[] {
  return [...ownIds, ...lessons.flatMap((lesson) => Array.from({ length: lesson.interviewQuestions }, (_, index) => lessonQuestionId(lesson.slug, index + 1)))];
}
