import { fromBinary, fromJson, toJson, type DescMessage } from '@bufbuild/protobuf';
import { decodeConnection } from '../../wire/decode-connection.ts';
import { decodeWebSocketConnection } from '../../wire/websocket/decode-websocket.ts';
import { schemaRegistry } from '../../wire/protobuf/schema.ts';
import type { CapturedConnection, HttpExchange } from '../../wire/types.ts';
import type { GrpcSpec, HttpSpec, WebSocketSpec } from '../../web/editors/as-code/spec.ts';
import { CaptureClient, newSession } from './capture-client.ts';

// What the server received from the programs, read where the student would read it: the
// capture channel of the session whose curl token the programs carry, decoded by the inspector's
// own decoders. Then compared with what the cell sends.

export interface StudentSession {
  session: string;
  token: string;
  capture: CaptureClient;
}

export async function studentSession(origin: string): Promise<StudentSession> {
  const session = await newSession(origin);
  const info = (await (await fetch(`${origin}/_wirelab/session`, { headers: { cookie: `wirelab_session=${session}` } })).json()) as { curlToken: string };
  const capture = await CaptureClient.open(origin, session);
  return { session, token: info.curlToken, capture };
}

/** Every connection captured so far, decoded as the inspector decodes it. */
export function decodedConnections(capture: CaptureClient): Array<ReturnType<typeof decodeConnection>> {
  const closed = new Map(capture.messages.filter((m) => m.type === 'closed').map((m) => [m.conn as string, m.t as number]));
  const chunks = capture.chunks();
  return capture.connections<CapturedConnection>().map((connection) => {
    const mine = chunks.filter((chunk) => chunk.conn === connection.id).map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
    const closedAt = closed.get(connection.id);
    return decodeConnection(closedAt === undefined ? connection : { ...connection, closedAt }, mine);
  });
}

/** Every HTTP exchange (HTTP/1.1 and h2c streams) captured so far, in the order their requests began. */
export function capturedExchanges(capture: CaptureClient): HttpExchange[] {
  return decodedConnections(capture)
    .flatMap((decoded) => decoded.exchanges)
    .sort((a, b) => a.request.firstByteAt - b.request.firstByteAt || a.conn.localeCompare(b.conn) || a.index - b.index);
}

export function headerValues(exchange: HttpExchange, name: string): string[] {
  return exchange.request.headers.filter(([header]) => header.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
}

/**
 * Did the program send the curl token? The inspector is sent every secret blanked, byte for byte
 * (server/classroom/blanking/capture-blanker.ts), so the token shows as as many `*` as it has characters.
 */
export function carriesCurlToken(exchange: HttpExchange, token: string): boolean {
  return headerValues(exchange, 'x-wirelab-sandbox').some((value) => value === token || value === '*'.repeat(token.length));
}

/** What differs between the captured request and the cell's, in words; empty when they are the same. */
export function httpDifferences(exchange: HttpExchange, spec: HttpSpec, token: string, skippedHeaders: readonly string[] = []): string[] {
  const differences: string[] = [];
  if (exchange.request.method !== spec.method) differences.push(`method ${exchange.request.method}, expected ${spec.method}`);
  if (exchange.request.target !== spec.target) differences.push(`target ${exchange.request.target}, expected ${spec.target}`);
  for (const [name, value] of spec.headers) {
    if (skippedHeaders.includes(name.toLowerCase())) continue;
    if (!headerValues(exchange, name).includes(value))
      differences.push(`header ${name}: ${JSON.stringify(headerValues(exchange, name))}, expected ${JSON.stringify(value)}`);
  }
  if (!carriesCurlToken(exchange, token)) differences.push('no curl token');
  const body = Buffer.from(exchange.request.body).toString('utf8');
  const expectedBody = /^(GET|HEAD)$/i.test(spec.method) && skippedHeaders.includes('@body') ? '' : (spec.body ?? '');
  if (body !== expectedBody) differences.push(`body ${JSON.stringify(body)}, expected ${JSON.stringify(expectedBody)}`);
  if (!exchange.request.complete) differences.push('request incomplete');
  return differences;
}

/** The messages of an RPC request body, whichever of the protocols framed them. */
function requestMessages(exchange: HttpExchange, schema: DescMessage): unknown[] {
  const type = (headerValues(exchange, 'content-type')[0] ?? '').split(';')[0].trim();
  const body = exchange.request.body;
  const registry = schemaRegistry();
  const decode = (bytes: Uint8Array, json: boolean) =>
    json
      ? toJson(schema, fromJson(schema, JSON.parse(Buffer.from(bytes).toString('utf8')), { registry }), { registry })
      : toJson(schema, fromBinary(schema, bytes), { registry });
  if (type === 'application/json') return [decode(body, true)];
  if (type === 'application/proto') return [decode(body, false)];
  const messages: unknown[] = [];
  for (let offset = 0; offset + 5 <= body.length; ) {
    const flags = body[offset];
    const length = Buffer.from(body.subarray(offset + 1, offset + 5)).readUInt32BE(0);
    const payload = body.subarray(offset + 5, offset + 5 + length);
    if ((flags & 0x02) === 0) messages.push(decode(payload, type.endsWith('json')));
    offset += 5 + length;
  }
  return messages;
}

export function grpcDifferences(exchange: HttpExchange, spec: GrpcSpec, token: string): string[] {
  const differences: string[] = [];
  if (exchange.request.path !== `/${spec.method}`) differences.push(`path ${exchange.request.path}, expected /${spec.method}`);
  for (const [name, value] of spec.metadata)
    if (!headerValues(exchange, name).includes(value)) differences.push(`metadata ${name}: ${JSON.stringify(headerValues(exchange, name))}`);
  if (!carriesCurlToken(exchange, token)) differences.push('no curl token');
  const registry = schemaRegistry();
  const schema = registry.getMessage(spec.input);
  if (!schema) return [...differences, `unknown message ${spec.input}`];
  const expected = toJson(schema, fromJson(schema, spec.request as never, { registry }), { registry });
  let messages: unknown[] = [];
  try {
    messages = requestMessages(exchange, schema);
  } catch (error) {
    differences.push(`request body not decodable: ${String(error)}`);
  }
  if (JSON.stringify(messages[0]) !== JSON.stringify(expected)) differences.push(`message ${JSON.stringify(messages)}, expected ${JSON.stringify(expected)}`);
  return differences;
}

export interface CapturedWebSocket {
  exchange: HttpExchange;
  /** the client's data messages, in order: text, or bytes as hex */
  sent: Array<{ text: string } | { hex: string }>;
}

/** Every WebSocket captured so far (its upgrade request and what the client sent), in the order they opened. */
export function capturedWebSockets(capture: CaptureClient): CapturedWebSocket[] {
  return decodedConnections(capture)
    .flatMap((decoded) =>
      decoded.exchanges
        .filter((exchange) => exchange.upgrade?.protocol === 'websocket')
        .map((exchange) => ({
          exchange,
          sent: decodeWebSocketConnection(exchange, decoded.streams).inbound.messages.map((message) =>
            message.type === 'text' ? { text: Buffer.from(message.payload).toString('utf8') } : { hex: Buffer.from(message.payload).toString('hex') },
          ),
        })),
    )
    .sort((a, b) => a.exchange.request.firstByteAt - b.exchange.request.firstByteAt);
}

export function webSocketDifferences(socket: CapturedWebSocket, spec: WebSocketSpec, token: string): string[] {
  const differences: string[] = [];
  if (socket.exchange.request.target !== spec.target) differences.push(`target ${socket.exchange.request.target}, expected ${spec.target}`);
  const offered = headerValues(socket.exchange, 'sec-websocket-protocol')
    .join(',')
    .split(/\s*,\s*/)
    .filter(Boolean);
  if (JSON.stringify(offered) !== JSON.stringify(spec.subprotocols))
    differences.push(`subprotocols ${JSON.stringify(offered)}, expected ${JSON.stringify(spec.subprotocols)}`);
  if (!carriesCurlToken(socket.exchange, token)) differences.push('no curl token');
  const expected = spec.messages.map((message) => ('text' in message ? { text: message.text } : { hex: message.hex.replace(/\s+/g, '').toLowerCase() }));
  if (JSON.stringify(socket.sent.slice(0, expected.length)) !== JSON.stringify(expected))
    differences.push(`sent ${JSON.stringify(socket.sent)}, expected ${JSON.stringify(expected)}`);
  return differences;
}
