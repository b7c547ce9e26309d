import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { nextEvent } from './socket-io-events.ts';
import type { ScaleOptions } from '../../server/scale/scale-options.ts';
import { newSession } from './capture-client.ts';
import { startRedisServer, type RunningRedis } from './redis-server.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The teacher stops the server (Ctrl-C) and starts it again on the same port. Socket.IO's own
// DISCONNECT packet would tell socket.io-client "the server kicked you on purpose" (`io server
// disconnect`), and the client would never come back; shutdown is the transport going away
// instead (a WebSocket's close 1001, a held poll's Engine.IO close packet), so the client
// reconnects by itself, while the other instances still hear that its sockets left.

const running: RunningServer[] = [];
const sockets: Socket[] = [];
let redis: RunningRedis | undefined;

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await Promise.all(running.splice(0).map((server) => server.close()));
  await redis?.stop();
  redis = undefined;
});

async function start(options: Parameters<typeof startServer>[0] = {}, port = 0): Promise<RunningServer> {
  const server = await startServer(options, port);
  running.push(server);
  return server;
}

async function stop(server: RunningServer): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.close();
}

/** A socket.io-client socket that reconnects as the lesson's console does, only sooner (a test need not wait 1–5 s). */
function chatClient(origin: string, session: string, name: string, transports: Array<'polling' | 'websocket'>): Socket {
  const socket = io(origin, {
    forceNew: true,
    transports,
    auth: { name },
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    extraHeaders: { cookie: `wirelab_session=${session}` },
  });
  sockets.push(socket);
  return socket;
}

// after a restart socket.io-client's backoff is up to 5 s ± 50 %: wait longer than the other files do
const WAIT_MS = 10_000;
const connected = (socket: Socket) => nextEvent<void>(socket, 'connect', undefined, WAIT_MS);
const disconnected = (socket: Socket) =>
  new Promise<{ reason: string; active: boolean }>((resolve) => socket.once('disconnect', (reason) => resolve({ reason, active: socket.active })));

/**
 * Until the server holds a GET of every polling session, as it does between a poll's answer and
 * the client's next one: the stop then ends a held poll with Engine.IO's close packet. (A poll
 * still on its way when the server closes finds its session gone instead: `transport error`, and
 * the client reconnects all the same.)
 */
async function everyPollHeld(server: RunningServer): Promise<void> {
  // Engine.IO's README documents `clients` (open sessions by id); its typings mark it protected.
  const engine = server.app.socketIo.engine as unknown as { clients: Record<string, { transport: { name: string; writable: boolean } }> };
  const sessions = () => Object.values(engine.clients);
  const deadline = Date.now() + 5000;
  while (!sessions().every((session) => session.transport.name !== 'polling' || session.transport.writable)) {
    if (Date.now() > deadline) throw new Error('a polling session never held its next GET');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function joined(socket: Socket, room = 'lobby'): Promise<void> {
  expect(await socket.emitWithAck('chat:join', room)).toEqual({ ok: true, room });
}

describe('Socket.IO across a restart of the server', () => {
  it('a client on WebSocket and one on polling hear the transport close, not a kick, and reconnect once the server is back', async () => {
    const first = await start();
    const session = await newSession(first.origin);
    const overWebSocket = chatClient(first.origin, session, 'ws', ['websocket']);
    const overPolling = chatClient(first.origin, session, 'poll', ['polling']);
    await Promise.all([connected(overWebSocket), connected(overPolling)]);
    await Promise.all([joined(overWebSocket), joined(overPolling)]);

    const gone = [disconnected(overWebSocket), disconnected(overPolling)];
    await everyPollHeld(first);
    await stop(first);
    // `transport close`, and the socket still active: socket.io-client's manager reconnects.
    expect(await Promise.all(gone)).toEqual([
      { reason: 'transport close', active: true },
      { reason: 'transport close', active: true },
    ]);

    const back = [connected(overWebSocket), connected(overPolling)];
    const again = await start({}, first.port);
    await Promise.all(back);
    // A new server, new sockets: they join their room again and talk there.
    await Promise.all([joined(overWebSocket), joined(overPolling)]);
    const heard = nextEvent<{ text: string }>(overPolling, 'chat:message', undefined, WAIT_MS);
    expect(await overWebSocket.emitWithAck('chat:message', { room: 'lobby', text: 'после перезапуска' })).toEqual({ ok: true, room: 'lobby' });
    expect(await heard).toMatchObject({ name: 'ws', text: 'после перезапуска' });
    expect(again.port).toBe(first.port);
  });

  it('with two instances, the other one hears the leave of every socket of the stopped one, which reconnects after its restart', async () => {
    redis = await startRedisServer();
    const scale: ScaleOptions = { redisUrl: redis.url, keyPrefix: `sio-restart-${randomBytes(3).toString('hex')}:` };
    const a = await start({ scale });
    const b = await start({ scale });
    const session = await newSession(a.origin);
    const ada = chatClient(a.origin, session, 'ada', ['websocket']);
    const abe = chatClient(a.origin, session, 'abe', ['polling']);
    const bob = chatClient(b.origin, session, 'bob', ['websocket']);
    await Promise.all([connected(ada), connected(abe), connected(bob)]);
    await joined(ada);
    await joined(abe);
    await joined(bob);

    const leaves: Array<{ name: string; action: string; members: number }> = [];
    const bothLeft = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bob heard ${leaves.length} of the 2 leave notices`)), 10_000);
      bob.on('chat:presence', (notice: { name: string; action: string; members: number }) => {
        if (notice.action === 'leave') leaves.push(notice);
        if (leaves.length !== 2) return;
        clearTimeout(timer);
        resolve();
      });
    });
    const adaGone = disconnected(ada);
    await everyPollHeld(a);
    await stop(a);
    // A waited for its notices to cross Redis before its adapter closed.
    await bothLeft;
    expect(leaves.map((notice) => notice.name).sort()).toEqual(['abe', 'ada']);
    // The last one out leaves bob alone in the room.
    expect(leaves.at(-1)?.members).toBe(1);
    expect(await adaGone).toEqual({ reason: 'transport close', active: true });

    const adaBack = connected(ada);
    await start({ scale }, a.port);
    await adaBack;
    const adaJoined = nextEvent<{ name: string; action: string; members: number }>(bob, 'chat:presence', (notice) => notice.name === 'ada', WAIT_MS);
    await joined(ada);
    expect(await adaJoined).toEqual({ room: 'lobby', name: 'ada', action: 'join', members: 2 });
  });
});
