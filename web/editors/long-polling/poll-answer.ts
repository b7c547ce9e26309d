// What one long poll's answer means for the loop (server/protocols/long-polling/README.md):
// 200 with `{ events, cursor, held_ms, more, gap? }`: events happened, ask again from `cursor`
// (`more`: the server has more at once; `gap`: events may have been lost);
// 204: the hold time ran out with nothing new, ask again from the same `since`;
// anything else stops the loop: a client that retries errors at once hammers a failing server.

export type PollAnswer =
  | { kind: 'events'; count: number; types: string[]; next: string; more: boolean; gap: boolean }
  | { kind: 'timeout'; next: string }
  | { kind: 'error'; status: number; detail: string };

export function readPollAnswer(status: number, body: string, since: string): PollAnswer {
  if (status === 204) return { kind: 'timeout', next: since };
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
