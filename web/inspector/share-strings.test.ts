import { describe, expect, it } from 'vitest';
import { shareStrings } from './share-strings.ts';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [`${prefix}:${typeof value}`];
  return Object.entries(value)
    .flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key))
    .sort();
}

describe('share strings', () => {
  it('has the same keys (and kinds of value) in Russian and English', () => {
    expect(keyPaths(shareStrings.ru)).toEqual(keyPaths(shareStrings.en));
  });

  it('says when a capture goes and why sharing failed, in each language', () => {
    expect(shareStrings.ru.expiresAt('12:00')).toContain('12:00');
    expect(shareStrings.ru.failed('слишком большая запись')).toMatch(/^Не удалось поделиться: слишком/);
    expect(shareStrings.en.readOnly('noon')).toBe('Read-only. Kept until noon.');
  });

  it('says in each language what a shared capture leaves out, and what a share will leave out', () => {
    expect(shareStrings.en.leftOut(12)).toMatch(/^Not included: the app's own requests .*, 12 of them;/);
    expect(shareStrings.ru.leftOut(12)).toMatch(/^Не включены запросы самого приложения .*: 12\./);
    expect(shareStrings.en.leftOutHere(3)).toContain('(3)');
    expect(shareStrings.ru.leftOutHere(3)).toContain('запись по ссылке');
  });
});
