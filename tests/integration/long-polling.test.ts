import type { Bilingual } from '../../shared/bilingual.ts';
import http2 from 'node:http2';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_ANSWER } from '../../server/protocols/long-polling/limits.ts';
import { startServer, type RunningServer } from './start-server.ts';

// Long polling at /api/v1/poll against a real server: held requests answered by REST changes,
// timeouts, and a cursor that neither loses nor repeats an event.

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

function sandbox(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

interface PollResult {
  status: number;
  headers: Headers;
  body: {
    events: Array<{ id: number; type: string; data: { id: number; name?: string } }>;
    cursor: number;
    held_ms: number;
    more: boolean;
    gap?: { reason: string };
  } | null;
}

async function poll(box: string, query: string, origin = server.origin, signal?: AbortSignal): Promise<PollResult> {
  const response = await fetch(`${origin}/api/v1/poll${query}`, {
    headers: { accept: 'application/json', 'x-wirelab-sandbox': box },
    ...(signal ? { signal } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

async function createUser(box: string, name: string, origin = server.origin): Promise<{ id: number }> {
  const response = await fetch(`${origin}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': box },
    body: JSON.stringify({ name, email: `${randomBytes(5).toString('hex')}@example.com` }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number };
}

/** Waits until the server holds this many polls (all sandboxes). */
async function heldPolls(count: number, app = server.app): Promise<void> {
  await expect.poll(() => app.heldPolls(), { timeout: 5_000 }).toBe(count);
}

describe('GET /api/v1/poll', () => {
  it('holds a poll until a REST change, then answers with the event, the cursor and the hold time', async () => {
    const box = sandbox('held');
    const cursor = server.app.domain.events.lastId;
    const waiting = poll(box, `?since=${cursor}`);
    await heldPolls(1);
    const user = await createUser(box, 'Dorothy Vaughan');
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('server-timing')).toMatch(/^hold;dur=\d+;desc="held by the server"$/);
    // Not under the REST API's rate limit: a held poll would eat a request of its window.
    expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
    expect(answer.body!.events).toHaveLength(1);
    expect(answer.body!.events[0]).toMatchObject({ type: 'user.created', data: { id: user.id, name: 'Dorothy Vaughan' } });
    expect(answer.body!.cursor).toBe(answer.body!.events[0].id);
    expect(answer.body!.held_ms).toBeGreaterThanOrEqual(0);
    expect(answer.body!.more).toBe(false);
    await heldPolls(0);
  });

  it('answers 204 when the hold time runs out, and another sandbox’s change does not answer it', async () => {
    const box = sandbox('timeout');
    const waiting = poll(box, `?since=${server.app.domain.events.lastId}&timeout=1`);
    await heldPolls(1);
    await createUser(sandbox('someone-else'), 'Not Mine');
    const answer = await waiting;
    expect(answer.status).toBe(204);
    expect(answer.body).toBeNull();
    expect(answer.headers.get('server-timing')).toMatch(/^hold;dur=\d+/);
  });

  it('answers at once with timeout=0 (short polling)', async () => {
    const answer = await poll(sandbox('short'), `?since=${server.app.domain.events.lastId}&timeout=0`);
    expect(answer.status).toBe(204);
  });

  it('since=now answers at once with the current cursor and no replay; the next poll gets only what came after', async () => {
    const box = sandbox('now');
    await createUser(box, 'Before');
    const now = await poll(box, '?since=now');
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ events: [], cursor: server.app.domain.events.lastId, more: false });
    const waiting = poll(box, `?since=${now.body!.cursor}`);
    await heldPolls(1);
    const after = await createUser(box, 'After');
    expect((await waiting).body!.events.map((e) => e.data.id)).toEqual([after.id]);
  });

  it('loses and repeats nothing across polls, whatever happens between them', async () => {
    const box = sandbox('cursor');
    const created: number[] = [];
    created.push((await createUser(box, 'One')).id);

    const delivered: number[] = [];
    const first = await poll(box, '?since=0');
    expect(first.status).toBe(200);
    delivered.push(...first.body!.events.map((e) => e.data.id));

    // Between two polls: the next poll gets both at once.
    created.push((await createUser(box, 'Two')).id, (await createUser(box, 'Three')).id);
    const second = await poll(box, `?since=${first.body!.cursor}`);
    expect(second.body!.events.map((e) => e.type)).toEqual(['user.created', 'user.created']);
    delivered.push(...second.body!.events.map((e) => e.data.id));

    // During a poll.
    const waiting = poll(box, `?since=${second.body!.cursor}`);
    await heldPolls(1);
    created.push((await createUser(box, 'Four')).id);
    const third = await waiting;
    delivered.push(...third.body!.events.map((e) => e.data.id));

    expect(delivered).toEqual(created);
    const ids = [...first.body!.events, ...second.body!.events, ...third.body!.events].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // A dropped poll (the client went away) is forgotten; asking again with the same cursor loses nothing.
    const controller = new AbortController();
    const dropped = poll(box, `?since=${third.body!.cursor}`, server.origin, controller.signal).catch((error: Error) => error);
    await heldPolls(1);
    controller.abort();
    expect(await dropped).toBeInstanceOf(Error);
    await heldPolls(0);
    const five = await createUser(box, 'Five');
    const again = await poll(box, `?since=${third.body!.cursor}`);
    expect(again.body!.events.map((e) => e.data.id)).toEqual([five.id]);
  });

  it(`answers at most ${MAX_EVENTS_PER_ANSWER} events at a time and says there are more`, async () => {
    const box = sandbox('many');
    const since = server.app.domain.events.lastId;
    for (let i = 0; i < MAX_EVENTS_PER_ANSWER + 20; i++) server.app.domain.users.create(box, { name: `User ${i}`, email: `u${i}@example.com` });
    const first = await poll(box, `?since=${since}`);
    expect(first.body!.events).toHaveLength(MAX_EVENTS_PER_ANSWER);
    expect(first.body!.more).toBe(true);
    const second = await poll(box, `?since=${first.body!.cursor}`);
    expect(second.body!.events).toHaveLength(20);
    expect(second.body!.more).toBe(false);
    expect(second.body!.events[0].id).toBeGreaterThan(first.body!.cursor);
  });

  it('answers a cursor this server never issued at once, with a gap', async () => {
    const answer = await poll(sandbox('restart'), '?since=999999999999');
    expect(answer.status).toBe(200);
    expect(answer.body!.gap).toMatchObject({ reason: 'unknown-id' });
    expect(answer.body!.cursor).toBe(999999999999);
  });

  it('works over h2c', async () => {
    const box = sandbox('h2');
    const since = server.app.domain.events.lastId;
    const user = await createUser(box, 'Over H2');
    const session = http2.connect(server.origin);
    try {
      const request = session.request({ ':path': `/api/v1/poll?since=${since}`, 'x-wirelab-sandbox': box });
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => request.once('response', resolve));
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      await new Promise((resolve) => request.once('end', resolve));
      expect(headers[':status']).toBe(200);
      expect(JSON.parse(text).events[0].data.id).toBe(user.id);
    } finally {
      session.close();
    }
  });

  it('refuses bad input with problem+json in both languages', async () => {
    const box = sandbox('bad');
    const missing = await poll(box, '');
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = missing.body as unknown as { type: string; localized: Bilingual };
    expect(problem.type).toBe('https://wirelab.dev/problems/bad-cursor');
    expect(problem.localized.en).toMatch(/^since must be a cursor/);
    expect(problem.localized.ru).toMatch(/^since — это курсор/);
    expect((await poll(box, '?since=abc')).status).toBe(400);
    expect((await poll(box, '?since=0&timeout=31')).status).toBe(400);
    expect((await poll(box, '?since=0&wait=5')).status).toBe(400);
    const html = await fetch(`${server.origin}/api/v1/poll?since=0`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(406);
    const post = await fetch(`${server.origin}/api/v1/poll?since=0`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('holds a limited number of polls per session (or sandbox and address)', async () => {
    const box = sandbox('quota');
    const since = server.app.domain.events.lastId;
    const waiting = Array.from({ length: 6 }, () => poll(box, `?since=${since}&timeout=30`));
    await heldPolls(6);
    const refused = await poll(box, `?since=${since}`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    // One change answers every waiting poll of the sandbox.
    await createUser(box, 'Wakes Everyone');
    for (const answer of await Promise.all(waiting)) expect(answer.body!.events[0].type).toBe('user.created');
    await heldPolls(0);
  });
});

describe('shutdown', () => {
  it('answers held polls with 503 and Retry-After when the server closes', async () => {
    const own = await startServer();
    const waiting = poll(sandbox('bye'), `?since=${own.app.domain.events.lastId}&timeout=30`, own.origin);
    await heldPolls(1, own.app);
    await own.close();
    const answer = await waiting;
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
  });
});
