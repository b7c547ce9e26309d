import { describe, expect, it } from 'vitest';
import { assembleStream } from './stream-assembler.ts';
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
