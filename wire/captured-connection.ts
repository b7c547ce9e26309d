// The shapes of a capture: one TCP connection's metadata and the pieces of its two byte streams.
// Wirelab's tap records them (the capture channel, contracts/capture-channel, sends them to the
// browser) and a capture file opened in the inspector yields them too; every decoder in wire/
// reads them. Pure TypeScript: no Node, no DOM, no import outside wire/.

export type Transport = 'http/1.1' | 'h2c' | 'mqtt';
/** Only in a capture file opened in the inspector (wire/capture-file/): the tap never records TLS. */
export type FileOnlyTransport = 'tls';
/** `in`: client → server; `out`: server → client. */
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

/**
 * peer-closed: written after the client's FIN, and the client then reset the connection (what a
 * closed socket answers to data);
 * peer-reset: written after the client had reset the connection (the write failed).
 */
export type UndeliveredReason = 'peer-closed' | 'peer-reset';

export interface CapturedConnection {
  id: string;
  transport: Transport | FileOnlyTransport;
  remote: string;
  local: string;
  /** ms since the Unix epoch, sub-millisecond precision */
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
   * Wirelab opened this connection itself, to a student's server ("check my server"): Wirelab is
   * the client. `remote` is still the client's end (Wirelab's own address and port) and `local`
   * the server's (the student's), and `in` is still client → server (what Wirelab sent).
   */
  outbound?: boolean;
  /** The bytes the server wrote from outbound offset `from` on never reached the client (PROTOCOL.md, "Not delivered"). */
  undelivered?: { from: number; reason: UndeliveredReason };
}

/** One recorded piece of traffic. The server keeps `data` as a Buffer, the browser as a view of the frame. */
export interface CaptureChunk<Data extends Uint8Array = Uint8Array> {
  conn: string;
  /** increasing per session */
  seq: number;
  dir: Direction;
  /** ms since the Unix epoch */
  t: number;
  /** where this chunk starts in its direction's stream */
  offset: number;
  data: Data;
}
