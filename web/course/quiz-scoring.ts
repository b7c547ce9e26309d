import { matchesExchange, matchesMessage } from '../../contracts/exercise-checks/evaluate-check.ts';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import type { BytesTarget, QuizQuestion } from './quiz-data.ts';

/** An open answer counts as an attempt once it says something (the model answer then shows). */
export const OPEN_ATTEMPT_MIN_CHARS = 20;

/** Right when the picked options are exactly the correct ones (several may be correct). */
export function choiceIsRight(question: Extract<QuizQuestion, { kind: 'choice' }>, picked: readonly string[]): boolean {
  const want = new Set(question.correct);
  const got = new Set(picked);
  return got.size === want.size && [...want].every((option) => got.has(option));
}

/** Right when the items stand in the question's order. */
export function orderIsRight(question: Extract<QuizQuestion, { kind: 'order' }>, order: readonly string[]): boolean {
  return order.length === question.items.length && order.every((item, index) => item === question.items[index]);
}

/**
 * The order the page shows first: never the right one, the same on every visit (a rotation by
 * two, then the first two swapped), so a reload does not reshuffle under the student's eyes.
 */
export function scrambledOrder(items: readonly string[]): string[] {
  if (items.length < 2) return [...items];
  const rotated = [...items.slice(2 % items.length), ...items.slice(0, 2 % items.length)];
  [rotated[0], rotated[1]] = [rotated[1], rotated[0]];
  return rotated.every((item, index) => item === items[index]) ? [...items].reverse() : rotated;
}

export function openAnswerIsAttempt(text: string): boolean {
  return text.replace(/\s+/g, ' ').trim().length >= OPEN_ATTEMPT_MIN_CHARS;
}

/** What the student pointed at in the inspector: a decoded message or an HTTP exchange. */
export type PointedAt = { message: WireMessage } | { exchange: HttpExchange } | null;

/** Is what the student selected in the inspector the thing the question asks for? */
export function pointedAtTarget(target: BytesTarget, pointed: PointedAt): boolean {
  if (!pointed) return false;
  if ('message' in target) return 'message' in pointed && matchesMessage(target.message, pointed.message);
  return (
    'exchange' in pointed && pointed.exchange.response !== undefined && pointed.exchange.response !== null && matchesExchange(target.exchange, pointed.exchange)
  );
}
