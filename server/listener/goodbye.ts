import type { WebSocket } from 'ws';

/** RFC 6455 §7.4.1 "going away": the server is shutting down (the page reconnects; nothing is broken). */
export const GOING_AWAY = 1001;
/** The close reason of every WebSocket the app closes at shutdown (both languages: a page may show it). */
export const SHUTDOWN_CLOSE_REASON = 'server shutting down / сервер выключается';
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
 * class, GraphQL and runner channels), /ws/echo and /ws/chat's, MQTT over WebSocket's. server/app.ts
 * says goodbye to all of them at once in its first preClose, before any plugin closes its own part.
 */
export class OpenWebSockets {
  private readonly collections: Array<Iterable<WebSocket>> = [];

  /** A live collection of open sockets (a `ws` server's `clients`, a plugin's own set), read at shutdown. */
  track(sockets: Iterable<WebSocket>): void {
    this.collections.push(sockets);
  }

  /** 1001 to every one of them, together: the slowest to answer sets the wait, not their sum. */
  sayGoodbye(): Promise<void> {
    return sayGoodbye(this.collections.flatMap((sockets) => [...sockets]));
  }
}

/**
 * Says goodbye to every open WebSocket with 1001 and a reason, and resolves once each has
 * answered with its own close frame (the closing handshake, so the frame is not lost when the
 * process exits) or was cut after `waitMs`.
 */
export async function sayGoodbye(sockets: Iterable<WebSocket>, reason = SHUTDOWN_CLOSE_REASON, waitMs = GOODBYE_WAIT_MS): Promise<void> {
  await Promise.all(
    [...sockets].map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === socket.CLOSED) return resolve();
          const cut = setTimeout(() => {
            socket.terminate();
            resolve();
          }, waitMs);
          socket.once('close', () => {
            clearTimeout(cut);
            resolve();
          });
          // Already closing (an idle or refused channel): its own code stands, ws sends no second frame.
          if (socket.readyState === socket.OPEN) socket.close(GOING_AWAY, reason);
        }),
    ),
  );
}
