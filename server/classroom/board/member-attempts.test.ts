import { describe, expect, it } from 'vitest';
import { attemptMissOf } from './member-attempts.ts';

describe('attemptMissOf (what a progress report may say about its miss)', () => {
  it('takes no details as none, and keeps only the members the contract names', () => {
    expect(attemptMissOf(undefined)).toBeNull();
    expect(attemptMissOf(null)).toBeNull();
    expect(attemptMissOf({ kind: 'response-differs', request: 'DELETE /api/v1/users/7', status: 404, differs: 'status', cookie: 'sid=1' })).toEqual({
      kind: 'response-differs',
      request: 'DELETE /api/v1/users/7',
      status: 404,
      differs: 'status',
    });
  });

  it('keeps the answer of a wrong answer about a capture file, and of nothing else', () => {
    expect(attemptMissOf({ kind: 'wrong-capture-answer', answer: 'message c1 h2-frame out 120' })).toEqual({
      kind: 'wrong-capture-answer',
      answer: 'message c1 h2-frame out 120',
    });
  });

  it('refuses a query or fragment (a token may be in one), a long or odd request line, an unknown verdict', () => {
    for (const bad of [
      { kind: 'no-request', request: 'GET /a?token=1' },
      { kind: 'no-request', request: 'GET /a#x' },
      { kind: 'no-request', request: 'get /a' },
      { kind: 'no-request', request: 'GET a' },
      { kind: 'no-request', request: `GET /${'a'.repeat(200)}` },
      { kind: 'no-request', status: 99 },
      { kind: 'no-request', differs: 'mood' },
      { kind: 'maybe' },
      { kind: 'wrong-answer', answer: '5' },
      { kind: 'wrong-capture-answer', answer: 5 },
      { kind: 'wrong-capture-answer', answer: 'x'.repeat(201) },
      'no-request',
      [],
    ]) {
      expect(attemptMissOf(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
