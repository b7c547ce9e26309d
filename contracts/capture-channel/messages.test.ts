import { describe, expect, it } from 'vitest';
import { decodeChunkFrame, encodeChunkFrame, encodeJsonHeadedFrame, splitJsonHeadedFrame, type CaptureChunk } from './messages.ts';

const chunk = (seq: number, dir: 'in' | 'out', offset: number, text: string): CaptureChunk => ({
  conn: 'c1',
  seq,
  dir,
  t: 1732260000000.5 + seq,
  offset,
  data: new TextEncoder().encode(text),
});

describe('the capture channel binary frame', () => {
  it('reads back what it wrote, with the bytes as views of the frame, whatever allocates it', () => {
    const chunks = [chunk(1, 'in', 0, 'GET / HTTP/1.1\r\n\r\n'), chunk(2, 'out', 0, ''), chunk(3, 'out', 0, 'HTTP/1.1 204 No Content\r\n\r\n')];
    const plain = encodeChunkFrame(chunks);
    const zeroed = encodeChunkFrame(chunks, (size) => new Uint8Array(size).fill(0xee));
    expect(Buffer.from(zeroed).equals(Buffer.from(plain))).toBe(true);
    const decoded = decodeChunkFrame(plain);
    expect(decoded.map(({ data, ...rest }) => ({ ...rest, text: new TextDecoder().decode(data) }))).toEqual(
      chunks.map(({ data, ...rest }) => ({ ...rest, text: new TextDecoder().decode(data) })),
    );
    expect(decoded[0].data.buffer).toBe(plain.buffer);
  });

  it('refuses a frame that breaks the format instead of inventing bytes', () => {
    const frame = encodeChunkFrame([chunk(1, 'in', 0, 'hello')]);
    expect(() => decodeChunkFrame(frame.subarray(0, 3))).toThrow(/header length/);
    expect(() => decodeChunkFrame(frame.subarray(0, frame.length - 1))).toThrow(/shorter than its chunks/);
    const notChunks = new TextEncoder().encode(JSON.stringify({ type: 'hello' }));
    expect(() => decodeChunkFrame(new Uint8Array([0, 0, 0, notChunks.length, ...notChunks]))).toThrow(/not a chunks frame/);
  });

  it('splits any frame of its layout, and answers null (never throws) for bytes that are not one', () => {
    const frame = encodeJsonHeadedFrame({ from: 'a', n: [1] }, [Uint8Array.of(1, 2), Uint8Array.of(3)]);
    expect([...frame.subarray(0, 4)]).toEqual([0, 0, 0, JSON.stringify({ from: 'a', n: [1] }).length]);
    expect(splitJsonHeadedFrame(frame)).toEqual({ header: { from: 'a', n: [1] }, data: Uint8Array.of(1, 2, 3) });
    expect(splitJsonHeadedFrame(Uint8Array.of(0, 0))).toBeNull();
    expect(splitJsonHeadedFrame(Uint8Array.of(0, 0, 0, 9, 0x7b))).toBeNull();
    expect(splitJsonHeadedFrame(Uint8Array.of(0, 0, 0, 1, 0x7b))).toBeNull();
  });
});
