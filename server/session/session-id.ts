import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie';

export const SESSION_COOKIE = 'wirelab_session';
/** Lets a tool (curl, a gRPC client, a script) work in a chosen sandbox. */
export const SANDBOX_HEADER = 'x-wirelab-sandbox';
/** The sandbox of every client that names none. */
export const SHARED_SANDBOX = 'shared';

/** How long a "copy as curl" token works: a school day. */
export const CURL_TOKEN_TTL_MS = 8 * 3600_000;
/** Marks a curl token (a dot never appears in a sandbox name, so the two cannot be confused). */
const CURL_TOKEN_PREFIX = 'curl.';

const RANDOM_BYTES = 16;
const TAG_BYTES = 16;
/** 16 random bytes, then 16 bytes of their HMAC under the server's secret; base64url, 22 + 22 characters. */
const SESSION_ID_SHAPE = /^[A-Za-z0-9_-]{44}$/;
const SANDBOX_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CURL_TOKEN_SHAPE = /^curl\.[A-Za-z0-9_-]{64}$/;

interface Keys {
  /** signs session ids */
  sessions: Buffer;
  /** encrypts curl tokens (AES-256-GCM) */
  curlTokens: Buffer;
  /** names a session's sandbox where people can see it (publicSandboxName) */
  publicNames: Buffer;
}

function deriveKeys(secret: Buffer): Keys {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `wirelab ${purpose}`, 32));
  return { sessions: derive('session ids'), curlTokens: derive('curl tokens'), publicNames: derive('public sandbox names') };
}

// One secret per process: every module that reads a cookie checks it the same way. main.ts
// installs the one kept in DATA_DIR (ids survive a restart); tests run with a random one.
let keys = deriveKeys(randomBytes(32));

/** The server's secret (at least 32 bytes): ids signed under another secret are not accepted. */
export function useSessionSecret(secret: Buffer): void {
  if (secret.length < 32) throw new Error('the session secret must have at least 32 bytes');
  keys = deriveKeys(secret);
  verifiedIds.clear();
}

/**
 * Ids already verified under the current secret. A request reads its cookie several times (its
 * sandbox, the tap's owner, the session routes), and an HMAC each time was a tenth of a REST
 * read's CPU. Only ids that passed go in, so forged ones cannot fill it; bounded all the same.
 */
const verifiedIds = new Set<string>();
const VERIFIED_IDS_KEPT = 10_000;

function tagOf(random: Buffer): Buffer {
  return createHmac('sha256', keys.sessions).update(random).digest().subarray(0, TAG_BYTES);
}

/** A new session id, signed: the server accepts only ids it issued. */
export function newSessionId(): string {
  const random = randomBytes(RANDOM_BYTES);
  return random.toString('base64url') + tagOf(random).toString('base64url');
}

/** Was this id issued by this server (under its current secret)? */
export function isSessionId(value: string): boolean {
  if (verifiedIds.has(value)) return true;
  if (!SESSION_ID_SHAPE.test(value)) return false;
  const random = Buffer.from(value.slice(0, 22), 'base64url');
  const tag = Buffer.from(value.slice(22), 'base64url');
  // base64url of 16 bytes has spare bits in its last character: only the canonical spelling counts.
  if (random.toString('base64url') !== value.slice(0, 22) || tag.toString('base64url') !== value.slice(22)) return false;
  if (!timingSafeEqual(tag, tagOf(random))) return false;
  if (verifiedIds.size >= VERIFIED_IDS_KEPT) verifiedIds.clear();
  verifiedIds.add(value);
  return true;
}

/** Marks a sandbox's public name: no session id has a dot, so neither can pass for the other. */
const PUBLIC_NAME_PREFIX = 'room.';

/**
 * How a sandbox is named where people can read it (the WebSocket chat's room, the gRPC chat's
 * notice, anything a projector may show): a session's sandbox by a short keyed hash of its id, so
 * the name is the same for every connection of that session and on every instance that shares
 * the secret, yet gives nobody the id (which is the session's credential); a sandbox named by its
 * users (`shared`, `team-3`) by that name.
 */
export function publicSandboxName(sandbox: string): string {
  if (!isSessionId(sandbox)) return sandbox;
  return PUBLIC_NAME_PREFIX + createHmac('sha256', keys.publicNames).update(sandbox).digest().subarray(0, 6).toString('base64url');
}

export function isSandboxId(value: string): boolean {
  return SANDBOX_ID.test(value);
}

/** The session among a request's cookies (as @fastify/cookie parsed them): null when absent or not issued here. */
export function sessionOfCookies(cookies: Readonly<Record<string, string | undefined>> | null | undefined): string | null {
  const value = cookies?.[SESSION_COOKIE];
  return value !== undefined && isSessionId(value) ? value : null;
}

/**
 * The session of a request's Cookie header, for the requests that never reach a Fastify route
 * (the byte tap, WebSocket upgrades): read with the same parser as `request.cookies`.
 */
export function sessionFromCookie(headers: IncomingHttpHeaders): string | null {
  const header = headers.cookie;
  return header ? sessionOfCookies(fastifyCookie.parse(header)) : null;
}

/**
 * A token for "copy as curl": it works in the session's sandbox and is recorded in its
 * inspector, but it is not the session id, so it opens neither the capture channel nor anything
 * else that takes the cookie; it expires after CURL_TOKEN_TTL_MS.
 * AES-256-GCM of the id's random half and the expiry: the server gets the session back without
 * keeping a table, and the holder learns nothing of the id.
 */
export function newCurlToken(sessionId: string, nowMs = Date.now()): { token: string; expiresAt: number } {
  const expiresAt = Math.floor((nowMs + CURL_TOKEN_TTL_MS) / 1000);
  const plain = Buffer.alloc(RANDOM_BYTES + 4);
  Buffer.from(sessionId.slice(0, 22), 'base64url').copy(plain);
  plain.writeUInt32BE(expiresAt, RANDOM_BYTES);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.curlTokens, iv);
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { token: CURL_TOKEN_PREFIX + sealed.toString('base64url'), expiresAt: expiresAt * 1000 };
}

export function looksLikeCurlToken(value: string): boolean {
  return CURL_TOKEN_SHAPE.test(value);
}

/** The session a curl token stands for; null when it is forged, damaged or expired. */
export function sessionOfCurlToken(token: string, nowMs = Date.now()): string | null {
  if (!looksLikeCurlToken(token)) return null;
  const sealed = Buffer.from(token.slice(CURL_TOKEN_PREFIX.length), 'base64url');
  if (sealed.length !== 12 + RANDOM_BYTES + 4 + 16) return null;
  const decipher = createDecipheriv('aes-256-gcm', keys.curlTokens, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
  if (plain.readUInt32BE(RANDOM_BYTES) * 1000 <= nowMs) return null;
  const random = plain.subarray(0, RANDOM_BYTES);
  return random.toString('base64url') + tagOf(random).toString('base64url');
}

/**
 * What the sandbox header names: a sandbox (a session's own when it carries a valid curl token),
 * or null when it names nothing usable (absent, malformed, or an expired or forged token).
 */
function sandboxHeader(headers: IncomingHttpHeaders): { sandbox: string; session: string | null } | null {
  const value = headers[SANDBOX_HEADER];
  if (typeof value !== 'string') return null;
  if (looksLikeCurlToken(value)) {
    const session = sessionOfCurlToken(value);
    return session ? { sandbox: session, session } : null;
  }
  if (!isSandboxId(value)) return null;
  return { sandbox: value, session: isSessionId(value) ? value : null };
}

/** The request names a curl token that no longer works (expired, or not made by this server). */
export function hasUnusableCurlToken(headers: IncomingHttpHeaders): boolean {
  const value = headers[SANDBOX_HEADER];
  return typeof value === 'string' && looksLikeCurlToken(value) && sessionOfCurlToken(value) === null;
}

/**
 * The sandbox header's value when it names no sandbox at all (`../etc`, `bad id!`, two headers
 * joined by a comma): neither a sandbox name nor a curl token's shape. Null when absent or usable.
 */
export function malformedSandboxHeader(headers: IncomingHttpHeaders): string | null {
  const value = headers[SANDBOX_HEADER];
  if (value === undefined) return null;
  const text = Array.isArray(value) ? value.join(', ') : value;
  return isSandboxId(text) || looksLikeCurlToken(text) ? null : text;
}

/**
 * Whose captures a request's connection carries: the browser session of its cookie, or the
 * session a tool names with the sandbox header — by a curl token, or by the id itself (so a
 * student's curl shows up in their inspector). Only ids the server issued count.
 */
export function captureOwnerOf(headers: IncomingHttpHeaders): string | null {
  return sessionFromCookie(headers) ?? sandboxHeader(headers)?.session ?? null;
}

/** The sandbox a request works in: the header's, else the session's own, else the shared one. */
export function sandboxOf(headers: IncomingHttpHeaders): string {
  return sandboxHeader(headers)?.sandbox ?? sessionFromCookie(headers) ?? SHARED_SANDBOX;
}

/** How the session cookie is set (`reply.setCookie(SESSION_COOKIE, id, SESSION_COOKIE_OPTIONS)`). */
export const SESSION_COOKIE_OPTIONS: CookieSerializeOptions = {
  path: '/',
  httpOnly: true,
  sameSite: 'lax',
  // A year: a student's sandbox and progress outlive a browser restart.
  maxAge: 31_536_000,
};
