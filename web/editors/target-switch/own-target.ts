// Where a lesson's cells and consoles talk to: Wirelab's own server (the page's origin) or the
// student's own server (host:port), which Wirelab's server reaches for them through the guard
// and the byte tap (server/own-server/README.md). Remembered in this browser, ONE choice for every
// cell and console: a student who switched to their server keeps working against it on every
// page, and everything on the page follows a change at once. The storage key is the one the HTTP
// cells used before the choice was shared, so a choice made then is still the choice.
import { storedJson } from '../../kit/stored-json.ts';

const STORAGE_KEY = 'wirelab.httpTarget';

export const DEFAULT_OWN_ADDRESS = '127.0.0.1:8000';

export interface OwnTarget {
  mode: 'wirelab' | 'mine';
  /** host:port of the student's server, kept while Wirelab's server is chosen too */
  address: string;
}

/** What the stored value says, every part missing or wrong replaced by the default (Wirelab's server). */
function ownTargetOf(stored: unknown): OwnTarget {
  const value = (stored && typeof stored === 'object' ? stored : {}) as Partial<Record<keyof OwnTarget, unknown>>;
  const mode = value.mode === 'mine' ? 'mine' : 'wirelab';
  const address = typeof value.address === 'string' && value.address.trim() !== '' ? value.address.slice(0, 300) : DEFAULT_OWN_ADDRESS;
  return { mode, address };
}

/** What the stored text says (an old or hand-edited value: the defaults). */
export function parseOwnTarget(stored: string | null): OwnTarget {
  try {
    return ownTargetOf(JSON.parse(stored ?? '{}'));
  } catch {
    return ownTargetOf(null);
  }
}

const store = storedJson(STORAGE_KEY, ownTargetOf);

export function setOwnTarget(next: OwnTarget): void {
  store.write(next);
}

/** The current choice without following it (an event handler's read). */
export function readOwnTarget(): OwnTarget {
  return store.read();
}

/** The current choice; every component using it re-renders when any of them changes it. */
export function useOwnTarget(): OwnTarget {
  return store.use();
}
