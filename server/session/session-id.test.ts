import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  useSessionSecret,
  captureOwnerOf,
  CURL_TOKEN_TTL_MS,
  hasUnusableCurlToken,
  isSessionId,
  malformedSandboxHeader,
  newCurlToken,
  newSessionId,
  publicSandboxName,
  sandboxOf,
  SESSION_COOKIE,
  sessionOfCookies,
  sessionFromCookie,
  sessionOfCurlToken,
} from './session-id.ts';

describe('session ids', () => {
  it('makes ids that it recognises, different each time', () => {
    const a = newSessionId();
    const b = newSessionId();
    expect(isSessionId(a)).toBe(true);
    expect(a).not.toBe(b);
  });

  it('refuses ids it did not issue: random ones, and issued ones with a changed character', () => {
    const forged = randomBytes(33).toString('base64url').slice(0, 44);
    expect(isSessionId(forged)).toBe(false);
    expect(sessionFromCookie({ cookie: `wirelab_session=${forged}` })).toBeNull();
    expect(captureOwnerOf({ cookie: `wirelab_session=${forged}` })).toBeNull();
    expect(captureOwnerOf({ 'x-wirelab-sandbox': forged })).toBeNull();
    const issued = newSessionId();
    const tampered = issued.slice(0, 5) + (issued[5] === 'A' ? 'B' : 'A') + issued.slice(6);
    expect(isSessionId(tampered)).toBe(false);
    // the same 22 random characters with a tag of another id
    expect(isSessionId(issued.slice(0, 22) + newSessionId().slice(22))).toBe(false);
  });

  it('forgets the ids it verified when the secret changes: an id of the old secret is refused', () => {
    const id = newSessionId();
    expect(isSessionId(id)).toBe(true);
    expect(isSessionId(id)).toBe(true); // the second time from the ids already verified
    useSessionSecret(randomBytes(32));
    expect(isSessionId(id)).toBe(false);
    expect(isSessionId(newSessionId())).toBe(true);
  });

  it('picks the sandbox: header, then cookie, then shared', () => {
    const id = newSessionId();
    expect(sandboxOf({})).toBe('shared');
    expect(sandboxOf({ cookie: `other=1; wirelab_session=${id}` })).toBe(id);
    expect(sandboxOf({ cookie: `wirelab_session=${id}`, 'x-wirelab-sandbox': 'class-a' })).toBe('class-a');
    // the session plugin refuses such a request with a 400 before it gets this far
    expect(sandboxOf({ 'x-wirelab-sandbox': 'bad id!' })).toBe('shared');
  });

  it('tells a malformed sandbox header from a usable one, or from a curl token of the right shape', () => {
    expect(malformedSandboxHeader({})).toBeNull();
    expect(malformedSandboxHeader({ 'x-wirelab-sandbox': 'class-a' })).toBeNull();
    expect(malformedSandboxHeader({ 'x-wirelab-sandbox': newCurlToken(newSessionId()).token })).toBeNull();
    expect(malformedSandboxHeader({ 'x-wirelab-sandbox': '../etc' })).toBe('../etc');
    expect(malformedSandboxHeader({ 'x-wirelab-sandbox': '' })).toBe('');
    expect(malformedSandboxHeader({ 'x-wirelab-sandbox': 'a, b' })).toBe('a, b');
  });

  it('reads the session cookie among others, in any order (the @fastify/cookie parser)', () => {
    const id = newSessionId();
    expect(sessionFromCookie({ cookie: `a=1; ${SESSION_COOKIE}=${id}; b=2` })).toBe(id);
    expect(sessionFromCookie({ cookie: `${SESSION_COOKIE}=${id};other=${id}` })).toBe(id);
    expect(sessionFromCookie({ cookie: `x${SESSION_COOKIE}=${id}` })).toBeNull();
    expect(sessionOfCookies({ [SESSION_COOKIE]: id })).toBe(id);
    expect(sessionOfCookies({ [SESSION_COOKIE]: `${id}x` })).toBeNull();
    expect(sessionOfCookies(null)).toBeNull();
  });

  it('gives captures to the cookie session, or to a session named by the header', () => {
    const id = newSessionId();
    expect(captureOwnerOf({ cookie: `${SESSION_COOKIE}=${id}` })).toBe(id);
    expect(captureOwnerOf({ 'x-wirelab-sandbox': id })).toBe(id);
    expect(captureOwnerOf({ 'x-wirelab-sandbox': 'class-a' })).toBeNull();
    expect(captureOwnerOf({ cookie: 'wirelab_session=short' })).toBeNull();
  });
});

describe('curl tokens', () => {
  it('stand for their session in the sandbox header without containing its id', () => {
    const id = newSessionId();
    const { token, expiresAt } = newCurlToken(id);
    expect(token).not.toContain(id.slice(0, 22));
    expect(expiresAt).toBeGreaterThan(Date.now() + CURL_TOKEN_TTL_MS - 2000);
    expect(sandboxOf({ 'x-wirelab-sandbox': token })).toBe(id);
    expect(captureOwnerOf({ 'x-wirelab-sandbox': token })).toBe(id);
    expect(hasUnusableCurlToken({ 'x-wirelab-sandbox': token })).toBe(false);
  });

  it('are no session ids: a cookie holding one names no session', () => {
    const { token } = newCurlToken(newSessionId());
    expect(sessionFromCookie({ cookie: `wirelab_session=${token}` })).toBeNull();
    expect(sessionFromCookie({ cookie: `wirelab_session=${token.slice('curl.'.length)}` })).toBeNull();
  });

  it('stop working when they expire, or when a byte is changed', () => {
    const id = newSessionId();
    const issuedAt = Date.now();
    const { token } = newCurlToken(id, issuedAt);
    expect(sessionOfCurlToken(token, issuedAt + CURL_TOKEN_TTL_MS - 1000)).toBe(id);
    expect(sessionOfCurlToken(token, issuedAt + CURL_TOKEN_TTL_MS + 1000)).toBeNull();
    const tampered = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect(sessionOfCurlToken(tampered)).toBeNull();
    expect(hasUnusableCurlToken({ 'x-wirelab-sandbox': tampered })).toBe(true);
    // an unusable token names no sandbox: the session plugin answers 401 rather than work in `shared`
    expect(captureOwnerOf({ 'x-wirelab-sandbox': tampered })).toBeNull();
  });
});

describe('public sandbox names', () => {
  it("name a session's sandbox without its id, the same each time, and leave sandboxes named by people as they are", () => {
    const session = newSessionId();
    const name = publicSandboxName(session);
    expect(name).toMatch(/^room\.[A-Za-z0-9_-]{8}$/);
    expect(publicSandboxName(session)).toBe(name);
    expect(publicSandboxName(newSessionId())).not.toBe(name);
    for (let length = 6; length <= session.length; length += 1) expect(name).not.toContain(session.slice(0, length));
    expect(publicSandboxName('shared')).toBe('shared');
    expect(publicSandboxName('team-3')).toBe('team-3');
  });
});
