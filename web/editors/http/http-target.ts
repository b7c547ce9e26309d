// Where a lesson's HTTP cells send their requests: Wirelab's own server (the page's origin, by
// fetch) or the student's own server (host:port), which Wirelab's server reaches for them
// (POST /_wirelab/own-server/http). Remembered in this browser, one choice for every HTTP cell:
// a student who switched to their server keeps working against it on every page, and every
// cell on the page follows a change at once.
import { storedJson } from '../../app/stored-json.ts';

const STORAGE_KEY = 'wirelab.httpTarget';

export const DEFAULT_OWN_ADDRESS = '127.0.0.1:8000';

export interface HttpTarget {
  mode: 'wirelab' | 'mine';
  /** host:port of the student's server, kept while Wirelab's server is chosen too */
  address: string;
}

/** What the stored value says, every part missing or wrong replaced by the default (Wirelab's server). */
function httpTargetOf(stored: unknown): HttpTarget {
  const value = (stored && typeof stored === 'object' ? stored : {}) as Partial<Record<keyof HttpTarget, unknown>>;
  const mode = value.mode === 'mine' ? 'mine' : 'wirelab';
  const address = typeof value.address === 'string' && value.address.trim() !== '' ? value.address.slice(0, 300) : DEFAULT_OWN_ADDRESS;
  return { mode, address };
}

/** What the stored text says (an old or hand-edited value: the defaults). */
export function parseHttpTarget(stored: string | null): HttpTarget {
  try {
    return httpTargetOf(JSON.parse(stored ?? '{}'));
  } catch {
    return httpTargetOf(null);
  }
}

const store = storedJson(STORAGE_KEY, httpTargetOf);

export function setHttpTarget(next: HttpTarget): void {
  store.write(next);
}

/** The current choice; every cell using it re-renders when any of them changes it. */
export function useHttpTarget(): HttpTarget {
  return store.use();
}
