import { useSyncExternalStore } from 'react';
import { sessionReady } from '../kit/session.ts';
import { decodeConnection, type ConnectionStreams } from '../../wire/connection-decoders.ts';
import { layersLoading, onLayerSettled } from '../../wire/lazy-layer.ts';
import { DecodeMemo } from '../../wire/decode-memo.ts';
import { decodeChunkFrame, type CaptureClientMessage, type CaptureServerMessage, type JsonChunksMessage } from '../../contracts/capture-channel/messages.ts';
import { CAPTURE_CLOSE } from '../../contracts/capture-channel/messages.ts';
import { capturesToPcapng } from '../../wire/pcapng/export-pcapng.ts';
import { ru } from '../../wire/node-text.ts';
import { assembleConnection } from '../../wire/stream-assembler.ts';
import type { CaptureChunk, CapturedConnection, DecodedConnection, HttpExchange, WireMessage } from '../../wire/types.ts';
import { base64Decode } from '@bufbuild/protobuf/wire';
import { bindPageConnectionKeys, connKey, type ConnectionKeys } from './connection-keys.ts';

/** 'restarting': the server said it is going away (close 1001); the store reconnects until it is back. */
export type CaptureStatus = 'connecting' | 'open' | 'closed' | 'restarting';

/** The part of a WebSocket the store uses; tests pass a fake. */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

/** An exchange with the connection it travelled on. */
export interface InspectedExchange extends HttpExchange {
  connection: CapturedConnection;
}

export interface ConnectionView {
  connection: CapturedConnection;
  /** in order on the connection (keep-alive: index 0, 1, …) */
  exchanges: InspectedExchange[];
  notes: DecodedConnection['notes'];
  /** HTTP/2 frames, WebSocket frames… (DecodedConnection.messages), in byte order */
  messages: WireMessage[];
  streams: ConnectionStreams;
  /** masked WebSocket payloads (DecodedConnection.masks): the hex view shows them unmasked too */
  masks?: DecodedConnection['masks'];
  /** recorded bytes, both directions */
  bytes: number;
  /**
   * Captured by an earlier server process (the server restarted since, or another instance took
   * over): shown as it was, but no longer the server's truth (README.md, "After a restart").
   */
  beforeRestart?: true;
}

export interface CaptureSnapshot {
  status: CaptureStatus;
  recording: boolean;
  /** changes whenever anything in the store changes */
  version: number;
  /** oldest first */
  connections: ConnectionView[];
  /** all decoded exchanges, newest (by the request's first byte) last */
  exchanges: InspectedExchange[];
  /** all decoded messages of every connection, oldest first */
  messages: WireMessage[];
  /**
   * The connections (ids as in `connections`) captured before the server restarted: shown, but
   * nothing a page judges may count them (web/lessons leaves them out of its exercises).
   */
  beforeRestart: ReadonlySet<string>;
}

export interface WaitForExchange {
  method: string;
  /** request-target as sent ("/api/v1/users?page=2"); an absolute URL counts by its path and query */
  target: string;
  /** ms epoch on the server's clock (web/kit/session.ts `captureTimeNow()`) */
  after: number;
  timeoutMs: number;
}

export interface CaptureStoreOptions {
  url: string;
  socketFactory: SocketFactory;
  /** client-side bound on recorded bytes: the oldest connections go first */
  maxBytes?: number;
  reconnectDelayMs?: { first: number; max: number };
  /** the connection decoder (tests inject one that fails) */
  decode?: typeof decodeConnection;
}

interface TrackedConnection {
  connection: CapturedConnection;
  /** the server process that captured it (hello's `instance`); undefined from a channel that names none */
  instance: string | undefined;
  chunks: CaptureChunk[];
  seqs: Set<number>;
  bytes: number;
  /** requests this browser saw on the connection before a clear: later exchanges count on from there */
  indexBase: number;
  /** what the previous decode found complete: a growing stream is decoded again at the cost of its new bytes */
  memo: DecodeMemo;
  decoded?: { chunkCount: number; closedAt: number | undefined; view: ConnectionView };
}

interface Waiter {
  query: WaitForExchange;
  resolve: (exchange: HttpExchange | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** What the store applies: the channel's messages, and the JSON form of chunks (replays, tests). */
type ServerMessage = CaptureServerMessage | JsonChunksMessage;

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Listeners hear of new captures at most this often, and never more often than the last decode
 * took times three: a stream of thousands of messages then costs a few decodes a second, and
 * the page stays responsive between them.
 */
const MIN_NOTIFY_GAP_MS = 100;
const DECODE_SHARE = 3;
/** New bytes of a connection one decode takes on; the rest waits for the next turn. */
const DECODE_SLICE_BYTES = 32 * 1024;
/** Catching up, decoding stops for the page's turn after this long… */
const CATCH_UP_SLICE_MS = 30;
/** …and listeners see how far it got this often. */
const CATCH_UP_PROGRESS_MS = 500;

/**
 * The browser's copy of its session's captures: connects to the capture channel, keeps the
 * connections and their chunks (bounded), and decodes a connection only when it got new bytes.
 * Framework-light: subscribe/getSnapshot fit React's useSyncExternalStore.
 */
export class CaptureStore {
  private readonly tracked = new Map<string, TrackedConnection>();
  private totalBytes = 0;
  private socket: SocketLike | null = null;
  private started = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  /** the channel closed with 1001 (the server shutting down): until it opens again the status says so */
  private serverRestarting = false;
  /** the server process now answering (hello's `instance`) */
  private instance: string | undefined;
  /** every server process this page heard, in order: the first one's connections keep their ids */
  private readonly instanceOrdinals = new Map<string, number>();
  /** the current process's ids → the store's (keyOf) */
  private readonly currentKeys = new Map<string, string>();
  private state: { status: CaptureStatus; recording: boolean } = { status: 'closed', recording: true };
  private version = 0;
  private snapshot: CaptureSnapshot | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly waiters = new Set<Waiter>();
  private readonly maxBytes: number;
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotifiedAt = Number.NEGATIVE_INFINITY;
  private lastBuildMs = 0;
  private catchUpTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: CaptureStoreOptions) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    // A decoder layer arrived (wire/lazy-layer.ts): what was decoded without it showed a
    // placeholder, and the memo may hold units decoded that way, so every connection starts over.
    onLayerSettled(() => this.redecodeAll());
  }

  get status(): CaptureStatus {
    return this.state.status;
  }

  get recording(): boolean {
    return this.state.recording;
  }

  /** Opens the capture channel (once); reconnects with backoff until stop(). */
  connect(): void {
    if (this.started) return;
    this.started = true;
    this.open();
  }

  stop(): void {
    this.started = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.notifyTimer = null;
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.catchUpTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.update({ status: 'closed' });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CaptureSnapshot => {
    if (this.snapshot?.version !== this.version) this.snapshot = this.buildSnapshot();
    return this.snapshot;
  };

  exchanges(): InspectedExchange[] {
    return this.getSnapshot().exchanges;
  }

  connections(): ConnectionView[] {
    return this.getSnapshot().connections;
  }

  /**
   * The chunks the store holds for one connection, as the tap recorded them (arrival order):
   * what byte counts are summed from (web/compare measures runs with it).
   */
  chunksOf(conn: string): readonly CaptureChunk[] {
    return this.tracked.get(conn)?.chunks ?? [];
  }

  /**
   * This store's ids of the connections a server process names (its replies name them as the
   * capture channel does: an own-server report's `connections`), fixed at the call. `instance`:
   * that process (the report's `captureInstance`); one whose hello has not come yet (a report
   * faster than the restarted server's hello) gets the place its hello will take.
   */
  connectionKeys(instance?: string): ConnectionKeys {
    let ordinal = this.instanceOrdinal();
    if (instance !== undefined) {
      if (!this.instanceOrdinals.has(instance)) this.instanceOrdinals.set(instance, this.instanceOrdinals.size);
      ordinal = this.instanceOrdinals.get(instance)!;
    }
    return (serverId) => connKey(serverId, ordinal);
  }

  /** Every connection is decoded to its last chunk (a burst may take a few background slices), with every layer it needs. */
  caughtUp(): boolean {
    return !layersLoading() && ![...this.tracked.values()].some(isBehind);
  }

  /** Switches recording for this browser's session; the server confirms with a `recording` message. */
  setRecording(on: boolean): void {
    this.send({ type: 'recording', on });
  }

  /** Drops the session's captures on the server; the server confirms with `cleared`. */
  clear(): void {
    this.send({ type: 'clear' });
  }

  /**
   * Resolves with the first exchange of that method and target whose request's first byte came
   * at or after `after`, once its response is complete; with null after `timeoutMs`.
   */
  waitForExchange(query: WaitForExchange): Promise<HttpExchange | null> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        query: { ...query, method: query.method.toUpperCase(), target: originForm(query.target) },
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(null);
        }, query.timeoutMs),
      };
      this.waiters.add(waiter);
      this.settleWaiters();
    });
  }

  /** Applies one capture-channel message (exposed for tests and replays). */
  apply(message: ServerMessage): void {
    switch (message.type) {
      case 'hello':
        // a channel that names no process starts from nothing again (an older server's)
        this.startInstance(message.instance as string | undefined);
        this.state = { ...this.state, recording: message.recording };
        break;
      case 'connection': {
        const conn = this.keyed(message.conn);
        const existing = this.tracked.get(conn.id);
        if (existing) existing.connection = { ...existing.connection, ...conn };
        else this.tracked.set(conn.id, this.track(conn));
        break;
      }
      case 'chunks':
        // the JSON form (base64 data): replays and tests; the channel itself sends binary frames
        this.applyChunks(message.chunks.map((wire) => ({ ...wire, data: base64Decode(wire.data) })));
        return;
      case 'closed': {
        const tracked = this.tracked.get(this.keyOf(message.conn));
        if (tracked) tracked.connection = { ...tracked.connection, closedAt: message.t };
        break;
      }
      case 'recording':
        this.state = { ...this.state, recording: message.on };
        break;
      case 'cleared':
        this.clearChunks();
        break;
      default:
        return;
    }
    this.changed();
  }

  /** Applies the chunks of one binary capture message (contracts/capture-channel/messages.ts). */
  applyChunks(chunks: readonly CaptureChunk[]): void {
    const renamed = this.instanceOrdinal() !== 0;
    for (const chunk of chunks) this.addChunk(renamed ? { ...chunk, conn: this.keyOf(chunk.conn) } : chunk);
    this.enforceLimit();
    this.changed();
  }

  private open(): void {
    this.update({ status: this.serverRestarting ? 'restarting' : 'connecting' });
    let socket: SocketLike;
    try {
      socket = this.options.socketFactory(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.failures = 0;
      this.serverRestarting = false;
      this.update({ status: 'open' });
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      if (event.data instanceof ArrayBuffer) {
        let chunks: CaptureChunk[];
        try {
          chunks = decodeChunkFrame(new Uint8Array(event.data));
        } catch {
          return;
        }
        this.applyChunks(chunks);
        return;
      }
      if (typeof event.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      this.apply(message);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const code = (event as { code?: number } | null)?.code;
      if (code === CAPTURE_CLOSE.serverGoingAway) {
        // A restart, not a failure: the first attempt comes soon, the backoff grows from there.
        this.serverRestarting = true;
        this.failures = 0;
      }
      if (code === CAPTURE_CLOSE.moved) {
        // Scaled out, this session's requests now reach another instance: the channel goes there
        // at once (the load balancer sends it where the requests go), and its captures with it.
        this.failures = 0;
        this.update({ status: 'connecting' });
        this.scheduleReconnect(true);
        return;
      }
      this.update({ status: this.serverRestarting ? 'restarting' : 'closed' });
      this.scheduleReconnect();
    };
    socket.onerror = () => {};
  }

  private scheduleReconnect(now = false): void {
    if (!this.started || this.reconnectTimer) return;
    const { first, max } = this.options.reconnectDelayMs ?? { first: 500, max: 10_000 };
    const delay = now ? 0 : Math.min(max, first * 2 ** this.failures);
    if (!now) this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.started) this.open();
    }, delay);
  }

  private send(message: CaptureClientMessage): void {
    if (this.state.status === 'open') this.socket?.send(JSON.stringify(message));
  }

  private update(next: Partial<typeof this.state>): void {
    if (next.status === this.state.status && next.recording === undefined) return;
    this.state = { ...this.state, ...next };
    this.changed();
  }

  private redecodeAll(): void {
    for (const tracked of this.tracked.values()) {
      tracked.decoded = undefined;
      tracked.memo = new DecodeMemo();
    }
    // decoded again between the page's tasks, as a burst is (even with no listener to ask)
    this.scheduleCatchUp();
    this.changed();
  }

  /**
   * A `hello`: the server replays its ring after it, and that is the truth of its own captures,
   * so what this store kept of that server process goes and comes again with the replay. Another
   * process's captures stay, marked as from before the restart: its ring is gone with it (a
   * restarted server's starts empty). The class channel's relay of the teacher's captures names
   * its process the same way (web/classroom/teacher-captures.ts); a hello naming none starts
   * from nothing again.
   */
  private startInstance(instance: string | undefined): void {
    if (instance === undefined) {
      this.tracked.clear();
      this.instanceOrdinals.clear();
    } else {
      if (!this.instanceOrdinals.has(instance)) this.instanceOrdinals.set(instance, this.instanceOrdinals.size);
      for (const [id, tracked] of this.tracked) if (tracked.instance === instance) this.tracked.delete(id);
    }
    this.instance = instance;
    this.currentKeys.clear();
    this.totalBytes = 0;
    for (const tracked of this.tracked.values()) this.totalBytes += tracked.bytes;
  }

  /**
   * Where the current server process's connections are kept: its ids as they are for the first
   * process this page heard, with a prefix for each later one (`r1-c3`), so that a restarted
   * server's c3 is never taken for the earlier c3 a link, a selection or a claimed exchange names.
   */
  private instanceOrdinal(): number {
    return this.instance === undefined ? 0 : (this.instanceOrdinals.get(this.instance) ?? 0);
  }

  private keyOf(conn: string): string {
    const ordinal = this.instanceOrdinal();
    if (ordinal === 0) return conn;
    // one string per connection, not one per chunk: a burst after a restart is thousands of chunks
    let key = this.currentKeys.get(conn);
    if (key === undefined) this.currentKeys.set(conn, (key = connKey(conn, ordinal)));
    return key;
  }

  private keyed(connection: CapturedConnection): CapturedConnection {
    const id = this.keyOf(connection.id);
    return id === connection.id ? connection : { ...connection, id };
  }

  private track(connection: CapturedConnection): TrackedConnection {
    return { connection, instance: this.instance, chunks: [], seqs: new Set(), bytes: 0, indexBase: 0, memo: new DecodeMemo() };
  }

  private isBeforeRestart(tracked: TrackedConnection): boolean {
    return tracked.instance !== this.instance;
  }

  /**
   * Like the server: closed connections go, open ones stay (a browser keeps its keep-alive
   * connections) without their bytes, and keep counting their requests.
   */
  private clearChunks(): void {
    for (const [id, tracked] of this.tracked) {
      // before the restart, nothing is open any more: all of it goes
      if (tracked.connection.closedAt !== undefined || this.isBeforeRestart(tracked)) {
        this.tracked.delete(id);
        continue;
      }
      let view = this.decode(tracked);
      while (isBehind(tracked)) view = this.decode(tracked);
      tracked.indexBase += view.exchanges.length;
      tracked.chunks = [];
      tracked.bytes = 0;
      tracked.decoded = undefined;
      tracked.memo = new DecodeMemo();
    }
    this.totalBytes = 0;
  }

  private addChunk(chunk: CaptureChunk): void {
    let tracked = this.tracked.get(chunk.conn);
    if (!tracked) {
      // bytes of a connection announced before this browser connected: decode them all the same
      const connection: CapturedConnection = { id: chunk.conn, transport: 'http/1.1', remote: '', local: '', openedAt: chunk.t };
      tracked = this.track(connection);
      this.tracked.set(chunk.conn, tracked);
    }
    if (tracked.seqs.has(chunk.seq)) return;
    tracked.seqs.add(chunk.seq);
    tracked.chunks.push(chunk);
    tracked.bytes += chunk.data.length;
    this.totalBytes += chunk.data.length;
  }

  /** Oldest connections go first; a single huge connection loses its oldest chunks. */
  private enforceLimit(): void {
    for (const [id, tracked] of this.tracked) {
      if (this.totalBytes <= this.maxBytes || this.tracked.size === 1) break;
      this.tracked.delete(id);
      this.totalBytes -= tracked.bytes;
    }
    const [only] = this.tracked.values();
    if (this.totalBytes > this.maxBytes && only) {
      only.chunks.sort((a, b) => a.seq - b.seq);
      while (this.totalBytes > this.maxBytes && only.chunks.length > 1) {
        const dropped = only.chunks.shift()!;
        only.bytes -= dropped.data.length;
        this.totalBytes -= dropped.data.length;
      }
    }
  }

  /** The snapshot is new at once (getSnapshot decodes on demand); listeners hear of it throttled. */
  private changed(): void {
    this.version += 1;
    if (this.notifyTimer) return;
    const gap = Math.max(MIN_NOTIFY_GAP_MS, this.lastBuildMs * DECODE_SHARE);
    const wait = this.lastNotifiedAt + gap - Date.now();
    if (wait <= 0) {
      this.notify();
      return;
    }
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.notify();
    }, wait);
  }

  /**
   * Decodes what the last snapshot left behind, a slice per task between the page's own work,
   * and tells listeners once it caught up (or every CATCH_UP_PROGRESS_MS, to show progress):
   * rendering after every slice would cost the page more than the decoding.
   */
  private scheduleCatchUp(): void {
    if (this.catchUpTimer) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      const started = performance.now();
      for (const tracked of this.tracked.values()) {
        if (performance.now() - started > CATCH_UP_SLICE_MS) break;
        if (isBehind(tracked)) this.decode(tracked);
      }
      const behind = [...this.tracked.values()].some(isBehind);
      if (!behind || Date.now() - this.lastNotifiedAt >= CATCH_UP_PROGRESS_MS) this.changed();
      else this.scheduleCatchUp();
    }, 0);
  }

  private notify(): void {
    this.lastNotifiedAt = Date.now();
    this.settleWaiters();
    for (const listener of this.listeners) listener();
  }

  private settleWaiters(): void {
    if (this.waiters.size === 0) return;
    const exchanges = this.exchanges();
    for (const waiter of this.waiters) {
      const { method, target, after } = waiter.query;
      const first = exchanges.find(
        (exchange) => exchange.request.method === method && exchange.request.target === target && exchange.request.firstByteAt >= after,
      );
      if (!first?.response?.complete) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(first);
    }
  }

  private buildSnapshot(): CaptureSnapshot {
    const started = performance.now();
    const snapshot = this.decodeAll();
    this.lastBuildMs = performance.now() - started;
    if ([...this.tracked.values()].some(isBehind)) this.scheduleCatchUp();
    return snapshot;
  }

  private decodeAll(): CaptureSnapshot {
    // While catching up, a snapshot shows how far the catch-up got instead of decoding a slice of
    // its own in the same task as the render that asked for it.
    const catchingUp = this.catchUpTimer !== null;
    const connections = [...this.tracked.values()].map((tracked) =>
      catchingUp && tracked.decoded && isBehind(tracked) ? this.marked(tracked, tracked.decoded) : this.decode(tracked),
    );
    connections.sort((a, b) => a.connection.openedAt - b.connection.openedAt);
    const exchanges = connections.flatMap((view) => view.exchanges).sort((a, b) => a.request.firstByteAt - b.request.firstByteAt || a.index - b.index);
    const messages = connections.flatMap((view) => view.messages).sort((a, b) => a.at - b.at || a.index - b.index);
    const beforeRestart = new Set<string>();
    for (const view of connections) if (view.beforeRestart) beforeRestart.add(view.connection.id);
    return { ...this.state, version: this.version, connections, exchanges, messages, beforeRestart };
  }

  /**
   * The recorded bytes of these connections (every one when none is named) as a pcapng file for
   * Wireshark (wire/pcapng). Assembled from all chunks, not the latest decode, which may not
   * have taken on a burst's newest bytes yet.
   */
  toPcapng(connIds?: readonly string[]): Uint8Array<ArrayBuffer> {
    const chosen = connIds ? connIds.flatMap((id) => this.tracked.get(id) ?? []) : [...this.tracked.values()];
    return capturesToPcapng(
      chosen.map(({ connection, chunks }) => ({ connection, streams: assembleConnection(connection.id, chunks, connection.closedAt !== undefined) })),
    );
  }

  private decode(tracked: TrackedConnection): ConnectionView {
    const { connection, chunks } = tracked;
    const last = tracked.decoded;
    if (last && last.chunkCount === chunks.length && last.closedAt === connection.closedAt && last.view.connection === connection) {
      return this.marked(tracked, last);
    }
    const beforeRestart = this.isBeforeRestart(tracked);
    // A burst (a stream's thousands of messages in one push) is decoded a slice at a time, so no
    // single decode blocks the page; scheduleCatchUp() comes back for the rest.
    let count = Math.min(last?.chunkCount ?? 0, chunks.length);
    let newBytes = 0;
    while (count < chunks.length && (newBytes === 0 || newBytes + chunks[count].data.length <= DECODE_SLICE_BYTES)) {
      newBytes += chunks[count].data.length;
      count += 1;
    }
    const whole = count === chunks.length;
    // Part of a closed connection's bytes are not its end: decode them as still open.
    const decoded = this.decodeGuarded(tracked, whole ? connection : { ...connection, closedAt: undefined }, whole ? chunks : chunks.slice(0, count));
    const view: ConnectionView = {
      connection,
      exchanges: decoded.exchanges.map((exchange) => ({ ...exchange, index: exchange.index + tracked.indexBase, connection })),
      notes: decoded.notes,
      messages: decoded.messages ?? [],
      streams: decoded.streams,
      ...(decoded.masks ? { masks: decoded.masks } : {}),
      bytes: tracked.bytes,
      ...(beforeRestart ? { beforeRestart } : {}),
    };
    tracked.decoded = { chunkCount: count, closedAt: connection.closedAt, view };
    return view;
  }

  /** The last decode's view, marked as from before a restart if the server restarted since (the same decode otherwise). */
  private marked(tracked: TrackedConnection, last: NonNullable<TrackedConnection['decoded']>): ConnectionView {
    const beforeRestart = this.isBeforeRestart(tracked);
    if (Boolean(last.view.beforeRestart) === beforeRestart) return last.view;
    const { beforeRestart: _wasBefore, ...view } = last.view;
    last.view = beforeRestart ? { ...view, beforeRestart } : view;
    return last.view;
  }

  /**
   * A decoder bug on one connection's bytes must not stop the others from decoding: that
   * connection shows its bytes raw, with the error over them.
   */
  private decodeGuarded(tracked: TrackedConnection, connection: CapturedConnection, chunks: readonly CaptureChunk[]): ReturnType<typeof decodeConnection> {
    try {
      return (this.options.decode ?? decodeConnection)(connection, chunks, tracked.memo);
    } catch (error) {
      // what the memo kept may be half-updated: the next decode starts afresh
      tracked.memo = new DecodeMemo();
      const streams = assembleConnection(connection.id, chunks, connection.closedAt !== undefined);
      const reason = String((error as Error)?.message ?? error);
      const notes = (['in', 'out'] as const)
        .filter((dir) => streams[dir].end > 0)
        .map((dir) => ({
          dir,
          node: ru(
            {
              kind: 'decode-failed',
              label: 'Decoding this connection failed: its bytes are shown raw',
              value: reason,
              range: { start: streams[dir].segments[0]?.start ?? 0, end: streams[dir].end },
              error: 'connection-decode-failed',
            },
            'Разобрать это соединение не удалось: его байты показаны как есть',
          ),
        }));
      return { connection, exchanges: [], notes, streams };
    }
  }
}

/** Its chunks go past what the latest decode took on (DECODE_SLICE_BYTES). */
function isBehind(tracked: TrackedConnection): boolean {
  return (tracked.decoded?.chunkCount ?? 0) < tracked.chunks.length;
}

function originForm(target: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target;
  const url = new URL(target);
  return `${url.pathname}${url.search}`;
}

function browserSocket(url: string): SocketLike {
  const webSocket = new WebSocket(url);
  webSocket.binaryType = 'arraybuffer';
  const socket: SocketLike = {
    send: (data) => webSocket.send(data),
    close: () => webSocket.close(),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  webSocket.onopen = (event) => socket.onopen?.(event);
  webSocket.onmessage = (event) => socket.onmessage?.(event);
  webSocket.onclose = (event) => socket.onclose?.(event);
  webSocket.onerror = (event) => socket.onerror?.(event);
  return socket;
}

let singleton: CaptureStore | null = null;

/** The page's one capture store, connected to `/_wirelab/tap` on the page's origin. */
export function getCaptureStore(): CaptureStore {
  if (singleton) return singleton;
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const store = new CaptureStore({
    url: `${scheme}//${window.location.host}/_wirelab/tap`,
    socketFactory: browserSocket,
  });
  singleton = store;
  bindPageConnectionKeys((instance) => store.connectionKeys(instance));
  // The channel answers only a browser that has its session cookie.
  sessionReady().then(
    () => store.connect(),
    () => store.connect(),
  );
  return store;
}

/** The captures, re-rendering on every change. */
export function useCaptures(store: CaptureStore = getCaptureStore()): CaptureSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
