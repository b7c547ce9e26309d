import { isDeepStrictEqual } from 'node:util';
import type { GraphqlWsSpec, MqttSpec, SocketIoSpec, SseSpec } from '../../web/editors/as-code/spec.ts';
import type { CapturedConnection, HttpExchange, WireMessage, WireNode } from '../../wire/types.ts';
import { carriesCurlToken, decodedConnections, headerValues, type CapturedWebSocket } from './as-code-capture.ts';
import type { CaptureClient } from './capture-client.ts';

// What the server received from the programs of the consoles (SSE, MQTT, GraphQL subscriptions,
// Socket.IO), read from the student's capture channel with the inspector's decoders, compared
// with what the console sends. Each function answers the differences in words: none, the same.

/** Every message of every connection captured so far (MQTT packets, Socket.IO packets…), oldest first. */
export function capturedMessages(capture: CaptureClient): Array<WireMessage & { transport: string }> {
  return decodedConnections(capture)
    .flatMap((decoded) => (decoded.messages ?? []).map((message) => ({ ...message, transport: (decoded.connection as CapturedConnection).transport })))
    .sort((a, b) => a.at - b.at || a.conn.localeCompare(b.conn) || a.index - b.index);
}

function findNode(node: WireNode, kind: string): WireNode | undefined {
  if (node.kind === kind) return node;
  for (const child of node.children ?? []) {
    const found = findNode(child, kind);
    if (found) return found;
  }
  return undefined;
}

export function sseDifferences(exchange: HttpExchange, spec: SseSpec, token: string): string[] {
  const differences: string[] = [];
  if (exchange.request.method !== 'GET') differences.push(`method ${exchange.request.method}`);
  if (exchange.request.target !== spec.target) differences.push(`target ${exchange.request.target}, expected ${spec.target}`);
  if (!headerValues(exchange, 'accept').includes('text/event-stream')) differences.push(`Accept ${JSON.stringify(headerValues(exchange, 'accept'))}`);
  if (!carriesCurlToken(exchange, token)) differences.push('no curl token');
  if (exchange.response?.status !== 200) differences.push(`answered ${exchange.response?.status}`);
  return differences;
}

/** The MQTT packets one program's connections sent (a terminal program has two: mosquitto_sub, then mosquitto_pub). */
export function mqttDifferences(packets: WireMessage[], spec: MqttSpec, token: string): string[] {
  const differences: string[] = [];
  const sent = packets.filter((packet) => packet.dir === 'in');
  const of = (type: string) => sent.filter((packet) => packet.fields?.type === type);
  // the subscriber's CONNECT: in the terminal, mosquitto_pub's may come first on a loaded machine
  const connect = of('CONNECT').find((packet) => of('SUBSCRIBE').some((subscribe) => subscribe.conn === packet.conn)) ?? of('CONNECT')[0];
  if (!connect) return ['no CONNECT'];
  const fields = connect.fields ?? {};
  const flags = Number.parseInt(findNode(connect.tree, 'connect-flags')?.value ?? '0', 16);
  const expected: Record<string, unknown> = {
    level: 4,
    cleanSession: spec.clean,
    keepAlive: spec.keepAlive,
    will: spec.will !== null,
  };
  // the user name carries the curl token, which the inspector is sent blanked in place (capture-blanker.ts)
  if (fields.userName !== `sandbox:${token}` && fields.userName !== `sandbox:${'*'.repeat(token.length)}`)
    differences.push(`CONNECT userName ${JSON.stringify(fields.userName)}, expected "sandbox:" and the curl token`);
  if (spec.clientId !== '') expected.clientId = spec.clientId;
  if (spec.will) Object.assign(expected, { willTopic: spec.will.topic, willMessage: spec.will.payload });
  for (const [name, value] of Object.entries(expected))
    if (fields[name] !== value) differences.push(`CONNECT ${name} ${JSON.stringify(fields[name])}, expected ${JSON.stringify(value)}`);
  if (spec.will && ((flags >> 3) & 3) !== spec.will.qos) differences.push(`will QoS ${(flags >> 3) & 3}, expected ${spec.will.qos}`);
  if (spec.will && ((flags & 0x20) !== 0) !== spec.will.retain) differences.push(`will retain ${(flags & 0x20) !== 0}`);
  // the subscription goes on the connection of that CONNECT
  const subscribe = of('SUBSCRIBE').find((packet) => packet.conn === connect.conn);
  const filter = subscribe ? findNode(subscribe.tree, 'topic-filter')?.value : undefined;
  if (filter !== `${spec.subscribe.filter} · QoS ${spec.subscribe.qos}`)
    differences.push(`SUBSCRIBE ${filter}, expected ${spec.subscribe.filter} · QoS ${spec.subscribe.qos}`);
  const publish = of('PUBLISH')[0];
  if (!publish) differences.push('no PUBLISH');
  else {
    const p = publish.fields ?? {};
    const payloadHex =
      p.payload !== undefined ? Buffer.from(String(p.payload), 'utf8').toString('hex') : (findNode(publish.tree, 'payload')?.value ?? '').replace(/\s+/g, '');
    const expectedHex = spec.publish.hex ? spec.publish.payload : Buffer.from(spec.publish.payload, 'utf8').toString('hex');
    if (p.topic !== spec.publish.topic || p.qos !== spec.publish.qos || p.retain !== spec.publish.retain)
      differences.push(
        `PUBLISH ${p.topic} QoS ${p.qos} retain ${p.retain}, expected ${spec.publish.topic} QoS ${spec.publish.qos} retain ${spec.publish.retain}`,
      );
    if (payloadHex !== expectedHex) differences.push(`payload ${payloadHex}, expected ${expectedHex}`);
  }
  // it ended by itself, properly: DISCONNECT on every connection it opened
  const connections = new Set(sent.map((packet) => packet.conn));
  for (const conn of connections) if (!of('DISCONNECT').some((packet) => packet.conn === conn)) differences.push('a connection ended without DISCONNECT');
  return differences;
}

/** A subscription's socket: the handshake, connection_init, the cell's subscribe, and a complete of it (the program stopped after its events). */
export function graphqlWsDifferences(socket: CapturedWebSocket, spec: GraphqlWsSpec, token: string): string[] {
  const differences: string[] = [];
  if (socket.exchange.request.path !== '/graphql') differences.push(`path ${socket.exchange.request.path}`);
  if (
    !headerValues(socket.exchange, 'sec-websocket-protocol')
      .join(',')
      .split(/\s*,\s*/)
      .includes('graphql-transport-ws')
  )
    differences.push('graphql-transport-ws not offered');
  if (!carriesCurlToken(socket.exchange, token)) differences.push('no curl token');
  const messages = socket.sent.map((message) =>
    'text' in message ? (JSON.parse(message.text) as { type?: string; id?: string; payload?: Record<string, unknown> }) : {},
  );
  if (messages[0]?.type !== 'connection_init') differences.push(`first message ${JSON.stringify(messages[0])}`);
  const subscribe = messages.find((message) => message.type === 'subscribe');
  const expected: Record<string, unknown> = {
    query: spec.query,
    variables: spec.variables,
    ...(spec.operationName ? { operationName: spec.operationName } : {}),
  };
  const received = subscribe?.payload
    ? Object.fromEntries(Object.entries(subscribe.payload).filter(([name]) => name in expected || name === 'operationName'))
    : undefined;
  if (!isDeepStrictEqual(received, expected)) differences.push(`subscribe ${JSON.stringify(subscribe?.payload)}, expected ${JSON.stringify(expected)}`);
  if (!messages.some((message) => message.type === 'complete' && message.id === subscribe?.id)) differences.push('no complete of the subscription');
  return differences;
}

interface SocketIoSent {
  type: string;
  namespace: string;
  ackId?: number;
  data?: unknown;
}

/** The Socket.IO packets the clients sent, oldest first, with their JSON. */
export function socketIoSent(messages: WireMessage[]): SocketIoSent[] {
  return messages
    .filter((message) => message.layer === 'socket-io-packet' && message.dir === 'in')
    .map((message) => {
      const data = findNode(message.tree, 'sio-data')?.value;
      return {
        type: String(message.fields?.type),
        namespace: String(message.fields?.namespace),
        ...(message.fields?.ackId !== undefined ? { ackId: Number(message.fields.ackId) } : {}),
        ...(data !== undefined ? { data: JSON.parse(data) } : {}),
      };
    });
}

/**
 * The packets of one program, from its CONNECT on: the cell's namespace and auth, then each
 * emit (an ack id exactly when the cell asks for an ack), unless the server refused it; then
 * DISCONNECT, where the client library sends it (python-socketio 5.7 closes the WebSocket before
 * its queued DISCONNECT goes out: its program says so).
 */
export function socketIoDifferences(sent: SocketIoSent[], refused: boolean, spec: SocketIoSpec, expectDisconnect: boolean): string[] {
  const [connect, ...rest] = sent;
  const differences: string[] = [];
  if (connect?.type !== 'CONNECT' || connect.namespace !== spec.namespace || !isDeepStrictEqual(connect.data ?? {}, spec.auth))
    differences.push(`CONNECT ${JSON.stringify(connect)}, expected ${spec.namespace} ${JSON.stringify(spec.auth)}`);
  if (refused) return differences;
  const events = rest.filter((packet) => packet.type === 'EVENT');
  const expected = spec.emits.map((emit) => ({ data: [emit.event, ...emit.args], ack: emit.ack }));
  const got = events.map((packet) => ({ data: packet.data, ack: packet.ackId !== undefined }));
  if (!isDeepStrictEqual(got, expected)) differences.push(`EVENTs ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  if (expectDisconnect && !rest.some((packet) => packet.type === 'DISCONNECT')) differences.push('no DISCONNECT');
  return differences;
}
