import { randomBytes } from 'node:crypto';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserService, type ChatRequest } from '../../proto/gen/wirelab/users/v1/users_pb.ts';
import { CHAT_SUBPROTOCOL } from '../../server/protocols/websocket/index.ts';
import { SseStreamReader } from '../../wire/sse/sse-stream-reader.ts';
import { startRedisServer, type RunningRedis } from './redis-server.ts';
import { startServer, type RunningServer } from './start-server.ts';

// Two instances on one Redis (server/scale/README.md): what a client of instance B sees of
// changes made on instance A, over every protocol that streams the domain's events.

const KEY_PREFIX = `scale-out-events-${randomBytes(3).toString('hex')}:`;
const WAIT = { timeout: 5000 };

let redis: RunningRedis;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  redis = await startRedisServer();
  a = await startServer({ scale: { redisUrl: redis.url, keyPrefix: KEY_PREFIX, instanceId: 'a' } });
  b = await startServer({ scale: { redisUrl: redis.url, keyPrefix: KEY_PREFIX, instanceId: 'b' } });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
});

/** A browser session issued by instance A; its signature holds on B too (one secret, as in a deployment). */
async function newSession(): Promise<{ session: string; cookie: string }> {
  const response = await fetch(`${a.origin}/_wirelab/session`);
  const session = /wirelab_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1];
  return { session, cookie: `wirelab_session=${session}` };
}

async function createUser(server: RunningServer, cookie: string, name: string): Promise<{ id: number; name: string }> {
  const response = await fetch(`${server.origin}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.com` }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; name: string };
}

interface SseEvent {
  id: number;
  type: string;
  data: { id: number; name?: string };
}

/** An open SSE stream, its domain events parsed as they arrive (and any stream.gap). */
async function openEvents(server: RunningServer, cookie: string, lastEventId?: number) {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', cookie };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const response = await fetch(`${server.origin}/api/v1/events`, { headers, signal: controller.signal });
  expect(response.status).toBe(200);
  const events: SseEvent[] = [];
  const gaps: unknown[] = [];
  void (async () => {
    // read with wire/sse's stream reader: what this test checks is which events reach which instance
    const sse = new SseStreamReader();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const block of sse.push(chunk)) {
          if (!block.dispatched) continue;
          if (block.type === 'stream.gap') gaps.push(JSON.parse(block.data!));
          else if (block.id !== undefined)
            events.push({ id: Number(block.id), type: block.type!, data: JSON.parse(block.data!).data ?? JSON.parse(block.data!) });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, gaps, close: () => controller.abort() };
}

/** A `ws` client that keeps every JSON message. */
async function openSocket(url: string, protocol: string, cookie: string) {
  const socket = new WebSocket(url, protocol, { headers: { cookie } });
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  return { socket, messages, send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)) };
}

/** A request stream the test pushes into. */
class Outbox<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      while (this.items.length > 0) yield this.items.shift()!;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

describe('two instances on Redis: the domain events', () => {
  it('a user created over REST on A reaches SSE, long polling, the WebSocket chat, a GraphQL subscription and a gRPC stream on B', async () => {
    const { session, cookie } = await newSession();

    const sseOnA = await openEvents(a, cookie);
    const sseOnB = await openEvents(b, cookie);

    const pollAnswer = fetch(`${b.origin}/api/v1/poll?since=${b.app.domain.events.lastId}&timeout=30`, { headers: { cookie } });
    await expect.poll(() => b.app.heldPolls(), WAIT).toBe(1);

    const chatOnB = await openSocket(`ws://127.0.0.1:${b.port}/ws/chat`, CHAT_SUBPROTOCOL, cookie);
    await expect.poll(() => chatOnB.messages.map((m) => m.type), WAIT).toContain('welcome');

    const graphqlOnB = await openSocket(`ws://127.0.0.1:${b.port}/graphql`, 'graphql-transport-ws', cookie);
    graphqlOnB.send({ type: 'connection_init' });
    await expect.poll(() => graphqlOnB.messages.map((m) => m.type), WAIT).toContain('connection_ack');
    graphqlOnB.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { userChanged { kind id user { name } } }' } });
    await expect.poll(() => b.app.graphqlSubscriptions.live, WAIT).toBe(1);

    const grpcOnB = createClient(UserService, createGrpcTransport({ baseUrl: b.origin }));
    const outgoing = new Outbox<ChatRequest>();
    const grpcResponses = grpcOnB.chat(outgoing, { headers: { cookie } })[Symbol.asyncIterator]();
    // The server subscribes before it speaks first.
    expect((await grpcResponses.next()).value?.event.case).toBe('notice');

    try {
      const created = await createUser(a, cookie, 'Grace');

      await expect.poll(() => sseOnA.events.length, WAIT).toBe(1);
      const id = sseOnA.events[0]!.id;
      expect(sseOnA.events[0]).toEqual({ id, type: 'user.created', data: expect.objectContaining({ id: created.id, name: 'Grace' }) });

      await expect.poll(() => sseOnB.events, WAIT).toEqual(sseOnA.events);

      const poll = await pollAnswer;
      expect(poll.status).toBe(200);
      const polled = (await poll.json()) as { events: Array<{ id: number; type: string; data: { id: number } }>; cursor: number };
      expect(polled.events.map((e) => [e.id, e.type, e.data.id])).toEqual([[id, 'user.created', created.id]]);
      expect(polled.cursor).toBe(id);

      await expect
        .poll(() => chatOnB.messages.filter((m) => m.type === 'event'), WAIT)
        .toEqual([expect.objectContaining({ id, event: 'user.created', data: expect.objectContaining({ id: created.id }) })]);

      await expect
        .poll(() => graphqlOnB.messages.filter((m) => m.type === 'next'), WAIT)
        .toEqual([{ id: '1', type: 'next', payload: { data: { userChanged: { kind: 'CREATED', id: String(created.id), user: { name: 'Grace' } } } } }]);

      const pushed = await grpcResponses.next();
      expect(pushed.value?.event).toMatchObject({ case: 'userChanged', value: { event: 'user.created', userId: created.id, userName: 'Grace' } });
      expect(session).toMatch(/\S/);
    } finally {
      sseOnA.close();
      sseOnB.close();
      chatOnB.socket.close();
      graphqlOnB.socket.close();
      outgoing.end();
    }
  });

  it('a client whose instance died resumes on B with Last-Event-ID and gets exactly what it missed', async () => {
    const { cookie } = await newSession();
    const doomed = await startServer({ scale: { redisUrl: redis.url, keyPrefix: KEY_PREFIX, instanceId: 'doomed' } });
    try {
      const stream = await openEvents(doomed, cookie);
      await createUser(doomed, cookie, 'Seen');
      await expect.poll(() => stream.events.length, WAIT).toBe(1);
      const lastSeen = stream.events[0]!.id;
      stream.close();

      // Made while the client is away; then its instance goes.
      const missed = [await createUser(doomed, cookie, 'Missed1'), await createUser(doomed, cookie, 'Missed2')];
      await expect.poll(() => doomed.app.eventRelay!.waitingCount, WAIT).toBe(0);
      await expect.poll(() => b.app.domain.events.since(lastSeen).filter((e) => (e.data as { name?: string }).name?.startsWith('Missed')).length, WAIT).toBe(2);
      await doomed.close();

      const resumed = await openEvents(b, cookie, lastSeen);
      await expect.poll(() => resumed.events.length, WAIT).toBe(2);
      expect(resumed.gaps).toEqual([]);
      expect(resumed.events.map((e) => [e.type, e.data.id, e.data.name])).toEqual(missed.map((user) => ['user.created', user.id, user.name]));
      expect(resumed.events[0]!.id).toBeGreaterThan(lastSeen);
      expect(resumed.events[1]!.id).toBeGreaterThan(resumed.events[0]!.id);
      resumed.close();

      // Long polling resumes the same way.
      const poll = await fetch(`${b.origin}/api/v1/poll?since=${lastSeen}&timeout=0`, { headers: { cookie } });
      const body = (await poll.json()) as { events: Array<{ id: number }>; gap?: unknown };
      expect(body.gap).toBeUndefined();
      expect(body.events.map((e) => e.id)).toEqual(resumed.events.map((e) => e.id));
    } finally {
      await doomed.close();
    }
  });

  it('ids strictly increase, and are the same, as seen by a client on either instance', async () => {
    const { cookie } = await newSession();
    const onA = await openEvents(a, cookie);
    const onB = await openEvents(b, cookie);
    try {
      await Promise.all(Array.from({ length: 10 }, (_, i) => createUser(i % 2 === 0 ? a : b, cookie, `U${i}`)));
      await expect.poll(() => [onA.events.length, onB.events.length], WAIT).toEqual([10, 10]);
      const ids = onA.events.map((e) => e.id);
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
      expect(onB.events).toEqual(onA.events);
      expect(onA.events.map((e) => e.data.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `U${i}`).sort());
    } finally {
      onA.close();
      onB.close();
    }
  });
});

describe('two instances on Redis: the WebSocket chat rooms', () => {
  it('members on A and on B chat as one room, and each gets a domain event once', async () => {
    const { cookie } = await newSession();
    const ada = await openSocket(`ws://127.0.0.1:${a.port}/ws/chat?name=ada`, CHAT_SUBPROTOCOL, cookie);
    await expect.poll(() => ada.messages.map((m) => m.type), WAIT).toContain('welcome');
    const bob = await openSocket(`ws://127.0.0.1:${b.port}/ws/chat?name=bob`, CHAT_SUBPROTOCOL, cookie);
    try {
      await expect.poll(() => bob.messages.map((m) => m.type), WAIT).toContain('welcome');
      // Membership is each instance's own: bob's welcome names only B's members.
      expect(bob.messages.find((m) => m.type === 'welcome')).toMatchObject({ you: 'bob', members: ['bob'] });
      await expect.poll(() => ada.messages.filter((m) => m.type === 'joined'), WAIT).toEqual([{ type: 'joined', name: 'bob', members: 1 }]);

      bob.send('hello from B');
      await expect
        .poll(() => ada.messages.filter((m) => m.type === 'message'), WAIT)
        .toEqual([expect.objectContaining({ type: 'message', from: 'bob', text: 'hello from B' })]);
      ada.send('hello from A');
      await expect
        .poll(() => bob.messages.filter((m) => m.type === 'message').map((m) => [m.from, m.text]), WAIT)
        .toEqual([
          ['bob', 'hello from B'],
          ['ada', 'hello from A'],
        ]);

      // Every instance hears every domain event itself: a relayed copy would come twice.
      const created = await createUser(a, cookie, 'Once');
      for (const member of [ada, bob]) await expect.poll(() => member.messages.filter((m) => m.type === 'event').length, WAIT).toBe(1);
      // Anything B relayed before this line would reach A first (one Redis connection, in order).
      bob.send('after the event');
      await expect.poll(() => ada.messages.filter((m) => m.type === 'message').length, WAIT).toBe(3);
      expect(ada.messages.filter((m) => m.type === 'event')).toEqual([
        expect.objectContaining({ event: 'user.created', data: expect.objectContaining({ id: created.id }) }),
      ]);

      bob.socket.close();
      await expect.poll(() => ada.messages.filter((m) => m.type === 'left'), WAIT).toEqual([{ type: 'left', name: 'bob', members: 0 }]);
    } finally {
      ada.socket.close();
      bob.socket.close();
    }
  });
});

describe('one process', () => {
  it('has no relay without scale options', async () => {
    const alone = await startServer();
    try {
      expect(alone.app.eventRelay).toBeNull();
      expect(alone.app.domain.events.missedThrough).toBe(0);
    } finally {
      await alone.close();
    }
  });
});
