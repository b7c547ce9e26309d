import { storedJson } from '../kit/stored-json.ts';
import { emitExerciseEvent } from './exercise-events.ts';

const STORAGE_KEY = 'wirelab.progress.v1';

/** lesson slug → exercise id → when it passed (ms since the epoch) */
export type Progress = Record<string, Record<string, { passedAt: number }>>;

/** A stored object is progress; anything else (damaged, foreign) reads as none. */
const progressOf = (stored: unknown): Progress => (stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Progress) : {});

// other tabs of the same browser: a pass there shows here
const store = storedJson(STORAGE_KEY, progressOf);
const read = store.read;

/** `announce: false`: progress brought back from elsewhere (the class's server), not a new pass. */
export function markPassed(lesson: string, exercise: string, options: { announce?: boolean } = {}): void {
  const progress = read();
  if (progress[lesson]?.[exercise]) return;
  if (options.announce !== false) emitExerciseEvent({ lesson, exercise, passed: true });
  store.write({ ...progress, [lesson]: { ...progress[lesson], [exercise]: { passedAt: Date.now() } } });
}

/** What this browser has passed (the classroom sends it along when a student joins). */
export function readProgress(): Progress {
  return read();
}

export function useProgress(): Progress {
  return store.use();
}
