import type { AttemptMiss } from '../../contracts/class-channel/messages.ts';
import type { ServerVerdict, UncountedMiss } from '../../contracts/exercise-checks/verdict.ts';
import type { AttemptRef } from '../../contracts/exercise-checks/attempt-miss.ts';

/** A check's verdict as the student saw it: a pass, or a miss shown on the exercise card. */
export interface ExerciseEvent {
  lesson: string;
  exercise: string;
  passed: boolean;
  /** a miss: what the card's check said (contracts/exercise-checks/attempt-miss.ts); the server records its own */
  miss?: AttemptMiss;
  /** a miss: the captured exchange or message it is about, for the server to judge in its own captures */
  attempt?: AttemptRef;
  /** an exercise that asks for an answer: what the student typed (the server checks it against its own capture) */
  answer?: string;
}

const listeners = new Set<(event: ExerciseEvent) => void>();

/** Who wants to know (the classroom reports them to the teacher's board). */
export function onExerciseEvent(listener: (event: ExerciseEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitExerciseEvent(event: ExerciseEvent): void {
  // a new miss: what the server said of the one before is no longer what the card shows
  if (!event.passed) {
    latestMisses.set(verdictKey(event.lesson, event.exercise), event);
    if (missCounts.delete(verdictKey(event.lesson, event.exercise))) for (const listener of verdictListeners) listener();
  }
  for (const listener of listeners) listener(event);
}

// ---- the class board's verdict --------------------------------------------------------------------

/** What the class's server said of a pass this page reported (web/classroom/student-class.ts sets it). */
export type BoardVerdict = ServerVerdict;

const boardVerdicts = new Map<string, BoardVerdict>();
const verdictListeners = new Set<() => void>();
const verdictKey = (lesson: string, exercise: string) => `${lesson}/${exercise}`;

export function setBoardVerdict(lesson: string, exercise: string, verdict: BoardVerdict | null): void {
  if (verdict) boardVerdicts.set(verdictKey(lesson, exercise), verdict);
  else boardVerdicts.delete(verdictKey(lesson, exercise));
  for (const listener of verdictListeners) listener();
}

export function boardVerdictOf(lesson: string, exercise: string): BoardVerdict | undefined {
  return boardVerdicts.get(verdictKey(lesson, exercise));
}

/** For useSyncExternalStore: the exercise card shows what the board kept. */
export function onBoardVerdict(listener: () => void): () => void {
  verdictListeners.add(listener);
  return () => verdictListeners.delete(listener);
}

// ---- the class server's word on a miss -------------------------------------------------------------

/**
 * What the class's server made of the last miss this page reported (contracts/exercise-checks/
 * miss-verdict.ts, `judgeMiss`): counted on the teacher's board, or not and why. The page never
 * decides it; web/classroom/student-class.ts sets it from the server's answer.
 */
export type MissCount = { counted: true } | UncountedMiss;

const missCounts = new Map<string, MissCount>();
/** The miss each card reported last: an answer about an earlier one (reports queue while offline) is not shown under it. */
const latestMisses = new Map<string, ExerciseEvent>();

/** The server's answer to the miss `reported` (the very event emitted). */
export function setMissCount(reported: ExerciseEvent, count: MissCount): void {
  const key = verdictKey(reported.lesson, reported.exercise);
  if (latestMisses.get(key) !== reported) return;
  missCounts.set(key, count);
  for (const listener of verdictListeners) listener();
}

/** Read with onBoardVerdict: the same listeners hear both. */
export function missCountOf(lesson: string, exercise: string): MissCount | undefined {
  return missCounts.get(verdictKey(lesson, exercise));
}
