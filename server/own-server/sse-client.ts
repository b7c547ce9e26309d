// Reads a text/event-stream over a guarded connection as it arrives, with the inspector's decoder
// (wire/sse/sse-stream-reader.ts), keeping comments and `retry:` lines, which EventSource hides.
import { runMarkHeader } from './wirelab-itself.ts';
import { request, type IncomingHttpHeaders } from 'node:http';
import { noteIfSilent, printable, withTimeout, type Awaited, type SuiteContext } from './check-kit.ts';
import { openGuardedSocket, Transcript } from './connection.ts';
import { receivedHttp1 } from './http1-transcript.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { SseStreamReader } from '../../wire/sse/sse-stream-reader.ts';

export interface StreamEvent {
  /** the block's `id:` value as sent, one a browser ignores (it holds U+0000) included; null without one */
  id: string | null;
  event: string;
  data: string;
}

export class EventStreamReader {
  status = 0;
  headers: IncomingHttpHeaders = {};
  readonly events: StreamEvent[] = [];
  readonly comments: string[] = [];
  /** the `retry:` values a browser takes (all digits), one a block */
  readonly retries: number[] = [];
  readonly transcript = new Transcript();
  ended = false;
  /** How the server ended the stream before the check stopped it: its end (closed), or an error (reset, cut mid-chunk). */
  endedBy: 'closed' | 'cut' | null = null;
  private stopped = false;
  private readonly reader = new SseStreamReader();
  private waiters: Array<() => void> = [];
  private readonly close: () => void;
  readonly sentText: () => string;

  constructor(
    private readonly context: SuiteContext,
    path: string,
    headers: Record<string, string> = {},
  ) {
    const outgoing = request({
      method: 'GET',
      path,
      host: context.target.host,
      port: context.target.port,
      headers: { accept: 'text/event-stream', ...runMarkHeader(context), ...headers },
      // no `agent`: with one (even `agent: false`, which makes a fresh Agent) node:http would open
      // its own connection and never call createConnection, bypassing the guard
      agent: undefined,
      createConnection: () => openGuardedSocket(context.target, context, { transcript: this.transcript, transport: 'http/1.1' }),
    });
    outgoing.once('error', () => this.finish('cut'));
    outgoing.once('response', (response) => {
      this.status = response.statusCode ?? 0;
      this.headers = response.headers;
      response.on('data', (chunk: Buffer) => this.take(chunk));
      response.once('end', () => this.finish('closed'));
      response.once('error', () => this.finish('cut'));
      this.wake();
    });
    outgoing.end();
    this.close = () => outgoing.destroy();
    this.sentText = () => printable(this.transcript.sentBytes());
  }

  got(): string {
    return receivedHttp1(this.transcript.receivedBytes());
  }

  private finish(how: 'closed' | 'cut'): void {
    if (!this.stopped && !this.ended) this.endedBy = how;
    this.ended = true;
    this.wake();
  }

  /** A U+FEFF after the stream's first character: HTML §9.2.5 ignores only a leading one. */
  get bomAfterStart(): boolean {
    return this.reader.bomAfterStart;
  }

  private take(chunk: Buffer): void {
    for (const block of this.reader.push(chunk)) {
      this.comments.push(...block.comments.map((comment) => comment.trim()));
      if (block.retry !== undefined) this.retries.push(block.retry);
      if (block.dispatched) this.events.push({ id: block.ignoredId ?? block.id ?? null, event: block.type ?? 'message', data: block.data ?? '' });
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Waits until `condition` holds or the stream ends; false when it ended (or timed out) without it. */
  async until(condition: () => boolean, what: Awaited): Promise<boolean> {
    const wait = new Promise<boolean>((resolve) => {
      const attempt = () => {
        if (condition()) return resolve(true);
        if (this.ended) return resolve(false);
        this.waiters.push(attempt);
      };
      attempt();
    });
    return withTimeout(wait, OWN_SERVER_LIMITS.checkTimeoutMs, this.context.signal, what).catch((error: unknown) => {
      noteIfSilent(this.context, error, this.transcript.receivedBytes().length);
      return false;
    });
  }

  stop(): void {
    this.stopped = true;
    this.close();
  }
}
