import { describe, expect, it } from 'vitest';
import { MAX_CLOSE_REASON_BYTES, parseCloseRequest } from './close-request.ts';

describe('what a page may send in a close frame', () => {
  it('allows no code at all, 1000 and 3000–4999, with a reason', () => {
    expect(parseCloseRequest('', '')).toEqual({ ok: true });
    expect(parseCloseRequest('1000', '')).toEqual({ ok: true, code: 1000 });
    expect(parseCloseRequest(' 4001 ', 'пока')).toEqual({ ok: true, code: 4001, reason: 'пока' });
    expect(parseCloseRequest('3000', 'x'.repeat(MAX_CLOSE_REASON_BYTES))).toMatchObject({ ok: true, code: 3000 });
  });

  it('refuses the codes the browser would throw for, and explains why', () => {
    expect(parseCloseRequest('1009', '')).toEqual({ ok: false, error: { code: 'code-not-allowed', value: 1009 } });
    expect(parseCloseRequest('5000', '')).toEqual({ ok: false, error: { code: 'code-not-allowed', value: 5000 } });
    expect(parseCloseRequest('10oo', '')).toEqual({ ok: false, error: { code: 'code-not-number', text: '10oo' } });
    expect(parseCloseRequest('', 'bye')).toEqual({ ok: false, error: { code: 'reason-without-code' } });
  });

  it('counts the reason in UTF-8 bytes, not characters', () => {
    // 62 Cyrillic letters are 124 bytes: one too many, though only 62 characters
    expect(parseCloseRequest('1000', 'я'.repeat(62))).toEqual({ ok: false, error: { code: 'reason-too-long', bytes: 124 } });
    expect(parseCloseRequest('1000', 'я'.repeat(61))).toMatchObject({ ok: true });
  });
});
