// Every connection a check opens goes through `openGuardedSocket`: the address guard on the
// literal address or on each resolved one (the lookup hook), once more on the socket's real peer
// address after connecting, the student's connection budget, a cap on the bytes received, and a
// transcript of the real bytes each way for the report.
import { Socket, connect, isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Transport } from '../../contracts/capture-channel/messages.ts';
import type { OutboundRecorder } from '../tap/outbound-connection.ts';
import { TapSocket } from '../tap/tap-socket.ts';
import { guardedLookup, refusals, type AddressGuard, type Resolver, systemResolver } from './address-guard.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { serverSpeaksFirst } from './h2-server-first.ts';
import type { CapturedConnectionRef } from '../../contracts/own-server/check-result.ts';

/** Open connections per student (their browser's address), shared by every suite they run. */
export class ConnectionBudget {
  private readonly open = new Map<string, number>();

  constructor(readonly limit: number = OWN_SERVER_LIMITS.connectionsPerStudent) {}

  /** Takes one connection for `student`; returns its release, or null when the budget is spent. */
  take(student: string): (() => void) | null {
    const count = this.open.get(student) ?? 0;
    if (count >= this.limit) return null;
    this.open.set(student, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(student) ?? 1) - 1;
      if (left <= 0) this.open.delete(student);
      else this.open.set(student, left);
    };
  }

  openFor(student: string): number {
    return this.open.get(student) ?? 0;
  }
}

/** The bytes that really crossed a connection, kept for the report. */
export class Transcript {
  readonly sent: Buffer[] = [];
  readonly received: Buffer[] = [];

  sentBytes(): Buffer {
    return Buffer.concat(this.sent);
  }

  receivedBytes(): Buffer {
    return Buffer.concat(this.received);
  }
}

export interface Target {
  host: string;
  port: number;
}

export interface ConnectionContext {
  guard: AddressGuard;
  budget: ConnectionBudget;
  resolver?: Resolver;
  limits?: Pick<typeof OWN_SERVER_LIMITS, 'bytesReceivedPerConnection' | 'connectTimeoutMs'>;
  /**
   * Aborted when whoever asked is gone (the page closed, its fetch aborted): every connection
   * open under this context is destroyed at once, and none is opened after.
   */
  stop?: AbortSignal;
  /** Records every connection in the byte tap for the session that asked (absent: the command line, tests). */
  tap?: OutboundTap;
  /**
   * The run's nonce, sent as `x-wirelab-check-run` on every HTTP request, WebSocket handshake and
   * gRPC call of the suite: Wirelab's own listener sees it when a forwarder passes the run back
   * to it (wirelab-itself.ts, `ChecksArrivingBack`). Absent: the command line, tests.
   */
  runMark?: string;
}

/**
 * Where a suite's connections are recorded: the byte tap (server/tap), for the browser session
 * that asked, so they show in that student's inspector and nobody else's. It also remembers which
 * connections opened since the runner last asked, so each check reports its own.
 */
export class OutboundTap {
  private opened: CapturedConnectionRef[] = [];

  constructor(private readonly open: (transport: Transport) => OutboundRecorder) {}

  record(transport: Transport): OutboundRecorder {
    return this.open(transport);
  }

  connected(id: string, transport: Transport): void {
    this.opened.push({ id, transport });
  }

  /** The connections that connected since the last call, oldest first. */
  takeOpened(): CapturedConnectionRef[] {
    const opened = this.opened;
    this.opened = [];
    return opened;
  }
}

/** What a connection opened after the asker left fails with. */
export class CheckStopped extends Error {
  constructor() {
    super('the check was stopped: the page that asked for it is gone');
    this.name = 'CheckStopped';
  }
}

export class ConnectionLimitError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the server sent more than ${limitBytes} bytes on one connection`);
  }
}

function refusedSocket(error: Error): Socket {
  const socket = new Socket();
  process.nextTick(() => socket.destroy(error));
  return socket;
}

/**
 * A guarded TCP connection to `target`, or a socket that fails with an OwnServerRefusal: the
 * guard, the budget, the stop signal, the connect timeout and the check of the real peer.
 */
function connectGuarded(target: Target, context: ConnectionContext): Socket {
  const { guard, budget } = context;
  const limits = context.limits ?? OWN_SERVER_LIMITS;
  const host = target.host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    const refusal = guard.refusalFor(host, target.port);
    if (refusal) return refusedSocket(refusal);
  } else if (!guard.enabled) {
    return refusedSocket(refusals.off());
  }
  if (context.stop?.aborted) return refusedSocket(new CheckStopped());
  const release = budget.take(guard.studentAddress);
  if (!release) return refusedSocket(refusals.tooMany(budget.limit));
  const socket = connect({
    host,
    port: target.port,
    lookup: guardedLookup(guard, context.resolver ?? systemResolver, target.port),
    timeout: limits.connectTimeoutMs,
  });
  socket.once('close', release);
  if (context.stop) {
    const stop = context.stop;
    const destroy = () => socket.destroy(new CheckStopped());
    stop.addEventListener('abort', destroy, { once: true });
    socket.once('close', () => stop.removeEventListener('abort', destroy));
  }
  socket.once('timeout', () => socket.destroy(new Error(`no TCP connection within ${limits.connectTimeoutMs} ms`)));
  socket.once('connect', () => {
    socket.setTimeout(0);
    // The peer the kernel really connected to, checked again: the last word on where we are.
    const refusal = socket.remoteAddress ? guard.refusalFor(socket.remoteAddress, socket.remotePort) : refusals.notResolved(host);
    if (refusal) socket.destroy(refusal);
  });
  return socket;
}

/** What to record of a connection: its bytes for the report, and for the byte tap which protocol it carries. */
export interface Recording {
  transcript?: Transcript;
  /** recorded in the asking session's captures as this transport (with `context.tap`); absent: not recorded (the probe) */
  transport?: Exclude<Transport, 'h2c'>;
}

/**
 * A TCP connection to `target` (see connectGuarded), its bytes read in JS: counted against the
 * byte cap, kept in the transcript, and recorded by the tap. Synchronous, so it can serve as
 * `createConnection` for node:http.
 */
export function openGuardedSocket(target: Target, context: ConnectionContext, recording: Recording = {}): Socket {
  const socket = connectGuarded(target, context);
  const limits = context.limits ?? OWN_SERVER_LIMITS;
  const recorder = recording.transport ? recordOnTap(socket, context, recording.transport) : undefined;
  const transcript = recording.transcript;
  let received = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    transcript?.received.push(chunk);
    recorder?.received(chunk);
    if (received > limits.bytesReceivedPerConnection) socket.destroy(new ConnectionLimitError(limits.bytesReceivedPerConnection));
  });
  socket.on('error', (error: Error & { receivedBytes?: number }) => {
    error.receivedBytes ??= received;
  });
  if (transcript || recorder)
    recordWrites(socket, (bytes) => {
      transcript?.sent.push(bytes);
      recorder?.sent(bytes);
    });
  return socket;
}

/**
 * The same for HTTP/2 (gRPC): node:http2 reads a native socket's handle directly, past any JS
 * listener, so its session gets a TapSocket in between (server/tap/tap-socket.ts), which sees
 * every byte each way: counted against the byte cap, told to an error as `receivedBytes` (the
 * "reset after N bytes" fact), and with a tap recorded for the asking session.
 */
export function openGuardedHttp2Stream(target: Target, context: ConnectionContext): Duplex {
  const socket = connectGuarded(target, context);
  const limits = context.limits ?? OWN_SERVER_LIMITS;
  let received = 0;
  // before the TapSocket's own listener: the error it passes on carries the count
  socket.on('error', (error: Error & { receivedBytes?: number }) => {
    error.receivedBytes ??= received;
  });
  const recorder = recordOnTap(socket, context, 'h2c');
  const tapped = new TapSocket(socket);
  tapped.observer = {
    inbound: (chunk) => {
      received += chunk.length;
      recorder?.received(chunk);
      if (received > limits.bytesReceivedPerConnection) socket.destroy(new ConnectionLimitError(limits.bytesReceivedPerConnection));
    },
    outbound: (chunk) => recorder?.sent(chunk),
    closed() {},
  };
  // nothing of a call goes out before the server's SETTINGS (h2-server-first.ts)
  return serverSpeaksFirst(tapped);
}

/** The tap's record of one connection: announced once the guard let it connect, closed with it. */
function recordOnTap(socket: Socket, context: ConnectionContext, transport: Transport): OutboundRecorder | undefined {
  const tap = context.tap;
  if (!tap) return undefined;
  const recorder = tap.record(transport);
  socket.once('connect', () => {
    // The guard's own listener ran first: a refused peer is destroyed by now, and never shown.
    if (socket.destroyed) return;
    recorder.connected({ address: socket.localAddress, port: socket.localPort }, { address: socket.remoteAddress, port: socket.remotePort });
    tap.connected(recorder.id, transport);
  });
  socket.once('close', () => recorder.closed());
  return recorder;
}

function recordWrites(socket: Socket, record: (bytes: Buffer) => void): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') {
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      record(Buffer.from(chunk, encoding));
    } else if (chunk instanceof Uint8Array) {
      record(Buffer.from(chunk));
    }
    return write(chunk, ...rest);
  }) as Socket['write'];
}

/** `host:port`, `[v6]:port`; the port is required. */
export function parseTarget(text: string): Target | null {
  const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(text.trim());
  if (!match) return null;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return null;
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}
