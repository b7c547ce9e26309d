/**
 * The quiz keeps its answers in the lessons' progress store (web/lessons/progress.ts) under this
 * key instead of a lesson slug; `/…/quiz` is a page of its own, so no lesson can take the name.
 */
export const QUIZ_PROGRESS_KEY = 'quiz';

/** The quiz's id of a lesson's own interview question: its place in the lesson's section, from 1. */
export function lessonQuestionId(slug: string, position: number): string {
  return `lesson:${slug}:${position}`;
}
