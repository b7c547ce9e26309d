import { describe, expect, it } from 'vitest';
import { cleanDisplayName, confusableSkeleton, displayNameKey } from './display-name.ts';

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

  it('are the same name when they look alike (TR39 skeleton): Cyrillic В in "Вob" is the B of "Bob", 1 is l', () => {
    expect(displayNameKey('Вob')).toBe(displayNameKey('Bob'));
    expect(displayNameKey('Вов')).toBe(displayNameKey('вОВ'));
    expect(displayNameKey('Nik1ta')).toBe(displayNameKey('Nikita'));
    expect(displayNameKey('Кира')).toBe(displayNameKey('KИPA'));
    expect(confusableSkeleton('раураl')).toBe('paypal');
  });

  it('stay different names when they only share letters: Ilya is not Liya, Ali is not All, Анна is not Аня', () => {
    expect(displayNameKey('Ilya')).not.toBe(displayNameKey('Liya'));
    expect(displayNameKey('Ali')).not.toBe(displayNameKey('All'));
    expect(displayNameKey('Анна')).not.toBe(displayNameKey('Аня'));
    expect(displayNameKey('Саша')).not.toBe(displayNameKey('Маша'));
  });
});
