import { randomBytes } from 'node:crypto';
import { totalmem } from 'node:os';
import { clientAddress } from '../limits/address-budget.ts';
import { findTapSocket, type TapSocket } from './tap-socket.ts';
import type { CaptureLimits, CaptureSubscriber, ConnectionInfo, Transport } from './capture-types.ts';
import { FLUSH_EVERY_MS, NO_SESSION, now, SessionCapture, type CaptureBudget, type CaptureSequence } from './session-capture.ts';
import { TappedConnection } from './tapped-connection.ts';
import { OutboundConnection, type OutboundRecorder } from './outbound-connection.ts';
import { RingSlabs } from './ring-slabs.ts';

// The hub keeps the sessions (session-capture.ts), the connections the listener accepts
// (tapped-connection.ts) and those Wirelab opens to a student's server (outbound-connection.ts).
export { FLUSH_EVERY_MS };

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

/**
 * The tap's record of a request's connection: the observer of its TapSocket (not a property of
 * its own on the socket, which would grow every socket's property store).
 */
function connectionOf(socket: unknown): TappedConnection | undefined {
  const observer = findTapSocket(socket)?.observer;
  return observer instanceof TappedConnection ? observer : undefined;
}

/**
 * A string of its own, flat, not a slice of a longer one: a session id read from a Cookie header
 * is a slice that keeps the whole header alive, as long as the session's captures (the hub's key);
 * text put together from parts is a chain of strings.
 */
function ownCopy(text: string): string {
  const copy = Buffer.from(text, 'latin1').toString('latin1');
  // (ids the server issued are ASCII; any other text is kept as it is rather than changed)
  return copy === text ? copy : text;
}

/**
 * The name of this server process's captures: random at every start, so a page tells a plain
 * reconnect from a restart whose ring starts empty and whose connection ids start again at c1.
 * Scaled out, the instance's own id (`INSTANCE_ID`, which a restarted container keeps) comes
 * first, for whoever reads it, and the random part still tells its starts apart. The capture
 * channel's `hello` and the class relay's `reset` carry it.
 */
export function captureInstanceId(scaleInstanceId?: string): string {
  const started = randomBytes(6).toString('hex');
  return scaleInstanceId ? `${scaleInstanceId}-${started}` : started;
}

/**
 * Keeps each browser session's captures and hands them to that session's browsers only.
 * One hub per app: the listener registers connections, the session layer names their owners,
 * the capture channel subscribes.
 */
export class CaptureHub implements CaptureBudget, CaptureSequence {
  readonly limits: CaptureLimits;
  private sessions = new Map<string, SessionCapture>();
  /** heap held by every ring, and by the rings of each client address */
  private heldTotal = 0;
  private heldByAddress = new Map<string, number>();
  private connectionCount = 0;
  private seq = 0;
  /** every session's small ring in a few shared slabs, not a Buffer each (ring-slabs.ts) */
  private readonly ringStorage = new RingSlabs();
  /** `address:port` of the server's ends seen so far (localNameOf) */
  private readonly localNames = new Map<string, string>();

  constructor(
    limits: Partial<CaptureLimits> = {},
    /** which server process these captures are of (captureInstanceId): their ids are this process's */
    readonly instance = captureInstanceId(),
  ) {
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
      // (one flat string: the text made of its parts is a chain of three strings until read)
      remote: ownCopy(`${socket.remoteAddress}:${socket.remotePort}`),
      local: this.localNameOf(socket),
      openedAt: now(),
    };
    socket.observer = new TappedConnection(info, this, socket);
  }

  /** The server's end of a connection: one string for every connection to the same address and port. */
  private localNameOf(socket: TapSocket): string {
    const name = socket.localName();
    let known = this.localNames.get(name);
    if (known === undefined) {
      // (a server listens on a few addresses: this bound is never reached but by a host with very many)
      if (this.localNames.size >= 64) this.localNames.clear();
      known = ownCopy(name);
      this.localNames.set(known, known);
    }
    return known;
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
    const connection = connectionOf(socket);
    if (!connection) return;
    connection.claim(sessionId ? this.session(sessionId, connection.address).asOwner : NO_SESSION, request, response);
  }

  /** The connection switched to WebSocket (a 101 is on its way): see TappedConnection.upgraded. */
  upgraded(socket: unknown): void {
    connectionOf(socket)?.upgraded();
  }

  /**
   * The response to the request just arrived on this connection (an HTTP/1.1 one) is recorded up
   * to the end of its head: the app's own files (bundles, fonts, index.html) would otherwise fill
   * a session's ring on every page load and evict what the student captured before. Returns
   * whether it applies (h2c connections, whose HPACK state needs every frame, are kept whole).
   */
  recordHeadOnly(socket: unknown, response: { once(event: 'finish' | 'close', listener: () => void): unknown }): boolean {
    const connection = connectionOf(socket);
    if (!connection || connection.info.transport !== 'http/1.1' || connection.ownerOfResponse(response).kind !== 'session') return false;
    const finished = connection.headOnly();
    response.once('finish', finished);
    response.once('close', finished);
    return true;
  }

  /** The capture channel's own connection: never recorded, never shown. */
  exclude(socket: unknown, request?: { method?: string; url?: string }): void {
    const connection = connectionOf(socket);
    if (connection) connection.claim({ kind: 'internal' }, request);
  }

  connectionId(socket: unknown): string | undefined {
    return connectionOf(socket)?.info.id;
  }

  subscribe(sessionId: string, subscriber: CaptureSubscriber): () => void {
    return this.session(sessionId).subscribe(subscriber);
  }

  /**
   * A session's captures here, or null: `version` (SessionCapture.version) and `read()`, which
   * copies what its ring holds now (SessionCapture.captured).
   */
  capturedOf(sessionId: string): { version: number; read(): ReturnType<SessionCapture['captured']> } | null {
    const capture = this.sessions.get(sessionId);
    return capture ? { version: capture.version, read: () => capture.captured() } : null;
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
      capture = new SessionCapture(this.limits, this, this.ringStorage);
      this.sessions.set(ownCopy(sessionId), capture);
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
