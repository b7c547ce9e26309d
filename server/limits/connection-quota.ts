import type { IncomingMessage } from 'node:http';
import { captureOwnerOf, sandboxOf } from '../session/session-id.ts';
import { callableOnce, type AddressBudget, type SlotRefusal } from './address-budget.ts';
import type { ConnectionKind } from './client-limits.ts';

/** Which budget refused a connection: the key's own (a session's), or its address's or the server's. */
export interface QuotaRefusal {
  scope: 'session' | SlotRefusal['scope'];
  max: number;
}

export type QuotaAdmission = { release: () => void; refused?: undefined } | { release?: undefined; refused: QuotaRefusal };

/**
 * Open connections per key (a browser session, or a sandbox and an address): the raw WebSocket
 * endpoints, SSE streams, held polls, Engine.IO sessions and MQTT connections each keep one.
 * With an address budget, the connection must also fit its client address's and the server's
 * budget of its kind: a client that picks a fresh cookie for each connection meets those.
 */
export class ConnectionQuota {
  private readonly open = new Map<string, number>();

  constructor(
    readonly max: number,
    private readonly addresses?: { budget: AddressBudget; kind: ConnectionKind },
  ) {}

  /** Counts a connection if every budget has room; `release` is to be called once when it ends. */
  take(key: string, address?: string): QuotaAdmission {
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) return { refused: { scope: 'session', max: this.max } };
    const slot = this.addresses?.budget.takeSlot(this.addresses.kind, address);
    if (slot?.refused) return { refused: slot.refused };
    this.open.set(key, count + 1);
    return {
      release: callableOnce(() => {
        slot?.release();
        const left = (this.open.get(key) ?? 1) - 1;
        if (left <= 0) this.open.delete(key);
        else this.open.set(key, left);
      }),
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
