import { storedJson } from '../kit/stored-json.ts';
import { QUIZ_PROGRESS_KEY } from './quiz-progress-key.ts';

// The quiz's chosen answers survive a reload: kept in this browser (localStorage) per question id.
// Ids do not depend on the language (`tcp-handshake`, `lesson:rest:2`), so switching the page's
// language shows the same answers. The progress store (web/lessons/progress.ts) still records
// what was answered right, for the course map; this store holds what the student chose.

export const QUIZ_ANSWERS_KEY = 'wirelab.quiz.v1';
/** web/lessons/progress.ts's key (course-progress-file.test.ts writes through that module and reads this key) */
export const PROGRESS_STORAGE_KEY = 'wirelab.progress.v1';

/** What the student last checked for one question, and whether it was right. */
export type QuizAnswer =
  | { kind: 'choice'; picked: string[]; right: boolean }
  | { kind: 'order'; order: string[]; right: boolean }
  /** what was pointed at in the inspector cannot come back after a reload: only the verdict does */
  | { kind: 'bytes'; right: boolean }
  /** an open question has no verdict: the attempt, after which the model answer shows */
  | { kind: 'open'; text: string };

/** question id → the last answer checked */
export type QuizAnswers = Record<string, QuizAnswer>;

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** One stored answer, or null when it is not one (a damaged or older entry is dropped, not trusted). */
export function parseQuizAnswer(value: unknown): QuizAnswer | null {
  if (!value || typeof value !== 'object') return null;
  const answer = value as Record<string, unknown>;
  switch (answer.kind) {
    case 'choice':
      return isStrings(answer.picked) && typeof answer.right === 'boolean' ? { kind: 'choice', picked: answer.picked, right: answer.right } : null;
    case 'order':
      return isStrings(answer.order) && typeof answer.right === 'boolean' ? { kind: 'order', order: answer.order, right: answer.right } : null;
    case 'bytes':
      return typeof answer.right === 'boolean' ? { kind: 'bytes', right: answer.right } : null;
    case 'open':
      return typeof answer.text === 'string' ? { kind: 'open', text: answer.text } : null;
    default:
      return null;
  }
}

/** Every well-formed answer of a stored object; anything else is left out. */
export function parseQuizAnswers(value: unknown): QuizAnswers {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const answers: QuizAnswers = {};
  for (const [id, raw] of Object.entries(value)) {
    const answer = parseQuizAnswer(raw);
    if (answer) answers[id] = answer;
  }
  return answers;
}

export interface QuizScore {
  /** checkable questions (choice, order, bytes) answered right */
  right: number;
  /** checkable questions checked at least once */
  answered: number;
  /** checkable questions on the page */
  total: number;
  /** open questions attempted (no verdict: the student compares with the model answer) */
  openAnswered: number;
  openTotal: number;
}

/**
 * The score over the questions the page shows now (an answer to a question removed since does not
 * count): right of answered and of all for the checkable ones, attempted of all for the open ones.
 */
export function quizScore(answers: QuizAnswers, checkableIds: readonly string[], openIds: readonly string[]): QuizScore {
  const checked = checkableIds.map((id) => answers[id]).filter((answer) => answer !== undefined && answer.kind !== 'open');
  return {
    right: checked.filter((answer) => 'right' in answer && answer.right).length,
    answered: checked.length,
    total: checkableIds.length,
    openAnswered: openIds.filter((id) => answers[id]?.kind === 'open').length,
    openTotal: openIds.length,
  };
}

// other tabs of the same browser: an answer there shows here
const store = storedJson(QUIZ_ANSWERS_KEY, parseQuizAnswers);

export function readQuizAnswers(): QuizAnswers {
  return store.read();
}

export function saveQuizAnswer(id: string, answer: QuizAnswer): void {
  store.write({ ...store.read(), [id]: answer });
}

/** Start over: every answer forgotten (the entry removed). */
export function clearQuizAnswers(): void {
  store.write(null);
}

/**
 * Start over, for the course map too: the quiz's passes leave the lessons' progress store
 * (web/lessons/progress.ts, key `quiz`). Written here through the storage, not that module, so
 * the lesson pages' first script carries no code only the quiz uses; the store re-reads on the
 * storage event it also takes from other tabs.
 */
export function forgetQuizProgress(): void {
  try {
    const progress: unknown = JSON.parse(localStorage.getItem(PROGRESS_STORAGE_KEY) ?? '{}');
    if (!progress || typeof progress !== 'object' || !(QUIZ_PROGRESS_KEY in progress)) return;
    const { [QUIZ_PROGRESS_KEY]: _forgotten, ...rest } = progress as Record<string, unknown>;
    localStorage.setItem(PROGRESS_STORAGE_KEY, JSON.stringify(rest));
  } catch {
    return;
  }
  window.dispatchEvent(new Event('storage'));
}

export function useQuizAnswers(): QuizAnswers {
  return store.use();
}
