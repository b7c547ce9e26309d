import type { CaptureSnapshot, ConnectionView, InspectedExchange } from '../../inspector/capture-store.ts';
import type { WireMessage } from '../../../wire/types.ts';

// How a console finds, in this session's captured traffic, the bytes of what it just did: the
// handshake of the WebSocket it opened, the frame of the message it sent. The realtime consoles
// share these; each console links its log rows to the inspector with them.

/** What the consoles need of the capture store (web/inspector/capture-store.ts); tests pass a fake. */
export interface CaptureSource {
  subscribe(listener: () => void): () => void;
  getSnapshot(): CaptureSnapshot;
}

/** How long a console waits for its own bytes to come back through the capture channel. */
export const CAPTURE_WAIT_MS = 5000;

/**
 * Resolves with the first non-undefined value `pick` finds in a snapshot (now or after a later
 * change), or null after `timeoutMs` or when `signal` aborts.
 */
export function waitForCapture<T>(
  source: CaptureSource,
  pick: (snapshot: CaptureSnapshot) => T | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: T | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const check = () => {
      const found = pick(source.getSnapshot());
      if (found !== undefined) finish(found);
    };
    const onAbort = () => finish(null);
    const timer = setTimeout(() => finish(null), timeoutMs);
    const unsubscribe = source.subscribe(check);
    signal?.addEventListener('abort', onAbort);
    check();
  });
}

/** Exchanges a console already took as its own (`conn/index`): two consoles never share one. */
const claimed = new Set<string>();

export function claimExchange(exchange: Pick<InspectedExchange, 'conn' | 'index'>): void {
  claimed.add(`${exchange.conn}/${exchange.index}`);
}

export interface ExchangeQuery {
  method: string;
  /** path and query as the console sent them: "/ws/echo", "/socket.io/?EIO=4&transport=websocket" */
  target: string | RegExp;
  /** server clock (captureTimeNow()) taken before the console sent the request */
  after: number;
  /**
   * Where the request's window ends (exclusive): the `after` of the console's next request of
   * the same kind (a reconnect's handshake, the next stream or call). Set when that one begins;
   * the two windows then never overlap, so an old request's look-again never claims a newer one's
   * exchange when its own never came.
   */
  before?: number;
  /** e.g. "has a 101 response" */
  accept?(exchange: InspectedExchange): boolean;
}

/** The oldest exchange not yet claimed that matches, whose request started at or after `after` (and before `before`). */
export function findExchange(snapshot: CaptureSnapshot, query: ExchangeQuery): InspectedExchange | undefined {
  return snapshot.exchanges.find(
    (exchange) =>
      exchange.request.firstByteAt >= query.after &&
      (query.before === undefined || exchange.request.firstByteAt < query.before) &&
      !claimed.has(`${exchange.conn}/${exchange.index}`) &&
      exchange.request.method === query.method &&
      (typeof query.target === 'string' ? exchange.request.target === query.target : query.target.test(exchange.request.target)) &&
      (query.accept?.(exchange) ?? true),
  );
}

/** The `101` answer to this console's WebSocket handshake. */
export function findHandshake(snapshot: CaptureSnapshot, query: { target: string; after: number }): InspectedExchange | undefined {
  return findExchange(snapshot, { method: 'GET', ...query, accept: (exchange) => exchange.response?.status === 101 && exchange.upgrade !== undefined });
}

/** Waits for an exchange and claims it, so the next wait finds the next one. */
export async function claimNextExchange(
  source: CaptureSource,
  query: ExchangeQuery,
  timeoutMs = CAPTURE_WAIT_MS,
  signal?: AbortSignal,
): Promise<InspectedExchange | null> {
  const exchange = await waitForCapture(source, (snapshot) => findExchange(snapshot, query), timeoutMs, signal);
  if (exchange) claimExchange(exchange);
  return exchange;
}

/**
 * What a link to one exchange answers at each click: the first wait's answer, or after a miss
 * one more wait (`again`) at each ask. The asks queue, one wait at a time, so that two clicks
 * never claim two exchanges; once one finds it, every later ask answers it at once.
 */
export function askAgainAfterMiss<T>(first: Promise<T | null>, again: () => Promise<T | null>): () => Promise<T | null> {
  let current = first;
  return () => {
    const asked = current.then((found) => found ?? again());
    current = asked;
    return asked;
  };
}

/** The frames that start a text or binary message (a fragmented message's first frame), in order. */
export function dataFrames(view: ConnectionView | undefined, dir: 'in' | 'out'): WireMessage[] {
  if (!view) return [];
  return view.messages.filter(
    (message) => message.layer === 'ws-frame' && message.dir === dir && (message.fields?.opcode === 'text' || message.fields?.opcode === 'binary'),
  );
}

/** The frames of one opcode ('close', 'ping'…) in one direction, in order. */
export function controlFrames(view: ConnectionView | undefined, dir: 'in' | 'out', opcode: string): WireMessage[] {
  if (!view) return [];
  return view.messages.filter((message) => message.layer === 'ws-frame' && message.dir === dir && message.fields?.opcode === opcode);
}

export function connectionView(snapshot: CaptureSnapshot, conn: string): ConnectionView | undefined {
  return snapshot.connections.find((view) => view.connection.id === conn);
}

/**
 * The first message of `layer` in `dir` whose fields all equal `fields`, that crossed at or after
 * `after` and is not in `taken` (keys `conn/index`): e.g. the Socket.IO EVENT a console just emitted.
 */
export function findMessage(
  snapshot: CaptureSnapshot,
  query: { layer: string; dir: 'in' | 'out'; fields: Record<string, string | number | boolean>; after: number; taken?: ReadonlySet<string> },
): WireMessage | undefined {
  return snapshot.messages.find(
    (message) =>
      message.layer === query.layer &&
      message.dir === query.dir &&
      message.at >= query.after &&
      !query.taken?.has(messageKey(message)) &&
      Object.entries(query.fields).every(([name, value]) => message.fields?.[name] === value),
  );
}

export function messageKey(message: Pick<WireMessage, 'conn' | 'index'>): string {
  return `${message.conn}/${message.index}`;
}
