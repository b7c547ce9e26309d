import { describe, expect, it } from 'vitest';
import { DecodeMemo } from './decode-memo.ts';
import { assembleConnection, assembleStream, type ByteStream } from './stream-assembler.ts';
import type { CaptureChunk } from './types.ts';

let seq = 0;
const chunk = (offset: number, text: string, t: number, dir: 'in' | 'out' = 'in'): CaptureChunk => ({
  conn: 'c1',
  seq: ++seq,
  dir,
  t,
  offset,
  data: new TextEncoder().encode(text),
});
const asText = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('assembleStream', () => {
  it('joins chunks in offset order and knows when each byte crossed', () => {
    const stream = assembleStream('c1', 'in', [chunk(5, 'world', 20), chunk(0, 'hello', 10), chunk(0, 'x', 1, 'out')]);
    expect(stream.segments).toHaveLength(1);
    expect(asText(stream.segments[0].bytes)).toBe('helloworld');
    expect(stream.segments[0].gapBefore).toBe(false);
    expect(stream.timeAt(0)).toBe(10);
    expect(stream.timeAt(4)).toBe(10);
    expect(stream.timeAt(5)).toBe(20);
    expect(stream.timeAt(9)).toBe(20);
    expect(stream.timeAt(10)).toBeNaN();
    expect(stream.end).toBe(10);
  });

  it('keeps the first copy of replayed or overlapping bytes', () => {
    const stream = assembleStream('c1', 'in', [chunk(0, 'abcd', 1), chunk(2, 'cdef', 2), chunk(0, 'abcd', 3)]);
    expect(asText(stream.segments[0].bytes)).toBe('abcdef');
    expect(stream.timeAt(3)).toBe(1);
    expect(stream.timeAt(4)).toBe(2);
  });

  it('marks holes: a segment after missing bytes, and a stream whose start was evicted', () => {
    const stream = assembleStream('c1', 'in', [chunk(3, 'def', 1), chunk(10, 'klm', 2)]);
    expect(stream.segments.map((segment) => [segment.start, asText(segment.bytes), segment.gapBefore])).toEqual([
      [3, 'def', true],
      [10, 'klm', true],
    ]);
    expect(asText(stream.slice({ start: 4, end: 12 }))).toBe('ef');
    expect(stream.byteLength).toBe(6);
  });
});

describe('assembleConnection with a memo (a capture that grows)', () => {
  const plain = (stream: ByteStream) =>
    stream.segments.map((segment) => ({
      ...segment,
      bytes: asText(segment.bytes),
      marks: segment.marks.filter((mark) => mark.offset < segment.start + segment.bytes.length),
    }));

  /** Assembles every prefix of `chunks` with one memo and compares each with a fresh assembly. */
  function growAndCompare(chunks: CaptureChunk[]): Array<{ in: ByteStream; out: ByteStream }> {
    const memo = new DecodeMemo();
    const seen: Array<{ in: ByteStream; out: ByteStream }> = [];
    for (let count = 0; count <= chunks.length; count += 1) {
      const prefix = chunks.slice(0, count);
      const grown = assembleConnection('c1', prefix, false, memo);
      memo.nextGeneration();
      const fresh = assembleConnection('c1', prefix, false);
      expect(plain(grown.in)).toEqual(plain(fresh.in));
      expect(plain(grown.out)).toEqual(plain(fresh.out));
      seen.push(grown);
    }
    return seen;
  }

  it('appends in-order chunks of both directions, and earlier streams keep their own bytes', () => {
    const chunks = [chunk(0, 'GET / ', 1), chunk(0, 'HTTP/1.1 200', 2, 'out'), chunk(6, 'HTTP/1.1\r\n', 3), chunk(12, ' OK', 4, 'out')];
    for (let index = 0; index < 300; index += 1) chunks.push(chunk(15 + index * 5, `x${String(index).padStart(3, '0')}|`, 5 + index, 'out'));
    const seen = growAndCompare(chunks);
    expect(asText(seen[3].out.segments[0].bytes)).toBe('HTTP/1.1 200');
    expect(seen[3].out.timeAt(5)).toBe(2);
    expect(asText(seen.at(-1)!.out.segments[0].bytes).slice(-10)).toBe('x298|x299|');
  });

  it('keeps the first copy of replayed bytes, starts a segment after a hole, and starts over for older bytes', () => {
    growAndCompare([
      chunk(0, 'hello', 1),
      chunk(3, 'loXYZ', 2),
      chunk(0, 'hello', 3),
      chunk(20, 'after a hole', 4),
      chunk(32, '!', 5),
      chunk(8, 'in the hole', 6),
      chunk(0, 'he', 7),
    ]);
  });

  it('never writes into a chunk it was given', () => {
    const first = chunk(0, 'abc', 1);
    const memo = new DecodeMemo();
    assembleConnection('c1', [first], false, memo);
    assembleConnection('c1', [first, chunk(3, 'def', 2)], false, memo);
    expect(asText(first.data)).toBe('abc');
  });

  it('assembles afresh when the chunks are not the ones seen before plus new ones', () => {
    const memo = new DecodeMemo();
    const a = chunk(0, 'one', 1);
    const b = chunk(3, 'two', 2);
    assembleConnection('c1', [a, b], false, memo);
    const other = assembleConnection('c1', [chunk(0, 'uno', 3), b], false, memo);
    expect(asText(other.in.segments[0].bytes)).toBe('unotwo');
  });
});
