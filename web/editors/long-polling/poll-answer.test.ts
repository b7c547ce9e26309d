import { describe, expect, it } from 'vitest';
import { pollTarget, readPollAnswer, retryAfterMs } from './poll-answer.ts';
import { longPollConsoleStrings } from './strings.ts';

describe('a long poll’s answer', () => {
  it('200 with events moves the cursor on', () => {
    const body = JSON.stringify({
      events: [
        { id: 8, type: 'user.created' },
        { id: 9, type: 'user.updated' },
      ],
      cursor: '9',
    });
    expect(readPollAnswer(200, body, '7')).toEqual({ kind: 'events', count: 2, types: ['user.created', 'user.updated'], next: '9', more: false, gap: false });
    // the server's own shape: a number cursor, the hold, "more" and a gap after a lost stretch
    const answer = JSON.stringify({ events: [], cursor: 12, held_ms: 0, more: true, gap: { from: 3 } });
    expect(readPollAnswer(200, answer, '1')).toMatchObject({ next: '12', more: true, gap: true });
  });

  it('204 keeps the cursor: nothing happened during the hold', () => {
    expect(readPollAnswer(204, '', '7')).toEqual({ kind: 'timeout', next: '7' });
  });

  it('503 is the server stopping: ask again from the same since after its Retry-After', () => {
    const problem = JSON.stringify({ title: 'Service Unavailable', detail: 'The server is shutting down' });
    expect(readPollAnswer(503, problem, '7', '5')).toEqual({ kind: 'server-away', retryAfterMs: 5000, next: '7' });
    // Fastify's own 503 while it closes has no Retry-After: the long polling server's 5 s
    expect(readPollAnswer(503, '{"error":"Service Unavailable"}', '7')).toEqual({ kind: 'server-away', retryAfterMs: 5000, next: '7' });
    expect([retryAfterMs('0'), retryAfterMs(' 12 '), retryAfterMs('3600'), retryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT')]).toEqual([
      1000, 12_000, 30_000, 5000,
    ]);
    expect(longPollConsoleStrings.ru.serverAway(5)).toBe('503: сервер остановлен или перезапускается — спросим снова через 5 с (Retry-After), с тем же since');
    expect(longPollConsoleStrings.en.notBack(5, 'Failed to fetch')).toMatch(/^the server is not back yet \(.+\) — asking again in 5 s, with the same since$/);
  });

  it('anything else stops the loop with the server’s own explanation', () => {
    const problem = JSON.stringify({ type: 'about:blank', title: 'Bad Request', detail: 'since must be a number' });
    expect(readPollAnswer(400, problem, 'x')).toEqual({ kind: 'error', status: 400, detail: 'Bad Request: since must be a number' });
    expect(readPollAnswer(200, '<html>', '1')).toMatchObject({ kind: 'error', detail: 'the body is not JSON' });
    expect(readPollAnswer(200, '{"items":[]}', '1')).toMatchObject({ kind: 'error' });
  });

  it('puts the cursor in the query, encoded', () => {
    expect(pollTarget('/api/v1/poll', '42')).toBe('/api/v1/poll?since=42');
    expect(pollTarget('/api/v1/poll', 'a b')).toBe('/api/v1/poll?since=a%20b');
    expect(pollTarget('/api/v1/poll', '42', ' 3 ')).toBe('/api/v1/poll?since=42&timeout=3');
  });
});
