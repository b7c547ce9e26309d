// What one long poll's answer means for the loop (server/protocols/long-polling/README.md):
// 200 with `{ events, cursor, held_ms, more, gap? }`: events happened, ask again from `cursor`
// (`more`: the server has more at once; `gap`: events may have been lost);
// 204: the hold time ran out with nothing new, ask again from the same `since`;
// 503: the server is stopping (its held polls and new ones get it, with `Retry-After: 5`): ask
// again from the same `since` after that wait, so the loop comes back with the server;
// anything else stops the loop: a client that retries errors at once hammers a failing server.

export type PollAnswer =
  | { kind: 'events'; count: number; types: string[]; next: string; more: boolean; gap: boolean }
  | { kind: 'timeout'; next: string }
  | { kind: 'server-away'; retryAfterMs: number; next: string }
  | { kind: 'error'; status: number; detail: string };

/** Without `Retry-After` (Fastify's own 503 while it closes), the wait the long polling server names. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;
/** A `Retry-After` beyond this is not waited out in a lesson: the loop asks again by then. */
const MAX_RETRY_AFTER_MS = 30_000;

/** `Retry-After` in seconds (RFC 9110 §10.2.3; the HTTP-date form is not used here), within 1–30 s. */
export function retryAfterMs(header: string | null): number {
  const seconds = header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : Number.NaN;
  return Number.isFinite(seconds) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(1_000, seconds * 1000)) : DEFAULT_RETRY_AFTER_MS;
}

export function readPollAnswer(status: number, body: string, since: string, retryAfter: string | null = null): PollAnswer {
  if (status === 204) return { kind: 'timeout', next: since };
  if (status === 503) return { kind: 'server-away', retryAfterMs: retryAfterMs(retryAfter), next: since };
  if (status !== 200) return { kind: 'error', status, detail: problemTitle(body) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'error', status, detail: 'the body is not JSON' };
  }
  const record = (parsed ?? {}) as { events?: unknown; cursor?: unknown };
  if (!Array.isArray(record.events) || (typeof record.cursor !== 'string' && typeof record.cursor !== 'number')) {
    return { kind: 'error', status, detail: 'the body has no events list and cursor' };
  }
  const types = record.events.map((event) => String((event as { type?: unknown })?.type ?? '?'));
  const extra = parsed as { more?: unknown; gap?: unknown };
  return {
    kind: 'events',
    count: record.events.length,
    types,
    next: String(record.cursor),
    more: extra.more === true,
    gap: extra.gap !== undefined && extra.gap !== null,
  };
}

function problemTitle(body: string): string {
  try {
    const problem = JSON.parse(body) as { title?: unknown; detail?: unknown };
    return [problem.title, problem.detail].filter((part) => typeof part === 'string').join(': ') || body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}

/** The poll URL for a cursor: the cell's path with `since`, and `timeout` (the hold, in seconds) when chosen. */
export function pollTarget(path: string, since: string, holdSeconds = ''): string {
  const hold = holdSeconds.trim();
  return `${path}?since=${encodeURIComponent(since)}${hold === '' ? '' : `&timeout=${encodeURIComponent(hold)}`}`;
}
