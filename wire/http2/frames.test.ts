import { describe, expect, it } from 'vitest';
import { isServerPreface, readFrameHeader } from './frames.ts';

const header = (bytes: number[]) => readFrameHeader(Uint8Array.from(bytes), 0);

describe('an HTTP/2 frame header (RFC 9113 §4.1)', () => {
  it('is read from its nine bytes: 24-bit length, type, flags, the reserved bit and a 31-bit stream id', () => {
    expect(header([0x01, 0x00, 0x06, 0x04, 0x01, 0xff, 0xff, 0xff, 0xff])).toEqual({
      length: 65_542,
      type: 0x4,
      flags: 0x1,
      reserved: true,
      streamId: 0x7fffffff,
    });
  });

  it("opens a server's preface when it is a SETTINGS frame on stream 0, not an ACK, of whole settings (§3.4, §6.5)", () => {
    expect(isServerPreface(header([0, 0, 12, 0x4, 0, 0, 0, 0, 0]))).toBe(true);
    expect(isServerPreface(header([0, 0, 0, 0x4, 0, 0, 0, 0, 0]))).toBe(true);
    expect(isServerPreface(header([0, 0, 0, 0x4, 0x1, 0, 0, 0, 0]))).toBe(false);
    expect(isServerPreface(header([0, 0, 6, 0x4, 0, 0, 0, 0, 1]))).toBe(false);
    expect(isServerPreface(header([0, 0, 7, 0x4, 0, 0, 0, 0, 0]))).toBe(false);
    expect(isServerPreface(header([0, 0, 8, 0x6, 0, 0, 0, 0, 0]))).toBe(false);
    // a text server's first bytes: "-ERR unknown command"
    expect(isServerPreface(readFrameHeader(new TextEncoder().encode('-ERR unknown'), 0))).toBe(false);
  });
});
