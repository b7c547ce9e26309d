import { describe, expect, it } from 'vitest';
import { frameHeadLength, maskKeyOf, readFrameHead } from './frame-head.ts';

describe('readFrameHead', () => {
  it('reads the payload length in its three sizes, and the masking key', () => {
    expect(readFrameHead(Uint8Array.of(0x81, 125), 0)).toMatchObject({ fin: true, opcode: 1, masked: false, length: 125, lengthBits: 7, headerLength: 2 });
    const head16 = Uint8Array.of(0, 0, 0x02, 0xfe, 0x01, 0x00, 1, 2, 3, 4);
    expect(readFrameHead(head16, 2)).toMatchObject({ fin: false, opcode: 2, masked: true, length: 256, lengthBits: 16, headerLength: 8 });
    expect([...(maskKeyOf(head16, 2, readFrameHead(head16, 2)!) ?? [])]).toEqual([1, 2, 3, 4]);
    const head64 = Uint8Array.of(0xc1, 0x7f, 0, 0, 0, 1, 0, 0, 0, 5);
    expect(readFrameHead(head64, 0)).toMatchObject({ rsv1: true, length: 2 ** 32 + 5, lengthBits: 64, headerLength: 10, lengthTooLarge: false });
    expect(readFrameHead(Uint8Array.of(0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0), 0)?.lengthTooLarge).toBe(true);
  });

  it('waits for a head whose bytes have not all come, and knows how many it needs from its second byte', () => {
    expect(readFrameHead(Uint8Array.of(0x81), 0)).toBeNull();
    expect(readFrameHead(Uint8Array.of(0x81, 0xfe, 0x01, 0x00, 1, 2, 3), 0)).toBeNull();
    expect([0x05, 0x85, 0x7e, 0xfe, 0x7f, 0xff].map(frameHeadLength)).toEqual([2, 6, 4, 8, 10, 14]);
  });
});
