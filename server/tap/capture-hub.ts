import { totalmem } from 'node:os';
import { ChunkRing } from './chunk-ring.ts';
import { Http1RequestFramer, UNFRAMED } from './http1-request-framer.ts';
import { clientAddress } from '../limits/address-budget.ts';
import { findTapSocket, type TapObserver, type TapSocket } from './tap-socket.ts';
import type { CaptureLimits, CaptureMessage, CaptureSubscriber, CapturedChunk, ConnectionInfo, Direction, Transport, UnrecordedReason } from './capture-types.ts';

/** A sixteenth of the machine's memory, between 64 MiB and 1 GiB (a laptop of 8 GiB: 512 MiB). */
export function captureBudgetFor(machineBytes: number): number {
  return Math.min(1024 * 1024 * 1024, Math.max(64 * 1024 * 1024, Math.floor(machineBytes / 16)));
}

export const defaultCaptureLimits: CaptureLimits = {
  ringBytes: 4 * 1024 * 1024,
  ringChunks: 20_000,
  pendingBytes: 64 * 1024,
  sessions: 1000,
  // 40 students behind one NAT address, with a few private windows each.
  sessionsPerAddress: 200,
  totalBytes: captureBudgetFor(totalmem()),
};

/** Where the heap the rings hold is counted (CaptureHub): told of every change. */
interface CaptureBudget {
  held(capture: SessionCapture, delta: number): void;
}

/** How long captures wait to be batched before they are pushed to a browser. */
export const FLUSH_EVERY_MS = 15;

const now = (): number => performance.timeOrigin + performance.now();

/** A session's captures: a bounded ring for replay, and the browsers watching it live. */
class SessionCapture {
  recording = true;
  /** this session as the owner of a request (one object, not one per request) */
  readonly asOwner: Owner = { kind: 'session', capture: this };
  lastActive = now();
  /** the client address its recorded connections came from ('?' until one is claimed) */
  address = '?';
  private retired = false;
  private readonly ring: ChunkRing;
  private connections = new Map<string, ConnectionInfo>();
  private subscribers = new Set<CaptureSubscriber>();
  private outbox: CaptureMessage[] = [];
  private flushScheduled = false;

  constructor(
    limits: CaptureLimits,
    private readonly budget: CaptureBudget,
  ) {
    this.ring = new ChunkRing(limits);
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
    return this.subscribers.size > 0;
  }

  addConnection(info: ConnectionInfo): void {
    this.connections.set(info.id, info);
    this.send({ type: 'connection', conn: info });
  }

  closeConnection(info: ConnectionInfo): void {
    this.send({ type: 'closed', conn: info.id, t: info.closedAt ?? now() });
  }

  record(chunk: CapturedChunk): void {
    if (this.retired) return;
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
    this.ring.clear();
    for (const [id, info] of this.connections) if (info.closedAt !== undefined) this.connections.delete(id);
    this.send({ type: 'cleared' });
  }

  subscribe(subscriber: CaptureSubscriber): () => void {
    this.flush();
    const replay: CaptureMessage[] = [{ type: 'recording', on: this.recording }];
    const live = this.ring.toArray();
    const liveConnections = new Set(live.map((c) => c.conn));
    for (const info of this.connections.values()) {
      if (info.closedAt === undefined || liveConnections.has(info.id)) replay.push({ type: 'connection', conn: info });
    }
    for (const chunk of live) replay.push({ type: 'chunk', chunk });
    for (const info of this.connections.values()) {
      if (info.closedAt !== undefined && liveConnections.has(info.id)) {
        replay.push({ type: 'closed', conn: info.id, t: info.closedAt });
      }
    }
    subscriber.deliver(replay);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private send(message: CaptureMessage): void {
    if (this.subscribers.size === 0) return;
    this.outbox.push(message);
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
    this.outbox = [];
    for (const subscriber of this.subscribers) subscriber.deliver(batch);
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
type Owner =
  | { kind: 'unknown' }
  | { kind: 'none'; reason: UnrecordedReason }
  | { kind: 'internal' }
  | { kind: 'session'; capture: SessionCapture }
  | { kind: 'shared' };

/** The owner of every request that names no session. */
const NO_SESSION: Owner = { kind: 'none', reason: 'no-session' };

/** Bytes waiting for their owner; `request`: the HTTP/1.1 request they belong to (framed connections). */
interface Piece {
  dir: Direction;
  t: number;
  offset: number;
  data: Buffer;
  request: number;
}

/** How much of the response being written is recorded: see TappedConnection.headOnly. */
type ResponseRecording = { mode: 'all' } | { mode: 'head'; headEndMatched: number } | { mode: 'body' };

/** The socket property where Node's HTTP/1.1 server keeps the response writing to it. */
type WithResponse = { _httpMessage?: object | null };

/**
 * The tap's record of one connection.
 * HTTP/1.1: each exchange goes to the session of its own request. The requests are framed in the
 * inbound bytes (http1-request-framer.ts) and the n-th one is given the owner Node's parser
 * names for its n-th request; a response goes to the owner of the request it answers. A
 * connection that carries two sessions' requests (a proxy reusing its upstream connections) so
 * shows each session its own exchanges only, the others as gaps, and says it is shared.
 * h2c and MQTT: the first session named owns the whole connection; on h2c a second session's
 * request stops the recording (see Owner `shared`), and its HEADERS never reach the first owner:
 * inbound bytes wait a turn of the event loop, until the session has announced their streams.
 */
class TappedConnection implements TapObserver {
  /**
   * h2c and MQTT: the owner of the connection. HTTP/1.1: the owner of the latest request, who also
   * gets bytes of no request (Node's own 400 or 408, everything after a WebSocket upgrade).
   */
  owner: Owner = { kind: 'unknown' };
  /** the client address it came from, as the budgets count it */
  readonly address: string;
  private readonly framer: Http1RequestFramer | null;
  /** HTTP/1.1: the owner of each request still being read, by its place on the connection */
  private readonly exchanges = new Map<number, Owner>();
  /** HTTP/1.1: every request below this one has left `exchanges` */
  private exchangesFrom = 0;
  /** HTTP/1.1: requests claimed so far (the next claim is this one, unless Node skipped one) */
  private exchangeCount = 0;
  /** HTTP/1.1: the session of the first request that named one */
  private firstSession: SessionCapture | null = null;
  private readonly responseOwners = new WeakMap<object, Owner>();
  /** the sessions shown this connection, each with the description it was given */
  private readonly viewers = new Map<SessionCapture, ConnectionInfo>();
  private pending: Piece[] = [];
  private pendingBytes = 0;
  /** why the bytes before a session's first exchange are missing, unless another session had them */
  private missingReason: UnrecordedReason = 'no-session';
  private shared = false;
  /** h2c: inbound chunks of the owner that wait until the session has announced their requests */
  private inFlight: Piece[] = [];
  private offsets = { in: 0, out: 0 };
  /** what kept the last inbound bytes (a ring chunk or a pending piece), while they may still need a copy */
  private lastInbound: { data: Buffer } | null = null;
  /**
   * Whether the Buffers this connection reads and writes must be copied to be kept as they
   * crossed: see keep().
   */
  private copies: Record<Direction, boolean>;
  /**
   * The response being written is recorded up to the end of its head only (see
   * CaptureHub.recordHeadOnly): `head` while its head is written (`headEndMatched` counts the
   * bytes of "\r\n\r\n" seen so far), `body` while its body is skipped.
   */
  private responseRecording: ResponseRecording = { mode: 'all' };
  private headDone: (body: { mode: 'body' }) => void = () => {};

  constructor(
    readonly info: ConnectionInfo,
    private readonly hub: CaptureHub,
    private readonly socket: TapSocket,
  ) {
    this.address = clientAddressOf(info.remote);
    this.copies = { in: false, out: info.transport === 'h2c' };
    this.framer = info.transport === 'http/1.1' ? new Http1RequestFramer() : null;
  }

  /** The connection now carries WebSocket frames: their reader unmasks them in place. */
  upgraded(): void {
    this.copies.in = true;
    // The upgrade request's chunk may already hold the first frames, and the reader gets them
    // as a view of the very Buffer recorded.
    if (this.lastInbound) this.lastInbound.data = Buffer.from(this.lastInbound.data);
  }

  inbound(chunk: Buffer): void {
    this.take('in', chunk);
  }

  outbound(chunk: Buffer): void {
    this.take('out', chunk);
  }

  /** From now until `finished`, the response's body is not recorded (its head is). */
  headOnly(): () => void {
    const state: typeof this.responseRecording = { mode: 'head', headEndMatched: 0 };
    this.responseRecording = state;
    let body: ResponseRecording | null = null;
    this.headDone = (next) => (body = next);
    // Ends this response's skipping only (a later response may have started its own).
    return () => {
      if (this.responseRecording === state || this.responseRecording === body) this.responseRecording = { mode: 'all' };
    };
  }

  /** The owner of the exchange this response belongs to (HTTP/1.1), else of the connection. */
  ownerOfResponse(response: object): Owner {
    return this.responseOwners.get(response) ?? this.owner;
  }

  /** Outbound offset when the peer sent FIN: what is written after it may never be read. */
  private outboundAtPeerEnd: number | undefined;
  /** Outbound offset where the latest write started (a failed write fails from there). */
  private lastOutboundStart = 0;

  peerEnded(): void {
    this.outboundAtPeerEnd ??= this.offsets.out;
  }

  /**
   * The peer reset the connection. A client that closed its socket answers any data that arrives
   * after with a reset, and drops that data: what was written after its FIN was never delivered.
   * Without a FIN before, the write that failed (EPIPE) was not delivered either.
   */
  peerReset(code: string): void {
    if (this.info.undelivered) return;
    const from = this.outboundAtPeerEnd ?? (code === 'EPIPE' ? this.lastOutboundStart : this.offsets.out);
    if (from >= this.offsets.out) return;
    const undelivered = { from, reason: this.outboundAtPeerEnd !== undefined ? ('peer-closed' as const) : ('peer-reset' as const) };
    this.info.undelivered = undelivered;
    for (const [capture, info] of this.viewers) {
      // a new description, as for markShared: the one sent before may still wait in a batch
      const updated = { ...info, undelivered };
      this.viewers.set(capture, updated);
      capture.addConnection(updated);
    }
  }

  closed(): void {
    this.info.closedAt = now();
    for (const [capture, info] of this.viewers) {
      info.closedAt = this.info.closedAt;
      capture.closeConnection(info);
    }
    this.pending = [];
    this.inFlight = [];
  }

  /**
   * A request arrived and names its owner. `request` (its method and target as Node parsed them)
   * checks that it is the request the framer found next; `response` is what answers it.
   */
  claim(owner: Owner, request?: { method?: string; url?: string }, response?: object): void {
    this.socket.releaseInput();
    if (this.framer) {
      this.claimExchange(this.framer, owner, request, response);
      return;
    }
    const current = this.owner;
    if (current.kind === 'internal') return;
    if (current.kind === 'shared') {
      if (owner.kind === 'session') this.viewerOf(owner.capture, this.offsets.in, this.offsets.out);
      return;
    }
    if (current.kind === 'session') {
      if (owner.kind === 'session' && owner.capture !== current.capture && this.info.transport === 'h2c') this.refuseToSplit(owner.capture);
      return;
    }
    if (current.kind === 'none' && owner.kind === 'none') return;
    this.owner = owner;
    if (current.kind === 'none') this.missingReason = current.reason;
    const pending = this.takePending(Infinity);
    if (owner.kind !== 'session') return;
    this.viewerOf(owner.capture, ...this.startOf(pending));
    for (const piece of pending) {
      // h2c: the chunk may hold another session's HEADERS too, announced a moment later.
      if (this.info.transport === 'h2c' && piece.dir === 'in') this.holdInFlight(piece);
      else this.deliver(owner.capture, piece.dir, piece.t, piece.offset, piece.data);
    }
  }

  private claimExchange(framer: Http1RequestFramer, owner: Owner, request?: { method?: string; url?: string }, response?: object): void {
    let index = this.exchangeCount;
    // Node answers a few requests itself without announcing them (417 to an unknown Expect):
    // match the request line, so that one of those cannot shift later requests onto the wrong owner.
    if (request?.method && request.url !== undefined) index = framer.findRequest(`${request.method} ${request.url}`, index) ?? index;
    this.exchangeCount = index + 1;
    // A request the framer has left behind (a GET is read whole before Node announces it) gets no more bytes.
    if (index >= framer.currentRequest) this.exchanges.set(index, owner);
    if (response) this.responseOwners.set(response, owner);
    const previous = this.owner;
    this.owner = owner;
    if (previous.kind === 'none') this.missingReason = previous.reason;
    // A start with no session, then a session, is not "shared": that connection is recorded from
    // a later byte, as it always was (a first visit before the cookie). Anything else after the
    // first session's request is.
    if (!this.firstSession && owner.kind === 'session') this.firstSession = owner.capture;
    else if (this.firstSession && !this.shared && owner.kind !== 'internal' && (owner.kind !== 'session' || owner.capture !== this.firstSession)) this.markShared();
    const waiting = this.takePending(index);
    if (owner.kind === 'session') {
      const own = waiting.every((piece) => piece.request === index) ? waiting : waiting.filter((piece) => piece.request === index);
      this.viewerOf(owner.capture, ...this.startOf(own));
    }
    // Bytes of requests Node never announced (skipped above) are recorded for nobody.
    for (const piece of waiting) if (piece.request === index) this.record(owner, piece.dir, piece.t, piece.offset, piece.data);
  }

  /** Where a session's view starts: the first of these waiting bytes, else what comes next. */
  private startOf(pieces: Piece[]): [fromIn: number, fromOut: number] {
    let fromIn = -1;
    let fromOut = -1;
    for (const piece of pieces) {
      if (piece.dir === 'in' && fromIn === -1) fromIn = piece.offset;
      else if (piece.dir === 'out' && fromOut === -1) fromOut = piece.offset;
    }
    return [fromIn === -1 ? this.offsets.in : fromIn, fromOut === -1 ? this.offsets.out : fromOut];
  }

  /** The connection carries other sessions' requests too: every session shown it is told so. */
  private markShared(): void {
    this.shared = true;
    for (const [capture, info] of this.viewers) {
      // a new description: the one sent before may still wait in a batch for the browser
      const updated = { ...info, shared: true };
      this.viewers.set(capture, updated);
      capture.addConnection(updated);
    }
  }

  /** h2c: a second session's request; its frames cannot be told from the first session's. */
  private refuseToSplit(newcomer: SessionCapture): void {
    this.owner = { kind: 'shared' };
    this.inFlight = [];
    this.markShared();
    this.viewerOf(newcomer, this.offsets.in, this.offsets.out);
  }

  /** The description of this connection a session gets, made (and sent) the first time. */
  private viewerOf(capture: SessionCapture, fromIn: number, fromOut: number): ConnectionInfo {
    const known = this.viewers.get(capture);
    if (known) return known;
    const info: ConnectionInfo = { ...this.info };
    delete info.unrecorded;
    const reason = this.shared || this.viewers.size > 0 ? 'shared' : this.missingReason;
    if (fromIn > 0 || fromOut > 0) info.unrecorded = { in: fromIn, out: fromOut, reason };
    if (this.shared) info.shared = true;
    this.viewers.set(capture, info);
    capture.addConnection(info);
    return info;
  }

  /**
   * Input is held because the head of the connection filled the pending buffer: the parser has
   * read all of it and named no owner, so none will be found in the head. Give up on recording
   * the head (honestly: a later claim says so) and let the bytes flow again.
   */
  parserCaughtUp(): void {
    if (this.framer) {
      if (this.pending.length > 0) {
        this.takePending(Infinity);
        this.missingReason = 'pending-limit';
      }
    } else if (this.owner.kind === 'unknown') this.dropPending('pending-limit');
    this.socket.releaseInput();
  }

  private dropPending(reason: UnrecordedReason): void {
    this.owner = { kind: 'none', reason };
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The waiting pieces of requests up to `request` (all of them: Infinity), taken out of the buffer. */
  private takePending(request: number): Piece[] {
    const pending = this.pending;
    let kept = 0;
    for (const piece of pending) if (piece.request > request) kept += 1;
    if (kept === 0) {
      this.pending = [];
      this.pendingBytes = 0;
      return pending;
    }
    const taken: Piece[] = [];
    this.pending = [];
    this.pendingBytes = 0;
    for (const piece of pending) {
      if (piece.request <= request) taken.push(piece);
      else {
        this.pending.push(piece);
        this.pendingBytes += piece.data.length;
      }
    }
    return taken;
  }

  /**
   * The Buffer to hold on to until the bytes are pushed to a browser or claimed (the ring keeps
   * a copy of its own). Only what can change after us is copied, as a copy per chunk is a cost on
   * every request: a WebSocket's inbound frames (`ws` unmasks a client's frame in the very Buffer
   * the socket delivered) and what the HTTP/2 session writes (its buffers are not ours to keep).
   * Node's HTTP/1.1 parser and writer neither rewrite nor reuse theirs.
   */
  private keep(dir: Direction, data: Buffer): Buffer {
    return this.copies[dir] ? Buffer.from(data) : data;
  }

  private take(dir: Direction, data: Buffer): void {
    // Offsets count every byte, recorded or not, so a gap in what a browser sees is visible.
    const offset = this.offsets[dir];
    if (dir === 'out') this.lastOutboundStart = offset;
    this.offsets[dir] += data.length;
    if (dir === 'in') this.lastInbound = null;
    if (this.framer) {
      this.takeFramed(this.framer, dir, offset, data);
      return;
    }
    const owner = this.owner;
    if (owner.kind === 'session') {
      const kept = dir === 'out' ? this.outboundToRecord(data) : data;
      if (kept.length === 0) return;
      if (dir === 'in' && this.info.transport === 'h2c') this.holdInFlight({ dir, t: now(), offset, data: this.keep(dir, kept), request: 0 });
      else this.deliver(owner.capture, dir, now(), offset, this.keep(dir, kept));
    } else if (owner.kind === 'unknown') {
      this.hold({ dir, t: now(), offset, data: this.keep(dir, data), request: 0 });
    } else if (owner.kind === 'none' && dir === 'in' && !this.copies.in) {
      // This chunk may carry the request that names a session: keep it until the next one.
      // (Not after a WebSocket upgrade: no request follows, and keeping would cost a copy.)
      const piece = { dir, t: now(), offset, data: this.keep(dir, data), request: 0 };
      this.pending = [piece];
      this.lastInbound = piece;
    }
  }

  /** HTTP/1.1: inbound bytes cut by request, outbound bytes by the response being written. */
  private takeFramed(framer: Http1RequestFramer, dir: Direction, offset: number, data: Buffer): void {
    const t = now();
    if (dir === 'out') {
      const writing = (this.socket as unknown as WithResponse)._httpMessage;
      let owner = writing ? this.responseOwners.get(writing) : undefined;
      // A response not claimed yet, while a framed request waits for its owner, is one Node writes
      // to before announcing that request (the interim "100 Continue"): it waits for the same owner.
      // Any other (the response @fastify/websocket makes for an upgrade, Node's own 400) goes to
      // the owner of the latest request.
      if (!owner && !(writing && framer.lastRequestSeen >= this.exchangeCount)) owner = this.exchangeCount > 0 ? this.owner : undefined;
      if (owner) this.record(owner, dir, t, offset, data);
      else this.hold({ dir, t, offset, data: this.keep(dir, data), request: this.exchangeCount });
      return;
    }
    let at = 0;
    for (const piece of framer.push(data)) {
      const bytes = data.subarray(at, at + piece.length);
      const pieceOffset = offset + at;
      at += piece.length;
      if (piece.request === UNFRAMED) {
        // Bytes the framer lost track of: shown only where no other session can own them.
        if (this.exchangeCount > 0 && !this.shared) this.record(this.owner, dir, t, pieceOffset, bytes);
        continue;
      }
      const owner = this.exchanges.get(piece.request);
      if (owner) this.record(owner, dir, t, pieceOffset, bytes);
      else if (piece.request >= this.exchangeCount) this.hold({ dir, t, offset: pieceOffset, data: this.keep(dir, bytes), request: piece.request });
    }
    // Requests the framer has left behind get no more bytes: their owners can go.
    while (this.exchangesFrom < framer.currentRequest) this.exchanges.delete(this.exchangesFrom++);
  }

  /** Bytes whose owner is known: to the session's ring, or nowhere. */
  private record(owner: Owner, dir: Direction, t: number, offset: number, data: Buffer): void {
    if (owner.kind !== 'session') return;
    const kept = dir === 'out' ? this.outboundToRecord(data) : data;
    if (kept.length === 0) return;
    this.viewerOf(owner.capture, dir === 'in' ? offset : this.offsets.in, dir === 'out' ? offset : this.offsets.out);
    this.deliver(owner.capture, dir, t, offset, this.keep(dir, kept));
  }

  /**
   * Bytes waiting for their owner. Past the limit the network is not read (the chunk just taken
   * is the last, so the buffer holds at most the limit plus one read) until the parser has worked
   * through what it has: a client that uploads more than the limit before its first request is
   * parsed is still recorded from its first byte.
   */
  private hold(piece: Piece): void {
    this.pending.push(piece);
    this.pendingBytes += piece.data.length;
    if (piece.dir === 'in') this.lastInbound = piece;
    if (this.pendingBytes >= this.hub.limits.pendingBytes) this.socket.holdInput();
  }

  private holdInFlight(piece: Piece): void {
    this.inFlight.push(piece);
    if (this.inFlight.length === 1) setImmediate(() => this.landInFlight());
  }

  /** h2c: the requests of the held chunks are announced by now; still one owner, they are its. */
  private landInFlight(): void {
    const pieces = this.inFlight;
    this.inFlight = [];
    const owner = this.owner;
    if (owner.kind !== 'session') return;
    for (const piece of pieces) this.deliver(owner.capture, piece.dir, piece.t, piece.offset, piece.data);
  }

  /**
   * The part of an outbound chunk to record: all of it, or, for a response recorded head only,
   * up to the empty line that ends its head. The skipped body still counts in the offsets, so a
   * decoder sees a gap where it was and reads the next response from its start line.
   */
  private outboundToRecord(data: Buffer): Buffer {
    const state = this.responseRecording;
    if (state.mode === 'all') return data;
    if (state.mode === 'body') return data.subarray(0, 0);
    const terminator = [13, 10, 13, 10];
    let matched = state.headEndMatched;
    for (let i = 0; i < data.length; i++) {
      if (data[i] === terminator[matched]) matched++;
      else matched = data[i] === 13 ? 1 : 0;
      if (matched === 4) {
        const body = { mode: 'body' as const };
        this.responseRecording = body;
        this.headDone(body);
        return data.subarray(0, i + 1);
      }
    }
    state.headEndMatched = matched;
    return data;
  }

  /** `data` is kept as is: take() and claim() hand over what keep() returned. */
  private deliver(capture: SessionCapture, dir: Direction, t: number, offset: number, data: Buffer): void {
    if (!capture.recording) return;
    const chunk: CapturedChunk = { conn: this.info.id, seq: this.hub.nextSeq(), dir, t, offset, data };
    capture.record(chunk);
    if (dir === 'in') this.lastInbound = chunk;
  }
}

/**
 * A connection Wirelab opened itself, to a student's server (server/own-server): Wirelab is the
 * client. The session that asked owns it from its first byte, so there is nothing to frame or
 * claim; directions keep the channel's meaning (`in` client → server: what Wirelab sent).
 */
export interface OutboundRecorder {
  /** the connection's id in the capture channel, known before it connects (a check reports it) */
  readonly id: string;
  /** the TCP connection is up: announced with its two ends, and the bytes written before it go out */
  connected(client: { address?: string; port?: number }, server: { address?: string; port?: number }): void;
  /** bytes Wirelab wrote (`in`) */
  sent(chunk: Uint8Array): void;
  /** bytes the student's server sent (`out`) */
  received(chunk: Uint8Array): void;
  closed(): void;
}

class OutboundConnection implements OutboundRecorder {
  private offsets = { in: 0, out: 0 };
  /** what was written while the TCP connection was still being made (Node queues such writes) */
  private early: CapturedChunk[] = [];
  private announced = false;
  private info: ConnectionInfo | null = null;

  constructor(
    readonly id: string,
    private readonly transport: Transport,
    private readonly capture: SessionCapture,
    private readonly hub: CaptureHub,
  ) {}

  connected(client: { address?: string; port?: number }, server: { address?: string; port?: number }): void {
    if (this.announced) return;
    this.announced = true;
    // `remote` is the client's end and `local` the server's, as for every connection: here the
    // client is Wirelab, so a pcapng export shows Wirelab's port → the student's server.
    this.info = { id: this.id, transport: this.transport, remote: endpoint(client), local: endpoint(server), openedAt: now(), outbound: true };
    this.capture.addConnection(this.info);
    for (const chunk of this.early) this.capture.record(chunk);
    this.early = [];
  }

  sent(chunk: Uint8Array): void {
    this.take('in', chunk);
  }

  received(chunk: Uint8Array): void {
    this.take('out', chunk);
  }

  closed(): void {
    this.early = [];
    if (!this.info || this.info.closedAt !== undefined) return;
    this.info.closedAt = now();
    this.capture.closeConnection(this.info);
  }

  private take(dir: Direction, bytes: Uint8Array): void {
    const offset = this.offsets[dir];
    this.offsets[dir] += bytes.length;
    if (bytes.length === 0 || !this.capture.recording || this.info?.closedAt !== undefined) return;
    // A copy: a client may reuse or unmask the Buffer it wrote or read after we saw it.
    const chunk: CapturedChunk = { conn: this.id, seq: this.hub.nextSeq(), dir, t: now(), offset, data: Buffer.from(bytes) };
    if (this.announced) this.capture.record(chunk);
    else this.early.push(chunk);
  }
}

function endpoint(side: { address?: string; port?: number }): string {
  return `${side.address ?? '?'}:${side.port ?? 0}`;
}

const connectionOf = Symbol('wirelab.tappedConnection');
type Tapped = TapSocket & { [connectionOf]?: TappedConnection };

/**
 * Keeps each browser session's captures and hands them to that session's browsers only.
 * One hub per app: the listener registers connections, the session layer names their owners,
 * the capture channel subscribes.
 */
export class CaptureHub implements CaptureBudget {
  readonly limits: CaptureLimits;
  private sessions = new Map<string, SessionCapture>();
  /** heap held by every ring, and by the rings of each client address */
  private heldTotal = 0;
  private heldByAddress = new Map<string, number>();
  private connectionCount = 0;
  private seq = 0;

  constructor(limits: Partial<CaptureLimits> = {}) {
    this.limits = { ...defaultCaptureLimits, ...limits };
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Starts recording a connection; its bytes wait until a request names its owner. */
  track(socket: TapSocket, transport: Transport): void {
    const info: ConnectionInfo = {
      id: `c${++this.connectionCount}`,
      transport,
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      local: `${socket.localAddress}:${socket.localPort}`,
      openedAt: now(),
    };
    const connection = new TappedConnection(info, this, socket);
    (socket as Tapped)[connectionOf] = connection;
    socket.observer = connection;
  }

  /**
   * Records a connection Wirelab opens to a student's server for the session that asked
   * (`address`: the student's, as the budgets count it). See OutboundRecorder.
   */
  trackOutbound(sessionId: string, address: string, transport: Transport): OutboundRecorder {
    return new OutboundConnection(`c${++this.connectionCount}`, transport, this.session(sessionId, clientAddress(address)), this);
  }

  /**
   * Names the owner of a request: a session id, or null when the request names none (its bytes
   * are not recorded). On HTTP/1.1 the owner is the request's exchange's (`request`, its method
   * and target, checks which request it is; `response` answers it); on h2c and MQTT the first
   * session named keeps the connection.
   * `socket` is the request's socket as Node exposes it (for HTTP/2, a proxy of the TapSocket).
   */
  claim(socket: unknown, sessionId: string | null, request?: { method?: string; url?: string }, response?: object): void {
    const connection = (findTapSocket(socket) as Tapped | undefined)?.[connectionOf];
    if (!connection) return;
    connection.claim(sessionId ? this.session(sessionId, connection.address).asOwner : NO_SESSION, request, response);
  }

  /** The connection switched to WebSocket (a 101 is on its way): see TappedConnection.upgraded. */
  upgraded(socket: unknown): void {
    (findTapSocket(socket) as Tapped | undefined)?.[connectionOf]?.upgraded();
  }

  /**
   * The response to the request just arrived on this connection (an HTTP/1.1 one) is recorded up
   * to the end of its head: the app's own files (bundles, fonts, index.html) would otherwise fill
   * a session's ring on every page load and evict what the student captured before. Returns
   * whether it applies (h2c connections, whose HPACK state needs every frame, are kept whole).
   */
  recordHeadOnly(socket: unknown, response: { once(event: 'finish' | 'close', listener: () => void): unknown }): boolean {
    const connection = (findTapSocket(socket) as Tapped | undefined)?.[connectionOf];
    if (!connection || connection.info.transport !== 'http/1.1' || connection.ownerOfResponse(response).kind !== 'session') return false;
    const finished = connection.headOnly();
    response.once('finish', finished);
    response.once('close', finished);
    return true;
  }

  /** The capture channel's own connection: never recorded, never shown. */
  exclude(socket: unknown, request?: { method?: string; url?: string }): void {
    const connection = (findTapSocket(socket) as Tapped | undefined)?.[connectionOf];
    if (connection) connection.claim({ kind: 'internal' }, request);
  }

  connectionId(socket: unknown): string | undefined {
    return (findTapSocket(socket) as Tapped | undefined)?.[connectionOf]?.info.id;
  }

  subscribe(sessionId: string, subscriber: CaptureSubscriber): () => void {
    return this.session(sessionId).subscribe(subscriber);
  }

  setRecording(sessionId: string, on: boolean): void {
    this.session(sessionId).setRecording(on);
  }

  isRecording(sessionId: string): boolean {
    return this.sessions.get(sessionId)?.recording ?? true;
  }

  clear(sessionId: string): void {
    this.sessions.get(sessionId)?.clear();
  }

  /** Heap held by the rings of every session (or of one client address's sessions). */
  heldBytes(address?: string): number {
    return address === undefined ? this.heldTotal : (this.heldByAddress.get(address) ?? 0);
  }

  /** Sessions with captures kept (of one client address, or all). */
  sessionCount(address?: string): number {
    if (address === undefined) return this.sessions.size;
    let count = 0;
    for (const capture of this.sessions.values()) if (capture.address === address) count += 1;
    return count;
  }

  /** CaptureBudget: a ring grew or shrank; past the total, memory is taken back at once. */
  held(capture: SessionCapture, delta: number): void {
    this.heldTotal += delta;
    const left = (this.heldByAddress.get(capture.address) ?? 0) + delta;
    if (left > 0) this.heldByAddress.set(capture.address, left);
    else this.heldByAddress.delete(capture.address);
    if (delta > 0 && this.heldTotal > this.limits.totalBytes) this.reclaim();
  }

  /**
   * Takes heap back until the rings fit the total: always from the client address holding the
   * most, its least recently active session first. So a client filling many sessions loses its
   * own oldest chunks, and another address's captures are touched only once every address is
   * down to the same share.
   */
  private reclaim(): void {
    while (this.heldTotal > this.limits.totalBytes) {
      let hog: string | undefined;
      let most = 0;
      for (const [address, bytes] of this.heldByAddress) {
        if (bytes > most) [hog, most] = [address, bytes];
      }
      if (hog === undefined) return;
      let victim: SessionCapture | undefined;
      for (const capture of this.sessions.values()) {
        if (capture.address === hog && capture.heldBytes > 0 && (!victim || capture.lastActive < victim.lastActive)) victim = capture;
      }
      if (!victim) return;
      victim.shrink();
    }
  }

  private session(sessionId: string, address?: string): SessionCapture {
    let capture = this.sessions.get(sessionId);
    if (!capture) {
      if (address !== undefined && this.sessionCount(address) >= this.limits.sessionsPerAddress) this.evictIdleSession(address);
      if (this.sessions.size >= this.limits.sessions) this.evictIdleSession();
      capture = new SessionCapture(this.limits, this);
      this.sessions.set(sessionId, capture);
    }
    if (address !== undefined && capture.address !== address && capture.address === '?') this.moveTo(capture, address);
    return capture;
  }

  /** A session first seen on the capture channel gets its address from its first recorded connection. */
  private moveTo(capture: SessionCapture, address: string): void {
    const bytes = capture.heldBytes;
    this.held(capture, -bytes);
    capture.address = address;
    this.held(capture, bytes);
  }

  /**
   * Makes room for a new session: the least recently active unwatched session of `address`, or,
   * server-wide, of the address with the most sessions — a client opening a thousand sessions
   * evicts its own, never a student's.
   */
  private evictIdleSession(address?: string): void {
    let from = address;
    if (from === undefined) {
      const counts = new Map<string, number>();
      for (const capture of this.sessions.values()) if (!capture.watched) counts.set(capture.address, (counts.get(capture.address) ?? 0) + 1);
      let most = 0;
      for (const [candidate, count] of counts) if (count > most) [from, most] = [candidate, count];
    }
    let oldest: [string, SessionCapture] | undefined;
    for (const entry of this.sessions) {
      if (entry[1].watched || entry[1].address !== from) continue;
      if (!oldest || entry[1].lastActive < oldest[1].lastActive) oldest = entry;
    }
    if (!oldest) return;
    oldest[1].retire();
    this.sessions.delete(oldest[0]);
  }
}

/** `10.0.0.7:52114` → `10.0.0.7`; `::ffff:10.0.0.7:52114` → `10.0.0.7` (one client either way). */
function clientAddressOf(remote: string): string {
  return clientAddress(remote.slice(0, remote.lastIndexOf(':')));
}
