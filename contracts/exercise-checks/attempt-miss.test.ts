import { describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../wire/types.ts';
import { attemptMissOf } from './attempt-miss.ts';

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
});
