import { withClientLimits, type ClientLimits, type ConnectionKind, type RateKind } from './client-limits.ts';

/** A refused connection: which budget was full, and its size. */
export interface SlotRefusal {
  scope: 'address' | 'server';
  max: number;
}

export type SlotAdmission = { release: () => void; refused?: undefined } | { release?: undefined; refused: SlotRefusal };

export type RequestAdmission = { ok: true } | { ok: false; retryAfterS: number; max: number; windowMs: number };

/** The last address `clientAddress` was asked about, and its answer. */
let lastRaw = '';
let lastAddress = '';

/** `::ffff:10.0.0.7` and `10.0.0.7` are one client; an unknown address is one bucket of its own. */
export function clientAddress(raw: string | undefined): string {
  if (!raw) return '?';
  // asked at every read (the address gate's pace): the same peer again costs no new string
  if (raw === lastRaw) return lastAddress;
  lastRaw = raw;
  lastAddress = raw.startsWith('::ffff:') ? raw.slice(7) : raw;
  return lastAddress;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Past this many tracked addresses, full buckets (clients that went quiet) are forgotten. */
const SWEEP_AT = 4096;

/**
 * The one place where budgets per client address (and per server) are counted: long-lived
 * connections by kind, and request rates by kind. Every protocol asks here, so a client that
 * changes its cookie for every connection still meets its address's budget.
 */
export class AddressBudget {
  readonly limits: ClientLimits;
  private readonly open = new Map<ConnectionKind, { total: number; byAddress: Map<string, number> }>();
  private readonly buckets = new Map<RateKind, Map<string, Bucket>>();

  constructor(
    limits: ClientLimits = withClientLimits(),
    private readonly now: () => number = Date.now,
  ) {
    this.limits = limits;
  }

  /**
   * Counts one connection of `kind` from `address` if both the address and the server have room;
   * `release` must be called once when it ends (more calls do nothing).
   */
  takeSlot(kind: ConnectionKind, address: string | undefined): SlotAdmission {
    const limit = this.limits.connections[kind];
    const who = clientAddress(address);
    let counts = this.open.get(kind);
    if (!counts) this.open.set(kind, (counts = { total: 0, byAddress: new Map() }));
    const mine = counts.byAddress.get(who) ?? 0;
    if (mine >= limit.perAddress) return { refused: { scope: 'address', max: limit.perAddress } };
    if (counts.total >= limit.server) return { refused: { scope: 'server', max: limit.server } };
    counts.total += 1;
    counts.byAddress.set(who, mine + 1);
    const held = counts;
    return {
      release: callableOnce(() => {
        held.total -= 1;
        const left = (held.byAddress.get(who) ?? 1) - 1;
        if (left <= 0) held.byAddress.delete(who);
        else held.byAddress.set(who, left);
      }),
    };
  }

  /** Connections of `kind` open now, from one address or on the whole server. */
  openCount(kind: ConnectionKind, address?: string): number {
    const counts = this.open.get(kind);
    if (!counts) return 0;
    return address === undefined ? counts.total : (counts.byAddress.get(clientAddress(address)) ?? 0);
  }

  /**
   * Spends `cost` (one request, or its bytes) of `kind` from the address's token bucket:
   * `perAddress` tokens, refilled evenly over `windowMs`. Refused: how long until there are
   * enough (`Retry-After`, whole seconds). A cost above the whole bucket costs the whole bucket.
   */
  takeRequest(kind: RateKind, address: string | undefined, cost = 1): RequestAdmission {
    const { perAddress: max, windowMs } = this.limits.rates[kind];
    const who = clientAddress(address);
    let buckets = this.buckets.get(kind);
    if (!buckets) this.buckets.set(kind, (buckets = new Map()));
    const now = this.now();
    const refillPerMs = max / windowMs;
    const bucket = buckets.get(who) ?? { tokens: max, at: now };
    bucket.tokens = Math.min(max, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    const price = Math.min(cost, max);
    if (bucket.tokens < price) {
      buckets.set(who, bucket);
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((price - bucket.tokens) / refillPerMs / 1000)), max, windowMs };
    }
    bucket.tokens -= price;
    buckets.set(who, bucket);
    if (buckets.size > SWEEP_AT) this.sweep(buckets, max, refillPerMs, now);
    return { ok: true };
  }

  /** The tokens `address` has of `kind` now (refilled to this moment), without spending any. */
  tokensLeft(kind: RateKind, address: string | undefined): number {
    const { perAddress: max, windowMs } = this.limits.rates[kind];
    const bucket = this.buckets.get(kind)?.get(clientAddress(address));
    return bucket ? Math.min(max, bucket.tokens + (this.now() - bucket.at) * (max / windowMs)) : max;
  }

  private sweep(buckets: Map<string, Bucket>, max: number, refillPerMs: number, now: number): void {
    for (const [who, bucket] of buckets) {
      if (bucket.tokens + (now - bucket.at) * refillPerMs >= max) buckets.delete(who);
    }
  }
}

/**
 * `action` run on the first call only. Used for what an open connection holds until it ends: the
 * function is made here, unnamed, because under tsx a closure written as `release: () => {…}`
 * gets a `name` property dictionary of its own (esbuild's keepNames), a few hundred bytes per
 * idle connection (bench/websocket-idle.ts, issue 40).
 */
export function callableOnce(action: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    action();
  };
}
