import { describe, expect, it } from 'vitest';
import { MAX_REMAINING_LENGTH, RemainingLengthReader, encodeRemainingLength, publishRemainingLength, readRemainingLength } from './remaining-length.ts';

// The examples of MQTT 3.1.1 table 2.4: the bounds of each byte count.
const BOUNDS: Array<[number, number[]]> = [
  [0, [0x00]],
  [127, [0x7f]],
  [128, [0x80, 0x01]],
  [16_383, [0xff, 0x7f]],
  [16_384, [0x80, 0x80, 0x01]],
  [2_097_151, [0xff, 0xff, 0x7f]],
  [2_097_152, [0x80, 0x80, 0x80, 0x01]],
  [268_435_455, [0xff, 0xff, 0xff, 0x7f]],
];

describe('the MQTT remaining length (§2.2.3)', () => {
  it('writes and reads the bounds of table 2.4', () => {
    for (const [length, bytes] of BOUNDS) {
      expect([...encodeRemainingLength(length)], String(length)).toEqual(bytes);
      expect(readRemainingLength(Uint8Array.from([0x30, ...bytes, 0xaa]), 1)).toEqual({ length, bodyStart: 1 + bytes.length });
    }
  });

  it('needs more bytes while the high bit says another follows, and refuses a fifth', () => {
    expect(readRemainingLength(Uint8Array.from([0x30]), 1)).toBe('need-more');
    expect(readRemainingLength(Uint8Array.from([0x30, 0x80, 0x80]), 1)).toBe('need-more');
    expect(readRemainingLength(Uint8Array.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]), 1)).toBe('malformed');
  });

  it('reads the same a byte at a time, again and again', () => {
    const reader = new RemainingLengthReader();
    for (const [length, bytes] of BOUNDS) {
      const answers = bytes.map((byte) => reader.push(byte));
      expect(answers).toEqual([...bytes.slice(1).map(() => 'more'), length]);
    }
    expect([0x80, 0x80, 0x80, 0x80].map((byte) => reader.push(byte))).toEqual(['more', 'more', 'more', 'malformed']);
  });

  it('will not write a length no packet can carry', () => {
    expect(() => encodeRemainingLength(MAX_REMAINING_LENGTH + 1)).toThrow(RangeError);
    expect(() => encodeRemainingLength(-1)).toThrow(RangeError);
  });
});

describe('the remaining length of a PUBLISH (§3.3)', () => {
  it('counts the topic with its length, the packet id above QoS 0, and the payload', () => {
    expect(publishRemainingLength(3, 10, 0)).toBe(2 + 3 + 10);
    expect(publishRemainingLength(3, 10, 1)).toBe(2 + 3 + 2 + 10);
    expect(publishRemainingLength(3, 10, 2)).toBe(2 + 3 + 2 + 10);
  });
});
