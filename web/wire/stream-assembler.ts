import type { ByteRange, CaptureChunk } from './types.ts';

/** A run of bytes with no hole in it. */
export interface StreamSegment {
  /** offset of `bytes[0]` in the direction's stream */
  start: number;
  bytes: Uint8Array;
  /** where each recorded chunk began inside this segment and when it crossed, sorted by offset */
  marks: Array<{ offset: number; t: number }>;
  /** bytes right before this segment were not recorded (evicted, or recording was off) */
  gapBefore: boolean;
}

/**
 * One direction of one connection as a byte stream: the contiguous segments that were recorded,
 * and when each byte crossed. Offsets are the tap's offsets, so a hole never shifts them.
 */
export class ByteStream {
  constructor(
    readonly conn: string,
    readonly dir: 'in' | 'out',
    readonly segments: readonly StreamSegment[],
    /** the connection is closed: no byte will follow the last segment */
    readonly ended: boolean,
  ) {}

  /** One past the last recorded byte (0 for an empty stream). */
  get end(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.start + last.bytes.length : 0;
  }

  get byteLength(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.bytes.length;
    return total;
  }

  segmentAt(offset: number): StreamSegment | undefined {
    return this.segments.find((segment) => offset >= segment.start && offset < segment.start + segment.bytes.length);
  }

  /** When the byte at `offset` crossed the wire (ms epoch); NaN when it was not recorded. */
  timeAt(offset: number): number {
    const segment = this.segmentAt(offset);
    if (!segment) return Number.NaN;
    const { marks } = segment;
    let low = 0;
    let high = marks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (marks[middle].offset <= offset) low = middle;
      else high = middle - 1;
    }
    return marks[low].t;
  }

  /** The recorded bytes of `range`; a range that crosses a hole yields only what precedes the hole. */
  slice(range: ByteRange): Uint8Array {
    const segment = this.segmentAt(range.start);
    if (!segment) return new Uint8Array(0);
    return segment.bytes.subarray(range.start - segment.start, Math.min(range.end, segment.start + segment.bytes.length) - segment.start);
  }
}

/**
 * Chunks of one connection and direction, in any order, possibly overlapping (a replay after a
 * reconnect), into a ByteStream. Bytes already seen at an offset win over a later copy.
 */
export function assembleStream(
  conn: string,
  dir: 'in' | 'out',
  chunks: readonly CaptureChunk[],
  ended = false,
): ByteStream {
  const sorted = chunks
    .filter((chunk) => chunk.conn === conn && chunk.dir === dir && chunk.data.length > 0)
    .sort((a, b) => a.offset - b.offset || a.seq - b.seq);
  const segments: StreamSegment[] = [];
  let pieces: Uint8Array[] = [];
  let current: Omit<StreamSegment, 'bytes'> | null = null;
  let currentEnd = 0;

  const finish = (): void => {
    if (!current) return;
    segments.push({ ...current, bytes: concat(pieces, currentEnd - current.start) });
    pieces = [];
  };

  for (const chunk of sorted) {
    const chunkEnd = chunk.offset + chunk.data.length;
    if (current && chunk.offset <= currentEnd) {
      if (chunkEnd <= currentEnd) continue;
      pieces.push(chunk.data.subarray(currentEnd - chunk.offset));
      current.marks.push({ offset: currentEnd, t: chunk.t });
      currentEnd = chunkEnd;
      continue;
    }
    finish();
    current = { start: chunk.offset, marks: [{ offset: chunk.offset, t: chunk.t }], gapBefore: chunk.offset > 0 };
    pieces = [chunk.data];
    currentEnd = chunkEnd;
  }
  finish();
  return new ByteStream(conn, dir, segments, ended);
}

/** Both directions of one connection. */
export function assembleConnection(
  conn: string,
  chunks: readonly CaptureChunk[],
  ended = false,
): { in: ByteStream; out: ByteStream } {
  return { in: assembleStream(conn, 'in', chunks, ended), out: assembleStream(conn, 'out', chunks, ended) };
}

function concat(pieces: Uint8Array[], length: number): Uint8Array {
  if (pieces.length === 1 && pieces[0].length === length) return pieces[0];
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}
