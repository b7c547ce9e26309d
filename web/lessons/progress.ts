import { storedJson } from '../kit/stored-json.ts';
import { emitExerciseEvent } from './exercise-events.ts';

const STORAGE_KEY = 'wirelab.progress.v1';

/**
 * lesson slug → exercise id → when it passed (ms since the epoch); `imported`: it came from a
 * progress file (web/course/course-progress-file.ts), never sent to a class board.
 */
export type Progress = Record<string, Record<string, { passedAt: number; imported?: true }>>;

/** A stored object is progress; anything else (damaged, foreign) reads as none. */
const progressOf = (stored: unknown): Progress => (stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Progress) : {});

// other tabs of the same browser: a pass there shows here
const store = storedJson(STORAGE_KEY, progressOf);
const read = store.read;

/**
 * `announce: false`: progress brought back from elsewhere (the class's server), not a new pass.
 * `answer`: what the student typed for an exercise that asks for one (the class's server checks it too).
 */
export function markPassed(lesson: string, exercise: string, options: { announce?: boolean; answer?: string } = {}): void {
  const progress = read();
  if (progress[lesson]?.[exercise]) return;
  if (options.announce !== false) emitExerciseEvent({ lesson, exercise, passed: true, ...(options.answer !== undefined ? { answer: options.answer } : {}) });
  store.write({ ...progress, [lesson]: { ...progress[lesson], [exercise]: { passedAt: Date.now() } } });
}

/** What this browser has passed (the classroom sends it along when a student joins). */
export function readProgress(): Progress {
  return read();
}

export function useProgress(): Progress {
  return store.use();
}

/** The passes made in this browser (not brought by a progress file): what a class may hear of when the student joins. */
export function passesMadeHere(progress: Progress): Array<{ lesson: string; exercise: string }> {
  return Object.entries(progress).flatMap(([lesson, exercises]) =>
    Object.entries(exercises)
      .filter(([, pass]) => !pass?.imported)
      .map(([exercise]) => ({ lesson, exercise })),
  );
}
