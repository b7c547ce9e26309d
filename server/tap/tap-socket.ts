import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { FramedPiece, Http1RequestFramer } from '../../wire/http1/http1-request-framer.ts';
import { readIntoSharedBuffer } from './shared-read-buffer.ts';

/** Receives every byte that crosses a tapped connection, in both directions. */
export interface TapObserver {
  /** `pieces`: the chunk cut by request, when the socket frames HTTP/1.1 requests (TapSocket.requestFramer) */
  inbound(chunk: Buffer, pieces?: FramedPiece[]): void;
  outbound(chunk: Buffer): void;
  /** outbound() of the parts of one write joined (`length`: their bytes); without it, they are joined for outbound() */
  outboundParts?(parts: readonly Buffer[], length: number): void;
  closed(): void;
  /** the parser has taken every byte pushed so far while input is held (see TapSocket.holdInput) */
  parserCaughtUp?(): void;
  /** the peer sent FIN: it sends nothing more, and may have stopped reading too */
  peerEnded?(): void;
  /** the connection was reset (ECONNRESET) or a write failed because it was (EPIPE) */
  peerReset?(code: string): void;
}

/** Socket errors that mean the peer is gone: what is written after them is not delivered. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Marks an object that stands for a TapSocket (HTTP/2 hands requests a wrapper around the
 * socket it was given, not the socket itself).
 */
export const tapSocketOf = Symbol('wirelab.tapSocket');

/** The TapSocket behind a request's socket, over HTTP/1.1 or HTTP/2. */
export function findTapSocket(socket: unknown): TapSocket | undefined {
  if (socket instanceof TapSocket) return socket;
  return (socket as { [tapSocketOf]?: TapSocket } | undefined)?.[tapSocketOf];
}

/** event-loop turns a held connection waits for its parser to read what it was given */
const PARSER_TURNS = 64;
/**
 * A paced connection is still read (so that a client closing it is noticed) while it holds less
 * than this, not given to the parser: past it, the network is not read (server/limits/README.md).
 */
export const PACED_READ_LIMIT = 16 * 1024;
const NOTHING = Buffer.alloc(0);
/**
 * No input kept back: one empty list for every socket (an idle server holds thousands), frozen
 * so that a push to it throws instead of sharing input between connections.
 */
const NO_BACKLOG = Object.freeze([]) as unknown as Buffer[];

/**
 * The TapSocket a socket feeds. The socket's listeners are shared functions that find their
 * TapSocket here (an emitter calls a listener with itself as `this`), not seven closures per
 * connection: an idle server holds thousands of sockets (bench/websocket-idle.ts).
 */
const feeds = Symbol('wirelab.feedsTapSocket');
type FeedingSocket = Socket & { [feeds]: TapSocket };

/**
 * What the client address's pace (server/limits/address-gate.ts) learns of a connection: one
 * object per server, told which connection, not closures per connection.
 */
export interface ConnectionPace {
  /**
   * `bytes` were read from the connection. True: this read waits (kept, not given to the parser)
   * — the pace has paused the input, and resumes it.
   */
  inboundBytes(connection: TapSocket, bytes: number): boolean;
  /** the client sent FIN, or the connection closed: the connection waits no more */
  gone(connection: TapSocket): void;
}

const noObserver: TapObserver = { inbound() {}, outbound() {}, outboundParts() {}, closed() {} };

/**
 * A JS Duplex between a real socket and Node's HTTP/1.1 parser or HTTP/2 session.
 *
 * Node's parsers read a native socket's handle directly, so neither `'data'` listeners on
 * the socket nor a wrapped `write` see every byte. Handing the parser this Duplex instead makes
 * every byte pass through JS, where the observer records it. The socket-like members Node's
 * HTTP stack and `ws` call (addresses, timeouts, no-delay, keep-alive) are forwarded.
 */
export class TapSocket extends Duplex {
  readonly socket: Socket;
  observer: TapObserver = noObserver;
  /**
   * Decides when the parser learns that the client has finished sending (see
   * one-port-server.ts: an HTTP/2 session replaces it on its socket, to wait for its streams to
   * finish first). A method, not a default closure per connection: under tsx each named closure
   * carries a `name` property dictionary of its own (esbuild's keepNames), and an idle server
   * holds thousands of sockets (bench/websocket-idle.ts).
   */
  holdEndOfInput(release: () => void): void {
    release();
  }
  private waitingForDrain: (() => void) | null = null;
  /** a writeDirect found the socket full: its 'drain' is passed on */
  private directWriteWaiting = false;
  /** remoteAddress, once known */
  private peerAddress: string | undefined = undefined;
  private inputHeld = false;
  /** the client's address has spent its pace (server/limits/address-gate.ts): the parser is given nothing more */
  private inputPaced = false;
  /** paced only until its turn (a read past its address's share of a turn): a FIN does not lose what it kept */
  private pacedUntilTurn = false;
  /** the reader given reads past this Duplex's Readable (readDirectly); null: every read goes through it */
  private directReader: ((chunk: Buffer) => void) | null = null;
  /** Counts what the client sends and learns when it has gone (server/limits/address-gate.ts); absent: not paced. */
  pace: ConnectionPace | null = null;
  /**
   * Cuts HTTP/1.1 input at request ends, so the parser is given one request at a time and a
   * paced connection's pipelined requests wait like separate reads (server/limits/README.md).
   * Set before replay(); absent: each read is given whole.
   */
  requestFramer: Http1RequestFramer | null = null;
  /**
   * Sees every read first, on a connection the listener accepted (one-port-server.ts): "check my
   * server" looks there for its runs' marks arriving back (server/own-server/wirelab-itself.ts).
   */
  inboundWatch: ((connection: TapSocket, chunk: Buffer) => void) | null = null;
  /** input read and not given to the parser yet (pieces of whole requests), from `backlogAt` on */
  private backlog: Buffer[] = NO_BACKLOG;
  private backlogAt = 0;
  private backlogBytes = 0;
  /** the peer sent FIN: the parser learns it once it has been given what was read before */
  private inputEnded = false;
  private endGiven = false;

  /**
   * @param client the client a trusted load balancer named in a PROXY protocol header
   *   (server/listener/proxy-header.ts): the addresses below are then the client's, not the balancer's
   */
  constructor(
    socket: Socket,
    private readonly client: { address: string; port: number; family: string } | null = null,
  ) {
    super({ allowHalfOpen: true });
    this.socket = socket;
    (socket as FeedingSocket)[feeds] = this;
    socket.on('data', TapSocket.socketData);
    socket.on('end', TapSocket.socketEnded);
    socket.on('drain', TapSocket.socketDrained);
    // An outbound connection (server/own-server) is still connecting when node:http2 gets it, and
    // waits for 'connect' before it writes its preface; an accepted socket never emits it.
    socket.on('connect', TapSocket.socketConnected);
    socket.on('timeout', TapSocket.socketTimedOut);
    socket.on('error', TapSocket.socketFailed);
    socket.on('close', TapSocket.socketClosed);
  }

  // The socket's listeners, one function each for every socket (`this`: the socket).
  private static socketData(this: FeedingSocket, chunk: Buffer): void {
    this[feeds].fromSocket(chunk);
  }

  private static socketEnded(this: FeedingSocket): void {
    const tapped = this[feeds];
    tapped.observer.peerEnded?.();
    tapped.inputEnded = true;
    // Paced: the client is gone, and what it sent after its pause is not parsed. Waiting for its
    // turn (a request and FIN at once, as mosquitto_pub or nc send): the pace forgets a connection
    // that ended, so what it sent is given now, then the end.
    if (tapped.inputPaced && tapped.pacedUntilTurn) tapped.resumeInput();
    else if (tapped.inputPaced) tapped.dropBacklog();
    if (tapped.backlogBytes === 0) tapped.giveEnd();
    tapped.pace?.gone(tapped);
  }

  private static socketDrained(this: FeedingSocket): void {
    const tapped = this[feeds];
    const resume = tapped.waitingForDrain;
    tapped.waitingForDrain = null;
    resume?.();
    if (tapped.directWriteWaiting) {
      tapped.directWriteWaiting = false;
      tapped.emit('drain');
    }
  }

  private static socketConnected(this: FeedingSocket): void {
    this[feeds].emit('connect');
  }

  private static socketTimedOut(this: FeedingSocket): void {
    this[feeds].emit('timeout');
  }

  private static socketFailed(this: FeedingSocket, error: NodeJS.ErrnoException): void {
    const tapped = this[feeds];
    if (error.code && RESET_CODES.has(error.code)) tapped.observer.peerReset?.(error.code);
    tapped.destroy(error);
  }

  private static socketClosed(this: FeedingSocket): void {
    const tapped = this[feeds];
    tapped.observer.closed();
    if (!tapped.destroyed) tapped.destroy();
    tapped.pace?.gone(tapped);
  }

  /** A read of the socket: recorded, counted against the pace, then given to the parser. */
  private fromSocket(chunk: Buffer): void {
    this.inboundWatch?.(this, chunk);
    const pieces = this.requestFramer?.push(chunk);
    this.observer.inbound(chunk, pieces);
    const wasPaced = this.inputPaced;
    const waits = this.pace?.inboundBytes(this, chunk.length) === true;
    this.giveRead(chunk, pieces, wasPaced || waits);
  }

  /**
   * Hands what the socket reads straight to `reader` (the MQTT broker's packet gate,
   * server/protocols/mqtt/size-guarded-stream.ts), past this Duplex's Readable and the socket's:
   * in a QoS 1 fan-out every subscriber's PUBACK is a read of its own, 4 bytes that cost Node a
   * 64 KiB allocation shrunk to 4, a push and a 'data' event in each Readable, and a
   * maybeReadMore tick in each. The socket reads into one buffer shared by every such socket
   * (Node's `onread` option of net.Socket, set on an accepted socket: readIntoSharedBuffer), each
   * read copied out before anything else runs; the observer and the pace see every chunk first,
   * as for every read. A chunk goes to `reader` only while this Readable holds nothing, flows,
   * and input is neither held, paced nor kept back, so it never overtakes one read before it;
   * otherwise it is pushed as usual, and the reader gets it from this Duplex's 'data'.
   */
  readDirectly(reader: (chunk: Buffer) => void): void {
    this.directReader = reader;
    readIntoSharedBuffer(this.socket, (chunk) => this.fromSocket(chunk));
  }

  /**
   * The connection left HTTP/1.1 (a WebSocket upgrade): no request ends follow, so its input is
   * no longer cut at them, and an idle WebSocket holds no framer.
   */
  upgraded(): void {
    this.requestFramer = null;
  }

  /**
   * Feeds bytes already read from the socket (while sniffing the protocol) to the parser; `waits`:
   * they are kept until the pace resumes the input (the pace said so).
   */
  replay(chunk: Buffer, waits = false): void {
    this.inboundWatch?.(this, chunk);
    const pieces = this.requestFramer?.push(chunk);
    this.observer.inbound(chunk, pieces);
    this.giveRead(chunk, pieces, waits);
  }

  /**
   * Gives a chunk read to the parser, a request at a time: after each request the parser has
   * taken, the rest waits if the connection is paced now (or the parser took nothing), as the next
   * read would. One request per read (the usual case) is pushed as it came, not copied.
   */
  private giveRead(chunk: Buffer, pieces: FramedPiece[] | undefined, wasPaced: boolean): void {
    // (framed: nor while the parser has not taken what it was given, or it would get two requests at once)
    if (wasPaced || this.backlogBytes > 0 || (this.requestFramer && this.readableLength > 0)) {
      this.holdBack(chunk, pieces, 0);
      // The read the stream may have asked for (_read, waiting on the network) ends here, with
      // nothing: a Readable asks for no other read until something is pushed, so once its reader
      // had taken what it held, nothing would ever give the backlog (an upgraded WebSocket whose
      // reader had paused stopped there for good: MQTT's QoS 1 stall, server/protocols/mqtt/README.md).
      // Paced or held, resumeInput() and releaseInput() give the backlog themselves.
      if (!this.inputPaced && !this.inputHeld) this.push(NOTHING);
      return;
    }
    // (destroyed: _destroy let go of the reader; the Duplex's `destroyed` getter reads two states, at every PUBACK)
    if (this.directReader !== null && pieces === undefined && !this.inputHeld && this.readableLength === 0 && this.readableFlowing === true) {
      this.directReader(chunk);
      return;
    }
    if (!pieces || pieces.length <= 1) {
      if (!this.push(chunk) || this.inputHeld) this.socket.pause();
      return;
    }
    let at = 0;
    for (let i = 0; i < pieces.length; i++) {
      const piece = at === 0 && pieces[i].length === chunk.length ? chunk : chunk.subarray(at, at + pieces[i].length);
      at += pieces[i].length;
      const more = this.push(piece);
      if (i + 1 < pieces.length && (this.inputPaced || !more || this.readableLength > 0)) {
        this.holdBack(chunk, pieces, i + 1);
        return;
      }
    }
    if (this.inputHeld || this.readableLength >= this.readableHighWaterMark) this.socket.pause();
  }

  /** Keeps pieces[from…] of a chunk for later; past PACED_READ_LIMIT the network is not read. */
  private holdBack(chunk: Buffer, pieces: FramedPiece[] | undefined, from: number): void {
    if (!pieces || pieces.length <= 1) this.addToBacklog(chunk);
    else {
      let at = 0;
      for (let i = 0; i < pieces.length; i++) {
        if (i >= from) this.addToBacklog(chunk.subarray(at, at + pieces[i].length));
        at += pieces[i].length;
      }
    }
    if (this.inputHeld || !this.inputPaced || this.backlogBytes >= PACED_READ_LIMIT) this.socket.pause();
  }

  private addToBacklog(piece: Buffer): void {
    if (this.backlog === NO_BACKLOG) this.backlog = [piece];
    else this.backlog.push(piece);
    this.backlogBytes += piece.length;
  }

  /**
   * Gives the parser what was kept, a piece at a time, while the connection is not paced. From
   * _read (`fromRead`) one piece: the stream hands it on, and asks for the next.
   */
  private giveBacklog(fromRead: boolean): void {
    while (this.backlogBytes > 0 && !this.inputPaced && !this.destroyed) {
      const piece = this.backlog[this.backlogAt];
      this.backlogAt += 1;
      this.backlogBytes -= piece.length;
      if (this.backlogBytes === 0) {
        this.backlog = NO_BACKLOG;
        this.backlogAt = 0;
      }
      const more = this.push(piece);
      if (this.backlogBytes === 0) break;
      if (fromRead || !more || this.readableLength > 0) return;
    }
    if (this.backlogBytes === 0 && this.inputEnded) this.giveEnd();
    else this.readNetworkIfAllowed();
  }

  private dropBacklog(): void {
    this.backlog = NO_BACKLOG;
    this.backlogAt = 0;
    this.backlogBytes = 0;
  }

  private giveEnd(): void {
    if (this.endGiven) return;
    this.endGiven = true;
    this.holdEndOfInput(() => this.push(null));
  }

  /** Reads the network unless input is held, or paced with PACED_READ_LIMIT kept already. */
  private readNetworkIfAllowed(): void {
    if (this.destroyed || this.inputHeld || this.inputEnded) return;
    if (!this.inputPaced ? this.backlogBytes === 0 : this.backlogBytes < PACED_READ_LIMIT) this.socket.resume();
  }

  /**
   * Stops reading the network until releaseInput(), while the parser goes on with what it has:
   * the observer waits for the parser to name who owns the bytes it holds.
   */
  holdInput(): void {
    this.inputHeld = true;
    this.socket.pause();
  }

  releaseInput(): void {
    if (!this.inputHeld) return;
    this.inputHeld = false;
    if (this.backlogBytes > 0) this.giveBacklog(false);
    else this.readNetworkIfAllowed();
  }

  /**
   * Gives the parser nothing more until resumeInput(). The network is still read, and kept,
   * up to PACED_READ_LIMIT (so a client that closes is noticed), then not: TCP backpressure makes
   * the client wait. A client that has sent FIN is gone: what it sent is not parsed — unless
   * `untilTurn`: its address had its share of reads this turn, and what it sent (a request and
   * FIN, as `mosquitto_pub` or `nc` send) is given at the FIN, then the end.
   */
  pauseInput(untilTurn = false): void {
    // a pause of the pace (untilTurn false) wins: paced for its buckets, a FIN drops what it kept
    this.pacedUntilTurn = untilTurn && (!this.inputPaced || this.pacedUntilTurn);
    this.inputPaced = true;
    if (this.inputEnded && !this.pacedUntilTurn) {
      this.dropBacklog();
      this.giveEnd();
    } else if (this.backlogBytes >= PACED_READ_LIMIT) this.socket.pause();
  }

  resumeInput(): void {
    if (!this.inputPaced) return;
    this.inputPaced = false;
    this.pacedUntilTurn = false;
    this.giveBacklog(false);
  }

  /** Bytes read and not given to the parser yet (see pauseInput). */
  get heldBytes(): number {
    return this.backlogBytes;
  }

  /** Is the parser given nothing more because the client's address is paced? */
  get inputIsPaced(): boolean {
    return this.inputPaced;
  }

  override _read(): void {
    if (this.backlogBytes > 0 && !this.inputPaced) {
      // A piece at a time: the parser has not taken the last one yet. Pushing nothing ends this
      // read, so the stream asks again (and is given the next piece) once it has been taken.
      if (this.readableLength > 0) this.push(NOTHING);
      else this.giveBacklog(true);
    } else if (this.inputHeld) setImmediate(() => this.whenParserCaughtUp(PARSER_TURNS));
    else this.readNetworkIfAllowed();
  }

  /**
   * Called a turn after the parser asked for more: what it read has been parsed and its
   * requests announced by then. Bytes it has not read yet are waited for the same way.
   */
  private whenParserCaughtUp(turnsLeft: number): void {
    if (!this.inputHeld || this.destroyed) return;
    if ((this.readableLength > 0 || (this.backlogBytes > 0 && !this.inputPaced)) && turnsLeft > 0) setImmediate(() => this.whenParserCaughtUp(turnsLeft - 1));
    else this.observer.parserCaughtUp?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.observer.outbound(chunk);
    if (this.socket.write(chunk)) callback();
    else this.waitingForDrain = () => callback();
  }

  /**
   * Writes to the socket as _write does (the observer sees the very bytes first), without this
   * Duplex's own queue, for a writer that joins its writes already (the MQTT broker, once per
   * tick per connection: a second queue there costs a queued request and a callback turn for
   * every message to every subscriber). While the queue holds anything it goes through write(),
   * so bytes never overtake each other. False: the socket is full, and 'drain' comes when it is not.
   */
  writeDirect(chunk: Buffer, callback?: (error?: Error | null) => void): boolean {
    if (this.writableLength > 0 || this.writableEnded || this.destroyed) return this.write(chunk, callback);
    this.observer.outbound(chunk);
    if (this.socket.write(chunk, callback)) return true;
    this.directWriteWaiting = true;
    return false;
  }

  /**
   * Writes queued together (Node corks a response's head and body) go to the socket as one writev,
   * as they came: not joined into one copy first, which for a 1 MB answer was a megabyte allocated
   * outside the heap and copied, for an observer that mostly keeps none of it. The observer joins
   * them only if it keeps them (outboundParts).
   */
  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    const parts = chunks.map((c) => c.chunk);
    if (!this.observer.outboundParts) {
      this._write(Buffer.concat(parts), 'latin1', callback);
      return;
    }
    let length = 0;
    for (const part of parts) length += part.length;
    this.observer.outboundParts(parts, length);
    this.socket.cork();
    let fits = true;
    for (const part of parts) fits = this.socket.write(part);
    this.socket.uncork();
    if (fits) callback();
    else this.waitingForDrain = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.dropBacklog();
    // a read after this is not handed to the reader (giveRead)
    this.directReader = null;
    if (!this.socket.destroyed) this.socket.destroy();
    callback(error);
  }

  /**
   * Kept once known: the address pace asks for it at every read (in a QoS 1 fan-out, every
   * subscriber's every PUBACK), and a connection's peer does not change.
   */
  get remoteAddress(): string | undefined {
    if (this.peerAddress === undefined) this.peerAddress = this.client?.address ?? this.socket.remoteAddress;
    return this.peerAddress;
  }
  get remotePort(): number | undefined {
    return this.client?.port ?? this.socket.remotePort;
  }
  get remoteFamily(): string | undefined {
    return this.client?.family ?? this.socket.remoteFamily;
  }
  /**
   * `address:port` of the server's end, read without leaving Node's cache of it (`_sockname`, an
   * object and its strings) on the socket: the tap asks once per connection and nothing else
   * does, and an idle server holds thousands (bench/websocket-idle.ts). Node reads it again when asked.
   */
  localName(): string {
    const socket = this.socket as Socket & { _sockname?: object | null };
    const cachedBefore = socket._sockname;
    const name = `${socket.localAddress}:${socket.localPort}`;
    if (cachedBefore === null) socket._sockname = null;
    return name;
  }
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }
  get localPort(): number | undefined {
    return this.socket.localPort;
  }
  get bytesRead(): number {
    return this.socket.bytesRead;
  }
  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }
  get encrypted(): boolean {
    return false;
  }
  get readyState(): string {
    return this.socket.readyState;
  }
  get connecting(): boolean {
    return this.socket.connecting;
  }
  get timeout(): number | undefined {
    return this.socket.timeout;
  }

  address() {
    return this.socket.address();
  }
  setTimeout(ms: number, callback?: () => void): this {
    this.socket.setTimeout(ms);
    if (callback) this.once('timeout', callback);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.socket.setKeepAlive(enable, initialDelay);
    return this;
  }
  ref(): this {
    this.socket.ref();
    return this;
  }
  unref(): this {
    this.socket.unref();
    return this;
  }
}
