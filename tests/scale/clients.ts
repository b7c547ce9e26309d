import { request, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

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
        response.setEncoding('utf8');
        let buffer = '';
        let current: StreamEvent = { id: null, event: 'message', data: '' };
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).replace(/\r$/, '');
            buffer = buffer.slice(newline + 1);
            if (line === '') {
              if (current.data !== '' || current.event !== 'message') reader.events.push(current);
              current = { id: null, event: 'message', data: '' };
            } else if (line.startsWith('id:')) current.id = line.slice(3).trim();
            else if (line.startsWith('event:')) current.event = line.slice(6).trim();
            else if (line.startsWith('data:')) current.data += (current.data ? '\n' : '') + line.slice(5).replace(/^ /, '');
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
    return this.events.filter((event) => event.id !== null).map((event) => ({ id: event.id!, type: event.event, data: JSON.parse(event.data).data ?? JSON.parse(event.data) }));
  }

  async waitFor(what: string, predicate: (event: StreamEvent) => boolean): Promise<StreamEvent> {
    return eventually(what, () => this.events.find(predicate));
  }

  close(): void {
    this.response.destroy();
  }
}

/** Creates a user over REST; its unique name is how each client recognises the event. */
export async function createUser(origin: string, headers: Record<string, string>, label: string): Promise<{ name: string; instance: string; status: number }> {
  const name = `${label} ${randomBytes(3).toString('hex')}`;
  const response = await fetch(new URL('/api/v1/users', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ name, email: `${randomBytes(5).toString('hex')}@example.edu` }),
  });
  await response.arrayBuffer();
  return { name, instance: response.headers.get('x-wirelab-instance') ?? '', status: response.status };
}

/** A WebSocket whose JSON messages are kept, so a test can wait for one. */
export class JsonSocket {
  readonly messages: Array<Record<string, unknown>> = [];
  closed = false;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.messages.push(JSON.parse(String(data)));
    });
    socket.on('close', () => (this.closed = true));
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
