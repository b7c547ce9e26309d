import { ChunkRing } from './chunk-ring.ts';
import type { RingStorage } from './ring-slabs.ts';
import type { CaptureLimits, CaptureMessage, CaptureSubscriber, CapturedChunk, ConnectionInfo, UnrecordedReason } from './capture-types.ts';

/** Where the heap the rings hold is counted (CaptureHub): told of every change. */
export interface CaptureBudget {
  held(capture: SessionCapture, delta: number): void;
}

/** What a connection's record asks of the hub that made it: the limits, and the channel's next sequence number. */
export interface CaptureSequence {
  readonly limits: CaptureLimits;
  nextSeq(): number;
}

/** How long captures wait to be batched before they are pushed to a browser. */
export const FLUSH_EVERY_MS = 15;

export const now = (): number => performance.timeOrigin + performance.now();

/**
 * No messages waiting: one empty list for every session (a server holds thousands, most never
 * watched), frozen so that a push to it throws instead of mixing sessions' messages.
 */
const NO_MESSAGES = Object.freeze([]) as unknown as CaptureMessage[];

/** Connections shown to a session before its closed ones whose bytes are gone are looked for (see forgetGoneConnections). */
const FORGET_GONE_FROM = 64;

/** A session's captures: a bounded ring for replay, and the browsers watching it live. */
export class SessionCapture {
  recording = true;
  /** this session as the owner of a request (one object, not one per request) */
  readonly asOwner: Owner = { kind: 'session', capture: this };
  lastActive = now();
  /** the client address its recorded connections came from ('?' until one is claimed) */
  address = '?';
  private retired = false;
  /** counts every change to what `captured()` returns: a reader may keep what it decoded until it moves */
  private changes = 0;
  private readonly ring: ChunkRing;
  /**
   * The connections this session was shown, in the order first shown: the first in a field, the
   * others by id in a map made for a second (a server holds thousands of sessions, most with one).
   */
  private firstConnection: ConnectionInfo | null = null;
  private otherConnections: Map<string, ConnectionInfo> | null = null;
  /** how many connections it may be shown before the gone ones are forgotten */
  private forgetGoneFrom = FORGET_GONE_FROM;
  /** made when a browser first watches: most sessions never are, and a server holds thousands of them */
  private subscribers: Set<CaptureSubscriber> | null = null;
  /** made when a browser watches (NO_MESSAGES until then) */
  private outbox: CaptureMessage[] = NO_MESSAGES;
  private flushScheduled = false;

  /** `storage`: where the ring's bytes live (the hub's slabs, shared by every session's small ring) */
  constructor(
    limits: CaptureLimits,
    private readonly budget: CaptureBudget,
    storage?: RingStorage,
  ) {
    this.ring = new ChunkRing(limits, storage);
  }

  get heldBytes(): number {
    return this.ring.heldBytes;
  }

  /** Gives back heap to the global budget: halves the ring, its oldest chunks go first. */
  shrink(): void {
    const freed = this.ring.shrink();
    this.budget.held(this, -freed);
  }

  /**
   * The hub forgot this session to make room: its storage goes, and connections it still owns
   * record nothing more (they would otherwise fill a ring nobody can see, outside every budget).
   */
  retire(): void {
    this.retired = true;
    while (this.ring.heldBytes > 0) this.shrink();
  }

  get watched(): boolean {
    return (this.subscribers?.size ?? 0) > 0;
  }

  addConnection(info: ConnectionInfo): void {
    this.changes += 1;
    if (!this.firstConnection || this.firstConnection.id === info.id) this.firstConnection = info;
    else {
      const others = (this.otherConnections ??= new Map());
      others.set(info.id, info);
      if (others.size >= this.forgetGoneFrom) this.forgetGoneConnections();
    }
    this.send({ type: 'connection', conn: info });
  }

  /** Connections whose descriptions the session keeps (shown to it, and not forgotten). */
  get connectionCount(): number {
    return this.firstConnection ? 1 + (this.otherConnections?.size ?? 0) : 0;
  }

  /**
   * A session kept the description of every connection it was shown until its student cleared
   * the captures: with a connection per curl command, a day's work piled up thousands that
   * nothing shows any more (a replay leaves out closed connections with no bytes in the ring).
   * Those are forgotten once the connections kept have doubled, so the ring is read once per
   * doubling and a connection costs the same however many came before.
   */
  private forgetGoneConnections(): void {
    const withBytes = this.ring.connectionIds();
    this.keepConnections(this.connections().filter((info) => info.closedAt === undefined || withBytes.has(info.id)));
    this.forgetGoneFrom = Math.max(FORGET_GONE_FROM, 2 * this.connectionCount);
  }

  private keepConnections(kept: ConnectionInfo[]): void {
    this.firstConnection = kept[0] ?? null;
    this.otherConnections = kept.length > 1 ? new Map(kept.slice(1).map((info) => [info.id, info])) : null;
  }

  closeConnection(info: ConnectionInfo): void {
    this.changes += 1;
    this.send({ type: 'closed', conn: info.id, t: info.closedAt ?? now() });
  }

  record(chunk: CapturedChunk): void {
    if (this.retired) return;
    this.changes += 1;
    this.lastActive = chunk.t;
    const before = this.ring.heldBytes;
    this.ring.push(chunk);
    this.send({ type: 'chunk', chunk });
    const grown = this.ring.heldBytes - before;
    if (grown !== 0) this.budget.held(this, grown);
  }

  setRecording(on: boolean): void {
    this.recording = on;
    this.send({ type: 'recording', on });
  }

  clear(): void {
    this.changes += 1;
    this.ring.clear();
    this.keepConnections(this.connections().filter((info) => info.closedAt === undefined));
    this.send({ type: 'cleared' });
  }

  /** Moves with every change to what `captured()` returns: a reader may keep what it decoded until it moves. */
  get version(): number {
    return this.changes;
  }

  /**
   * What the session's ring holds now, as its browser would replay it: the connections with bytes
   * kept (or still open) and copies of their chunks, oldest first (the server's exercise verdicts read it).
   */
  captured(): { connections: ConnectionInfo[]; chunks: CapturedChunk[] } {
    const chunks = this.ring.toArray();
    const withBytes = new Set(chunks.map((chunk) => chunk.conn));
    const connections = this.connections().filter((info) => info.closedAt === undefined || withBytes.has(info.id));
    return { connections, chunks };
  }

  /** The connections this session was shown, in the order first shown. */
  private connections(): ConnectionInfo[] {
    if (!this.firstConnection) return [];
    return this.otherConnections ? [this.firstConnection, ...this.otherConnections.values()] : [this.firstConnection];
  }

  subscribe(subscriber: CaptureSubscriber): () => void {
    this.flush();
    const replay: CaptureMessage[] = [{ type: 'recording', on: this.recording }];
    const live = this.ring.toArray();
    const liveConnections = new Set(live.map((c) => c.conn));
    const shown = this.connections();
    for (const info of shown) {
      if (info.closedAt === undefined || liveConnections.has(info.id)) replay.push({ type: 'connection', conn: info });
    }
    for (const chunk of live) replay.push({ type: 'chunk', chunk });
    for (const info of shown) {
      if (info.closedAt !== undefined && liveConnections.has(info.id)) {
        replay.push({ type: 'closed', conn: info.id, t: info.closedAt });
      }
    }
    subscriber.deliver(replay);
    const subscribers = (this.subscribers ??= new Set());
    subscribers.add(subscriber);
    return () => subscribers.delete(subscriber);
  }

  private send(message: CaptureMessage): void {
    if (!this.subscribers || this.subscribers.size === 0) return;
    if (this.outbox === NO_MESSAGES) this.outbox = [message];
    else this.outbox.push(message);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Batch what a few milliseconds recorded into one push per browser: under load this
      // turns thousands of small WebSocket messages into a few dozen, and a person can't tell.
      setTimeout(() => this.flush(), FLUSH_EVERY_MS);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = NO_MESSAGES;
    for (const subscriber of this.subscribers ?? []) subscriber.deliver(batch);
  }
}

/**
 * unknown: no request seen yet, bytes wait in `pending`;
 * none: requests so far named no session (or none was found in time, see `reason`), bytes are not
 *   kept (but the last inbound chunk, which may hold the next request), a later session request may
 *   claim it;
 * internal: the capture channel itself, never recorded;
 * shared (h2c): requests of two sessions on one connection, whose frames (one HPACK state, streams
 *   interleaved) cannot be split between them: nothing more is recorded for anyone.
 */
export type Owner =
  | { kind: 'unknown' }
  | { kind: 'none'; reason: UnrecordedReason }
  | { kind: 'internal' }
  | { kind: 'session'; capture: SessionCapture }
  | { kind: 'shared' };

/** The owner of every request that names no session. */
export const NO_SESSION: Owner = { kind: 'none', reason: 'no-session' };
