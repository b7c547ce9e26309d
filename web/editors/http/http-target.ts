// Where a lesson's HTTP cells send their requests: Wirelab's own server (the page's origin, by
// fetch) or the student's own server (host:port), which Wirelab's server reaches for them
// (POST /_wirelab/own-server/http). Remembered in this browser, one choice for every HTTP cell:
// a student who switched to their server keeps working against it on every page, and every
// cell on the page follows a change at once.
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'wirelab.httpTarget';

export const DEFAULT_OWN_ADDRESS = '127.0.0.1:8000';

export interface HttpTarget {
  mode: 'wirelab' | 'mine';
  /** host:port of the student's server, kept while Wirelab's server is chosen too */
  address: string;
}

/** What `stored` says, every part missing or wrong replaced by the default (Wirelab's server). */
export function parseHttpTarget(stored: string | null): HttpTarget {
  let value: Partial<Record<keyof HttpTarget, unknown>> = {};
  try {
    value = (JSON.parse(stored ?? '{}') ?? {}) as typeof value;
  } catch {
    // an old or hand-edited value: the defaults
  }
  const mode = value.mode === 'mine' ? 'mine' : 'wirelab';
  const address = typeof value.address === 'string' && value.address.trim() !== '' ? value.address.slice(0, 300) : DEFAULT_OWN_ADDRESS;
  return { mode, address };
}

const listeners = new Set<() => void>();
let current: HttpTarget | null = null;

function read(): HttpTarget {
  if (current) return current;
  try {
    current = parseHttpTarget(localStorage.getItem(STORAGE_KEY));
  } catch {
    current = parseHttpTarget(null);
  }
  return current;
}

export function setHttpTarget(next: HttpTarget): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // private mode or a full storage: the choice still holds on this page
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current choice; every cell using it re-renders when any of them changes it. */
export function useHttpTarget(): HttpTarget {
  return useSyncExternalStore(subscribe, read, read);
}
