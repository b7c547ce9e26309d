import { request, type Agent, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { SseStreamReader } from '../../wire/sse/sse-stream-reader.ts';

/** What the scale tests wait for at most: a message through Redis, a reconnect through HAProxy. */
export const WAIT_MS = 15_000;

export interface StreamEvent {
  id: string | null;
  event: string;
  data: string;
}

/** Polls `check` until it gives a value (not undefined), at most `timeoutMs`. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A Server-Sent Events reader over node:http, as EventSource reads (fields `id`, `event`,
 * `data`, blank line ends an event); it never reconnects by itself: the drill does that, with
 * `Last-Event-ID`, so the test sees each step.
 */
export class EventStreamReader {
  readonly events: StreamEvent[] = [];
  /** The instance that answered (x-wirelab-instance). */
  instance = '';
  ended = false;
  private constructor(private readonly response: IncomingMessage) {}

  static open(origin: string, headers: Record<string, string>): Promise<EventStreamReader> {
    return new Promise((resolve, reject) => {
      const url = new URL('/api/v1/events', origin);
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return reject(new Error(`event stream answered ${response.statusCode}`));
        }
        const reader = new EventStreamReader(response);
        reader.instance = String(response.headers['x-wirelab-instance'] ?? '');
        // read with wire/sse's stream reader, as the inspector and the consoles read it
        const sse = new SseStreamReader();
        response.on('data', (chunk: Buffer) => {
          for (const block of sse.push(chunk)) {
            const event: StreamEvent = { id: block.id ?? null, event: block.type ?? 'message', data: block.data ?? '' };
            if (event.data !== '' || event.event !== 'message') reader.events.push(event);
          }
        });
        const end = () => (reader.ended = true);
        response.once('end', end);
        response.once('aborted', end);
        response.once('error', end);
        response.once('close', end);
        resolve(reader);
      });
      req.once('error', reject);
      req.end();
    });
  }

  /** The domain events read so far (not the stream's own `stream.gap`, `server.shutdown`). */
  domainEvents(): Array<{ id: string; type: string; data: { name?: string } }> {
    return this.events
      .filter((event) => event.id !== null)
      .map((event) => ({ id: event.id!, type: event.event, data: JSON.parse(event.data).data ?? JSON.parse(event.data) }));
  }

  async waitFor(what: string, predicate: (event: StreamEvent) => boolean): Promise<StreamEvent> {
    return eventually(what, () => this.events.find(predicate));
  }

  close(): void {
    this.response.destroy();
  }
}

export interface HttpAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  /** x-wirelab-instance: who answered */
  instance: string;
  json<T = unknown>(): T;
}

/**
 * One HTTP/1.1 request on a connection of its own. HAProxy pins a connection by its first
 * request (deploy/haproxy/haproxy.cfg), so a pooled connection (fetch's) would carry a request
 * of one session to the instance another session's first request chose; a browser's
 * connections all carry its cookie, which a fresh connection per request models.
 */
export function httpRequest(
  url: string | URL,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; agent?: Agent; signal?: AbortSignal; localAddress?: string } = {},
): Promise<HttpAnswer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers, agent: options.agent ?? false, signal: options.signal, localAddress: options.localAddress },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body: text,
            instance: String(response.headers['x-wirelab-instance'] ?? ''),
            json: <T>() => JSON.parse(text) as T,
          }),
        );
        response.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** A new browser session through `origin`: its cookie (`wirelab_session=…`) and who issued it. */
export async function newSession(origin: string): Promise<{ cookie: string; session: string; issuedBy: string }> {
  const answer = await httpRequest(new URL('/_wirelab/session', origin));
  if (answer.status !== 200) throw new Error(`/_wirelab/session answered ${answer.status}`);
  const cookie = String(answer.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  return { cookie, session: cookie.slice('wirelab_session='.length), issuedBy: answer.instance };
}

/** Creates a user over REST; its unique name is how each client recognises the event. */
export async function createUser(origin: string, headers: Record<string, string>, label: string): Promise<{ name: string; instance: string; status: number }> {
  const name = `${label} ${randomBytes(3).toString('hex')}`;
  const answer = await httpRequest(new URL('/api/v1/users', origin), {
    method: 'POST',
    headers,
    body: { name, email: `${randomBytes(5).toString('hex')}@example.edu` },
  });
  return { name, instance: answer.instance, status: answer.status };
}

/** A WebSocket whose JSON messages are kept, so a test can wait for one. */
export class JsonSocket {
  readonly messages: Array<Record<string, unknown>> = [];
  closed = false;
  /** the close code, once closed */
  closeCode: number | null = null;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.messages.push(JSON.parse(String(data)));
    });
    socket.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
  }

  static open(url: string, options: { protocol?: string; headers?: Record<string, string> } = {}): Promise<JsonSocket> {
    const socket = new WebSocket(url, options.protocol ? [options.protocol] : [], { headers: options.headers });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new JsonSocket(socket)));
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  waitFor(what: string, predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return eventually(what, () => this.messages.find(predicate));
  }

  close(): void {
    this.socket.terminate();
  }
}
