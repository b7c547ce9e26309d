import type { FastifyBaseLogger } from 'fastify';

/** How often the summary of a flood is written. @default 60 000 (one minute) */
export const BAD_FRAME_SUMMARY_MS = 60_000;

/**
 * A client's bad frames, logged so that a flood cannot fill the teacher's terminal: the first
 * bad frame of a connection is one warn line (no stack: the client erred, not the server); the
 * rest are counted per remote address and written as one summary line per minute
 * ("N more bad frames from X in the last minute").
 */
export class BadFrameLog {
  private readonly pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly endpoint: string,
    private readonly summaryMs = BAD_FRAME_SUMMARY_MS,
  ) {}

  /** A tracker for one connection. */
  connection(remote: string | undefined): (reason: string) => void {
    let logged = false;
    const from = remote ?? 'unknown';
    return (reason) => {
      if (!logged) {
        logged = true;
        this.log.warn({ endpoint: this.endpoint, remote: from, reason }, `bad frame on ${this.endpoint} from ${from}: ${reason}`);
        return;
      }
      this.pending.set(from, (this.pending.get(from) ?? 0) + 1);
      this.timer ??= setTimeout(() => this.flush(), this.summaryMs).unref();
    };
  }

  /** Writes the summary now (the timer does, once a minute). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const minutes = this.summaryMs / 60_000;
    const window = minutes === 1 ? 'the last minute' : `the last ${minutes} minutes`;
    for (const [from, count] of this.pending) {
      this.log.warn({ endpoint: this.endpoint, remote: from, count }, `${count} more bad frames from ${from} on ${this.endpoint} in ${window}`);
    }
    this.pending.clear();
  }
}

/** Errors `ws` raises for a client's malformed frame (bad opcode, RSV bits, UTF-8, size…). */
function isBadFrameError(error: Error): boolean {
  return String((error as { code?: unknown }).code ?? '').startsWith('WS_ERR_');
}

/**
 * @fastify/websocket's errorHandler: by default it logs every socket error at error level with
 * its stack, so a client could flood the log with malformed frames. A malformed frame is the
 * client's error: a BadFrameLog line (per endpoint path); a connection the client tore down is
 * not worth a line; anything else (a handler that threw) stays an error with its stack.
 */
export function websocketErrorHandler(log: FastifyBaseLogger) {
  const byPath = new Map<string, BadFrameLog>();
  const reporters = new WeakMap<object, (reason: string) => void>();
  return (error: Error, socket: { terminate(): void }, request: { url: string; ip: string; log: FastifyBaseLogger }): void => {
    const code = (error as { code?: unknown }).code;
    if (isBadFrameError(error)) {
      const path = request.url.split('?')[0];
      let badFrames = byPath.get(path);
      if (!badFrames) byPath.set(path, (badFrames = new BadFrameLog(log, path)));
      let report = reporters.get(socket);
      if (!report) reporters.set(socket, (report = badFrames.connection(request.ip)));
      report(`${String(code)}: ${error.message}`);
    } else if (code !== 'ECONNRESET' && code !== 'EPIPE') request.log.error({ err: error }, 'WebSocket handler failed');
    socket.terminate();
  };
}
