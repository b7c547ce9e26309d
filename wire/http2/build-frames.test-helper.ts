import type { CapturedConnection } from '../types.ts';

/** One HTTP/2 frame as bytes (RFC 9113 §4.1): 24-bit length, type, flags, 31-bit stream id, payload. */
export const frame = (type: number, flags: number, stream: number, payload: number[]): number[] => [
  (payload.length >> 16) & 0xff,
  (payload.length >> 8) & 0xff,
  payload.length & 0xff,
  type,
  flags,
  (stream >>> 24) & 0x7f,
  (stream >> 16) & 0xff,
  (stream >> 8) & 0xff,
  stream & 0xff,
  ...payload,
];

/** The h2c connection hand-built frames are decoded on. */
export const handBuiltConnection: CapturedConnection = { id: 'h', transport: 'h2c', remote: '127.0.0.1:1', local: '127.0.0.1:2', openedAt: 0 };
