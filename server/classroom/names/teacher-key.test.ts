import { describe, expect, it } from 'vitest';
import { parseTeacherKey } from './teacher-key.ts';

describe('TEACHER_KEY', () => {
  it('absent or empty: the database keeps its own', () => {
    expect(parseTeacherKey(undefined)).toBeUndefined();
    expect(parseTeacherKey('')).toBeUndefined();
  });

  it('under 16 characters stops the start, saying why in both languages; 16 or more is the key', () => {
    expect(() => parseTeacherKey('0427')).toThrow(/TEACHER_KEY has 4 characters, fewer than 16.*в TEACHER_KEY 4 симв\., меньше 16/);
    // characters, not bytes: fifteen Cyrillic letters are 30 bytes and still too short
    expect(() => parseTeacherKey('ключключключклю')).toThrow(/15 characters/);
    expect(parseTeacherKey('correct-horse-42')).toBe('correct-horse-42');
  });
});
