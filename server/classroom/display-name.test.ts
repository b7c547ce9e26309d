import { describe, expect, it } from 'vitest';
import { cleanDisplayName, displayNameKey } from './display-name.ts';

describe('display names', () => {
  it('keep what a person types, trimmed and with single spaces', () => {
    expect(cleanDisplayName('  Анна   Ершова ')).toBe('Анна Ершова');
    expect(cleanDisplayName('<b>Bob</b>')).toBe('<b>Bob</b>');
  });

  it('drop control and invisible formatting characters', () => {
    expect(cleanDisplayName('Ann\u0000a\u202e')).toBe('Anna');
    expect(cleanDisplayName('\u200b\u200b')).toBeNull();
  });

  it('are 1 to 40 characters', () => {
    expect(cleanDisplayName('')).toBeNull();
    expect(cleanDisplayName('я'.repeat(40))).toBe('я'.repeat(40));
    expect(cleanDisplayName('я'.repeat(41))).toBeNull();
    expect(cleanDisplayName(12)).toBeNull();
  });

  it('are the same name whatever the case', () => {
    expect(displayNameKey('Анна')).toBe(displayNameKey('аННА'));
  });
});
