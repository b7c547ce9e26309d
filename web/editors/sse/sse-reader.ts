import { contiguousOffsets } from '../../../wire/payload-layers.ts';
import { decodeSseStream, type SseEvent } from '../../../wire/sse/decode-sse.ts';

// The console's own text/event-stream reader for the fetch-based client: unlike EventSource
// it may send a Last-Event-ID the page chose, and it sees every field, comments and retry too.
// It parses with the inspector's decoder (wire/sse), so both read the bytes the same way.

/** Bytes an unfinished event may grow to before the reader gives up on the stream. */
export const MAX_PENDING_EVENT_BYTES = 1024 * 1024;

/** Feeds chunks of a body in; hands out each event once its blank line arrived. */
export class SseStreamReader {
  private pending = new Uint8Array(0);
  private started = false;

  /** The events completed by this chunk, in order. Throws past MAX_PENDING_EVENT_BYTES. */
  push(chunk: Uint8Array): SseEvent[] {
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    // A byte order mark counts only at the very start of the stream.
    const skipBom = !this.started && joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf ? 3 : 0;
    this.started ||= joined.length >= 3;
    const body = joined.subarray(skipBom);
    // A blank line written CR LF may end in this chunk with its CR: the LF that follows is then a
    // stray blank line, which dispatches nothing, so the event need not wait for it.
    const complete = decodeSseStream(body, contiguousOffsets(0)).events.filter((event) => event.complete);
    const consumed = complete.length > 0 ? complete[complete.length - 1].node.range.end : 0;
    this.pending = body.slice(consumed);
    if (this.pending.length > MAX_PENDING_EVENT_BYTES) throw new Error(`an event longer than ${MAX_PENDING_EVENT_BYTES} bytes`);
    return complete;
  }
}
