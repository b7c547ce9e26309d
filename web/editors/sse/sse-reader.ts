import type { SseEvent } from '../../../wire/sse/decode-sse.ts';
import { SseStreamReader as WireSseStreamReader } from '../../../wire/sse/sse-stream-reader.ts';

// The console's own text/event-stream reader for the fetch-based client: unlike EventSource
// it may send a Last-Event-ID the page chose, and it sees every field, comments and retry too.
// It reads with wire/sse's stream reader (the inspector's decoder), so both read the bytes the
// same way; what it adds is the console's bound on an event that never ends.

/** Bytes an unfinished event may grow to before the reader gives up on the stream. */
export const MAX_PENDING_EVENT_BYTES = 1024 * 1024;

/** Feeds chunks of a body in; hands out each event once its blank line arrived. */
export class SseStreamReader {
  private readonly reader = new WireSseStreamReader();

  /** The events completed by this chunk, in order. Throws past MAX_PENDING_EVENT_BYTES. */
  push(chunk: Uint8Array): SseEvent[] {
    const complete = this.reader.push(chunk);
    if (this.reader.pendingBytes > MAX_PENDING_EVENT_BYTES) throw new Error(`an event longer than ${MAX_PENDING_EVENT_BYTES} bytes`);
    return complete;
  }
}
