// Every connection a check opens goes through `openGuardedSocket`: the address guard on the
// literal address or on each resolved one (the lookup hook), once more on the socket's real peer
// address after connecting, the student's connection budget, a cap on the bytes received, and a
// transcript of the real bytes each way for the report.
import { Socket, connect, isIP } from 'node:net';
import { guardedLookup, refusals, type AddressGuard, type Resolver, systemResolver } from './address-guard.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';

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
 * A TCP connection to `target`, or a socket that fails with an OwnServerRefusal. Synchronous, so
 * it can serve as `createConnection` for node:http and node:http2.
 */
export function openGuardedSocket(target: Target, context: ConnectionContext, transcript?: Transcript, readsInJs = true): Socket {
  const { guard, budget } = context;
  const limits = context.limits ?? OWN_SERVER_LIMITS;
  const host = target.host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    const refusal = guard.refusalFor(host);
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
    lookup: guardedLookup(guard, context.resolver ?? systemResolver),
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
    const refusal = socket.remoteAddress ? guard.refusalFor(socket.remoteAddress) : refusals.notResolved(host);
    if (refusal) socket.destroy(refusal);
  });
  // node:http2 reads the socket natively: a JS 'data' listener would steal its bytes, so an h2
  // caller counts what it receives itself (grpc-client.ts).
  if (!readsInJs) return socket;
  let received = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    transcript?.received.push(chunk);
    if (received > limits.bytesReceivedPerConnection) socket.destroy(new ConnectionLimitError(limits.bytesReceivedPerConnection));
  });
  if (transcript) recordWrites(socket, transcript);
  return socket;
}

function recordWrites(socket: Socket, transcript: Transcript): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') {
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      transcript.sent.push(Buffer.from(chunk, encoding));
    } else if (chunk instanceof Uint8Array) {
      transcript.sent.push(Buffer.from(chunk));
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
