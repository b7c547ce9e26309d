import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'wirelab_session';
/** Lets a tool (curl, a gRPC client, a script) work in a chosen sandbox. */
export const SANDBOX_HEADER = 'x-wirelab-sandbox';
/** The sandbox of every client that names none. */
export const SHARED_SANDBOX = 'shared';

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;
const SANDBOX_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SESSION_COOKIE_VALUE = /(?:^|;\s*)wirelab_session=([A-Za-z0-9_-]{22})(?:;|$)/;

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

export function isSessionId(value: string): boolean {
  return SESSION_ID.test(value);
}

export function isSandboxId(value: string): boolean {
  return SANDBOX_ID.test(value);
}

export function sessionFromCookie(headers: IncomingHttpHeaders): string | null {
  const cookie = headers.cookie;
  if (!cookie) return null;
  return SESSION_COOKIE_VALUE.exec(cookie)?.[1] ?? null;
}

function sandboxHeader(headers: IncomingHttpHeaders): string | null {
  const value = headers[SANDBOX_HEADER];
  return typeof value === 'string' && isSandboxId(value) ? value : null;
}

/**
 * Whose captures a request's connection carries: the browser session of its cookie, or the
 * session a tool names with the sandbox header (so a student's curl shows up in their inspector).
 */
export function captureOwnerOf(headers: IncomingHttpHeaders): string | null {
  const cookieSession = sessionFromCookie(headers);
  if (cookieSession) return cookieSession;
  const named = sandboxHeader(headers);
  return named && isSessionId(named) ? named : null;
}

/** The sandbox a request works in: the header's, else the session's own, else the shared one. */
export function sandboxOf(headers: IncomingHttpHeaders): string {
  return sandboxHeader(headers) ?? sessionFromCookie(headers) ?? SHARED_SANDBOX;
}

export function sessionCookie(sessionId: string): string {
  // A year: a student's sandbox and progress outlive a browser restart.
  return `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`;
}
