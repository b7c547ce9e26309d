import { joinBytes } from '../http1/http1-bytes.ts';
import { contiguousOffsets } from '../payload-layers.ts';
import { decodeSseStream, type SseEvent } from './decode-sse.ts';

// A text/event-stream read as it arrives, chunk by chunk, with the inspector's decoder
// (decode-sse.ts): every client of ours that reads a live stream — the SSE console's fetch client
// (web/editors/sse/), "check my server" (server/own-server/sse-client.ts) — reads it here, so they
// and the inspector never disagree on what the bytes say. Never throws: what an unfinished event
// holds is `pendingBytes`, for the caller to bound.

const CR = 0x0d;
const LF = 0x0a;
const isLineEnd = (byte: number | undefined): boolean => byte === CR || byte === LF;

/** Feeds chunks of a body in; hands out each block (event, or comments) once its blank line arrived. */
export class SseStreamReader {
  /** the bytes of the unfinished block, in the chunks they came in (joined only when a blank line may end it) */
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  /** the stream's first bytes, until three have come: a byte order mark counts only there (HTML §9.2.5) */
  private opening: Uint8Array | null = new Uint8Array(0);
  /** the last two bytes seen, to find a blank line or a U+FEFF cut between two chunks */
  private tail: [number | undefined, number | undefined] = [undefined, undefined];
  /** A U+FEFF after the stream's first character: HTML §9.2.5 skips only a leading one. */
  bomAfterStart = false;

  /** Bytes of a block that has not ended yet. */
  get pendingBytes(): number {
    return this.pendingLength;
  }

  /** The blocks completed by this chunk, in order (comment-only and id-only blocks too: `dispatched` says which EventSource fires). */
  push(chunk: Uint8Array): SseEvent[] {
    const body = this.skipLeadingBom(chunk);
    if (body.length === 0) return [];
    const mayEnd = this.scan(body);
    this.pending.push(body);
    this.pendingLength += body.length;
    // A block ends only at a blank line: most chunks of a long event bring none, and are not decoded again.
    if (!mayEnd) return [];
    const joined = joinBytes(this.pending);
    // A blank line written CR LF may end in this chunk with its CR: the LF that follows is then a
    // stray blank line, which dispatches nothing, so the block need not wait for it.
    const complete = decodeSseStream(joined, contiguousOffsets(0), false).events.filter((event) => event.complete);
    const consumed = complete.length > 0 ? complete[complete.length - 1]!.node.range.end : 0;
    const rest = joined.slice(consumed);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
    return complete;
  }

  /** Holds the first bytes back until three have come, and drops a byte order mark there. */
  private skipLeadingBom(chunk: Uint8Array): Uint8Array {
    if (this.opening === null) return chunk;
    const opening = joinBytes([this.opening, chunk]);
    if (opening.length < 3) {
      this.opening = opening;
      return new Uint8Array(0);
    }
    this.opening = null;
    return opening[0] === 0xef && opening[1] === 0xbb && opening[2] === 0xbf ? opening.subarray(3) : opening;
  }

  /** Whether `bytes` (after the tail) hold a blank line; notes a U+FEFF (EF BB BF) on the way. */
  private scan(bytes: Uint8Array): boolean {
    let [beforeLast, last] = this.tail;
    let blankLine = false;
    for (const byte of bytes) {
      // two line ends in a row, but for CR LF, which is one (HTML §9.2.5: end of line is CRLF, LF or CR)
      if (isLineEnd(byte) && isLineEnd(last) && !(last === CR && byte === LF)) blankLine = true;
      if (byte === 0xbf && last === 0xbb && beforeLast === 0xef) this.bomAfterStart = true;
      beforeLast = last;
      last = byte;
    }
    this.tail = [beforeLast, last];
    return blankLine;
  }
}
