import type { CaptureChunk } from './types.ts';

/**
 * The capture channel's binary message (server/tap/README.md, "Chunks"): a 4-byte big-endian
 * length, that many bytes of UTF-8 JSON `{ type: 'chunks', chunks: [{ conn, seq, dir, t, offset,
 * length }] }`, then the chunks' bytes one after another. Raw bytes instead of base64 in JSON:
 * the tap sends every byte a session's traffic carries, so this is where its cost is.
 */
export interface ChunkFrameHeader {
  type: 'chunks';
  chunks: Array<Omit<CaptureChunk, 'data'> & { length: number }>;
}

/** The chunks of one binary capture message; their `data` are views of `frame`, not copies. */
export function decodeChunkFrame(frame: Uint8Array): CaptureChunk[] {
  if (frame.length < 4) throw new Error('capture frame shorter than its header length');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = view.getUint32(0);
  if (4 + headerLength > frame.length) throw new Error('capture frame header runs past the frame');
  const header = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + headerLength))) as ChunkFrameHeader;
  if (header.type !== 'chunks' || !Array.isArray(header.chunks)) throw new Error('not a chunks frame');
  let at = 4 + headerLength;
  return header.chunks.map(({ length, ...chunk }) => {
    if (at + length > frame.length) throw new Error('capture frame shorter than its chunks');
    const data = frame.subarray(at, at + length);
    at += length;
    return { ...chunk, data };
  });
}
