import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64.ts';

describe('decodeBase64', () => {
  it('reads padded and unpadded text, and the URL-safe alphabet when asked to', () => {
    expect(decodeBase64('QUJD')).toEqual(Uint8Array.of(65, 66, 67));
    expect(decodeBase64('QQ==')).toEqual(Uint8Array.of(65));
    expect(decodeBase64('QUI')).toEqual(Uint8Array.of(65, 66));
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
    expect(decodeBase64('-_8', 'standard-or-url')).toEqual(Uint8Array.of(0xfb, 0xff));
    expect(decodeBase64('+/8')).toEqual(Uint8Array.of(0xfb, 0xff));
  });

  it('refuses what is not base64, as atob does', () => {
    for (const text of ['-_8', 'QQ=', 'A', 'AAAAA', 'AAAAA=', '=', '==', 'Q=Q=', 'QQ===', 'QU*I']) {
      expect(decodeBase64(text), text).toBeNull();
      expect(() => atob(text), text).toThrow();
    }
    // white space too (atob skips it): the callers strip what their protocol allows
    expect(decodeBase64('QU I')).toBeNull();
  });
});
