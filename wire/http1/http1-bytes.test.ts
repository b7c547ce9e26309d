import { describe, expect, it } from 'vitest';
import { joinBytes, latin1 } from './http1-bytes.ts';

const everyByte = Uint8Array.from({ length: 256 }, (_, byte) => byte);
const everyChar = Array.from({ length: 256 }, (_, code) => String.fromCharCode(code)).join('');

describe('latin1', () => {
  it('turns byte n into U+00nn, 0x80–0x9F included, short or long (past one call of String.fromCharCode)', () => {
    expect(latin1(everyByte)).toBe(everyChar);
    expect(latin1(everyByte, 0x80, 0xa0)).toBe(everyChar.slice(0x80, 0xa0));
    expect(latin1(everyByte, 0x85, 0x86).charCodeAt(0)).toBe(0x85);
    const long = joinBytes(Array.from({ length: 40 }, () => everyByte));
    expect(latin1(long, 3)).toBe(everyChar.repeat(40).slice(3));
  });
});

describe('joinBytes', () => {
  it('puts the pieces one after the other, and gives a single piece back as it is', () => {
    expect([...joinBytes([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)])]).toEqual([1, 2, 3]);
    const one = Uint8Array.of(7);
    expect(joinBytes([one])).toBe(one);
  });
});
