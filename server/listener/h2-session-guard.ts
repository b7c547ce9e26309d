import http2 from 'node:http2';
import type { Socket } from 'node:net';
import type { AddressBudget, SlotAdmission } from '../limits/address-budget.ts';
import { Http2AddressCalm, type CalmReport } from './h2-address-calm.ts';
import { StreamTurns } from './h2-stream-turns.ts';

const { NGHTTP2_CANCEL, NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_REFUSED_STREAM } = http2.constants;

/**
 * What Node's HTTP/2 server is told to refuse itself (nghttp2, before any JavaScript runs):
 * - `maxConcurrentStreams` 100 per session (the SETTINGS it sends); `maxSessionRejectedStreams`:
 *   a client that opens past it 100 times gets GOAWAY `ENHANCE_YOUR_CALM` (Node's default, kept);
 * - `maxSessionInvalidFrames` 100 (Node's default is 1 000): a session that keeps sending frames
 *   the protocol forbids is ended sooner;
 * - `maxHeaderListPairs` 128 and `maxSettings` 32 (Node's defaults, named so they stay): a
 *   CONTINUATION flood past 128 header fields gets its stream reset, and nghttp2 ends the
 *   session after a few such frames (its own CVE-2024-28182 limit), before the guard below sees it;
 * - `maxSessionMemory` 10 MB: what nghttp2 may hold for one session.
 */
export const HTTP2_SERVER_OPTIONS: http2.ServerOptions = {
  maxSessionMemory: 10,
  maxSessionInvalidFrames: 100,
  maxSessionRejectedStreams: 100,
  maxHeaderListPairs: 128,
  maxSettings: 32,
  settings: { maxConcurrentStreams: 100 },
};

/** What one HTTP/2 session may do before the guard ends it with GOAWAY `ENHANCE_YOUR_CALM`. */
export interface Http2SessionLimits {
  /** streams the client resets before their answer began, per window (rapid reset, CVE-2023-44487) */
  resetsPerSession: number;
  /** SETTINGS and PING frames the client sends, per window: each costs the server an answer */
  controlFramesPerSession: number;
  /** streams the server refused for its address's budgets (`h2Streams`, `h2OpenStreams`), per window */
  refusedStreamsPerSession: number;
  windowMs: number;
  /** a response the client's flow-control window holds at 0 bytes this long: a zero-window stall */
  stalledMs: number;
  /** after one of its sessions was ended for any of the above, its address's new sessions are refused at their start this long */
  calmMs: number;
  /** such a refusal is sent this long after the connection's first bytes (h2-address-calm.ts) */
  calmRefusalHoldMs: number;
  /** an address's admitted streams handed to the app in one turn of the event loop; the others wait for the next turns */
  streamsPerTurn: number;
}

export const DEFAULT_HTTP2_SESSION_LIMITS: Http2SessionLimits = {
  // A gRPC client cancels a call when its user clicks Cancel or a deadline passes: a few a second at most.
  resetsPerSession: 200,
  // gRPC keepalive and BDP pings, a SETTINGS change now and then: well under 10 a second.
  controlFramesPerSession: 1000,
  refusedStreamsPerSession: 20,
  windowMs: 10_000,
  stalledMs: 10_000,
  // a window: what the flood spent in it is refilled by then
  calmMs: 10_000,
  // a script waiting for its refusal comes back once a second, not some hundred times
  calmRefusalHoldMs: 1000,
  // a hundred at once, a zero-window flood's first reads held the loop for every student (h2-stream-turns.ts)
  streamsPerTurn: 4,
};

/** A session's share of its budgets while its address calms down (`endIfOverBudget`). */
export const CALMING_BUDGET_SHARE = 0.1;

/** From the guard's GOAWAY to the connection's close. */
const GOAWAY_GRACE_MS = 250;

export type SessionRefusalReason = 'rapid-reset' | 'control-frame-flood' | 'over-stream-budget' | 'zero-window-stall' | 'protocol-error';

/** One refused session, as its one log line reports it. */
export interface SessionRefusal {
  address: string;
  reason: SessionRefusalReason;
  /** streams the client opened on the session */
  streams: number;
  /** of them, reset by the client before their answer began */
  resets: number;
  /** SETTINGS and PING frames it sent */
  controlFrames: number;
  /** streams refused for the address's budgets */
  refusedStreams: number;
  /** protocol-error: what Node or nghttp2 said */
  detail?: string;
}

export interface Http2GuardOptions {
  /** the per-address stream budgets (`h2Streams` rate, `h2OpenStreams` slots); null: none */
  budget: AddressBudget | null;
  limits?: Partial<Http2SessionLimits>;
  /** once per refused session (never per stream) */
  onRefused(refusal: SessionRefusal): void;
  /** once per address's calm that refused sessions at their start (never per session) */
  onCalmEnded?(report: CalmReport): void;
  now?: () => number;
}

/** Counts of one window of a session (reset together when the window has passed). */
interface SessionCounts {
  windowStart: number;
  resets: number;
  controlFrames: number;
  refusedStreams: number;
}

/** What the guard keeps of one session. */
interface GuardedSession {
  session: http2.ServerHttp2Session;
  address: string;
  window: SessionCounts;
  streams: number;
  resetsTotal: number;
  controlFramesTotal: number;
  refusedTotal: number;
  open: Set<http2.ServerHttp2Stream>;
  /** since when a response has been held by a zero window with nothing written (0: not stalled) */
  stalledSince: number;
  bytesWrittenAtCheck: number;
  refused: boolean;
}

/**
 * Ends an HTTP/2 session that floods, with GOAWAY `ENHANCE_YOUR_CALM` and one log line: rapid
 * reset, SETTINGS/PING floods, streams past its address's budgets, a zero-window stall — and
 * logs the sessions nghttp2 ends itself (a CONTINUATION flood). A stream the client reset in the
 * same read that opened it never reaches the app (`deferUntilRead`): it is neither handled nor logged.
 */
export class Http2SessionGuard {
  private readonly limits: Http2SessionLimits;
  private readonly now: () => number;
  private readonly guarded = new Set<GuardedSession>();
  /** each admitted stream's client address */
  private readonly admitted = new WeakMap<http2.ServerHttp2Stream, string>();
  private readonly turns: StreamTurns;
  private stallTimer: NodeJS.Timeout | null = null;
  private readonly calm: Http2AddressCalm;

  constructor(private readonly options: Http2GuardOptions) {
    this.limits = { ...DEFAULT_HTTP2_SESSION_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.turns = new StreamTurns(this.limits.streamsPerTurn);
    this.calm = new Http2AddressCalm({
      calmMs: this.limits.calmMs,
      closeAfterMs: GOAWAY_GRACE_MS,
      holdMs: this.limits.calmRefusalHoldMs,
      onCalmEnded: (report) => options.onCalmEnded?.(report),
      now: this.now,
    });
  }

  /**
   * A new h2c connection of `address`, before any session is made: while the address calms down
   * (one of its sessions was ended for flooding less than `calmMs` ago) it is refused here
   * (h2-address-calm.ts: SETTINGS and GOAWAY ENHANCE_YOUR_CALM, no frame of it parsed) and true
   * is returned; else false, and it goes on to the HTTP/2 server.
   */
  refusedAtStart(socket: Socket, address: string): boolean {
    if (!this.calm.isCalming(address)) return false;
    this.calm.refuseAtStart(socket, address);
    return true;
  }

  /** Watches a new session of `address` (the client, as the PROXY protocol names it). */
  watch(session: http2.ServerHttp2Session, address: string): void {
    const guarded: GuardedSession = {
      session,
      address,
      window: { windowStart: this.now(), resets: 0, controlFrames: 0, refusedStreams: 0 },
      streams: 0,
      resetsTotal: 0,
      controlFramesTotal: 0,
      refusedTotal: 0,
      open: new Set(),
      stalledSince: 0,
      bytesWrittenAtCheck: 0,
      refused: false,
    };
    this.guarded.add(guarded);
    session.prependListener('stream', (stream) => this.onStream(guarded, stream));
    session.on('remoteSettings', () => this.onControlFrame(guarded));
    session.on('ping', () => this.onControlFrame(guarded));
    // nghttp2 ended the session itself (ERR_HTTP2_ERROR: "Too many CONTINUATION frames following a
    // HEADER frame", frames the protocol forbids, its own reset limit); a client that merely went
    // away (ECONNRESET) is no refused session
    session.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_HTTP2_ERROR') this.refuse(guarded, 'protocol-error', error.message, false);
    });
    session.once('close', () => {
      this.guarded.delete(guarded);
      if (this.guarded.size === 0) this.stopStallChecks();
    });
    this.startStallChecks();
  }

  /**
   * The request handler, run once the read that opened the stream has been taken in whole and
   * the stream's turn has come (`streamsPerTurn` of its address a turn, h2-stream-turns.ts): a
   * stream the client reset meanwhile (HEADERS then RST_STREAM) is dropped unhandled, and so is
   * one the guard refused. `arrived` runs at once, in the read itself, for every admitted
   * stream: what must know a request before its bytes go anywhere (the byte tap names the
   * connection's owner there, so another session's request is never recorded as the first's).
   */
  deferUntilRead<Req extends { stream: http2.ServerHttp2Stream }, Res>(
    arrived: (req: Req, res: Res) => void,
    handle: (req: Req, res: Res) => void,
  ): (req: Req, res: Res) => void {
    return (req, res) => {
      const address = this.admitted.get(req.stream);
      if (address === undefined) return;
      arrived(req, res);
      this.turns.add(address, () => {
        if (req.stream.destroyed || req.stream.closed) return;
        handle(req, res);
      });
    };
  }

  /** Sessions watched now. */
  get sessions(): number {
    return this.guarded.size;
  }

  private windowOf(guarded: GuardedSession): SessionCounts {
    const now = this.now();
    if (now - guarded.window.windowStart >= this.limits.windowMs) guarded.window = { windowStart: now, resets: 0, controlFrames: 0, refusedStreams: 0 };
    return guarded.window;
  }

  private onStream(guarded: GuardedSession, stream: http2.ServerHttp2Stream): void {
    guarded.streams += 1;
    if (guarded.refused) return void stream.close(NGHTTP2_REFUSED_STREAM);
    const slot = this.takeStreamBudget(guarded.address);
    if (!slot) {
      guarded.refusedTotal += 1;
      stream.close(NGHTTP2_REFUSED_STREAM);
      this.windowOf(guarded).refusedStreams += 1;
      this.endIfOverBudget(guarded);
      return;
    }
    this.admitted.set(stream, guarded.address);
    guarded.open.add(stream);
    stream.once('close', () => {
      slot();
      guarded.open.delete(stream);
      // reset by the client before any answer: what a rapid reset does, stream after stream
      if (stream.rstCode === NGHTTP2_CANCEL && !stream.headersSent) this.onReset(guarded);
    });
  }

  /** The address's `h2Streams` rate and an `h2OpenStreams` slot; null: one of them is spent. */
  private takeStreamBudget(address: string): (() => void) | null {
    const budget = this.options.budget;
    if (!budget) return () => {};
    if (!budget.takeRequest('h2Streams', address).ok) return null;
    const slot: SlotAdmission = budget.takeSlot('h2OpenStreams', address);
    return slot.release ?? null;
  }

  private onReset(guarded: GuardedSession): void {
    guarded.resetsTotal += 1;
    this.windowOf(guarded).resets += 1;
    this.endIfOverBudget(guarded);
  }

  private onControlFrame(guarded: GuardedSession): void {
    guarded.controlFramesTotal += 1;
    this.windowOf(guarded).controlFrames += 1;
    this.endIfOverBudget(guarded);
  }

  /**
   * Ends the session past one of its budgets: the limits, or while its address calms down (one of
   * its sessions was ended for flooding) a tenth of them. A script floods over several sessions at
   * once (the bench's, eight): with the whole budget each, the sessions it had open when the first
   * was ended went on flooding until each had spent all of its own. A real client's session on that
   * address (a class behind one NAT) cancels and pings far below a tenth.
   */
  private endIfOverBudget(guarded: GuardedSession): void {
    const window = this.windowOf(guarded);
    const share = this.calm.isCalming(guarded.address) ? CALMING_BUDGET_SHARE : 1;
    if (window.resets > this.limits.resetsPerSession * share) this.refuse(guarded, 'rapid-reset');
    else if (window.controlFrames > this.limits.controlFramesPerSession * share) this.refuse(guarded, 'control-frame-flood');
    else if (window.refusedStreams > this.limits.refusedStreamsPerSession * share) this.refuse(guarded, 'over-stream-budget');
  }

  /** GOAWAY `ENHANCE_YOUR_CALM` (unless nghttp2 already ended it), the session closed, one log line. */
  private refuse(guarded: GuardedSession, reason: SessionRefusalReason, detail?: string, sendGoaway = true): void {
    if (guarded.refused) return;
    guarded.refused = true;
    const calmBegins = !this.calm.isCalming(guarded.address);
    this.calm.startCalm(guarded.address);
    // the address's other sessions already past their calm budgets end now, not at their next frame
    if (calmBegins) for (const other of this.guarded) if (other.address === guarded.address && !other.refused) this.endIfOverBudget(other);
    this.options.onRefused({
      address: guarded.address,
      reason,
      streams: guarded.streams,
      resets: guarded.resetsTotal,
      controlFrames: guarded.controlFramesTotal,
      refusedStreams: guarded.refusedTotal,
      ...(detail ? { detail } : {}),
    });
    if (!sendGoaway || guarded.session.destroyed) return;
    // GOAWAY first, on its own (destroy(code) alone lost it behind a stalled response's DATA);
    // the connection is closed a moment later: closed at once while the flood's next frames were
    // still unread, the kernel answered them with a TCP reset, and the client dropped the GOAWAY
    // it had not read yet. Meanwhile nghttp2 ignores every stream the client opens.
    const session = guarded.session;
    session.goaway(NGHTTP2_ENHANCE_YOUR_CALM);
    setTimeout(() => session.destroy(), GOAWAY_GRACE_MS).unref();
  }

  private startStallChecks(): void {
    if (this.stallTimer) return;
    const every = Math.max(50, Math.floor(this.limits.stalledMs / 4));
    this.stallTimer = setInterval(() => this.checkStalls(), every);
    this.stallTimer.unref();
  }

  private stopStallChecks(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
  }

  /**
   * A session is stalled while one of its responses waits, unsent, and nothing has been written
   * to its connection since the last check (the client's window at 0 bytes, or a client that
   * stopped reading); past `stalledMs` it is ended. A stream open with nothing to send (a
   * server stream waiting for its next message) is not stalled.
   */
  private checkStalls(): void {
    const now = this.now();
    for (const guarded of this.guarded) {
      if (guarded.refused || guarded.session.destroyed) continue;
      const written = guarded.session.socket?.bytesWritten ?? 0;
      // Node tells no stream's send window; a response still buffered while not a byte went out is one held by it
      const held = [...guarded.open].some((stream) => stream.bufferSize > 0);
      if (!held || written !== guarded.bytesWrittenAtCheck) guarded.stalledSince = 0;
      else if (guarded.stalledSince === 0) guarded.stalledSince = now;
      else if (now - guarded.stalledSince >= this.limits.stalledMs) this.refuse(guarded, 'zero-window-stall');
      guarded.bytesWrittenAtCheck = written;
    }
  }
}
