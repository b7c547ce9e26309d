// What the capture hub records and sends, in a module of its own so that the hub and its
// parts (the chunk ring, the capture channel) share these types without importing each other.

export type Transport = 'http/1.1' | 'h2c' | 'mqtt';
export type Direction = 'in' | 'out';

/**
 * Why the first bytes of a connection were not recorded:
 * no-session: the requests before them named no session (curl without the header, a first page
 *   load before the session cookie);
 * pending-limit: the parser read the first `pendingBytes` of the connection without finding a
 *   request that names its owner;
 * shared: they belonged to requests of other sessions on the same connection.
 */
export type UnrecordedReason = 'no-session' | 'pending-limit' | 'shared';

export interface ConnectionInfo {
  id: string;
  transport: Transport;
  remote: string;
  local: string;
  openedAt: number;
  closedAt?: number;
  /** set when the connection is not recorded from its first byte: the first `in`/`out` bytes are missing */
  unrecorded?: { in: number; out: number; reason: UnrecordedReason };
  /**
   * The connection also carries other sessions' requests (a proxy that reuses its connections):
   * over HTTP/1.1 their exchanges are gaps here; over h2c, whose frames cannot be split between
   * sessions, nothing is recorded after the second session's first request.
   */
  shared?: boolean;
  /**
   * The bytes the server wrote from outbound offset `from` on never reached the client: it had
   * closed (FIN) and then reset the connection (or the write failed). See README.md, "Not delivered".
   */
  undelivered?: { from: number; reason: UndeliveredReason };
}

/**
 * peer-closed: written after the client's FIN, and the client then reset the connection (what a
 * closed socket answers to data);
 * peer-reset: written after the client had reset the connection (the write failed).
 */
export type UndeliveredReason = 'peer-closed' | 'peer-reset';

/** One recorded chunk, as it is kept in a session's ring. */
export interface CapturedChunk {
  conn: string;
  seq: number;
  dir: Direction;
  t: number;
  offset: number;
  data: Buffer;
}

/** Messages pushed to a browser over the capture channel (see README.md). */
export type CaptureMessage =
  | { type: 'connection'; conn: ConnectionInfo }
  | { type: 'chunk'; chunk: CapturedChunk }
  | { type: 'closed'; conn: string; t: number }
  | { type: 'recording'; on: boolean }
  | { type: 'cleared' };

export interface CaptureSubscriber {
  deliver(messages: CaptureMessage[]): void;
}

export interface CaptureLimits {
  /** @default 4 MiB */
  ringBytes: number;
  /** @default 20_000 */
  ringChunks: number;
  /** bytes a connection may hold while it waits to learn its owner. @default 64 KiB */
  pendingBytes: number;
  /** sessions whose captures are kept at once; past it the address with the most loses its least recently active. @default 1000 */
  sessions: number;
  /** sessions one client address may have captures of; past it that address's least recently active goes. @default 200 */
  sessionsPerAddress: number;
  /**
   * Heap the rings of every session may hold together. Past it, the client address holding the
   * most loses first: its least recently active session's ring is halved, oldest chunks dropped.
   * @default captureBudgetFor(os.totalmem())
   */
  totalBytes: number;
}
