import { importAgain } from '../shared/import-again.ts';
import { encryptedTls } from './capture-file/encrypted-tls.ts';
import { LazyLayer } from './lazy-layer.ts';
import { markUnmasked } from './masked-bytes.ts';
import { markUndelivered } from './undelivered.ts';
import { collectExchangeMessages, numberMessages } from './message-marks.ts';
import { isEngineIoPath, isGraphqlPath, isJsonOrFormContentType, isMqttSubprotocol, isPackagedRpcPath, GRAPHQL_WS_SUBPROTOCOLS } from './payload-kinds.ts';
import { registerPayloadLayer, type PayloadContext, type PayloadLayer } from './payload-layers.ts';
import type { DecodeMemo } from './decode-memo.ts';
import { assembleConnection, type ByteStream } from './stream-assembler.ts';
import type { CaptureChunk, CapturedConnection, DecodedConnection, HttpExchange, WireNode } from './types.ts';

// Which decoder reads a connection, and which layer reads what travels inside it. Every layer is
// a LazyLayer (lazy-layer.ts): a chunk of its own, downloaded the first time a connection needs
// it, chosen by what the connection carries — HTTP/1.1 by the transport the tap reports, HTTP/2
// (and HPACK) by the h2c transport, MQTT by its CONNECT, WebSocket frames by a 101 to
// "websocket", then Engine.IO, graphql-ws or MQTT by the path and subprotocol; inside bodies,
// gRPC and protobuf by the content type, GraphQL by /graphql, SSE by text/event-stream.
// decode-connection.ts installs every layer at once for tests and tools.

/** The connection-level layers. */
export const connectionLayers = {
  http1: new LazyLayer('HTTP/1.1', 'HTTP/1.1', () => importAgain(() => import('./http1/decode-http1.ts'))),
  http2: new LazyLayer('HTTP/2 and HPACK', 'HTTP/2 и HPACK', () => importAgain(() => import('./http2/decode-http2.ts'))),
  websocket: new LazyLayer('WebSocket', 'WebSocket', () => importAgain(() => import('./websocket/decode-websocket.ts'))),
  mqtt: new LazyLayer('MQTT', 'MQTT', () => importAgain(() => import('./mqtt/decode-mqtt-connection.ts'))),
  /** GET /graphql?query=…: the operation in the request target, where no payload layer looks */
  graphqlQueryString: new LazyLayer('GraphQL', 'GraphQL', () => importAgain(() => import('./graphql/decode-graphql-http.ts'))),
};

const contentTypeOf = (context: PayloadContext) => (context.contentType ?? '').split(';')[0].trim();

/** The payload layers, in the order they are asked (most specific first), each with when it may be needed. */
export const payloadLayerSources = {
  engineIo: new LazyLayer<readonly PayloadLayer[]>('Engine.IO', 'Engine.IO', () =>
    importAgain(() => import('./engine-io/decode-engine-io.ts')).then((module) => [module.engineIoLayer]),
  ),
  grpc: new LazyLayer<readonly PayloadLayer[]>('gRPC and protobuf', 'gRPC и protobuf', () =>
    importAgain(() => import('./grpc/grpc-layers.ts')).then((module) => module.GRPC_PAYLOAD_LAYERS),
  ),
  sse: new LazyLayer<readonly PayloadLayer[]>('Server-Sent Events', 'Server-Sent Events', () =>
    importAgain(() => import('./sse/decode-sse.ts')).then((module) => [module.sseLayer]),
  ),
  graphqlWs: new LazyLayer<readonly PayloadLayer[]>('graphql-ws', 'graphql-ws', () =>
    importAgain(() => import('./graphql/decode-graphql-ws.ts')).then((module) => [module.graphqlWsLayer]),
  ),
  graphqlHttp: new LazyLayer<readonly PayloadLayer[]>('GraphQL', 'GraphQL', () =>
    importAgain(() => import('./graphql/decode-graphql-http.ts')).then((module) => [module.graphqlHttpLayer]),
  ),
  json: new LazyLayer<readonly PayloadLayer[]>('JSON and forms', 'JSON и формы', () =>
    importAgain(() => import('./json/json-body-layer.ts')).then((module) => [module.jsonBodyLayer]),
  ),
};

// Registered where decoding starts (not in payload-layers.ts: a layer imports helpers from there).
registerPayloadLayer({ name: 'engine.io', source: payloadLayerSources.engineIo, mayAccept: (context) => isEngineIoPath(context.path) });
registerPayloadLayer({
  name: 'grpc',
  source: payloadLayerSources.grpc,
  mayAccept: (context) => {
    const type = contentTypeOf(context);
    if (type.startsWith('application/grpc') || type.startsWith('application/connect+')) return true;
    // Connect unary: application/proto or application/json on /package.Service/Method
    return (type === 'application/proto' || type === 'application/json') && isPackagedRpcPath(context.path);
  },
});
registerPayloadLayer({ name: 'sse', source: payloadLayerSources.sse, mayAccept: (context) => /^text\/event-stream\b/.test(context.contentType ?? '') });
registerPayloadLayer({
  name: 'graphql-ws',
  source: payloadLayerSources.graphqlWs,
  mayAccept: (context) => context.carrier === 'ws-message' && (GRAPHQL_WS_SUBPROTOCOLS as readonly string[]).includes(context.subprotocol ?? ''),
});
registerPayloadLayer({
  name: 'graphql-http',
  source: payloadLayerSources.graphqlHttp,
  mayAccept: (context) => isGraphqlPath(context.path) || (context.contentType ?? '').startsWith('application/graphql-response+json'),
});

// Last: a JSON body on /graphql, a Connect call's or an Engine.IO packet's is read by its own layer above.
registerPayloadLayer({
  name: 'json-body',
  source: payloadLayerSources.json,
  mayAccept: (context) => context.carrier !== 'ws-message' && isJsonOrFormContentType(contentTypeOf(context).toLowerCase()),
});

/** Downloads every layer now (tests that render the inspector at once; a page that knows it will need them). */
export async function loadAllLayers(): Promise<void> {
  await Promise.all([...Object.values(connectionLayers), ...Object.values(payloadLayerSources)].map((layer: LazyLayer<unknown>) => layer.load()));
}

/** Both directions of a connection, assembled. */
export interface ConnectionStreams {
  in: ByteStream;
  out: ByteStream;
}

/**
 * Turns the bytes of one connection into exchanges; one per transport the tap reports. `memo`
 * carries what the previous decode of the same connection found complete.
 */
export type ConnectionDecoder = (connection: CapturedConnection, streams: ConnectionStreams, memo?: DecodeMemo) => DecodedConnection;

/** Where a layer is still on its way (or failed to load): its placeholder over each direction's bytes. */
function awaitingLayer(layer: LazyLayer<unknown>, connection: CapturedConnection, streams: ConnectionStreams): DecodedConnection {
  return { connection, exchanges: [], notes: placeholderNotes(layer, streams, { in: 0, out: 0 }) };
}

function placeholderNotes(layer: LazyLayer<unknown>, streams: ConnectionStreams, from: { in: number; out: number }): DecodedConnection['notes'] {
  return (['in', 'out'] as const)
    .filter((dir) => streams[dir].end > from[dir])
    .map((dir) => ({ dir, node: layer.placeholder({ start: Math.max(from[dir], streams[dir].segments[0]?.start ?? 0), end: streams[dir].end }) }));
}

/**
 * The GraphQL operations of GET /graphql requests, once that layer is here; until then nothing
 * (they appear with the next decode), and a note over each such request if the layer failed.
 */
function graphqlQueryStrings(
  exchanges: readonly HttpExchange[],
  streams: ConnectionStreams,
  notes: DecodedConnection['notes'],
  groupOf?: (exchange: HttpExchange) => string | undefined,
) {
  const gets = exchanges.filter((exchange) => exchange.request.method === 'GET' && isGraphqlPath(exchange.request.path));
  if (gets.length === 0) return [];
  const layer = connectionLayers.graphqlQueryString;
  const graphql = layer.get();
  if (graphql) return graphql.graphqlQueryStringMessages(exchanges, streams, groupOf);
  if (layer.failure !== undefined) for (const exchange of gets) notes.push({ dir: 'in', node: layer.placeholder(exchange.request.range) });
  return [];
}

const decodeHttp1: ConnectionDecoder = (connection, streams, memo) => {
  const http1 = connectionLayers.http1.get();
  if (!http1) return awaitingLayer(connectionLayers.http1, connection, streams);
  // Registered for 'http/1.1' only: MQTT over TCP has its own decoder below.
  const { exchanges, notes } = http1.inspectHttp1Connection(streams.in, streams.out, connection.transport === 'h2c' ? 'h2c' : 'http/1.1', memo);
  // Units that payload layers marked inside bodies: Engine.IO polling packets, SSE events.
  const messages = collectExchangeMessages(exchanges, streams, memo);
  // GET /graphql?query=… carries its operation in the request target, where no payload layer looks.
  messages.push(...graphqlQueryStrings(exchanges, streams, notes));
  const upgraded = exchanges.find((exchange) => exchange.upgrade?.protocol === 'websocket');
  if (!upgraded) return { connection, exchanges, notes, ...(messages.length > 0 ? { messages: numberMessages(messages) } : {}) };
  // After a 101 to "websocket" the WebSocket decoder reads the rest of both directions.
  const ws = connectionLayers.websocket.get();
  if (!ws) {
    const from = { in: upgraded.upgrade!.inboundOffset, out: upgraded.upgrade!.outboundOffset };
    return {
      connection,
      exchanges,
      notes: [...notes, ...placeholderNotes(connectionLayers.websocket, streams, from)],
      ...(messages.length > 0 ? { messages: numberMessages(messages) } : {}),
    };
  }
  const websocket = ws.decodeWebSocketConnection(upgraded, streams);
  messages.push(...websocket.messages);
  const extraNotes: DecodedConnection['notes'] = [];
  // MQTT packets need not line up with WebSocket messages: read across them, not per message.
  if (isMqttSubprotocol(websocket.handshake.subprotocol)) {
    const mqtt = connectionLayers.mqtt.get();
    if (mqtt) {
      // MQTT reads the unmasked payloads of the client's frames: its nodes describe those bytes.
      for (const message of mqtt.decodeMqttOverWebSocket(connection.id, websocket, streams)) {
        if (websocket.masks[message.dir].length > 0) markUnmasked(message.tree);
        messages.push(message);
      }
    } else extraNotes.push(...placeholderNotes(connectionLayers.mqtt, streams, { in: upgraded.upgrade!.inboundOffset, out: upgraded.upgrade!.outboundOffset }));
  }
  return {
    connection,
    exchanges,
    notes: [...notes.filter((note) => note.node.kind !== 'upgraded'), ...websocket.notes, ...extraNotes],
    messages: numberMessages(messages),
    masks: websocket.masks,
  };
};

/** HTTP/2 frames and their exchanges; GET /graphql?query=… carries its operation in :path, where no payload layer looks. */
const decodeH2c: ConnectionDecoder = (connection, streams) => {
  const http2 = connectionLayers.http2.get();
  if (!http2) return awaitingLayer(connectionLayers.http2, connection, streams);
  const decoded = http2.decodeHttp2Connection(connection, streams);
  const headersAt = new Map<number, number>();
  for (const message of decoded.messages ?? []) {
    if (message.layer === 'h2-frame' && message.dir === 'in' && message.fields?.type === 'HEADERS')
      headersAt.set(message.range.start, Number(message.fields.streamId));
  }
  const groupOf = (exchange: HttpExchange) => {
    const stream = headersAt.get(exchange.request.range.start);
    return stream === undefined ? undefined : `stream ${stream}`;
  };
  const notes = [...decoded.notes];
  const found = graphqlQueryStrings(decoded.exchanges, streams, notes, groupOf);
  if (found.length === 0 && notes.length === decoded.notes.length) return decoded;
  return { ...decoded, notes, messages: numberMessages([...(decoded.messages ?? []), ...found]) };
};

const decodeMqtt: ConnectionDecoder = (connection, streams) => {
  const mqtt = connectionLayers.mqtt.get();
  return mqtt ? mqtt.decodeMqttConnection(connection, streams) : awaitingLayer(connectionLayers.mqtt, connection, streams);
};

/** A transport with no decoder: say so over the bytes instead of guessing. */
const notDecodedYet: ConnectionDecoder = (connection, streams) => ({
  connection,
  exchanges: [],
  notes: (['in', 'out'] as const)
    .filter((dir) => streams[dir].end > 0)
    .map((dir) => ({
      dir,
      node: {
        kind: 'decoder-missing',
        label: `${connection.transport} connection`,
        value: 'The HTTP/2 decoder arrives in a later issue; the bytes below are shown raw.',
        range: { start: streams[dir].segments[0]?.start ?? 0, end: streams[dir].end },
      } satisfies WireNode,
    })),
});

/** Which decoder reads a connection, by the transport the tap reports (TLS only in an opened file). */
const decoders: Record<CapturedConnection['transport'], ConnectionDecoder> = {
  'http/1.1': decodeHttp1,
  h2c: decodeH2c,
  mqtt: decodeMqtt,
  tls: encryptedTls,
};

export function decoderFor(transport: CapturedConnection['transport']): ConnectionDecoder {
  return decoders[transport] ?? notDecodedYet;
}

/**
 * Assembles and decodes one connection's chunks (a closed connection ends its streams). Pass the
 * same memo every time the connection is decoded again with more bytes: only the new ones cost.
 * A layer not loaded yet shows as `decoder-loading` nodes and starts downloading; decode again
 * once `onLayerSettled` (lazy-layer.ts) says it arrived, with a fresh memo.
 */
export function decodeConnection(
  connection: CapturedConnection,
  chunks: readonly CaptureChunk[],
  memo?: DecodeMemo,
): DecodedConnection & { streams: ConnectionStreams } {
  const streams = assembleConnection(connection.id, chunks, connection.closedAt !== undefined, memo);
  const decoded = decoderFor(connection.transport)(connection, streams, memo);
  memo?.nextGeneration();
  return markUndelivered({ ...decoded, streams });
}
