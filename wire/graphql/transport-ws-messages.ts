// graphql-transport-ws (graphql-ws' PROTOCOL.md): its subprotocol names, its close codes, and what
// makes a client's message well-formed — a text frame holding a JSON object with a string `type`
// of the five a client may send, each with the fields that type asks for. What depends on the
// connection so far (a subscribe before connection_init, an id already in use, a second
// connection_init) is the server's to track: server/protocols/graphql/transport-ws-rules.ts.
// decode-graphql-ws.ts shows the same messages byte by byte in the inspector.

export const TRANSPORT_WS = 'graphql-transport-ws';
/** subscriptions-transport-ws, the older protocol under the subprotocol name `graphql-ws` */
export const LEGACY_WS = 'graphql-ws';

/** graphql-transport-ws close codes (graphql-ws' PROTOCOL.md), by the name it gives each. */
export const TRANSPORT_WS_CLOSE = {
  /** a message the protocol does not define, or one that is not valid */
  badRequest: 4400,
  /** a subscribe before the connection was acknowledged */
  unauthorized: 4401,
  forbidden: 4403,
  /** the server speaks none of the subprotocols the client offered */
  subprotocolNotAcceptable: 4406,
  /** no connection_init within the server's time */
  connectionInitialisationTimeout: 4408,
  /** a subscribe with the id of a subscription still running: "Subscriber for <id> already exists" */
  subscriberExists: 4409,
  /** a second connection_init */
  tooManyInitialisationRequests: 4429,
} as const;

/** A well-formed message a client may send. */
export type TransportWsClientMessage =
  | { type: 'connection_init' | 'ping' | 'pong'; payload?: Record<string, unknown> | null }
  | { type: 'subscribe'; id: string; payload: Record<string, unknown> & { query: string } }
  | { type: 'complete'; id: string };

/** Why a client's message is not one: the close code (always 4400) and the reason to close with. */
export interface TransportWsRefusal {
  close: number;
  reason: string;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const refusal = (reason: string): TransportWsRefusal => ({ close: TRANSPORT_WS_CLOSE.badRequest, reason });

/** A client's frame as a graphql-transport-ws message, or why it is none (close 4400). */
export function readClientMessage(text: string, binary: boolean): TransportWsClientMessage | TransportWsRefusal {
  if (binary) return refusal('Binary frames are not allowed');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return refusal('Invalid message received: not JSON');
  }
  if (!isJsonObject(message) || typeof message.type !== 'string') return refusal('Invalid message received');
  const { type, id, payload } = message;
  switch (type) {
    case 'connection_init':
    case 'ping':
    case 'pong':
      if (payload !== undefined && payload !== null && !isJsonObject(payload)) return refusal('Invalid message received: payload');
      return { type, payload };
    case 'subscribe':
      if (typeof id !== 'string' || id === '' || !isJsonObject(payload) || typeof payload.query !== 'string')
        return refusal('Invalid message received: subscribe');
      return { type, id, payload: payload as Record<string, unknown> & { query: string } };
    case 'complete':
      if (typeof id !== 'string' || id === '') return refusal('Invalid message received: complete');
      return { type, id };
    default:
      return refusal(`Unexpected message of type ${type} received`);
  }
}
