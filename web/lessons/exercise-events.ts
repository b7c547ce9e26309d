import type { AttemptMiss } from '../../contracts/class-channel/messages.ts';

/** A check's verdict as the student saw it: a pass, or a miss shown on the exercise card. */
export interface ExerciseEvent {
  lesson: string;
  exercise: string;
  passed: boolean;
  /** a miss: what the check said, for the teacher's view of the student's attempts (attempt-miss.ts) */
  miss?: AttemptMiss;
}

const listeners = new Set<(event: ExerciseEvent) => void>();

/** Who wants to know (the classroom reports them to the teacher's board). */
export function onExerciseEvent(listener: (event: ExerciseEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitExerciseEvent(event: ExerciseEvent): void {
  for (const listener of listeners) listener(event);
}
