import type { CaptureMessage, ConnectionInfo, Direction } from '../../tap/capture-types.ts';
import { RelayStreamFilter } from './relay-stream-filter.ts';
import { SecretBook, SecretScanner } from './secret-scanner.ts';

interface ChunkFilter {
  apply(data: Uint8Array): Uint8Array;
}

/**
 * A session's own captures on their way to its own inspector, with every secret of that session
 * blanked byte for byte, as the teacher's traffic is for followers (relay-stream-filter.ts): the
 * cookie and the other secret headers, the session id and the secrets learned on the way in any
 * spelling, curl tokens. So the real values are never in the page (its DOM, its JS state, its
 * pcapng export): a projected inspector, or one a student looks over, shows nothing to steal.
 * HTTP/1.1 connections get the whole filter (headers, masked WebSocket frames); h2c and MQTT the
 * scan of the raw bytes (an HPACK value coded with Huffman is not found there: the server's own
 * h2c clients, the gRPC runner, carry no session in their headers).
 * One blanker per capture channel: its state follows each connection's streams.
 */
export class CaptureBlanker {
  private readonly book: SecretBook;
  private readonly transports = new Map<string, ConnectionInfo['transport']>();
  private readonly filters = new Map<string, Record<Direction, ChunkFilter>>();

  constructor(
    session: string,
    /** other secrets that must never reach a page (the teacher key) */
    secrets: readonly string[] = [],
    /** header values that are no secret, shown as they are (the gRPC lesson's demo tokens) */
    private readonly shownHeaderValues: ReadonlySet<string> = new Set(),
  ) {
    this.book = new SecretBook([session, ...secrets]);
  }

  /** The message as the page may see it (the same object when there is nothing to blank). */
  apply(message: CaptureMessage): CaptureMessage {
    switch (message.type) {
      case 'connection':
        this.transports.set(message.conn.id, message.conn.transport);
        return message;
      case 'closed':
        // the last chunk of a connection comes before its close
        this.filters.delete(message.conn);
        this.transports.delete(message.conn);
        return message;
      case 'chunk': {
        const { chunk } = message;
        const filtered = this.filtersOf(chunk.conn)[chunk.dir].apply(chunk.data);
        if (filtered === chunk.data) return message;
        return { type: 'chunk', chunk: { ...chunk, data: Buffer.from(filtered.buffer, filtered.byteOffset, filtered.byteLength) } };
      }
      default:
        return message;
    }
  }

  private filtersOf(conn: string): Record<Direction, ChunkFilter> {
    let filters = this.filters.get(conn);
    if (!filters) {
      const http1 = (this.transports.get(conn) ?? 'http/1.1') === 'http/1.1';
      const make = (dir: Direction): ChunkFilter => (http1 ? new RelayStreamFilter(dir, this.book, this.shownHeaderValues) : new SecretScanner(this.book));
      filters = { in: make('in'), out: make('out') };
      this.filters.set(conn, filters);
    }
    return filters;
  }
}
