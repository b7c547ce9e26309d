import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** Receives every byte that crosses a tapped connection, in both directions. */
export interface TapObserver {
  inbound(chunk: Buffer): void;
  outbound(chunk: Buffer): void;
  closed(): void;
}

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

const noObserver: TapObserver = { inbound() {}, outbound() {}, closed() {} };

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
   * one-port-server.ts: an HTTP/2 session waits for its streams to finish first).
   */
  holdEndOfInput: (release: () => void) => void = (release) => release();
  private waitingForDrain: (() => void) | null = null;

  constructor(socket: Socket) {
    super({ allowHalfOpen: true });
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.observer.inbound(chunk);
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.holdEndOfInput(() => this.push(null)));
    socket.on('drain', () => {
      const resume = this.waitingForDrain;
      this.waitingForDrain = null;
      resume?.();
    });
    socket.on('timeout', () => this.emit('timeout'));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => {
      this.observer.closed();
      if (!this.destroyed) this.destroy();
    });
  }

  /** Feeds bytes already read from the socket (while sniffing the protocol) to the parser. */
  replay(chunk: Buffer): void {
    this.observer.inbound(chunk);
    this.push(chunk);
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.observer.outbound(chunk);
    if (this.socket.write(chunk)) callback();
    else this.waitingForDrain = () => callback();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this._write(Buffer.concat(chunks.map((c) => c.chunk)), 'latin1', callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.socket.destroyed) this.socket.destroy();
    callback(error);
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
  get remoteFamily(): string | undefined {
    return this.socket.remoteFamily;
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
