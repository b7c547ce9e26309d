import { useSyncExternalStore } from 'react';
import { estimateClockOffset } from './clock.ts';

/** `GET /_wirelab/session` */
export interface SessionInfo {
  /** the sandbox's public name (`room.` and a short hash): never the session id, which only the HttpOnly cookie holds */
  name: string;
  recording: boolean;
  /** For "copy as curl": works in this sandbox and inspector, but is not the session id; expires. */
  curlToken: string;
  /** ms since the epoch */
  curlTokenExpiresAt: number;
}

export type SessionState = { status: 'loading' } | { status: 'ready'; info: SessionInfo } | { status: 'failed'; message: string };

let state: SessionState = { status: 'loading' };
let ready: Promise<SessionInfo> | null = null;
let clockOffset = 0;
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Asks the server for this browser's session (which sets the cookie); again after a failure. */
export function bootSession(): Promise<SessionInfo> {
  if (ready && state.status !== 'failed') return ready;
  setState({ status: 'loading' });
  ready = fetchSession().then(
    (info) => {
      setState({ status: 'ready', info });
      return info;
    },
    (error: unknown) => {
      setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
      throw error;
    },
  );
  ready.catch(() => {});
  return ready;
}

/** Resolves once the session cookie exists: nothing may be sent before. */
export function sessionReady(): Promise<SessionInfo> {
  return bootSession();
}

async function fetchSession(): Promise<SessionInfo> {
  const sentAt = Date.now();
  const response = await fetch('/_wirelab/session', { cache: 'no-store', credentials: 'same-origin' });
  const receivedAt = Date.now();
  if (!response.ok) throw new Error(`GET /_wirelab/session → ${response.status}`);
  clockOffset = estimateClockOffset(response.headers.get('date'), sentAt, receivedAt);
  return (await response.json()) as SessionInfo;
}

/**
 * A capture timestamp (server clock) that is surely not later than the moment of the call:
 * what "captured after now" compares against.
 */
export function captureTimeNow(): number {
  return clockOffset === 0 ? Date.now() : Date.now() + clockOffset - 1000;
}

/**
 * A curl token good for a while yet: the one of the session, or a fresh one when it is about to
 * expire (a page left open since the morning).
 */
export async function freshCurlToken(): Promise<string> {
  const info = await sessionReady();
  if (info.curlTokenExpiresAt - Date.now() > 10 * 60_000) return info.curlToken;
  const renewed = await fetchSession();
  setState({ status: 'ready', info: renewed });
  ready = Promise.resolve(renewed);
  return renewed.curlToken;
}

export async function resetSandbox(): Promise<void> {
  await sessionReady();
  const response = await fetch('/_wirelab/session/reset', { method: 'POST', credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error(`POST /_wirelab/session/reset → ${response.status}`);
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
    // rendered to a string (the editors' unit tests): the same state, still loading
    () => state,
  );
}
