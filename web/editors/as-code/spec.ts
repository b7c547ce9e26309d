// What a cell holds NOW, in the shape "As code" turns into a program: one plain-data description
// per protocol, built by each cell from its current text or draft (cell-spec.ts), never from the
// lesson's original. Pure data: no DOM, so tests and Node import it.

import type { Qos } from '../mqtt/mqtt-cell-config.ts';

/** One HTTP request exactly as the cell would send it (REST, gateway, GraphQL over HTTP, Connect unary JSON). */
export interface HttpSpec {
  kind: 'http';
  method: string;
  /** path and query, percent-encoded as the browser sends them: "/api/v1/users?q=%D0%B5" */
  target: string;
  headers: Array<[name: string, value: string]>;
  body: string | null;
}

export type GrpcMethodKind = 'unary' | 'server_streaming' | 'client_streaming' | 'bidi_streaming';

/** One RPC: the method, its one request message (protobuf JSON), metadata and deadline. */
export interface GrpcSpec {
  kind: 'grpc';
  /** "wirelab.users.v1.UserService/GetUser" */
  method: string;
  methodKind: GrpcMethodKind;
  /** the .proto file that declares the service, relative to proto/: "wirelab/users/v1/users.proto" */
  protoFile: string;
  /** full names of the input and output messages */
  input: string;
  output: string;
  /** the protocol the cell speaks: the terminal and JavaScript programs speak it too */
  protocol: 'connect-json' | 'connect-binary' | 'grpc-web';
  request: Record<string, unknown>;
  metadata: Array<[name: string, value: string]>;
  timeoutMs?: number;
}

export type WebSocketMessage = { text: string } | { hex: string };

export interface WebSocketSpec {
  kind: 'websocket';
  target: string;
  subprotocols: string[];
  /** what the program sends, in order, after the handshake */
  messages: WebSocketMessage[];
}

export interface SseSpec {
  kind: 'sse';
  target: string;
  /** events the program reads before it stops */
  events: number;
}

export interface MqttSpec {
  kind: 'mqtt';
  clientId: string;
  clean: boolean;
  keepAlive: number;
  will: { topic: string; payload: string; qos: Qos; retain: boolean } | null;
  subscribe: { filter: string; qos: Qos };
  /** hex: the payload is bytes given as hex digits (no spaces, lower case), else text sent as UTF-8 */
  publish: { topic: string; payload: string; hex: boolean; qos: Qos; retain: boolean };
}

export interface SocketIoSpec {
  kind: 'socket-io';
  namespace: string;
  auth: Record<string, unknown>;
  transports: Array<'polling' | 'websocket'>;
  emits: Array<{ event: string; args: unknown[]; ack: boolean }>;
}

/** A GraphQL subscription over graphql-transport-ws. */
export interface GraphqlWsSpec {
  kind: 'graphql-ws';
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
  /** events the program reads before it completes */
  events: number;
}

export type AsCodeSpec = HttpSpec | GrpcSpec | WebSocketSpec | SseSpec | MqttSpec | SocketIoSpec | GraphqlWsSpec;

/** Where the program connects and the token that puts its traffic in the student's own sandbox and inspector. */
export interface AsCodeTarget {
  /** "http://192.168.1.5:8080" */
  origin: string;
  /** the curl token of GET /_wirelab/session (header x-wirelab-sandbox) */
  token: string;
  /** the language of the comments in the code (English when not given) */
  lang?: 'en' | 'ru';
}
