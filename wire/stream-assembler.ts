import { lastIndexAtOrBelow } from './sorted-search.ts';
import type { DecodeMemo } from './decode-memo.ts';
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
    return marks[lastIndexAtOrBelow(marks.length, offset, (at) => marks[at].offset)].t;
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
export function assembleStream(conn: string, dir: 'in' | 'out', chunks: readonly CaptureChunk[], ended = false): ByteStream {
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

/**
 * Both directions of one connection. With a memo, a list of chunks that only grew since the last
 * call (the inspector's case: a connection's chunks in arrival order) is assembled at the cost of
 * the new chunks; anything else is assembled from scratch.
 */
export function assembleConnection(conn: string, chunks: readonly CaptureChunk[], ended = false, memo?: DecodeMemo): { in: ByteStream; out: ByteStream } {
  if (!memo) return { in: assembleStream(conn, 'in', chunks, ended), out: assembleStream(conn, 'out', chunks, ended) };
  const table = memo.table<'in' | 'out', GrowingStream>('assembled-streams');
  const grown = (['in', 'out'] as const).map((dir) => {
    const known = table.get(dir);
    const stream = known?.extend(chunks, ended) ?? GrowingStream.from(conn, dir, chunks, ended);
    table.set(dir, stream.growing);
    return stream.stream;
  });
  return { in: grown[0], out: grown[1] };
}

/**
 * One direction, assembled so far, with room to grow: the last segment's bytes live at the start
 * of a larger buffer that only this class writes. A stream handed out earlier keeps its own
 * (shorter) view of that buffer, so later bytes never change what it shows; only the newest
 * state is extended (the memo keeps nothing else).
 */
class GrowingStream {
  /** Buffers this class allocated: a chunk's own bytes are never written into. */
  private static readonly owned = new WeakSet<Uint8Array>();

  private constructor(
    private readonly conn: string,
    private readonly dir: 'in' | 'out',
    /** how many chunks (of both directions) went in, and the first and last of them */
    private readonly seen: { count: number; first?: CaptureChunk; last?: CaptureChunk },
    private readonly done: readonly StreamSegment[],
    private readonly open: { start: number; buffer: Uint8Array; length: number; marks: StreamSegment['marks']; gapBefore: boolean } | null,
  ) {}

  static from(conn: string, dir: 'in' | 'out', chunks: readonly CaptureChunk[], ended: boolean): { stream: ByteStream; growing: GrowingStream } {
    const stream = assembleStream(conn, dir, chunks, ended);
    const done = [...stream.segments];
    const last = done.pop();
    const open = last ? { start: last.start, buffer: last.bytes, length: last.bytes.length, marks: [...last.marks], gapBefore: last.gapBefore } : null;
    return { stream, growing: new GrowingStream(conn, dir, seenOf(chunks), done, open) };
  }

  /**
   * The stream of `chunks` when they are the chunks seen before followed by new ones that only
   * continue it or leave a hole after it; undefined otherwise (assemble from scratch then).
   */
  extend(chunks: readonly CaptureChunk[], ended: boolean): { stream: ByteStream; growing: GrowingStream } | undefined {
    const { count, first, last: lastSeen } = this.seen;
    if (chunks.length < count || (count > 0 && (chunks[0] !== first || chunks[count - 1] !== lastSeen))) return undefined;
    let open = this.open;
    const done = [...this.done];
    for (let index = count; index < chunks.length; index += 1) {
      const chunk = chunks[index];
      if (chunk.conn !== this.conn || chunk.dir !== this.dir || chunk.data.length === 0) continue;
      const openEnd = open ? open.start + open.length : 0;
      const chunkEnd = chunk.offset + chunk.data.length;
      if (!open || chunk.offset > openEnd) {
        if (open) done.push(segmentOf(open));
        open = {
          start: chunk.offset,
          buffer: chunk.data,
          length: chunk.data.length,
          marks: [{ offset: chunk.offset, t: chunk.t }],
          gapBefore: chunk.offset > 0,
        };
        continue;
      }
      if (chunk.offset < open.start) return undefined; // bytes from before the open segment
      if (chunkEnd <= openEnd) continue; // bytes already seen at these offsets win
      const fresh = chunk.data.subarray(openEnd - chunk.offset);
      let buffer = open.buffer;
      if (!GrowingStream.owned.has(buffer) || open.length + fresh.length > buffer.length) {
        buffer = new Uint8Array(Math.max(4096, (open.length + fresh.length) * 2));
        buffer.set(open.buffer.subarray(0, open.length));
        GrowingStream.owned.add(buffer);
      }
      buffer.set(fresh, open.length);
      open.marks.push({ offset: openEnd, t: chunk.t });
      open = { ...open, buffer, length: open.length + fresh.length };
    }
    const segments = open ? [...done, segmentOf(open)] : done;
    return { stream: new ByteStream(this.conn, this.dir, segments, ended), growing: new GrowingStream(this.conn, this.dir, seenOf(chunks), done, open) };
  }
}

function seenOf(chunks: readonly CaptureChunk[]): { count: number; first?: CaptureChunk; last?: CaptureChunk } {
  return { count: chunks.length, first: chunks[0], last: chunks[chunks.length - 1] };
}

function segmentOf(open: { start: number; buffer: Uint8Array; length: number; marks: StreamSegment['marks']; gapBefore: boolean }): StreamSegment {
  return { start: open.start, bytes: open.buffer.subarray(0, open.length), marks: open.marks, gapBefore: open.gapBefore };
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
