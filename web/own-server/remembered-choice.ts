// The protocol and host:port a student last checked, remembered in this browser: they come back
// to the same server after every change they make to it.
import { CHECKED_PROTOCOLS, type CheckedProtocol } from '../../contracts/own-server/check-result.ts';

const STORAGE_KEY = 'wirelab.ownServer';

export const DEFAULT_TARGET = '127.0.0.1:8000';

export interface Choice {
  protocol: CheckedProtocol;
  target: string;
}

/** What `stored` (this key's value, or null) says, every part that is missing or wrong replaced by the default. */
export function parseChoice(stored: string | null): Choice {
  let value: Partial<Record<keyof Choice, unknown>> = {};
  try {
    value = (JSON.parse(stored ?? '{}') ?? {}) as typeof value;
  } catch {
    // an old or hand-edited value: the defaults
  }
  const protocol = CHECKED_PROTOCOLS.find((known) => known === value.protocol) ?? 'rest';
  const target = typeof value.target === 'string' && value.target.trim() !== '' ? value.target.slice(0, 300) : DEFAULT_TARGET;
  return { protocol, target };
}

export function rememberedChoice(): Choice {
  try {
    return parseChoice(localStorage.getItem(STORAGE_KEY));
  } catch {
    return parseChoice(null);
  }
}

export function rememberChoice(choice: Choice): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // private mode or a full storage: the choice still applies to this page
  }
}
