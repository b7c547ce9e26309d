import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { nextEvent } from './socket-io-events.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { startRedisServer, type RunningRedis } from './redis-server.ts';
import { newSession } from './capture-client.ts';
import type { ScaleOptions } from '../../server/scale/scale-options.ts';

// Two Wirelab instances on one Redis: Socket.IO's Redis adapter carries rooms and broadcasts, so
// a chat room with members on A and on B is one room.

let redis: RunningRedis;
let scale: ScaleOptions;
let a: RunningServer;
let b: RunningServer;
const opened: Socket[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  scale = { redisUrl: redis.url, keyPrefix: `sio-scale-${randomBytes(3).toString('hex')}:` };
  [a, b] = await Promise.all([startServer({ scale }), startServer({ scale })]);
});
afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
});

/** A connected socket.io-client socket of a browser session, on one instance. */
async function connect(server: RunningServer, session: string, name: string, namespace = '/'): Promise<Socket> {
  const socket = io(`${server.origin}${namespace}`, {
    forceNew: true,
    reconnection: false,
    auth: { name },
    extraHeaders: { cookie: `wirelab_session=${session}` },
  });
  opened.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function joined(server: RunningServer, session: string, name: string, room = 'lobby'): Promise<Socket> {
  const socket = await connect(server, session, name);
  expect(await socket.emitWithAck('chat:join', room)).toEqual({ ok: true, room });
  return socket;
}

function record(socket: Socket): Array<{ event: string; args: unknown[] }> {
  const received: Array<{ event: string; args: unknown[] }> = [];
  socket.onAny((event: string, ...args: unknown[]) => received.push({ event, args }));
  return received;
}

describe('Socket.IO on two instances sharing Redis', () => {
  it('makes one chat room of members on A and on B: presence, messages both ways, typing, leaving', async () => {
    const session = await newSession(a.origin);
    const ada = await joined(a, session, 'ada');
    const bobJoined = nextEvent(ada, 'chat:presence');
    const bob = await joined(b, session, 'bob');
    // The count is the room's on both instances; the notice came before bob's ack.
    expect(await bobJoined).toEqual({ room: 'lobby', name: 'bob', action: 'join', members: 2 });

    const toBob = nextEvent(bob, 'chat:message');
    const adaEcho = nextEvent(ada, 'chat:message');
    expect(await ada.emitWithAck('chat:message', { room: 'lobby', text: 'from A' })).toEqual({ ok: true, room: 'lobby' });
    expect(await toBob).toMatchObject({ room: 'lobby', name: 'ada', text: 'from A' });
    expect(await adaEcho).toMatchObject({ name: 'ada', text: 'from A' });

    const typing = nextEvent(ada, 'chat:typing');
    bob.emit('chat:typing', { room: 'lobby', typing: true });
    expect(await typing).toEqual({ room: 'lobby', name: 'bob', typing: true });
    const toAda = nextEvent(ada, 'chat:message');
    const stoppedTyping = nextEvent(ada, 'chat:typing');
    await bob.emitWithAck('chat:message', { room: 'lobby', text: 'from B' });
    expect(await stoppedTyping).toEqual({ room: 'lobby', name: 'bob', typing: false });
    expect(await toAda).toMatchObject({ room: 'lobby', name: 'bob', text: 'from B' });

    const cyd = await joined(b, session, 'cyd');
    const bobLeft = nextEvent(ada, 'chat:presence', (n: { name: string }) => n.name === 'bob');
    bob.disconnect();
    expect(await bobLeft).toEqual({ room: 'lobby', name: 'bob', action: 'leave', members: 2 });
    const cydLeft = nextEvent(ada, 'chat:presence', (n: { name: string }) => n.name === 'cyd');
    await cyd.emitWithAck('chat:leave', 'lobby');
    expect(await cydLeft).toEqual({ room: 'lobby', name: 'cyd', action: 'leave', members: 1 });
  });

  it('keeps sandboxes apart across instances', async () => {
    const [mine, theirs] = await Promise.all([newSession(a.origin), newSession(a.origin)]);
    const ada = await joined(a, mine, 'ada');
    const got = record(ada);
    const eve = await joined(b, theirs, 'eve');
    await eve.emitWithAck('chat:message', { room: 'lobby', text: 'other sandbox' });
    const bob = await joined(b, mine, 'bob');
    const own = nextEvent(ada, 'chat:message');
    await bob.emitWithAck('chat:message', { room: 'lobby', text: 'same sandbox' });
    expect(await own).toMatchObject({ text: 'same sandbox' });
    // The adapter keeps one connection's order: eve's message, sent first, would have come first.
    expect(got.filter((e) => e.event === 'chat:message').map((e) => (e.args[0] as { text: string }).text)).toEqual(['same sandbox']);
    expect(got.some((e) => (e.args[0] as { name?: string })?.name === 'eve')).toBe(false);
  });

  it('lists the rooms of every instance to /admin, and tells it of presence on the other instance', async () => {
    const session = await newSession(a.origin);
    const admin = await connect(a, session, 'teacher', '/admin');
    await joined(a, session, 'ada', 'lobby');
    const seen = nextEvent(admin, 'admin:presence', (n: { name: string }) => n.name === 'bob');
    await joined(b, session, 'bob', 'lobby');
    expect(await seen).toEqual({ room: 'lobby', name: 'bob', action: 'join', members: 2 });
    await joined(b, session, 'cyd', 'quiet');
    expect(await admin.emitWithAck('admin:rooms')).toEqual({
      ok: true,
      rooms: [
        { room: 'lobby', members: ['ada', 'bob'] },
        { room: 'quiet', members: ['cyd'] },
      ],
    });
  });

  it('delivers a domain event to the sockets of its sandbox on both instances, once each', async () => {
    const session = await newSession(a.origin);
    const onA = await connect(a, session, 'on-a');
    const onB = await connect(b, session, 'on-b');
    const gotA = record(onA);
    const gotB = record(onB);
    const create = (server: RunningServer, name: string) =>
      fetch(`${server.origin}/api/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `wirelab_session=${session}` },
        body: JSON.stringify({ name, email: `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.com` }),
      });
    const firstOnB = nextEvent(onB, 'user:created');
    expect((await create(a, 'Ada')).status).toBe(201);
    expect(await firstOnB).toMatchObject({ type: 'user.created', data: { name: 'Ada' } });
    // Markers made afterwards on B, then on A, awaited on both sockets: a second copy of Ada's
    // event, were an instance to send the events it hears from the other, would be on its way
    // before the marker that came the same way. Both, not the last one alone: Bob's event reaches
    // the socket on A through Redis, Cyd's from A itself, and on a busy machine Cyd's came first
    // (nothing orders events of two instances; run 19, four files at once).
    const markers = Promise.all(
      [onA, onB].flatMap((socket) => ['Bob', 'Cyd'].map((name) => nextEvent(socket, 'user:created', (e: { data: { name: string } }) => e.data.name === name))),
    );
    expect((await create(b, 'Bob')).status).toBe(201);
    expect((await create(a, 'Cyd')).status).toBe(201);
    await markers;
    for (const got of [gotA, gotB]) {
      const names = got.filter((e) => e.event === 'user:created').map((e) => (e.args[0] as { data: { name: string } }).data.name);
      expect(names.sort()).toEqual(['Ada', 'Bob', 'Cyd']);
    }
  });

  it('answers a poll for a session another instance opened with 400 (polling needs a pinned instance)', async () => {
    const opened = await fetch(`${a.origin}/socket.io/?EIO=4&transport=polling`);
    const handshake = await opened.text();
    const { sid } = JSON.parse(handshake.slice(1)) as { sid: string };
    const elsewhere = await fetch(`${b.origin}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.json()).toEqual({ code: 1, message: 'Session ID unknown' });
    // Closed on its own instance, so it gives its place in the connection quota back.
    const close = await fetch(`${a.origin}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '1' });
    expect(close.status).toBe(200);
  });
});
