// A small WebSocket client written for checking, not for use: it must send what a library never
// would (an unmasked frame, a reserved opcode, invalid UTF-8 in a text frame) and report every
// frame as it came. Handshake by hand over a guarded socket, frames by RFC 6455 §5.2.
import { runMarkHeader, webSocketKeyOf } from './wirelab-itself.ts';
import type { Bilingual } from '../../shared/bilingual.ts';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { hex, NoAnswer, noteIfSilent, printable, withSeen, withTimeout, type SuiteContext } from './check-kit.ts';
import { openGuardedSocket } from './connection.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { encodeFrame, splitFrames } from '../../wire/websocket/frame-codec.ts';
import { readFrameHead, type FrameHead } from '../../wire/websocket/frame-head.ts';
import { closeCodeOf, closeReasonBytes } from '../../wire/websocket/close-codes.ts';
import { isControlOpcode, OPCODE, OPCODE_NAMES } from '../../wire/websocket/opcodes.ts';
import { computeWebSocketAccept } from '../../wire/websocket/websocket-handshake.ts';
import { readHttp1Head, type Http1Head } from '../../wire/http1/http1-head.ts';

export { OPCODE };

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** The mask bit was set: never right from a server (RFC 6455 §5.1). */
  masked?: boolean;
}

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A frame the check sends: masked unless `masked: false`; `rsv` (RSV1–3 as 0b100–0b001) set only to see it refused. */
export interface OutgoingFrame {
  fin?: boolean;
  opcode: number;
  payload?: Buffer;
  masked?: boolean;
  rsv?: number;
}

/** Payloads longer than this are shown cut (a 64 KiB echo would fill the report): their length says the rest. */
const SHOWN_PAYLOAD_CHARS = 32;

export function describeFrame(frame: Frame): string {
  const name = OPCODE_NAMES[frame.opcode] ?? `opcode 0x${frame.opcode.toString(16)}`;
  const { length } = frame.payload;
  const cut = length > SHOWN_PAYLOAD_CHARS ? frame.payload.subarray(0, SHOWN_PAYLOAD_CHARS) : frame.payload;
  let body = frame.opcode === OPCODE.text ? JSON.stringify(cut.toString('utf8')) : hex(cut);
  if (cut !== frame.payload) body += '…';
  const code = frame.opcode === OPCODE.close ? closeCodeOf(frame.payload) : null;
  if (code !== null) {
    const reason = closeReasonBytes(frame.payload);
    body = `code ${code}${reason.length > 0 ? ` reason ${JSON.stringify(asBuffer(reason).toString('utf8'))}` : ''}`;
  }
  // past 125 bytes the length takes 16 or 64 more bits (RFC 6455 §5.2): the framing checks are about them
  const size = length > 125 ? ` (${length} B, ${length < 65_536 ? 16 : 64}-bit length)` : '';
  return `${name}${frame.fin ? '' : ' (FIN=0)'}${frame.masked ? ' (MASKED)' : ''}${size}: ${body}`;
}

/** The code a close frame carries (wire/websocket/close-codes.ts), or null: no frame, another opcode, no code. */
export function frameCloseCode(frame: Frame | null): number | null {
  return frame?.opcode === OPCODE.close ? closeCodeOf(frame.payload) : null;
}

const NEXT_FRAME = { en: 'the next WebSocket frame', ru: 'следующий кадр WebSocket' };
const NEXT_PONG = { en: 'a pong to our ping', ru: 'pong на наш ping' };

/** An open connection after a handshake: frames in, frames out, a log of both for the report. */
export class CheckedWebSocket {
  readonly log: string[] = [];
  private pending: Buffer = Buffer.alloc(0);
  private readonly queue: Frame[] = [];
  private waiters: Array<() => void> = [];
  private roundTrips = 0;
  ended = false;
  /** The first frame the server masked, as the log shows it: a browser fails the connection there (§5.1). */
  maskedFrame: string | null = null;

  constructor(
    readonly socket: Socket,
    private readonly signal: AbortSignal,
    leftover: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.take(chunk));
    socket.once('close', () => {
      this.ended = true;
      this.log.push('← TCP closed');
      this.wake();
    });
    if (leftover.length) this.take(leftover);
  }

  private take(chunk: Buffer): void {
    // wire/websocket/frame-codec.ts splits them; a masked one (never right from a server) says so
    const { frames: whole, rest } = splitFrames(Buffer.concat([this.pending, chunk]));
    this.pending = asBuffer(rest);
    const frames: Frame[] = whole.map(({ fin, opcode, payload, masked }) => ({ fin, opcode, payload: asBuffer(payload), ...(masked ? { masked: true } : {}) }));
    for (const frame of frames) {
      this.log.push(`← ${describeFrame(frame)}`);
      if (frame.masked) this.maskedFrame ??= describeFrame(frame);
      // A ping from the server (its keep-alive) is answered as any client would, and not queued.
      if (frame.opcode === OPCODE.ping) this.send({ opcode: OPCODE.pong, payload: frame.payload }, true);
      else this.queue.push(frame);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  send(frame: OutgoingFrame, quiet = false): void {
    if (!quiet)
      this.log.push(
        `→ ${describeFrame({ fin: frame.fin ?? true, opcode: frame.opcode, payload: frame.payload ?? Buffer.alloc(0) })}${frame.masked === false ? ' (unmasked)' : ''}${frame.rsv ? ` (RSV1–3 = ${frame.rsv.toString(2).padStart(3, '0')})` : ''}`,
      );
    const maskKey = (frame.masked ?? true) ? randomBytes(4) : null;
    if (!this.socket.destroyed) this.socket.write(encodeFrame({ fin: frame.fin, rsv: frame.rsv, opcode: frame.opcode, payload: frame.payload, maskKey }));
  }

  /**
   * The next frame that is not a server ping, or null when the connection ended first; fails
   * after `ms` (a check may wait less than its whole limit, e.g. for an event it will retry).
   * A frame already queued is taken even when `ms` is 0. `wake`, when it aborts, ends the wait
   * as if its time were up (NoAnswer): a deadline several waits share has moved (event-waits.ts);
   * one aborted already is ignored.
   */
  next(ms: number = OWN_SERVER_LIMITS.checkTimeoutMs, wake?: AbortSignal): Promise<Frame | null> {
    // A wait that timed out must not take the frame that comes later: the next wait gets it.
    let abandoned = false;
    let taken: Frame | undefined;
    let settle: (frame: Frame | null) => void = () => undefined;
    const wait = new Promise<Frame | null>((resolve) => {
      settle = resolve;
      const attempt = () => {
        if (abandoned) return;
        taken = this.queue.shift();
        if (taken) return resolve(taken);
        if (this.ended) return resolve(null);
        this.waiters.push(attempt);
      };
      attempt();
    });
    // one already aborted is no news: it would end the wait at once and drop a frame taken meanwhile
    if (wake?.aborted) wake = undefined;
    const signal = wake ? AbortSignal.any([this.signal, wake]) : this.signal;
    return withTimeout(wait, ms, signal, NEXT_FRAME).catch((error: unknown) => {
      abandoned = true;
      // settled, so that withTimeout lets go of its abort listener (waits that time out add up)
      settle(null);
      // a frame taken in the moment the wait ended (a wake in the same turn) goes back for the next wait
      if (taken) this.queue.unshift(taken);
      if (wake?.aborted && !this.signal.aborted) throw new NoAnswer(ms, NEXT_FRAME);
      throw error;
    });
  }

  /**
   * A ping, and its pong back within `ms`: true once the server has read this connection (RFC 6455
   * §5.5.2 has it answer), false when no pong came in time or the connection ended. The pong is
   * taken out of the queue; every other frame stays where it was, in order. A server sets a
   * connection up after its 101 (a Go handler adds it to its listeners once Upgrade returns): a
   * check that acts the moment the handshake is back can beat that on a busy machine, and an
   * event sent to every listener then misses one that was already connected.
   */
  roundTrip(ms: number): Promise<boolean> {
    const payload = Buffer.from(`wirelab-ready-${++this.roundTrips}`);
    let abandoned = false;
    let settle: (ponged: boolean) => void = () => undefined;
    const pong = new Promise<boolean>((resolve) => {
      settle = resolve;
      const attempt = () => {
        if (abandoned) return;
        const index = this.queue.findIndex((frame) => frame.opcode === OPCODE.pong && frame.payload.equals(payload));
        if (index >= 0) {
          this.queue.splice(index, 1);
          return resolve(true);
        }
        if (this.ended) return resolve(false);
        this.waiters.push(attempt);
      };
      attempt();
    });
    this.send({ opcode: OPCODE.ping, payload });
    return withTimeout(pong, ms, this.signal, NEXT_PONG).catch((error: unknown) => {
      abandoned = true;
      // settled, so that withTimeout lets go of its abort listener
      settle(false);
      if (error instanceof NoAnswer) return false;
      throw error;
    });
  }

  /** A whole message: its first frame's opcode and every fragment's payload joined (§5.4). */
  async nextMessage(): Promise<Frame | null> {
    const first = await this.next();
    if (!first || first.fin || isControlOpcode(first.opcode)) return first;
    const parts = [first.payload];
    for (;;) {
      const frame = await this.next();
      if (!frame) return null;
      if (isControlOpcode(frame.opcode)) return frame;
      parts.push(frame.payload);
      if (frame.fin) return { fin: true, opcode: first.opcode, payload: Buffer.concat(parts) };
    }
  }

  /** The head of a frame that has begun to arrive but is not whole yet (a large echo the connection's budget cut), or null. */
  partialFrameHead(): FrameHead | null {
    return readFrameHead(this.pending, 0);
  }

  /** Resolves when TCP closes (or the check's time runs out). */
  closed(): Promise<void> {
    return this.next().then((frame) => (frame ? this.closed() : undefined));
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface Handshake {
  status: number;
  headers: Map<string, string>;
  sent: string;
  got: string;
  acceptIsRight: boolean;
  /** What Sec-WebSocket-Accept had to be: base64(SHA-1(key + GUID)). */
  expectedAccept: string;
  connection: CheckedWebSocket | null;
}

/**
 * Why a browser would drop this connection whatever came after (RFC 6455 §4.1: a wrong
 * Sec-WebSocket-Accept; §5.1: a masked frame from the server), or null. A check that needs the
 * connection fails on it: the frames a hand-written client still read, no browser would see.
 */
export function browserWouldDrop(handshake: Handshake): Bilingual | null {
  if (handshake.status === 101 && !handshake.acceptIsRight) {
    const got = handshake.headers.get('sec-websocket-accept');
    return {
      en: `Sec-WebSocket-Accept is ${got === undefined ? 'missing' : `"${got}"`}, not "${handshake.expectedAccept}": a browser fails the connection right after the 101 (RFC 6455 §4.1) and never sees a frame of it`,
      ru: `Sec-WebSocket-Accept ${got === undefined ? 'отсутствует' : `равен «${got}»`}, а должен быть «${handshake.expectedAccept}»: браузер обрывает соединение сразу после 101 (RFC 6455 §4.1) и не увидит ни одного его кадра`,
    };
  }
  const masked = handshake.connection?.maskedFrame;
  if (masked) {
    return {
      en: `the server masked its frame (${masked}): a server MUST NOT mask, and a client MUST close the connection when it sees a masked frame (RFC 6455 §5.1); every browser drops it there`,
      ru: `сервер замаскировал свой кадр (${masked}): сервер НЕ ДОЛЖЕН маскировать кадры, а клиент, увидев замаскированный кадр, ОБЯЗАН закрыть соединение (RFC 6455 §5.1); любой браузер на этом его обрывает`,
    };
  }
  return null;
}

/** The answer's head, read as it arrives with wire/http1's head reader; the bytes after it are the first frames. */
function readHead(socket: Socket): Promise<{ head: Http1Head; text: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const head = readHttp1Head(buffer, 'response');
      if (!head) return;
      socket.off('data', onData);
      resolve({
        head,
        text: buffer
          .subarray(0, head.end)
          .toString('latin1')
          .replace(/\r?\n\r?\n$/, ''),
        rest: buffer.subarray(head.end),
      });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the connection closed before the handshake answer')));
  });
}

/**
 * The opening handshake of RFC 6455 §4.1 to `path`; a connection when the answer is 101.
 * `subprotocol` goes out as Sec-WebSocket-Protocol (§4.1, §11.3.4): GraphQL's `graphql-transport-ws`.
 */
export async function openWebSocket(context: SuiteContext, path: string, subprotocol?: string): Promise<Handshake> {
  const socket = openGuardedSocket(context.target, context, { transport: 'http/1.1' });
  const key = webSocketKeyOf(context);
  const host = context.target.host.includes(':') ? `[${context.target.host}]` : context.target.host;
  const offered = subprotocol ? [`Sec-WebSocket-Protocol: ${subprotocol}`] : [];
  const request = [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}:${context.target.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
    ...offered,
    ...Object.entries(runMarkHeader(context)).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  socket.write(request);
  let answer: { head: Http1Head; text: string; rest: Buffer };
  try {
    answer = await withTimeout(readHead(socket), OWN_SERVER_LIMITS.checkTimeoutMs, context.signal, {
      en: `the handshake answer of ${path}`,
      ru: `ответ на рукопожатие ${path}`,
    });
  } catch (error) {
    noteIfSilent(context, error, socket.bytesRead);
    socket.destroy();
    throw withSeen(error, { sent: printable(request), got: '' });
  }
  // the handshake is HTTP/1.1's (RFC 6455 §4.1); an answer whose head cannot be read has no status
  const [version, statusCode] = answer.head.startLine;
  const status = !answer.head.error && version === 'HTTP/1.1' ? Number(statusCode) : 0;
  const headers = new Map(answer.head.headers.map(([name, value]) => [name.toLowerCase(), value]));
  const expectedAccept = computeWebSocketAccept(key);
  const connection = status === 101 ? new CheckedWebSocket(socket, context.signal, answer.rest) : null;
  if (!connection) socket.destroy();
  return {
    status,
    headers,
    sent: printable(request),
    got: printable(answer.text),
    acceptIsRight: headers.get('sec-websocket-accept') === expectedAccept,
    expectedAccept,
    connection,
  };
}
