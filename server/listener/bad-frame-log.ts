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
