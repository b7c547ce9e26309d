import { describe, expect, it } from 'vitest';
import { CLASS_CODE_ALPHABET, newClassCode, normalizeClassCode } from './class-code.ts';

describe('class codes', () => {
  it('have no characters that are easy to confuse', () => {
    for (const ambiguous of '0O1IL5S2Z8BUV') expect(CLASS_CODE_ALPHABET).not.toContain(ambiguous);
  });

  it('are six characters of the alphabet, and differ', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newClassCode()));
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CLASS_CODE_ALPHABET}]{6}$`));
    expect(codes.size).toBeGreaterThan(190);
  });

  it('accept what a student types: lower case, spaces, a dash', () => {
    expect(normalizeClassCode('k7f-m3q')).toBe('K7FM3Q');
    expect(normalizeClassCode(' K7F M3Q ')).toBe('K7FM3Q');
  });

  it('accept Cyrillic letters typed for the Latin ones they look like (a Russian keyboard layout), and no other Cyrillic', () => {
    expect(normalizeClassCode('К7Н-М3У')).toBe('K7HM3Y');
    expect(normalizeClassCode('к7н-м3у')).toBe('K7HM3Y');
    expect(normalizeClassCode('АСЕРТХ')).toBe('ACEPTX');
    expect(normalizeClassCode('Л7FM3Q')).toBeNull();
  });

  it('refuse anything outside the alphabet or of the wrong length', () => {
    expect(normalizeClassCode('K0FM3Q')).toBeNull();
    expect(normalizeClassCode('K7FM3')).toBeNull();
    expect(normalizeClassCode('<b>K7FM3Q')).toBeNull();
    expect(normalizeClassCode(42)).toBeNull();
  });
});
