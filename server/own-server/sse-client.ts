// Reads a text/event-stream over a guarded connection as it arrives, field by field (HTML
// Living Standard §9.2.6), keeping comments and `retry:` lines, which EventSource hides.
import { runMarkHeader } from './wirelab-itself.ts';
import { request, type IncomingHttpHeaders } from 'node:http';
import { noteIfSilent, printable, withTimeout, type Awaited, type SuiteContext } from './check-kit.ts';
import { openGuardedSocket, Transcript } from './connection.ts';
import { receivedHttp1 } from './http1-transcript.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';

export interface StreamEvent {
  id: string | null;
  event: string;
  data: string;
}

export class EventStreamReader {
  status = 0;
  headers: IncomingHttpHeaders = {};
  readonly events: StreamEvent[] = [];
  readonly comments: string[] = [];
  readonly retries: string[] = [];
  readonly transcript = new Transcript();
  ended = false;
  /** How the server ended the stream before the check stopped it: its end (closed), or an error (reset, cut mid-chunk). */
  endedBy: 'closed' | 'cut' | null = null;
  private stopped = false;
  /** A U+FEFF after the stream's first character: HTML §9.2.5 ignores only a leading one. */
  bomAfterStart = false;
  private started = false;
  /** The last chunk ended with CR: an LF opening the next one is the same line end (CRLF). */
  private afterCr = false;
  private partial = '';
  private fields: { id: string | null; event: string; data: string[] } = { id: null, event: 'message', data: [] };
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
      response.setEncoding('utf8');
      response.on('data', (text: string) => this.take(text));
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

  private take(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      // one leading BOM is no part of the stream (HTML §9.2.5); any later one is
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (text.includes('\uFEFF')) this.bomAfterStart = true;
    if (this.afterCr && text.startsWith('\n')) text = text.slice(1);
    this.afterCr = text.endsWith('\r');
    const lines = (this.partial + text).split(/\r\n|\r|\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
    this.wake();
  }

  private line(line: string): void {
    if (line === '') {
      if (this.fields.data.length > 0) this.events.push({ id: this.fields.id, event: this.fields.event, data: this.fields.data.join('\n') });
      this.fields = { id: null, event: 'message', data: [] };
      return;
    }
    if (line.startsWith(':')) return void this.comments.push(line.slice(1).trim());
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'id') this.fields.id = value;
    else if (name === 'event') this.fields.event = value;
    else if (name === 'data') this.fields.data.push(value);
    else if (name === 'retry') this.retries.push(value);
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
