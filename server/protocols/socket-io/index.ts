import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Server as EngineServer, type Socket as EngineSocket } from 'engine.io';
import { Server } from 'socket.io';
import type { WebSocket } from 'ws';
import { SHUTDOWN_CLOSE_REASON } from '../../listener/goodbye.ts';
import { GOING_AWAY } from '../../../wire/websocket/close-codes.ts';
import { handshakeRefusal, refuseUpgrade } from '../../answers/websocket-handshake.ts';
import { createAdapter } from '@socket.io/redis-adapter';
import type { DomainEvent } from '../../domain/index.ts';
import { ConnectionQuota, quotaKeyOf } from '../../limits/connection-quota.ts';
import { quotaRefusalText } from '../../limits/messages.ts';
import {
  CONNECT_TIMEOUT_MS,
  DEFAULT_SOCKET_IO_LIMITS,
  PING_INTERVAL_MS,
  PING_TIMEOUT_MS,
  ROOM_QUERY_TIMEOUT_MS,
  SOCKET_IO_PATH,
  UPGRADE_TIMEOUT_MS,
  type SocketIoLimits,
} from './limits.ts';
import { messages } from './messages.ts';
import { CHAT_NAMESPACE, sandboxRoomKey, setUpAdmin, setUpChat, type PendingNotices, type WirelabIo } from './namespaces.ts';
import { RoomCensus } from './room-census.ts';

export { DEFAULT_SOCKET_IO_LIMITS, SOCKET_IO_PATH, type SocketIoLimits };

export interface SocketIoPluginOptions {
  limits?: Partial<SocketIoLimits>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The Socket.IO server (tests look at its sockets and rooms). */
    socketIo: WirelabIo;
  }
}

const quotaRelease = Symbol('wirelab.socketIoQuotaRelease');
const quotaTaken = Symbol('wirelab.socketIoQuotaTaken');
/** A handshake request as Engine.IO passes it (`res` for polling), with its place in the quota. */
type QuotaRequest = IncomingMessage & { res?: NodeJS.EventEmitter; [quotaRelease]?: () => void; [quotaTaken]?: boolean };

/** `user.created` → `user:created`: Socket.IO event names here use a colon, like `chat:join`. */
export function socketIoEventName(type: DomainEvent['type']): string {
  return type.replace('.', ':');
}

/**
 * Engine.IO's server, uncompressed so the inspector shows its packets as they are; each handshake
 * takes a place in the connection quota, which its session keeps until it closes.
 */
function createEngine(limits: SocketIoLimits, quota: ConnectionQuota): EngineServer {
  const engine = new EngineServer({
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    upgradeTimeout: UPGRADE_TIMEOUT_MS,
    maxHttpBufferSize: limits.maxHttpBufferSize,
    transports: ['polling', 'websocket'],
    // Uncompressed, so that the inspector shows the packets as they are.
    httpCompression: false,
    perMessageDeflate: false,
    allowEIO3: false,
    allowRequest: (req, callback) => {
      // Counted from this moment, so that handshakes arriving together cannot all pass.
      const admission = quota.take(quotaKeyOf(req), req.socket?.remoteAddress);
      const release = admission.release;
      if (release) {
        const handshake = req as QuotaRequest;
        handshake[quotaRelease] = release;
        // A handshake that never becomes a session (refused later, a bad WebSocket key) gives its
        // place back when its response or connection closes; a session took it over by then.
        const settled = handshake.res ?? handshake.socket;
        settled?.once('close', () => {
          if (!handshake[quotaTaken]) release();
        });
        return callback(null, true);
      }
      const what = { en: 'Socket.IO connections', ru: 'подключений Socket.IO' };
      const text = quotaRefusalText(what, admission.refused!, messages.tooManyConnections(limits.maxConnectionsPerSession));
      // Engine.IO puts this one string in its error body; both languages go in it.
      callback(`${text.en} / ${text.ru}`, false);
    },
  });
  engine.on('connection', (socket: EngineSocket) => {
    const handshake = socket.request as QuotaRequest;
    const release = handshake[quotaRelease];
    if (release === undefined) return;
    handshake[quotaTaken] = true;
    socket.once('close', release);
  });
  return engine;
}

/**
 * Socket.IO on the one port, without a listener of its own: Engine.IO's polling requests come
 * through a Fastify route, its WebSocket upgrades through the one-port server's upgrade routes
 * (in front of @fastify/websocket, which would answer them 404 and leave clients on polling).
 */
async function socketIoPlugin(app: FastifyInstance, options: SocketIoPluginOptions): Promise<void> {
  const limits: SocketIoLimits = { ...DEFAULT_SOCKET_IO_LIMITS, ...options.limits };
  const quota = new ConnectionQuota(limits.maxConnectionsPerSession, { budget: app.clientBudget, kind: 'engineIo' });

  const engine = createEngine(limits, quota);

  const io: WirelabIo = new Server({ serveClient: false, connectTimeout: CONNECT_TIMEOUT_MS });
  if (app.scale) {
    // Several instances: every namespace's rooms and broadcasts go through Redis (README.md,
    // "Several instances"), on channels under the deployment's prefix.
    const { scale } = app;
    io.adapter(
      createAdapter(scale.connection('socket-io-pub'), scale.connection('socket-io-sub'), {
        key: scale.key('socket.io'),
        requestsTimeout: ROOM_QUERY_TIMEOUT_MS,
      }),
    );
  }
  io.bind(engine);
  const pendingNotices: PendingNotices = new Set();
  const chat = io.of(CHAT_NAMESPACE);
  const census = new RoomCensus(chat, app.scale !== null, ROOM_QUERY_TIMEOUT_MS);
  setUpChat(io, limits, app.domain.chat, census, pendingNotices);
  setUpAdmin(io, limits, census);
  app.decorate('socketIo', io);

  // Only the events made here, to every socket of the sandbox on every instance through the
  // adapter: the events other instances relay over the bus are sent by the instance that made
  // them, so a socket gets each event once.
  const unsubscribe = app.domain.events.subscribe(
    (event) => {
      chat.to(sandboxRoomKey(event.sandboxId)).emit(socketIoEventName(event.type), { id: event.id, type: event.type, at: event.at, data: event.data });
    },
    { localOnly: true },
  );

  app.onePort.routeUpgrade(SOCKET_IO_PATH, (req, socket, head) => {
    // RFC 6455's version and method rules, which Engine.IO's ws (it accepts version 8) does not keep.
    const refusal = handshakeRefusal(req);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.text, SOCKET_IO_PATH, refusal.headers);
    engine.handleUpgrade(req, socket, head);
  });

  // Engine.IO's README documents `clients` (open sessions by id); its typings mark it protected.
  const openSessions = (engine as unknown as { clients: Record<string, unknown> }).clients;
  // Engine.IO reads the body of its POSTs itself: hand the raw request over before Fastify parses it.
  // Every method comes here, so a wrong one gets Engine.IO's own 400, not the app's 404.
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
    url: SOCKET_IO_PATH,
    exposeHeadRoute: false,
    onRequest: (request, reply, done) => {
      reply.hijack();
      const sid = (request.query as Record<string, unknown>).sid;
      if (request.method !== 'GET' && request.method !== 'POST' && typeof sid === 'string' && Object.hasOwn(openSessions, sid)) {
        // Engine.IO's polling transport would answer 500 to another method on an open session:
        // the client's mistake, Engine.IO's "Bad request" (code 3), as its handshake answers one.
        reply.raw.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: 'Bad request' }));
      } else engine.handleRequest(request.raw as IncomingMessage, reply.raw);
      done();
    },
    handler: async () => undefined,
  });

  // Before the listener closes: held polls and open WebSockets would keep close() waiting.
  app.addHook('preClose', async () => {
    unsubscribe();
    for (const session of Object.values(openSessions)) closeWebSocketGoingAway(session);
    // The transport goes away, with no Socket.IO DISCONNECT: that packet means "the server
    // kicked you on purpose" (client reason `io server disconnect`) and socket.io-client would
    // never come back after the restart. Closing every Engine.IO session (engine.io's documented
    // `Server#close`) is what a client sees as `transport close`, and reconnects after: a
    // WebSocket hears 1001, a held poll Engine.IO's close packet, a poll between requests finds
    // its session gone. The sessions' sockets disconnect at once, so their leave notices start
    // now and reach the other instances' members before the adapter closes.
    engine.close();
    await Promise.all(pendingNotices);
    await io.close();
  });
}

/** What of an Engine.IO session's WebSocket transport (engine.io's build/transports/websocket.js) the shutdown changes. */
interface EngineWebSocketTransport {
  name: string;
  socket?: WebSocket;
  doClose(fn?: () => void): void;
}

/**
 * Engine.IO has no packet of its own for "the server is going away", and its WebSocket transport
 * closes without a code (1005): a session on that transport is closed with 1001 instead, after the
 * packets before it, so that the client and the inspector can tell a restart from a broken line.
 */
function closeWebSocketGoingAway(session: unknown): void {
  const transport = (session as { transport?: EngineWebSocketTransport }).transport;
  const socket = transport?.socket;
  if (transport?.name !== 'websocket' || !socket) return;
  transport.doClose = (fn) => {
    socket.close(GOING_AWAY, SHUTDOWN_CLOSE_REASON);
    fn?.();
  };
}

export default fp(socketIoPlugin, { name: 'wirelab-socket-io', dependencies: ['wirelab-domain', 'wirelab-session', 'wirelab-limits'] });
