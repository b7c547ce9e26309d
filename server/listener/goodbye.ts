import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Bilingual } from '../../shared/bilingual.ts';
import { refuseUpgrade } from '../answers/websocket-handshake.ts';
import { GOING_AWAY } from '../../wire/websocket/close-codes.ts';

const SHUTTING_DOWN: Bilingual = { en: 'server shutting down', ru: 'сервер выключается' };
/** The close reason of every WebSocket the app closes at shutdown (both languages: a page may show it). */
export const SHUTDOWN_CLOSE_REASON = `${SHUTTING_DOWN.en} / ${SHUTTING_DOWN.ru}`;
/** Connections that have not answered the 1001 close frame by then are cut: shutdown stays fast. */
export const GOODBYE_WAIT_MS = 1_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** every long-lived WebSocket the app holds, told 1001 at shutdown (server/app.ts) */
    openWebSockets: OpenWebSockets;
  }
}

/**
 * The app's open WebSockets, one registry for all: the shared @fastify/websocket server's (capture,
 * class, GraphQL and runner channels), /ws/echo and /ws/chat's, MQTT over WebSocket's; and the
 * connections that say goodbye their own way (the own-server relays: a fact for the page, a close
 * for the student's server). server/app.ts says goodbye to all of them at once in its first
 * preClose, before any plugin closes its own part.
 */
export class OpenWebSockets {
  private readonly collections: Array<Iterable<WebSocket>> = [];
  private readonly farewells: Array<() => Promise<void>> = [];
  /** the server is shutting down: no WebSocket upgrade is taken any more (`refuseUpgradeWhileShuttingDown`) */
  refusingNew = false;

  /** A live collection of open sockets (a `ws` server's `clients`, a plugin's own set), read at shutdown. */
  track(sockets: Iterable<WebSocket>): void {
    this.collections.push(sockets);
  }

  /** Connections that close their own way: `farewell` resolves once they are closed or cut (within GOODBYE_WAIT_MS). */
  trackFarewell(farewell: () => Promise<void>): void {
    this.farewells.push(farewell);
  }

  /** 1001 to every one of them, together: the slowest to answer sets the wait, not their sum. */
  async sayGoodbye(): Promise<void> {
    await Promise.all([sayGoodbye(this.collections.flatMap((sockets) => [...sockets])), ...this.farewells.map((farewell) => farewell())]);
  }
}

/**
 * Says goodbye to every open WebSocket with 1001 and a reason, and resolves once each has
 * answered with its own close frame (the closing handshake, so the frame is not lost when the
 * process exits) or was cut after GOODBYE_WAIT_MS.
 */
export async function sayGoodbye(sockets: Iterable<WebSocket>): Promise<void> {
  await Promise.all([...sockets].map((socket) => closeAndWait(socket, GOING_AWAY, SHUTDOWN_CLOSE_REASON)));
}

/**
 * Closes one WebSocket with `code` and `reason`, and resolves once the peer answered with its own
 * close frame or was cut after GOODBYE_WAIT_MS. Already closing (an idle or refused channel): its
 * own code stands, `ws` sends no second frame.
 */
export function closeAndWait(socket: WebSocket, code: number, reason: string): Promise<void> {
  return new Promise<void>((resolve) => {
    if (socket.readyState === socket.CLOSED) return resolve();
    const cut = setTimeout(() => {
      socket.terminate();
      resolve();
    }, GOODBYE_WAIT_MS);
    socket.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    if (socket.readyState === socket.OPEN) socket.close(code, reason);
  });
}

/**
 * A WebSocket upgrade that comes while the server shuts down (a page reconnecting after its 1001)
 * is answered 503 and its connection ended: Fastify's own 503 of a request during close leaves an
 * upgrade's socket open, and server.close() would wait for it for ever.
 */
export function refuseUpgradeWhileShuttingDown(socket: Duplex, path: string): void {
  refuseUpgrade(socket, 503, SHUTTING_DOWN, path);
}
