import { describe, expect, it } from 'vitest';
import { formatHex, parseHex } from './hex.ts';

describe('bytes typed as hex', () => {
  it('reads pairs with or without spaces, either case', () => {
    expect(parseHex('01 02 ff')).toEqual({ ok: true, bytes: new Uint8Array([1, 2, 255]) });
    expect(parseHex('0102FF\n0a')).toEqual({ ok: true, bytes: new Uint8Array([1, 2, 255, 10]) });
  });

  it('names the first character that is not hex, an odd number of digits, an empty text', () => {
    expect(parseHex('01 0g')).toEqual({ ok: false, error: { code: 'not-hex', char: 'g', position: 4 } });
    expect(parseHex('01 2')).toEqual({ ok: false, error: { code: 'odd-digits', digits: 3 } });
    expect(parseHex('  ')).toEqual({ ok: false, error: { code: 'empty' } });
  });

  it('writes bytes back as hex, shortened past a limit', () => {
    expect(formatHex(new Uint8Array([0, 15, 255]))).toBe('00 0f ff');
    expect(formatHex(new Uint8Array(5), 2)).toBe('00 00 …');
  });
});
