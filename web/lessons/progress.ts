import { useSyncExternalStore } from 'react';
import { emitExerciseEvent } from './exercise-events.ts';

const STORAGE_KEY = 'wirelab.progress.v1';

/** lesson slug → exercise id → when it passed (ms since the epoch) */
export type Progress = Record<string, Record<string, { passedAt: number }>>;

const listeners = new Set<() => void>();
let cached: { raw: string | null; value: Progress } = { raw: null, value: {} };

function read(): Progress {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(STORAGE_KEY);
  } catch {
    return cached.value;
  }
  if (raw !== cached.raw) {
    let value: Progress = {};
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) value = parsed as Progress;
    } catch {
      // a damaged entry starts over rather than breaking the page
    }
    cached = { raw, value };
  }
  return cached.value;
}

/** `announce: false`: progress brought back from elsewhere (the class's server), not a new pass. */
export function markPassed(lesson: string, exercise: string, options: { announce?: boolean } = {}): void {
  const progress = read();
  if (progress[lesson]?.[exercise]) return;
  if (options.announce !== false) emitExerciseEvent({ lesson, exercise, passed: true });
  const next: Progress = { ...progress, [lesson]: { ...progress[lesson], [exercise]: { passedAt: Date.now() } } };
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    cached = { raw: cached.raw, value: next };
  }
  for (const listener of listeners) listener();
}

/** What this browser has passed (the classroom sends it along when a student joins). */
export function readProgress(): Progress {
  return read();
}

export function useProgress(): Progress {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    // other tabs of the same browser
    window.addEventListener('storage', listener);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', listener);
    };
  }, read);
}
