import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../base64.ts';
import { sha1 } from './sha1.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('sha1', () => {
  it('matches the FIPS 180 examples', () => {
    expect(hex(sha1(utf8('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(utf8('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(sha1(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });

  it('agrees with node:crypto around the padding boundaries and on larger inputs', () => {
    for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 70_000]) {
      const input = new Uint8Array(randomBytes(length));
      expect(hex(sha1(input)), `length ${length}`).toBe(createHash('sha1').update(input).digest('hex'));
    }
  });
});

describe('encodeBase64 (wire/base64.ts), as the handshake uses it', () => {
  it('pads like Buffer does', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 20]) {
      const input = new Uint8Array(randomBytes(length));
      expect(encodeBase64(input)).toBe(Buffer.from(input).toString('base64'));
    }
  });
});
