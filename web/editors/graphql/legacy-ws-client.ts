import type { ExecutionResult } from 'graphql';

// The older GraphQL-over-WebSocket protocol (subscriptions-transport-ws, subprotocol "graphql-ws"),
// which many servers still speak. No maintained browser client exists for it, and it is small:
// connection_init → connection_ack, then start/data/complete per operation id, stop to cancel,
// connection_terminate before leaving. Its interface matches graphql-ws's client.subscribe.

export const LEGACY_SUBPROTOCOL = 'graphql-ws';

interface Sink {
  next(value: ExecutionResult): void;
  error(error: unknown): void;
  complete(): void;
}

interface Payload {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** One server message, as the protocol defines it. */
export type LegacyServerMessage =
  | { type: 'connection_ack' | 'ka' }
  | { type: 'connection_error'; payload?: unknown }
  | { type: 'data'; id: string; payload: ExecutionResult }
  | { type: 'error'; id: string; payload: unknown }
  | { type: 'complete'; id: string };

/** What a server message means for the operations: pure, tested without a socket. */
export function readLegacyMessage(text: string): LegacyServerMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const message = parsed as Record<string, unknown>;
  const type = message.type;
  if (type === 'connection_ack' || type === 'ka') return { type };
  if (type === 'connection_error') return { type, payload: message.payload };
  if (typeof message.id !== 'string') return null;
  if (type === 'data') return { type, id: message.id, payload: (message.payload ?? {}) as ExecutionResult };
  if (type === 'error') return { type, id: message.id, payload: message.payload };
  if (type === 'complete') return { type, id: message.id };
  return null;
}

export class LegacyGraphqlWsClient {
  private socket: WebSocket | null = null;
  private acknowledged = false;
  private nextId = 1;
  private readonly operations = new Map<string, { payload: Payload; sink: Sink }>();

  constructor(private readonly url: string) {}

  subscribe(payload: Payload, sink: Sink): () => void {
    const id = String(this.nextId++);
    this.operations.set(id, { payload, sink });
    const socket = this.open();
    if (this.acknowledged && socket.readyState === WebSocket.OPEN) this.send({ id, type: 'start', payload });
    return () => {
      if (!this.operations.delete(id)) return;
      if (this.acknowledged) this.send({ id, type: 'stop' });
      this.closeWhenIdle();
    };
  }

  private open(): WebSocket {
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return this.socket;
    this.acknowledged = false;
    const socket = new WebSocket(this.url, LEGACY_SUBPROTOCOL);
    this.socket = socket;
    socket.addEventListener('open', () => this.send({ type: 'connection_init', payload: {} }));
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const [id, { sink }] of this.operations) {
        this.operations.delete(id);
        // with the close's code and reason, so the page can tell the server going away (1001) or a relay's fact
        sink.error(Object.assign(new Error(`WebSocket closed: ${event.code} ${event.reason}`), { code: event.code, reason: event.reason }));
      }
    });
    return socket;
  }

  private receive(text: string): void {
    const message = readLegacyMessage(text);
    if (!message) return;
    switch (message.type) {
      case 'connection_ack':
        this.acknowledged = true;
        for (const [id, { payload }] of this.operations) this.send({ id, type: 'start', payload });
        return;
      case 'ka':
        return;
      case 'connection_error':
        this.socket?.close(1000);
        return;
      case 'data':
        this.operations.get(message.id)?.sink.next(message.payload);
        return;
      case 'error': {
        const operation = this.operations.get(message.id);
        this.operations.delete(message.id);
        operation?.sink.error(message.payload);
        this.closeWhenIdle();
        return;
      }
      case 'complete': {
        const operation = this.operations.get(message.id);
        this.operations.delete(message.id);
        operation?.sink.complete();
        this.closeWhenIdle();
        return;
      }
    }
  }

  private send(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private closeWhenIdle(): void {
    if (this.operations.size > 0 || !this.socket) return;
    this.send({ type: 'connection_terminate' });
    this.socket.close(1000);
    this.socket = null;
  }
}
