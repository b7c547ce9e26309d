import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { CHANNEL_MOVED_CLOSE } from '../../contracts/capture-channel/messages.ts';
import { sessionFromCookie } from '../session/session-id.ts';

/**
 * A browser session's channels (the capture channel, the class channel) follow its HTTP
 * (deploy/README.md, "After a failover and a return"). HAProxy pins a *connection* by the cookie
 * of its first request, so the first request of a new connection says where the load balancer
 * sends that session now: after a failover, after the dead instance returns, after a rebalance.
 * A keep-alive connection opened earlier says only where it was sent then, and a WebSocket stays
 * where it was opened for its whole life. So when a new connection of a session reaches this
 * instance, every other instance closes that session's channels (4307); the page opens them
 * again at once, through the load balancer, which hashes the same cookie to this instance. The
 * session's HTTP, its capture channel and its class channel then meet on one instance, whose
 * captures the page's checks, the server's verdicts and the teacher's relay all read.
 */
export interface SessionChannels {
  /** A channel of this session, closed when the session's new connections go to another instance; call the result when it closes. */
  register(session: string, socket: WebSocket): () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessionChannels: SessionChannels;
  }
}

/** A session is announced at most this often per instance: a page load opens a few connections at once. */
const ANNOUNCE_EVERY_MS = 1000;
/** Sessions whose last announcement is remembered (the oldest forgotten first). */
const ANNOUNCED_KEPT = 10_000;

/** Session ids never cross Redis: a hash names the session (its channels compare the same). */
export const sessionKeyOf = (session: string): string => createHash('sha256').update(session).digest('base64url').slice(0, 32);

/** The channels of this instance by session key. */
export class LocalSessionChannels implements SessionChannels {
  private readonly sockets = new Map<string, Set<WebSocket>>();

  register(session: string, socket: WebSocket): () => void {
    const key = sessionKeyOf(session);
    let set = this.sockets.get(key);
    if (!set) this.sockets.set(key, (set = new Set()));
    set.add(socket);
    return () => {
      set.delete(socket);
      if (set.size === 0 && this.sockets.get(key) === set) this.sockets.delete(key);
    };
  }

  /** The session's new connections reach another instance: its channels here close, and the page opens them there. */
  moved(key: string): number {
    const set = this.sockets.get(key);
    if (!set) return 0;
    this.sockets.delete(key);
    for (const socket of set) socket.close(CHANNEL_MOVED_CLOSE.code, CHANNEL_MOVED_CLOSE.reason);
    return set.size;
  }
}

interface HomeMessage {
  /** sessionKeyOf the session */
  s: string;
  /** the instance its new connections reach */
  i: string;
}

async function sessionHomes(app: FastifyInstance): Promise<void> {
  const channels = new LocalSessionChannels();
  app.decorate('sessionChannels', channels);
  // One process: every connection reaches it, nothing to follow.
  if (!app.scale) return;
  const { instanceId } = app.scale;
  const channel = app.scale.key('session-homes');
  const publisher = app.scale.connection('session-homes-pub', { enableOfflineQueue: false });
  const subscriber = app.scale.connection('session-homes-sub');
  subscriber.on('message', (_channel: string, text: string) => {
    let message: Partial<HomeMessage>;
    try {
      message = JSON.parse(text) as Partial<HomeMessage>;
    } catch {
      return;
    }
    if (typeof message.s !== 'string' || typeof message.i !== 'string' || message.i === instanceId) return;
    const closed = channels.moved(message.s);
    if (closed > 0)
      app.log.info({ to: message.i, channels: closed }, 'a session’s new connections reach another instance: its channels here closed so they follow');
  });
  await subscriber.subscribe(channel);

  /** Sockets whose first request was seen (HAProxy chose their instance by it). */
  const seen = new WeakSet<object>();
  const announced = new Map<string, number>();
  app.addHook('onRequest', async (request) => {
    const socket = request.raw.socket as object | null;
    // HTTP/1.1 only: HAProxy pins h2c by address, not by the cookie
    if (!socket || request.raw.httpVersionMajor !== 1 || seen.has(socket)) return;
    seen.add(socket);
    const session = sessionFromCookie(request.headers);
    if (!session) return;
    const key = sessionKeyOf(session);
    const now = Date.now();
    if (now - (announced.get(key) ?? Number.NEGATIVE_INFINITY) < ANNOUNCE_EVERY_MS) return;
    announced.delete(key);
    announced.set(key, now);
    if (announced.size > ANNOUNCED_KEPT) announced.delete(announced.keys().next().value!);
    const message: HomeMessage = { s: key, i: instanceId };
    // Redis unreachable: the channels stay where they are until the next new connection (nothing else waits on it)
    publisher.publish(channel, JSON.stringify(message)).catch(() => undefined);
  });
}

/** `app.sessionChannels`, and with Redis the announcements that move a session's channels to its HTTP. */
export default fp(sessionHomes, { name: 'wirelab-session-homes', dependencies: ['wirelab-scale'] });
