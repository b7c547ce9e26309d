import { describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../wire/types.ts';
import { ATTEMPT_ANSWER_MAX } from '../class-channel/messages.ts';
import { attemptMissOf, attemptRefOf, captureAttemptMissOf } from './attempt-miss.ts';
import { missReason } from './miss-reason.ts';

const exchange = (method: string, target: string, path: string, status?: number) =>
  ({
    conn: 'c1',
    index: 0,
    transport: 'http/1.1',
    request: { method, target, path },
    response: status === undefined ? undefined : { status },
  }) as unknown as HttpExchange;

describe('attemptMissOf', () => {
  it('names the request by method and path, never its query, with the status and what differed', () => {
    const miss = attemptMissOf({
      kind: 'response-differs',
      exchange: exchange('POST', '/api/v1/users?token=secret', '/api/v1/users', 400),
      difference: { what: 'status', got: 400, expected: [201] },
    });
    expect(miss).toEqual({ kind: 'response-differs', request: 'POST /api/v1/users', status: 400, differs: 'status' });
    expect(JSON.stringify(miss)).not.toContain('secret');
  });

  it('keeps only the kind when the miss is about no exchange, and drops a request line that is not method and path', () => {
    expect(attemptMissOf({ kind: 'no-answer' })).toEqual({ kind: 'no-answer' });
    expect(attemptMissOf({ kind: 'wrong-answer', exchange: exchange('OPTIONS', '*', '*', 204) })).toEqual({ kind: 'wrong-answer', status: 204 });
    expect(attemptMissOf({ kind: 'no-value', exchange: exchange('GET', '/x', '/x') })).toEqual({ kind: 'no-value', request: 'GET /x' });
  });

  it('makes a wrong answer about a capture file the answer itself, one line and clipped, in both languages', () => {
    const pick = attemptMissOf({ kind: 'wrong-pick', picked: 'message c1 h2-frame out 120' });
    expect(pick).toEqual({ kind: 'wrong-capture-answer', answer: 'message c1 h2-frame out 120' });
    expect(missReason(pick)).toEqual({
      en: 'a wrong answer about the capture: “message c1 h2-frame out 120”',
      ru: 'неверный ответ по записи: «message c1 h2-frame out 120»',
    });
    expect(attemptRefOf({ kind: 'wrong-pick', picked: 'message c1 h2-frame out 120' })).toBeNull();
    // a typed value over the capture: the answer, not the capture's exchange, which is no request of the student's
    expect(captureAttemptMissOf({ kind: 'wrong-answer', exchange: exchange('POST', '/a', '/a', 200) }, ' 5\n\u0007 ')).toEqual({
      kind: 'wrong-capture-answer',
      answer: '5',
    });
    expect(captureAttemptMissOf({ kind: 'wrong-pick', picked: 'x'.repeat(500) }, undefined)?.answer).toHaveLength(ATTEMPT_ANSWER_MAX);
    expect(captureAttemptMissOf({ kind: 'no-answer' }, undefined)).toBeNull();
    expect(captureAttemptMissOf({ kind: 'no-value', exchange: exchange('GET', '/x', '/x') }, '5')).toBeNull();
  });
});
