import type { Bilingual } from '../../shared/bilingual.ts';
import http2 from 'node:http2';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECENT_EVENTS_KEPT } from '../../server/domain/index.ts';
import { startServer, type RunningServer } from './start-server.ts';

// Server-Sent Events at /api/v1/events against a real server, over HTTP/1.1 (fetch) and h2c
// (node:http2), with changes made through the REST API.

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const WAIT_MS = 5_000;

function sandbox(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/** One parsed block of the stream: its fields, comments included, in order. */
interface Block {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comments: string[];
}

function parseBlock(text: string): Block {
  const block: Block = { comments: [] };
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) block.comments.push(line.slice(1).trim());
    else {
      const colon = line.indexOf(':');
      const field = line.slice(0, colon) as 'id' | 'event' | 'data' | 'retry';
      const value = line.slice(colon + 1).replace(/^ /, '');
      block[field] = block[field] === undefined || field !== 'data' ? value : `${block[field]}\n${value}`;
    }
  }
  return block;
}

/** Reads a stream's body block by block (blocks end with an empty line). */
class BlockReader {
  private text = '';
  private readonly blocks: Block[] = [];
  private wake: (() => void) | null = null;
  ended = false;

  feed(chunk: string): void {
    this.text += chunk;
    let end: number;
    while ((end = this.text.indexOf('\n\n')) >= 0) {
      this.blocks.push(parseBlock(this.text.slice(0, end)));
      this.text = this.text.slice(end + 2);
    }
    this.wake?.();
  }

  finish(): void {
    this.ended = true;
    this.wake?.();
  }

  async block(index: number): Promise<Block> {
    const deadline = Date.now() + WAIT_MS;
    while (this.blocks.length <= index) {
      if (this.ended) throw new Error(`the stream ended before block ${index}`);
      if (Date.now() > deadline) throw new Error(`block ${index} did not arrive`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.blocks[index];
  }

  /** The first block from `from` on that is a domain event (has an id). */
  async nextEvent(from: number): Promise<{ index: number; block: Block }> {
    for (let index = from; ; index++) {
      const block = await this.block(index);
      if (block.event !== undefined) return { index, block };
    }
  }
}

interface OpenStream {
  response: Response;
  reader: BlockReader;
  close(): void;
}

async function openStream(box: string, options: { query?: string; headers?: Record<string, string>; origin?: string } = {}): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${options.origin ?? server.origin}/api/v1/events${options.query ?? ''}`, {
    headers: { accept: 'text/event-stream', 'x-wirelab-sandbox': box, ...options.headers },
    signal: controller.signal,
  });
  const reader = new BlockReader();
  if (response.ok && response.body) {
    const decoder = new TextDecoder();
    (async () => {
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) reader.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        // aborted by close()
      }
      reader.finish();
    })();
  }
  return { response, reader, close: () => controller.abort() };
}

async function createUser(box: string, name: string, origin = server.origin): Promise<{ id: number }> {
  const response = await fetch(`${origin}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': box },
    body: JSON.stringify({ name, email: `${name.toLowerCase().replace(/\W/g, '')}-${randomBytes(3).toString('hex')}@example.com` }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number };
}

describe('GET /api/v1/events', () => {
  it('streams the sandbox’s changes as named events with ids, after a retry', async () => {
    const box = sandbox('sse');
    const stream = await openStream(box);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-cache');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    // Not under the REST API's rate limit: a stream lives far longer than its window.
    expect(stream.response.headers.get('x-ratelimit-limit')).toBeNull();
    expect(await stream.reader.block(0)).toEqual({ retry: '3000', comments: [] });

    const user = await createUser(box, 'Mary Jackson');
    const { block } = await stream.reader.nextEvent(1);
    expect(block.event).toBe('user.created');
    expect(Number(block.id)).toBeGreaterThan(0);
    expect(JSON.parse(block.data!)).toMatchObject({ id: user.id, name: 'Mary Jackson' });
    stream.close();
  });

  it('does not mix sandboxes', async () => {
    const mine = sandbox('mine');
    const stream = await openStream(mine);
    await stream.reader.block(0);
    await createUser(sandbox('theirs'), 'Someone Else');
    await createUser(mine, 'Dorothy Vaughan');
    const { block } = await stream.reader.nextEvent(1);
    // Had the other sandbox's event reached this stream, it would have come first.
    expect(JSON.parse(block.data!).name).toBe('Dorothy Vaughan');
    stream.close();
  });

  it('resumes with Last-Event-ID: the events missed while away come first, none twice, then live ones', async () => {
    const box = sandbox('resume');
    const first = await openStream(box);
    await first.reader.block(0);
    await createUser(box, 'First User');
    const seen = (await first.reader.nextEvent(1)).block;
    first.close();

    const missed = [await createUser(box, 'Missed One'), await createUser(box, 'Missed Two')];
    const resumed = await openStream(box, { headers: { 'last-event-id': seen.id! } });
    expect(await resumed.reader.block(0)).toEqual({ retry: '3000', comments: [] });
    const one = await resumed.reader.nextEvent(1);
    const two = await resumed.reader.nextEvent(one.index + 1);
    expect([JSON.parse(one.block.data!).id, JSON.parse(two.block.data!).id]).toEqual(missed.map((u) => u.id));
    expect(Number(one.block.id)).toBeGreaterThan(Number(seen.id));
    expect(Number(two.block.id)).toBeGreaterThan(Number(one.block.id));

    const live = await createUser(box, 'Live One');
    const three = await resumed.reader.nextEvent(two.index + 1);
    expect(JSON.parse(three.block.data!).id).toBe(live.id);
    resumed.close();
  });

  it('takes lastEventId from the query when there is no header', async () => {
    const box = sandbox('query-resume');
    const stream = await openStream(box);
    await stream.reader.block(0);
    await createUser(box, 'Before');
    const seen = (await stream.reader.nextEvent(1)).block;
    stream.close();
    const after = await createUser(box, 'After');
    const resumed = await openStream(box, { query: `?lastEventId=${seen.id}` });
    expect(JSON.parse((await resumed.reader.nextEvent(1)).block.data!).id).toBe(after.id);
    resumed.close();
  });

  it('says so with a stream.gap event when the id is from before a restart', async () => {
    const box = sandbox('restart');
    const stream = await openStream(box, { headers: { 'last-event-id': '999999999999' } });
    const { block } = await stream.reader.nextEvent(1);
    expect(block.event).toBe('stream.gap');
    expect(block.id).toBeUndefined();
    const gap = JSON.parse(block.data!);
    expect(gap).toMatchObject({ reason: 'unknown-id', after: 999999999999 });
    expect(gap.message.en).toMatch(/never issued/);
    expect(gap.message.ru).toMatch(/не выдавал/);
    stream.close();
  });

  it('sends comment heartbeats when the stream is quiet (?heartbeat=1)', async () => {
    const stream = await openStream(sandbox('quiet'), { query: '?heartbeat=1' });
    expect(await stream.reader.block(1)).toEqual({ comments: ['keep-alive'] });
    stream.close();
  });

  it('works over h2c, resume included', async () => {
    const box = sandbox('h2');
    const before = await createUser(box, 'Before H2');
    const session = http2.connect(server.origin);
    try {
      const request = session.request({ ':path': '/api/v1/events', accept: 'text/event-stream', 'x-wirelab-sandbox': box, 'last-event-id': '0' });
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => request.once('response', resolve));
      expect(headers[':status']).toBe(200);
      expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(headers.connection).toBeUndefined();
      const reader = new BlockReader();
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => reader.feed(chunk));
      request.on('end', () => reader.finish());
      const replayed = await reader.nextEvent(1);
      expect(JSON.parse(replayed.block.data!).id).toBe(before.id);
      const live = await createUser(box, 'Live H2');
      expect(JSON.parse((await reader.nextEvent(replayed.index + 1)).block.data!).id).toBe(live.id);
      request.close();
    } finally {
      session.close();
    }
  });

  it('refuses bad input with problem+json in both languages', async () => {
    const box = sandbox('bad');
    const badHeartbeat = await openStream(box, { query: '?heartbeat=0' });
    expect(badHeartbeat.response.status).toBe(400);
    expect(badHeartbeat.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await badHeartbeat.response.json()) as { detail: string; localized: Bilingual };
    expect(problem.detail).toMatch(/heartbeat must be a whole number of seconds from 1 to 60/);
    expect(problem.localized.ru).toMatch(/heartbeat — целое число секунд от 1 до 60/);

    expect((await openStream(box, { headers: { 'last-event-id': 'abc' } })).response.status).toBe(400);
    expect((await openStream(box, { query: '?since=1' })).response.status).toBe(400);
    expect((await openStream(box, { headers: { accept: 'application/json' } })).response.status).toBe(406);
    const post = await fetch(`${server.origin}/api/v1/events`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('allows a limited number of open streams per session (or sandbox and address)', async () => {
    const box = sandbox('many');
    const streams = [];
    for (let i = 0; i < 6; i++) {
      const stream = await openStream(box);
      expect(stream.response.status).toBe(200);
      streams.push(stream);
    }
    const refused = await openStream(box);
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get('retry-after')).toBe('3');
    // A stream the client closes frees its slot as soon as the server sees the connection go.
    streams.shift()!.close();
    let next: OpenStream | undefined;
    await expect
      .poll(async () => {
        next = await openStream(box);
        return next.response.status;
      })
      .toBe(200);
    streams.push(next!);
    for (const stream of streams) stream.close();
  });
});

describe('the replay buffer', () => {
  it('reports a stream.gap when the id is older than the buffer, then replays what it keeps', async () => {
    const own = await startServer();
    try {
      const box = sandbox('overflow');
      const first = await createUser(box, 'Oldest', own.origin);
      const seen = own.app.domain.events.lastId;
      expect(first.id).toBeGreaterThan(0);
      // Another sandbox's burst past the buffer's size leaves this sandbox's buffer alone.
      for (let i = 0; i < RECENT_EVENTS_KEPT; i++) own.app.domain.users.create('elsewhere', { name: `Filler ${i}`, email: `filler${i}@example.com` });
      const untouched = await openStream(box, { origin: own.origin, headers: { 'last-event-id': String(seen - 1) } });
      const oldest = await untouched.reader.nextEvent(1);
      expect(oldest.block.event).toBe('user.created');
      expect(JSON.parse(oldest.block.data!).id).toBe(first.id);
      untouched.close();
      // The sandbox's own burst does push its oldest event out.
      for (let i = 0; i < RECENT_EVENTS_KEPT; i++) own.app.domain.users.create(box, { name: `Own ${i}`, email: `own${i}@example.com` });
      const kept = await createUser(box, 'Kept', own.origin);

      const stream = await openStream(box, { origin: own.origin, headers: { 'last-event-id': String(seen - 1) } });
      const gap = await stream.reader.nextEvent(1);
      expect(gap.block.event).toBe('stream.gap');
      expect(JSON.parse(gap.block.data!)).toMatchObject({ reason: 'too-old', after: seen - 1 });
      const replayed = await stream.reader.nextEvent(gap.index + 1);
      // The oldest kept is the sandbox's own event number (1 + RECENT_EVENTS_KEPT + 1) - RECENT_EVENTS_KEPT.
      expect(JSON.parse(replayed.block.data!).id).toBe(kept.id - RECENT_EVENTS_KEPT + 1);
      stream.close();

      // A client that saw the newest event misses nothing.
      const current = await openStream(box, { origin: own.origin, headers: { 'last-event-id': String(own.app.domain.events.lastId) } });
      expect(await current.reader.block(0)).toEqual({ retry: '3000', comments: [] });
      const live = await createUser(box, 'Live', own.origin);
      const next = await current.reader.nextEvent(1);
      expect(next.block.event).toBe('user.created');
      expect(JSON.parse(next.block.data!).id).toBe(live.id);
      current.close();
    } finally {
      await own.close();
    }
  });
});

describe('rate limit and shutdown', () => {
  it('opens streams for a session whose REST rate limit is used up', async () => {
    const own = await startServer({ rateLimit: { max: 1, timeWindowMs: 60_000 } });
    try {
      const box = sandbox('limited');
      await createUser(box, 'Only One', own.origin);
      const refused = await fetch(`${own.origin}/api/v1/users/1`, { headers: { 'x-wirelab-sandbox': box } });
      expect(refused.status).toBe(429);
      const stream = await openStream(box, { origin: own.origin });
      expect(stream.response.status).toBe(200);
      stream.close();
    } finally {
      await own.close();
    }
  });

  it('ends open streams with a last server.shutdown event when the server closes', async () => {
    const own = await startServer();
    const stream = await openStream(sandbox('bye'), { origin: own.origin });
    await stream.reader.block(0);
    await own.close();
    const last = await stream.reader.nextEvent(1);
    expect(last.block.event).toBe('server.shutdown');
    expect(last.block.retry).toBe('5000');
    expect(JSON.parse(last.block.data!).message.ru).toMatch(/Сервер выключается/);
    await expect.poll(() => stream.reader.ended).toBe(true);
  });
});
