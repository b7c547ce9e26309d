import { type FramedPiece, Http1RequestFramer, UNFRAMED } from '../../wire/http1/http1-request-framer.ts';
import { clientAddress } from '../limits/address-budget.ts';
import type { TapObserver, TapSocket } from './tap-socket.ts';
import type { CapturedChunk, ConnectionInfo, Direction, UnrecordedReason } from './capture-types.ts';
import { now, type CaptureSequence, type Owner, type SessionCapture } from './session-capture.ts';

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

/**
 * No bytes waiting: one empty list for every connection (an idle server holds thousands), frozen
 * so that a push to it throws instead of sharing pieces between connections.
 */
const NO_PIECES = Object.freeze([]) as unknown as Piece[];

/** Every byte of the response is recorded: one object for every connection (thousands sit idle in it). */
const RECORD_ALL: ResponseRecording = { mode: 'all' };

/** headDone of a connection that has recorded no response head-only: one function, not a closure per connection. */
const NO_HEAD_ONLY_RESPONSE = (): void => {};

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
export class TappedConnection implements TapObserver {
  /**
   * h2c and MQTT: the owner of the connection. HTTP/1.1: the owner of the latest request, who also
   * gets bytes of no request (Node's own 400 or 408, everything after a WebSocket upgrade).
   */
  owner: Owner = { kind: 'unknown' };
  /** the client address it came from, as the budgets count it */
  readonly address: string;
  /** HTTP/1.1 until an upgrade: cuts the inbound bytes by request (null on h2c and MQTT, and once upgraded) */
  private framer: Http1RequestFramer | null;
  /**
   * HTTP/1.1: the owner of each request still being read, by its place on the connection. The
   * latest in two fields, the others (pipelined requests) in a map made when needed: a connection
   * mostly has one request in flight, a WebSocket its upgrade for its whole life.
   */
  private exchange = -1;
  private exchangeOwner: Owner | null = null;
  private otherExchanges: Map<number, Owner> | null = null;
  /** HTTP/1.1: every request below this one has left the owners above */
  private exchangesFrom = 0;
  /** HTTP/1.1: requests claimed so far (the next claim is this one, unless Node skipped one) */
  private exchangeCount = 0;
  /** HTTP/1.1: the session of the first request that named one */
  private firstSession: SessionCapture | null = null;
  /** made at the first response claimed: a WebSocket's upgrade has none, and an idle server holds thousands */
  private responseOwners: WeakMap<object, Owner> | null = null;
  /**
   * The first session shown this connection and the description it was given; the others (a
   * shared connection's) in a map made for the second: nearly every connection has one viewer,
   * and an idle server holds thousands of connections.
   */
  private viewer: SessionCapture | null = null;
  private viewerInfo: ConnectionInfo | null = null;
  private otherViewers: Map<SessionCapture, ConnectionInfo> | null = null;
  private pending: Piece[] = NO_PIECES;
  private pendingBytes = 0;
  /** why the bytes before a session's first exchange are missing, unless another session had them */
  private missingReason: UnrecordedReason = 'no-session';
  private shared = false;
  /** h2c: inbound chunks of the owner that wait until the session has announced their requests */
  private inFlight: Piece[] = NO_PIECES;
  /** bytes each way so far (fields, not an object of two: an idle server holds thousands of these) */
  private inOffset = 0;
  private outOffset = 0;
  /** what kept the last inbound bytes (a ring chunk or a pending piece), while they may still need a copy */
  private lastInbound: { data: Buffer } | null = null;
  /**
   * Whether the Buffers this connection reads and writes must be copied to be kept as they
   * crossed: see keep().
   */
  private copyInbound = false;
  private readonly copyOutbound: boolean;
  /**
   * The response being written is recorded up to the end of its head only (see
   * CaptureHub.recordHeadOnly): `head` while its head is written (`headEndMatched` counts the
   * bytes of "\r\n\r\n" seen so far), `body` while its body is skipped.
   */
  private responseRecording: ResponseRecording = RECORD_ALL;
  private headDone: (body: { mode: 'body' }) => void = NO_HEAD_ONLY_RESPONSE;

  constructor(
    /** the connection's description: replaced, never changed in place, but for closedAt (see viewerOf) */
    public info: ConnectionInfo,
    private readonly hub: CaptureSequence,
    private readonly socket: TapSocket,
  ) {
    // (the socket's own string where it has one: the client's address is kept as long as the connection)
    this.address = socket.remoteAddress !== undefined ? clientAddress(socket.remoteAddress) : clientAddressOf(info.remote);
    this.copyOutbound = info.transport === 'h2c';
    this.framer = info.transport === 'http/1.1' ? framerOf(socket) : null;
  }

  /**
   * The connection now carries WebSocket frames: their reader unmasks them in place. Every byte
   * from now on, each way, is the upgrade request's, whose owner is the latest named (`owner`):
   * the bytes go to it without framing, and an idle WebSocket holds no framer and no exchanges.
   */
  upgraded(): void {
    this.copyInbound = true;
    // The upgrade request's chunk may already hold the first frames, and the reader gets them
    // as a view of the very Buffer recorded.
    if (this.lastInbound) this.lastInbound.data = Buffer.from(this.lastInbound.data);
    // Nothing needs it any more (every later inbound chunk is copied): an idle WebSocket must not hold it.
    this.lastInbound = null;
    if (this.framer && this.exchangeCount > 0) {
      this.framer = null;
      this.exchange = -1;
      this.exchangeOwner = null;
      this.otherExchanges = null;
      this.responseOwners = null;
    }
  }

  /** `pieces`: the chunk as the socket's own framer cut it (the same framer as this.framer) */
  inbound(chunk: Buffer, pieces?: FramedPiece[]): void {
    this.take('in', chunk, pieces);
  }

  outbound(chunk: Buffer): void {
    this.take('out', chunk);
  }

  /**
   * outbound() of the parts joined, joined only when they are kept (recorded for a session, or
   * held for an owner not known yet): Node writes a response's head and body as two parts of one
   * write, and a 1 MB body that no session records was copied whole for nothing.
   */
  outboundParts(parts: readonly Buffer[], length: number): void {
    if (this.keepsOutbound()) this.take('out', parts.length === 1 ? parts[0] : Buffer.concat(parts, length));
    else this.countOutbound(length);
  }

  /** Whether take('out', …) would now record or hold what it is given. */
  private keepsOutbound(): boolean {
    if (this.framer) {
      const owner = this.ownerOfWriting(this.framer);
      return owner === undefined || owner.kind === 'session';
    }
    return this.owner.kind === 'session' || this.owner.kind === 'unknown';
  }

  /** From now until `finished`, the response's body is not recorded (its head is). */
  headOnly(): () => void {
    const state: typeof this.responseRecording = { mode: 'head', headEndMatched: 0 };
    this.responseRecording = state;
    let body: ResponseRecording | null = null;
    this.headDone = (next) => (body = next);
    // Ends this response's skipping only (a later response may have started its own).
    return () => {
      if (this.responseRecording === state || this.responseRecording === body) this.responseRecording = RECORD_ALL;
    };
  }

  /** The owner of the exchange this response belongs to (HTTP/1.1), else of the connection. */
  ownerOfResponse(response: object): Owner {
    return this.responseOwners?.get(response) ?? this.owner;
  }

  /** Outbound offset when the peer sent FIN: what is written after it may never be read. */
  private outboundAtPeerEnd: number | undefined;
  /** Outbound offset where the latest write started (a failed write fails from there). */
  private lastOutboundStart = 0;

  peerEnded(): void {
    this.outboundAtPeerEnd ??= this.outOffset;
  }

  /**
   * The peer reset the connection. A client that closed its socket answers any data that arrives
   * after with a reset, and drops that data: what was written after its FIN was never delivered.
   * Without a FIN before, the write that failed (EPIPE) was not delivered either.
   */
  peerReset(code: string): void {
    if (this.info.undelivered) return;
    const from = this.outboundAtPeerEnd ?? (code === 'EPIPE' ? this.lastOutboundStart : this.outOffset);
    if (from >= this.outOffset) return;
    const undelivered = { from, reason: this.outboundAtPeerEnd !== undefined ? ('peer-closed' as const) : ('peer-reset' as const) };
    // A new description, not a change to the one a session may share and have waiting in a batch.
    this.info = { ...this.info, undelivered };
    for (const [capture, info] of this.viewers()) {
      // a new description, as for markShared: the one sent before may still wait in a batch
      const updated = { ...info, undelivered };
      this.describeTo(capture, updated);
      capture.addConnection(updated);
    }
  }

  closed(): void {
    this.info.closedAt = now();
    for (const [capture, info] of this.viewers()) {
      info.closedAt = this.info.closedAt;
      capture.closeConnection(info);
    }
    this.pending = NO_PIECES;
    this.inFlight = NO_PIECES;
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
      if (owner.kind === 'session') this.viewerOf(owner.capture, this.inOffset, this.outOffset);
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
    if (index >= framer.currentRequest) this.setExchangeOwner(index, owner);
    if (response) (this.responseOwners ??= new WeakMap()).set(response, owner);
    const previous = this.owner;
    this.owner = owner;
    if (previous.kind === 'none') this.missingReason = previous.reason;
    // A start with no session, then a session, is not "shared": that connection is recorded from
    // a later byte, as it always was (a first visit before the cookie). Anything else after the
    // first session's request is.
    if (!this.firstSession && owner.kind === 'session') this.firstSession = owner.capture;
    else if (this.firstSession && !this.shared && owner.kind !== 'internal' && (owner.kind !== 'session' || owner.capture !== this.firstSession))
      this.markShared();
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
    return [fromIn === -1 ? this.inOffset : fromIn, fromOut === -1 ? this.outOffset : fromOut];
  }

  /** The connection carries other sessions' requests too: every session shown it is told so. */
  private markShared(): void {
    this.shared = true;
    for (const [capture, info] of this.viewers()) {
      // a new description: the one sent before may still wait in a batch for the browser
      const updated = { ...info, shared: true };
      this.describeTo(capture, updated);
      capture.addConnection(updated);
    }
  }

  /** h2c: a second session's request; its frames cannot be told from the first session's. */
  private refuseToSplit(newcomer: SessionCapture): void {
    this.owner = { kind: 'shared' };
    this.inFlight = NO_PIECES;
    this.markShared();
    this.viewerOf(newcomer, this.inOffset, this.outOffset);
  }

  /** The description of this connection a session gets, made (and sent) the first time. */
  private viewerOf(capture: SessionCapture, fromIn: number, fromOut: number): ConnectionInfo {
    const known = capture === this.viewer ? this.viewerInfo : this.otherViewers?.get(capture);
    if (known) return known;
    const whole = fromIn === 0 && fromOut === 0 && !this.shared;
    // Seen from its first byte and by one session (nearly every connection): the connection's own
    // description, not a copy of it per connection (an idle server holds thousands). It is never
    // changed in place but for closedAt, which every view shares.
    const info: ConnectionInfo = whole ? this.info : { ...this.info };
    if (!whole) {
      const reason = this.shared || this.viewer ? 'shared' : this.missingReason;
      if (fromIn > 0 || fromOut > 0) info.unrecorded = { in: fromIn, out: fromOut, reason };
      if (this.shared) info.shared = true;
    }
    this.describeTo(capture, info);
    capture.addConnection(info);
    return info;
  }

  /** Every session shown this connection, with the description it was given. */
  private viewers(): Array<[SessionCapture, ConnectionInfo]> {
    if (!this.viewer || !this.viewerInfo) return [];
    return [[this.viewer, this.viewerInfo], ...(this.otherViewers ?? [])];
  }

  private describeTo(capture: SessionCapture, info: ConnectionInfo): void {
    if (!this.viewer || this.viewer === capture) {
      this.viewer = capture;
      this.viewerInfo = info;
    } else (this.otherViewers ??= new Map()).set(capture, info);
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
    this.pending = NO_PIECES;
    this.pendingBytes = 0;
  }

  /** The waiting pieces of requests up to `request` (all of them: Infinity), taken out of the buffer. */
  private takePending(request: number): Piece[] {
    const pending = this.pending;
    let kept = 0;
    for (const piece of pending) if (piece.request > request) kept += 1;
    if (kept === 0) {
      this.pending = NO_PIECES;
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
    return (dir === 'in' ? this.copyInbound : this.copyOutbound) ? Buffer.from(data) : data;
  }

  /** Outbound bytes written, kept or not: where they start. */
  private countOutbound(length: number): number {
    const offset = this.outOffset;
    this.lastOutboundStart = offset;
    this.outOffset += length;
    return offset;
  }

  private take(dir: Direction, data: Buffer, pieces?: FramedPiece[]): void {
    // Offsets count every byte, recorded or not, so a gap in what a browser sees is visible.
    let offset: number;
    if (dir === 'in') {
      offset = this.inOffset;
      this.inOffset += data.length;
      this.lastInbound = null;
    } else offset = this.countOutbound(data.length);
    if (this.framer) {
      this.takeFramed(this.framer, dir, offset, data, pieces);
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
    } else if (owner.kind === 'none' && dir === 'in' && !this.copyInbound) {
      // This chunk may carry the request that names a session: keep it until the next one.
      // (Not after a WebSocket upgrade: no request follows, and keeping would cost a copy.)
      const piece = { dir, t: now(), offset, data: this.keep(dir, data), request: 0 };
      this.pending = [piece];
      this.lastInbound = piece;
    }
  }

  /** HTTP/1.1: inbound bytes cut by request, outbound bytes by the response being written. */
  private takeFramed(framer: Http1RequestFramer, dir: Direction, offset: number, data: Buffer, framed?: FramedPiece[]): void {
    const t = now();
    if (dir === 'out') {
      const owner = this.ownerOfWriting(framer);
      if (owner) this.record(owner, dir, t, offset, data);
      else this.hold({ dir, t, offset, data: this.keep(dir, data), request: this.exchangeCount });
      return;
    }
    let at = 0;
    for (const piece of framed ?? framer.push(data)) {
      const bytes = data.subarray(at, at + piece.length);
      const pieceOffset = offset + at;
      at += piece.length;
      if (piece.request === UNFRAMED) {
        // Bytes the framer lost track of: shown only where no other session can own them.
        if (this.exchangeCount > 0 && !this.shared) this.record(this.owner, dir, t, pieceOffset, bytes);
        continue;
      }
      const owner = piece.request === this.exchange ? this.exchangeOwner : this.otherExchanges?.get(piece.request);
      if (owner) this.record(owner, dir, t, pieceOffset, bytes);
      else if (piece.request >= this.exchangeCount) this.hold({ dir, t, offset: pieceOffset, data: this.keep(dir, bytes), request: piece.request });
    }
    // Requests the framer has left behind get no more bytes: their owners can go.
    while (this.exchangesFrom < framer.currentRequest) this.forgetExchange(this.exchangesFrom++);
  }

  /** HTTP/1.1: who owns what is written now; undefined: nobody yet (it waits for its owner). */
  private ownerOfWriting(framer: Http1RequestFramer): Owner | undefined {
    const writing = (this.socket as unknown as WithResponse)._httpMessage;
    const owner = writing ? this.responseOwners?.get(writing) : undefined;
    if (owner) return owner;
    // A response not claimed yet, while a framed request waits for its owner, is one Node writes
    // to before announcing that request (the interim "100 Continue"): it waits for the same owner.
    // Any other (the response @fastify/websocket makes for an upgrade, Node's own 400) goes to
    // the owner of the latest request.
    if (writing && framer.lastRequestSeen >= this.exchangeCount) return undefined;
    return this.exchangeCount > 0 ? this.owner : undefined;
  }

  private setExchangeOwner(request: number, owner: Owner): void {
    if (this.exchange === -1 || this.exchange === request) {
      this.exchange = request;
      this.exchangeOwner = owner;
    } else (this.otherExchanges ??= new Map()).set(request, owner);
  }

  private forgetExchange(request: number): void {
    if (request === this.exchange) {
      this.exchange = -1;
      this.exchangeOwner = null;
    } else this.otherExchanges?.delete(request);
  }

  /** Bytes whose owner is known: to the session's ring, or nowhere. */
  private record(owner: Owner, dir: Direction, t: number, offset: number, data: Buffer): void {
    if (owner.kind !== 'session') return;
    const kept = dir === 'out' ? this.outboundToRecord(data) : data;
    if (kept.length === 0) return;
    this.viewerOf(owner.capture, dir === 'in' ? offset : this.inOffset, dir === 'out' ? offset : this.outOffset);
    this.deliver(owner.capture, dir, t, offset, this.keep(dir, kept));
  }

  /**
   * Bytes waiting for their owner. Past the limit the network is not read (the chunk just taken
   * is the last, so the buffer holds at most the limit plus one read) until the parser has worked
   * through what it has: a client that uploads more than the limit before its first request is
   * parsed is still recorded from its first byte.
   */
  private hold(piece: Piece): void {
    if (this.pending === NO_PIECES) this.pending = [piece];
    else this.pending.push(piece);
    this.pendingBytes += piece.data.length;
    if (piece.dir === 'in') this.lastInbound = piece;
    if (this.pendingBytes >= this.hub.limits.pendingBytes) this.socket.holdInput();
  }

  private holdInFlight(piece: Piece): void {
    if (this.inFlight === NO_PIECES) {
      this.inFlight = [piece];
      setImmediate(() => this.landInFlight());
    } else this.inFlight.push(piece);
  }

  /** h2c: the requests of the held chunks are announced by now; still one owner, they are its. */
  private landInFlight(): void {
    const pieces = this.inFlight;
    this.inFlight = NO_PIECES;
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
    if (dir === 'in' && !this.copyInbound) this.lastInbound = chunk;
  }
}

/**
 * The framer of an HTTP/1.1 connection: the socket's own when it cuts its input by request for
 * the pace (server/limits/), so a request's head is read once; it then keeps request lines too.
 */
function framerOf(socket: TapSocket): Http1RequestFramer {
  const framer = socket.requestFramer ?? new Http1RequestFramer();
  framer.keepRequestLines = true;
  return framer;
}

/** `10.0.0.7:52114` → `10.0.0.7`; `::ffff:10.0.0.7:52114` → `10.0.0.7` (one client either way). */
export function clientAddressOf(remote: string): string {
  return clientAddress(remote.slice(0, remote.lastIndexOf(':')));
}
