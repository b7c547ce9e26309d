import type { IncomingMessage } from 'node:http';
import { captureOwnerOf, sandboxOf } from '../../session/session-id.ts';

/**
 * Open connections per key (a browser session, or a sandbox and an address): the raw WebSocket
 * endpoints, SSE streams, held polls and Engine.IO sessions each keep one.
 */
export class ConnectionQuota {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /**
   * Counts a connection if the key has room: returns the function to call once when it ends,
   * or null when the key already holds `max`.
   */
  take(key: string): (() => void) | null {
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }

  countOf(key: string): number {
    return this.open.get(key) ?? 0;
  }
}

/**
 * Who a connection counts against: its session, else its sandbox together with its address, so
 * scripts in `shared` on different machines do not share one quota.
 */
export function quotaKey(sessionId: string | null, sandboxId: string, address: string | undefined): string {
  return sessionId ?? `${sandboxId}@${address ?? '?'}`;
}

/** `quotaKey` of a raw request (an upgrade, or an Engine.IO handshake before Fastify sees it). */
export function quotaKeyOf(req: IncomingMessage): string {
  return quotaKey(captureOwnerOf(req.headers), sandboxOf(req.headers), req.socket?.remoteAddress);
}
