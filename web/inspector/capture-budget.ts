// The capture store's memory budget: the connections it keeps and their chunks, at most `maxBytes`
// of chunks together (20 MB on the page): past it the oldest connections go first, and a single
// huge connection loses its oldest chunks. A replayed chunk (the same seq) is taken once.
import { DecodeMemo } from '../../wire/decode-memo.ts';
import type { CaptureChunk, CapturedConnection } from '../../wire/types.ts';
import type { TrackedConnection } from './capture-types.ts';

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export class CaptureBudget {
  /** by the store's id, in the order they came (oldest first) */
  readonly connections = new Map<string, TrackedConnection>();
  private totalBytes = 0;

  constructor(private readonly maxBytes: number = DEFAULT_MAX_BYTES) {}

  /** A connection to keep, captured by server process `instance`. */
  track(connection: CapturedConnection, instance: string | undefined): TrackedConnection {
    const tracked: TrackedConnection = { connection, instance, chunks: [], seqs: new Set(), bytes: 0, indexBase: 0, memo: new DecodeMemo() };
    this.connections.set(connection.id, tracked);
    return tracked;
  }

  /** Keeps a chunk (once per seq); one of a connection not announced yet starts it. */
  add(chunk: CaptureChunk, instance: string | undefined): void {
    // bytes of a connection announced before this browser connected: decode them all the same
    const tracked =
      this.connections.get(chunk.conn) ?? this.track({ id: chunk.conn, transport: 'http/1.1', remote: '', local: '', openedAt: chunk.t }, instance);
    if (tracked.seqs.has(chunk.seq)) return;
    tracked.seqs.add(chunk.seq);
    tracked.chunks.push(chunk);
    tracked.bytes += chunk.data.length;
    this.totalBytes += chunk.data.length;
  }

  /** Oldest connections go first; a single huge connection loses its oldest chunks. */
  enforceLimit(): void {
    for (const [id, tracked] of this.connections) {
      if (this.totalBytes <= this.maxBytes || this.connections.size === 1) break;
      this.connections.delete(id);
      this.totalBytes -= tracked.bytes;
    }
    const [only] = this.connections.values();
    if (this.totalBytes > this.maxBytes && only) {
      only.chunks.sort((a, b) => a.seq - b.seq);
      while (this.totalBytes > this.maxBytes && only.chunks.length > 1) {
        const dropped = only.chunks.shift()!;
        only.bytes -= dropped.data.length;
        this.totalBytes -= dropped.data.length;
      }
    }
  }

  /** Drops the connections `gone` picks, and counts the bytes of the rest again. */
  drop(gone: (tracked: TrackedConnection) => boolean): void {
    for (const [id, tracked] of this.connections) if (gone(tracked)) this.connections.delete(id);
    this.totalBytes = 0;
    for (const tracked of this.connections.values()) this.totalBytes += tracked.bytes;
  }

  /** A connection kept without its bytes (after a clear): it keeps counting its requests from `indexBase`. */
  emptied(tracked: TrackedConnection): void {
    this.totalBytes -= tracked.bytes;
    tracked.chunks = [];
    tracked.bytes = 0;
    tracked.decoded = undefined;
    tracked.memo = new DecodeMemo();
  }
}
