/**
 * The quiz keeps its answers in the lessons' progress store (web/lessons/progress.ts) under this
 * key instead of a lesson slug; `/…/quiz` is a page of its own, so no lesson can take the name.
 */
export const QUIZ_PROGRESS_KEY = 'quiz';
