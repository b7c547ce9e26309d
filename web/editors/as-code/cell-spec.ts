import { parseHttpRequest } from '../http/parse-http-request.ts';
import { encodedTarget, httpSpecOf } from './http-spec.ts';
import { parseGrpcCell, type GrpcCellConfig } from '../grpc/grpc-cell-config.ts';
import { findMethod } from '../grpc/method-catalog.ts';
import { parseCellText, parseHeaderLines, parseVariables } from '../graphql/cell-format.ts';
import { operationSource, outlineDocument, pickOperation } from '../graphql/operations.ts';
import { graphqlHttpRequest } from '../graphql/curl-request.ts';
import { parseWebSocketCell, type WebSocketCellConfig } from '../websocket/ws-cell-config.ts';
import { parseSseCell } from '../sse/sse-cell-config.ts';
import { parseLongPollCell } from '../long-polling/poll-cell-config.ts';
import { pollTarget } from '../long-polling/poll-answer.ts';
import { parseMqttCell, type MqttCellConfig } from '../mqtt/mqtt-cell-config.ts';
import { parseSocketIoCell, type SocketIoCellConfig, type SocketIoDraft, type SocketIoPreset } from '../socket-io/sio-cell-config.ts';
import { parseAuthInput, parseEmitInput } from '../socket-io/emit-input.ts';
import type { AsCodeSpec, GraphqlWsSpec, GrpcSpec, HttpSpec, MqttSpec, SocketIoSpec, SseSpec, WebSocketSpec } from './spec.ts';

/** Events a program of a stream (SSE, a GraphQL subscription) reads before it stops. */
export const STREAM_EVENTS = 3;

// A cell's text (or a console's draft) → the spec "As code" writes a program for. The cells call
// the function of their kind with what they hold now; specOfCellFile reads a lesson's cell file,
// for the tests that run every cell's program. The http cell's own is http-spec.ts.

export { encodedTarget, httpSpecOf };

/** The editor's defaults: POST, the chosen (else the first) operation; a subscription goes over graphql-transport-ws. */
export function graphqlSpecOf(text: string, wantedOperation: string | number | null = null): AsCodeSpec | null {
  const source = parseCellText(text);
  const outline = outlineDocument(source.document);
  const variables = parseVariables(source.variables);
  const headers = parseHeaderLines(source.headers);
  if (!outline.ok || !variables.ok || !headers.ok) return null;
  const index = pickOperation(outline.operations, wantedOperation);
  const operation = outline.operations[index];
  if (!operation) return null;
  const query = operationSource(source.document, outline.document, index);
  if (operation.type === 'subscription') return subscriptionSpecOf(query, variables.value, operation.name);
  return httpSpecOf(graphqlHttpRequest(query, variables.value, headers.headers, operation.name ?? null));
}

/** A subscription goes over graphql-transport-ws; the program reads a few events and completes it. */
export function subscriptionSpecOf(query: string, variables: Record<string, unknown>, operationName: string | null | undefined): GraphqlWsSpec {
  return { kind: 'graphql-ws', query, variables, operationName: operationName ?? null, events: STREAM_EVENTS };
}

export function grpcSpecOf(config: GrpcCellConfig): GrpcSpec | null {
  const method = findMethod(config.method);
  if (!method) return null;
  return {
    kind: 'grpc',
    method: `${method.parent.typeName}/${method.name}`,
    methodKind: method.methodKind,
    protoFile: method.parent.file.name + '.proto',
    input: method.input.typeName,
    output: method.output.typeName,
    protocol: config.protocol,
    request: config.request,
    metadata: Object.entries(config.metadata),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
  };
}

export function webSocketSpecOf(config: Pick<WebSocketCellConfig, 'url' | 'subprotocols' | 'presets'>): WebSocketSpec {
  return { kind: 'websocket', target: encodedTarget(config.url), subprotocols: config.subprotocols, messages: config.presets };
}

export function mqttSpecOf(config: MqttCellConfig): MqttSpec {
  const { clientId, clean, keepAlive, will, subscribe, publish } = config;
  const hex = publish.format === 'hex';
  const payload = hex ? publish.payload.replace(/\s+/g, '').toLowerCase() : publish.payload;
  return {
    kind: 'mqtt',
    clientId,
    clean,
    keepAlive,
    will,
    subscribe,
    publish: { topic: publish.topic, payload, hex, qos: publish.qos, retain: publish.retain },
  };
}

export function socketIoSpecOf(config: SocketIoCellConfig): SocketIoSpec {
  return { kind: 'socket-io', namespace: config.namespace, auth: config.auth, transports: config.transports, emits: config.presets };
}

/**
 * The Socket.IO console now: its namespace, auth and transports; the emit typed in its form, or
 * the lesson's presets in order while the form still holds the first of them (or nothing).
 * Null when the auth or the emit does not parse (the console would refuse it too).
 */
export function socketIoConsoleSpecOf(draft: SocketIoDraft, presets: SocketIoPreset[]): SocketIoSpec | null {
  const auth = parseAuthInput(draft.authText);
  if (!auth.ok || draft.transports.length === 0) return null;
  const connection = { namespace: draft.namespace, auth: auth.auth, transports: draft.transports };
  if (draft.event.trim() === '') return socketIoSpecOf({ ...connection, presets });
  const typed = parseEmitInput(draft.event, draft.argsText);
  if (!typed.ok) return null;
  const emit = { event: typed.event, args: typed.args, ack: draft.withAck };
  const first = presets[0];
  const isFirstPreset = first !== undefined && first.event === emit.event && first.ack === emit.ack && JSON.stringify(first.args) === JSON.stringify(emit.args);
  return socketIoSpecOf({ ...connection, presets: isFirstPreset ? presets : [emit] });
}

/** The console's GET of the stream; the program reads a few events and stops. */
export function sseSpecOf(url: string): SseSpec {
  return { kind: 'sse', target: encodedTarget(url), events: STREAM_EVENTS };
}

/** A long poll is one GET that the server holds: plain HTTP, with the console's cursor and hold. */
export function longPollSpecOf(url: string, since = '0', hold = ''): HttpSpec {
  return {
    kind: 'http',
    method: 'GET',
    target: encodedTarget(pollTarget(url, since.trim() || '0', hold)),
    headers: [['Accept', 'application/json']],
    body: null,
  };
}

/** A lesson's cell file as it stands; null for a kind with nothing to send (the protobuf workbench, the pipeline lab, the own-server check). */
export function specOfCellFile(kind: string, text: string): AsCodeSpec | null {
  switch (kind) {
    case 'http': {
      const parsed = parseHttpRequest(text);
      return parsed.ok ? httpSpecOf(parsed.request) : null;
    }
    case 'graphql':
      return graphqlSpecOf(text);
    case 'grpc': {
      const parsed = parseGrpcCell(text);
      return parsed.ok ? grpcSpecOf(parsed.config) : null;
    }
    case 'websocket': {
      const parsed = parseWebSocketCell(text);
      return parsed.ok ? webSocketSpecOf(parsed.config) : null;
    }
    case 'sse': {
      const parsed = parseSseCell(text);
      return parsed.ok ? sseSpecOf(parsed.config.url) : null;
    }
    case 'long-polling': {
      const parsed = parseLongPollCell(text);
      return parsed.ok ? longPollSpecOf(parsed.config.url) : null;
    }
    case 'mqtt': {
      const parsed = parseMqttCell(text);
      return parsed.ok ? mqttSpecOf(parsed.config) : null;
    }
    case 'socket-io': {
      const parsed = parseSocketIoCell(text);
      return parsed.ok ? socketIoSpecOf(parsed.config) : null;
    }
    default:
      return null;
  }
}
