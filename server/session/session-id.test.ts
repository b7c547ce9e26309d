import { describe, expect, it } from 'vitest';
import { captureOwnerOf, isSessionId, newSessionId, sandboxOf, sessionCookie } from './session-id.ts';

describe('session ids', () => {
  it('makes ids that it recognises, different each time', () => {
    const a = newSessionId();
    const b = newSessionId();
    expect(isSessionId(a)).toBe(true);
    expect(a).not.toBe(b);
  });

  it('picks the sandbox: header, then cookie, then shared', () => {
    const id = newSessionId();
    expect(sandboxOf({})).toBe('shared');
    expect(sandboxOf({ cookie: `other=1; wirelab_session=${id}` })).toBe(id);
    expect(sandboxOf({ cookie: `wirelab_session=${id}`, 'x-wirelab-sandbox': 'class-a' })).toBe('class-a');
    expect(sandboxOf({ 'x-wirelab-sandbox': 'bad id!' })).toBe('shared');
  });

  it('gives captures to the cookie session, or to a session named by the header', () => {
    const id = newSessionId();
    expect(captureOwnerOf({ cookie: sessionCookie(id).split(';')[0] })).toBe(id);
    expect(captureOwnerOf({ 'x-wirelab-sandbox': id })).toBe(id);
    expect(captureOwnerOf({ 'x-wirelab-sandbox': 'class-a' })).toBeNull();
    expect(captureOwnerOf({ cookie: 'wirelab_session=short' })).toBeNull();
  });
});
