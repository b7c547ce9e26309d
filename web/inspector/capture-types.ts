// The shapes the capture store's rooms share (README.md, "The capture store's rooms"): what the
// store shows, what it takes, and how it keeps one connection. Types only: every room imports them,
// none imports another room for them.
import type { CaptureServerMessage, JsonChunksMessage } from '../../contracts/capture-channel/messages.ts';
import type { ConnectionStreams, decodeConnection } from '../../wire/connection-decoders.ts';
import type { DecodeMemo } from '../../wire/decode-memo.ts';
import type { CaptureChunk, CapturedConnection, DecodedConnection, HttpExchange, WireMessage } from '../../wire/types.ts';

/** 'restarting': the server said it is going away (close 1001); the store reconnects until it is back. */
export type CaptureStatus = 'connecting' | 'open' | 'closed' | 'restarting';

/** The part of a WebSocket the store uses; tests pass a fake. */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

/** An exchange with the connection it travelled on. */
export interface InspectedExchange extends HttpExchange {
  connection: CapturedConnection;
}

export interface ConnectionView {
  connection: CapturedConnection;
  /** in order on the connection (keep-alive: index 0, 1, …) */
  exchanges: InspectedExchange[];
  notes: DecodedConnection['notes'];
  /** HTTP/2 frames, WebSocket frames… (DecodedConnection.messages), in byte order */
  messages: WireMessage[];
  streams: ConnectionStreams;
  /** masked WebSocket payloads (DecodedConnection.masks): the hex view shows them unmasked too */
  masks?: DecodedConnection['masks'];
  /** recorded bytes, both directions */
  bytes: number;
  /**
   * Captured by an earlier server process (the server restarted since, or another instance took
   * over): shown as it was, but no longer the server's truth (README.md, "After a restart").
   */
  beforeRestart?: true;
}

export interface CaptureSnapshot {
  status: CaptureStatus;
  recording: boolean;
  /** changes whenever anything in the store changes */
  version: number;
  /** oldest first */
  connections: ConnectionView[];
  /** all decoded exchanges, newest (by the request's first byte) last */
  exchanges: InspectedExchange[];
  /** all decoded messages of every connection, oldest first */
  messages: WireMessage[];
  /**
   * The connections (ids as in `connections`) captured before the server restarted: shown, but
   * nothing a page judges may count them (web/lessons leaves them out of its exercises).
   */
  beforeRestart: ReadonlySet<string>;
}

export interface WaitForExchange {
  method: string;
  /** request-target as sent ("/api/v1/users?page=2"); an absolute URL counts by its path and query */
  target: string;
  /** ms epoch on the server's clock (web/kit/session.ts `captureTimeNow()`) */
  after: number;
  timeoutMs: number;
}

export interface CaptureStoreOptions {
  url: string;
  socketFactory: SocketFactory;
  /** client-side bound on recorded bytes: the oldest connections go first */
  maxBytes?: number;
  reconnectDelayMs?: { first: number; max: number };
  /** the connection decoder (tests inject one that fails) */
  decode?: typeof decodeConnection;
}

/** One connection as the store keeps it: its chunks, and what its last decode found. */
export interface TrackedConnection {
  connection: CapturedConnection;
  /** the server process that captured it (hello's `instance`); undefined from a channel that names none */
  instance: string | undefined;
  chunks: CaptureChunk[];
  seqs: Set<number>;
  bytes: number;
  /** requests this browser saw on the connection before a clear: later exchanges count on from there */
  indexBase: number;
  /** what the previous decode found complete: a growing stream is decoded again at the cost of its new bytes */
  memo: DecodeMemo;
  decoded?: { chunkCount: number; closedAt: number | undefined; view: ConnectionView };
}

/** What the store applies: the channel's messages, and the JSON form of chunks (replays, tests). */
export type ServerMessage = CaptureServerMessage | JsonChunksMessage;
