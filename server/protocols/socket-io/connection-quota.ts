import type { IncomingMessage } from 'node:http';
import { captureOwnerOf, sandboxOf } from '../../session/session-id.ts';

/**
 * Who a connection counts against: the browser session (or the session a tool names), else the
 * sandbox together with the client's address, so scripts in `shared` on different machines do
 * not share one quota.
 */
export function quotaKeyOf(req: IncomingMessage): string {
  return captureOwnerOf(req.headers) ?? `${sandboxOf(req.headers)}@${req.socket?.remoteAddress ?? '?'}`;
}

/** Open Engine.IO sessions per key. */
export class ConnectionQuota {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  allows(key: string): boolean {
    return (this.open.get(key) ?? 0) < this.max;
  }

  /** Counts a session (from its handshake on); the returned function gives the place back, once however often it is called. */
  opened(key: string): () => void {
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
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
