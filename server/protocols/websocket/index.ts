import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { sandboxOf } from '../../session/session-id.ts';
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE } from '../../answers/problem.ts';
import { serveChat } from './chat-endpoint.ts';
import { ChatRooms } from './chat-room.ts';
import { relayChatRooms } from '../../scale/chat-relay.ts';
import { ConnectionQuota, quotaKeyOf } from '../../limits/connection-quota.ts';
import { quotaRefusalText } from '../../limits/messages.ts';
import { serveEcho } from './echo-endpoint.ts';
import { readChatQuery, readEchoQuery } from './endpoint-query.ts';
import { handshakeRefusal, refuseUpgrade } from '../../answers/websocket-handshake.ts';
import { CHAT_PATH, CHAT_SUBPROTOCOL, CLOSE, DEFAULT_WEBSOCKET_LIMITS, ECHO_PATH, WEBSOCKET_PATH_PREFIX, type WebSocketLimits } from './limits.ts';
import { closeReason, messages, type Bilingual } from './messages.ts';
import { sayGoodbye } from '../../listener/goodbye.ts';

export { CHAT_PATH, CHAT_SUBPROTOCOL, DEFAULT_WEBSOCKET_LIMITS, ECHO_PATH } from './limits.ts';

export interface WebSocketPluginOptions {
  limits?: Partial<WebSocketLimits>;
}

const ENDPOINTS = [ECHO_PATH, CHAT_PATH];

/** ws reports protocol violations (1002, 1007, 1009…) as errors after it has closed the connection itself. */
function ignoreError(): void {}

/** After the 101 the only way to say no is a close frame; the full text goes first, as a message. */
function closeWithError(socket: WebSocket, message: Record<string, unknown>, code: number, reason: Bilingual): void {
  socket.send(JSON.stringify(message));
  socket.close(code, closeReason(reason));
}

/**
 * The raw WebSocket endpoints /ws/echo and /ws/chat (README.md beside this file), on their own
 * `ws` server with their own message limit: their upgrades are routed here by the one-port
 * listener before Fastify's shared WebSocket server sees them.
 */
async function websocketPlugin(app: FastifyInstance, options: WebSocketPluginOptions): Promise<void> {
  const limits: WebSocketLimits = { ...DEFAULT_WEBSOCKET_LIMITS, ...options.limits };
  const quota = new ConnectionQuota(limits.maxConnectionsPerSession, { budget: app.clientBudget, kind: 'websocket' });
  const rooms = new ChatRooms(limits.maxChatMembers, limits.maxBufferedBytes);
  // Several instances: a room's members may be on several of them (server/scale/README.md).
  if (app.scale) await relayChatRooms(app.scale, rooms, app.log);
  let closing = false;

  // The open connections, to close on shutdown: kept here, as ws would keep them with a closure per
  // connection, and an idle server holds thousands (one listener for all of them instead).
  const clients = new Set<WebSocket>();
  app.openWebSockets.track(clients);
  const forgetClient = function (this: WebSocket): void {
    clients.delete(this);
  };
  const wss = new WebSocketServer({
    noServer: true,
    // ws answers a longer message (all fragments together) with close 1009 by itself.
    maxPayload: limits.maxMessageBytes,
    // Compressed frames would hide the payload the lesson wants the student to read.
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (offered: Set<string>, request: IncomingMessage) =>
      request.url?.split('?')[0] === CHAT_PATH && offered.has(CHAT_SUBPROTOCOL) ? CHAT_SUBPROTOCOL : false,
  });

  const accept = (socket: WebSocket, req: IncomingMessage, url: URL): void => {
    socket.on('error', ignoreError);
    clients.add(socket);
    socket.on('close', forgetClient);
    const sandbox = sandboxOf(req.headers);
    const admission = quota.take(quotaKeyOf(req), req.socket.remoteAddress);
    if (admission.refused) {
      const text = quotaRefusalText({ en: 'WebSockets', ru: 'WebSocket' }, admission.refused, messages.tooManyConnections(limits.maxConnectionsPerSession));
      socket.close(CLOSE.tryAgainLater, closeReason(text));
      return;
    }
    // (on, not once: 'close' comes once, `release` counts once, and a once-wrapper per connection costs memory)
    socket.on('close', admission.release);

    if (url.pathname === ECHO_PATH) {
      const read = readEchoQuery(url.searchParams);
      if (!read.ok) {
        closeWithError(socket, { wirelab: 'error', code: 'bad-query', message: read.message }, CLOSE.policyViolation, messages.badQuery());
        return;
      }
      serveEcho(socket, read.knobs, limits);
      return;
    }
    if (socket.protocol !== CHAT_SUBPROTOCOL) {
      const text = messages.subprotocolRequired(CHAT_SUBPROTOCOL);
      closeWithError(socket, { type: 'error', code: 'subprotocol-required', message: text }, CLOSE.policyViolation, text);
      return;
    }
    const read = readChatQuery(url.searchParams);
    if (!read.ok) {
      closeWithError(socket, { type: 'error', code: 'bad-query', message: read.message }, CLOSE.policyViolation, messages.badQuery());
      return;
    }
    serveChat(socket, read.knobs, sandbox, rooms, limits, app.domain.chat);
  };

  app.onePort.routeUpgrade(WEBSOCKET_PATH_PREFIX, (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!ENDPOINTS.includes(url.pathname)) return refuseUpgrade(socket, 404, messages.notFound(url.pathname, ENDPOINTS), url.pathname);
    if (closing) return refuseUpgrade(socket, 503, messages.shuttingDown(), url.pathname);
    const refusal = handshakeRefusal(req);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.text, url.pathname, refusal.headers);
    // ws answers any other handshake it cannot accept (no key, no version…) with 400 itself.
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, url));
  });

  upgradeRequiredRoutes(app);

  // Every change of a sandbox, whichever protocol made it, reaches that sandbox's chat room.
  const unsubscribe = app.domain.events.subscribe((event) => {
    // Every instance hears every domain event itself: relayed, each would arrive twice.
    rooms.broadcastHere(event.sandboxId, { type: 'event', id: event.id, event: event.type, at: event.at, data: event.data });
  });

  // The app said goodbye (1001) to the open connections in its first preClose (server/app.ts);
  // ones that came in meanwhile hear it now, and then no more are taken (503).
  app.addHook('preClose', async () => {
    closing = true;
    unsubscribe();
    await sayGoodbye(clients);
    wss.close();
  });
}

/** A plain GET (or any HTTP/2 request: RFC 8441 is not offered) cannot become a WebSocket: 426 with the way to ask. */
function upgradeRequiredRoutes(app: FastifyInstance): void {
  for (const path of ENDPOINTS) {
    app.get(path, (request, reply) => {
      const text = messages.upgradeRequired(path);
      // Connection must name Upgrade (RFC 9110 §7.8), and close too when the client asked for it:
      // a Connection header set here would otherwise keep the connection open (Node's rule).
      if (request.raw.httpVersionMajor < 2) reply.header('upgrade', 'websocket').header('connection', reply.raw.shouldKeepAlive ? 'Upgrade' : 'Upgrade, close');
      reply.code(426).type(PROBLEM_MEDIA_TYPE);
      return reply.send(
        JSON.stringify({
          type: `${PROBLEM_TYPE_BASE}upgrade-required`,
          title: 'Upgrade Required',
          status: 426,
          detail: text.en,
          instance: request.url,
          localized: text,
        }),
      );
    });
  }
}

export default fp(websocketPlugin, { name: 'wirelab-websocket', dependencies: ['wirelab-domain', 'wirelab-session', 'wirelab-limits'] });
