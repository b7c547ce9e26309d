// The shapes every wire decoder produces. Pure data: no DOM, no React.
// A decoder reads the bytes of one direction of one connection and returns a tree of
// WireNodes; every node knows which bytes it came from, so the inspector can link a
// decoded field to its bytes and back.

/** Half-open byte range [start, end) in one direction's byte stream of one connection. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface WireNode {
  /** What the node is, e.g. "request-line", "header", "chunk-size", "body". Stable, not translated. */
  kind: string;
  /** Short human label, e.g. "Content-Type" or "POST /api/v1/users HTTP/1.1". */
  label: string;
  /** Decoded value shown beside the label, if any. */
  value?: string;
  range: ByteRange;
  children?: WireNode[];
  /** Problems found while decoding this node (malformed, truncated…), in plain English codes. */
  error?: string;
  /**
   * The node describes its range's bytes after the WebSocket mask is removed (what a client frame
   * carries, RFC 6455 §5.3), not the masked bytes on the wire: a layer read the unmasked payload.
   * `range` still counts in the stream, byte for byte; `DecodedConnection.masks` undoes the mask.
   */
  unmasked?: true;
}

/** A masked WebSocket payload: its stream range and the masking key (byte i is XORed with key[i mod 4]). */
export interface MaskedPayload {
  range: ByteRange;
  key: Uint8Array;
}

// A connection and its recorded pieces, whoever recorded them (the tap, a capture file).
import type { CapturedConnection } from './captured-connection.ts';
export type { CaptureChunk, CapturedConnection } from './captured-connection.ts';

export type HeaderList = Array<[name: string, value: string]>;

export interface HttpRequestMessage {
  method: string;
  /** request-target as sent, e.g. "/api/v1/users?page=2" */
  target: string;
  /** path part of the target */
  path: string;
  /** decoded query parameters, in order */
  query: Array<[string, string]>;
  version: string;
  headers: HeaderList;
  /** body after removing chunked transfer coding (not decompressed) */
  body: Uint8Array;
  /** the whole message: start line to end of body */
  range: ByteRange;
  /** where the body starts in the inbound byte stream (=== range.end when there is no body) */
  bodyStart: number;
  /** time of the first and last chunk that carried this message */
  firstByteAt: number;
  lastByteAt: number;
  /** false while bytes are still missing */
  complete: boolean;
  /** bytes before this message were not recorded (evicted from the ring, recording was off) */
  afterGap?: boolean;
  tree: WireNode;
}

export interface HttpResponseMessage {
  version: string;
  status: number;
  reason: string;
  headers: HeaderList;
  body: Uint8Array;
  range: ByteRange;
  bodyStart: number;
  firstByteAt: number;
  lastByteAt: number;
  complete: boolean;
  afterGap?: boolean;
  /** bytes of it were written after the client had gone: they never reached it (CapturedConnection.undelivered) */
  undelivered?: true;
  tree: WireNode;
}

/**
 * After `101 Switching Protocols` (or a 2xx answer to CONNECT) the connection no longer speaks
 * HTTP/1.1; the next layer's decoder (WebSocket, a tunnel…) starts at these offsets.
 */
export interface ProtocolUpgrade {
  /** the `Upgrade` header of the response, lower case ("websocket"); "tunnel" for CONNECT */
  protocol: string;
  /** first byte of the upgraded protocol in the inbound (client → server) stream */
  inboundOffset: number;
  /** first byte of the upgraded protocol in the outbound (server → client) stream */
  outboundOffset: number;
}

/** A request and the response that answered it, on one connection. */
export interface HttpExchange {
  conn: string;
  /** 0 for the first request on this connection, 1 for the second (keep-alive)… */
  index: number;
  transport: 'http/1.1' | 'h2c';
  request: HttpRequestMessage;
  response?: HttpResponseMessage;
  /** 1xx interim responses (e.g. `100 Continue`) that came before the final one */
  interim?: HttpResponseMessage[];
  /** set when this exchange switched the connection to another protocol */
  upgrade?: ProtocolUpgrade;
}

/**
 * One unit of a layer that is not an HTTP/1.1 request/response: an HTTP/2 frame, a WebSocket
 * frame, an SSE event, a gRPC message… The inspector lists them per connection in byte order;
 * a layer on top (gRPC over HTTP/2, graphql-ws over WebSocket) decodes inside `tree`.
 */
export interface WireMessage {
  conn: string;
  /** position among this connection's messages, from 0, in the order their first byte crossed */
  index: number;
  dir: 'in' | 'out';
  /** stable, not translated: 'h2-frame', 'ws-frame', 'engine-io-packet', 'sse-event', … */
  layer: string;
  /** one line for the timeline, e.g. "HEADERS stream 1 · END_HEADERS" or "text · 42 B" */
  summary: string;
  /** ms epoch when its first byte crossed */
  at: number;
  /** the bytes of this message in its direction's stream */
  range: ByteRange;
  tree: WireNode;
  /** what it belongs with, for grouping and filtering: "stream 3", the exchange index of an upgrade… */
  group?: string;
  /**
   * Flat facts about it that exercises can check (lessons/README.md, "message" checks), e.g.
   * `{ opcode: 'binary', fin: true, masked: true }` or `{ type: 'HEADERS', stream: 1 }`.
   */
  fields?: Record<string, string | number | boolean>;
  /** written after the client had gone: it never reached it (CapturedConnection.undelivered) */
  undelivered?: true;
}

/** Everything a connection decoder found on one connection. */
export interface DecodedConnection {
  connection: CapturedConnection;
  exchanges: HttpExchange[];
  /** units of the layers below or beside HTTP/1.1 exchanges (HTTP/2 frames, WebSocket frames…) */
  messages?: WireMessage[];
  /**
   * What the decoder could not turn into exchanges, as byte-range nodes: responses whose request
   * was not recorded, bytes after an upgrade, a transport without a decoder yet…
   */
  notes: Array<{ dir: 'in' | 'out'; node: WireNode }>;
  /** masked WebSocket payloads per direction, in stream order: where nodes marked `unmasked` read other bytes than the wire's */
  masks?: { in: MaskedPayload[]; out: MaskedPayload[] };
}
