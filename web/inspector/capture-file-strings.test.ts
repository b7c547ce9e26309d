import { describe, expect, it } from 'vitest';
import { captureFileStrings } from './capture-file-strings.ts';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [`${prefix}:${typeof value}`];
  return Object.entries(value)
    .flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key))
    .sort();
}

describe('capture file strings', () => {
  it('has the same keys (and kinds of value) in Russian and English', () => {
    expect(keyPaths(captureFileStrings.ru)).toEqual(keyPaths(captureFileStrings.en));
  });

  it('names every problem of a file in both languages', () => {
    const problems: Parameters<typeof captureFileStrings.en.problem>[0][] = [
      { code: 'empty' },
      { code: 'unknown-format', firstBytes: '68 65' },
      { code: 'truncated', at: 12 },
      { code: 'bad-block', at: 0, detail: 'block-length' },
      { code: 'no-tcp', packets: 3, skipped: { 'unsupported-link-type': 3 }, linkTypes: [147] },
      { code: 'no-tcp', packets: 3, skipped: { 'not-tcp': 3 }, linkTypes: [1] },
      { code: 'har-not-json', detail: 'Unexpected end of JSON input' },
      { code: 'har-no-entries' },
      { code: 'too-large', limitMb: 200 },
      { code: 'worker-failed', detail: 'out of memory' },
    ];
    for (const problem of problems) {
      expect(captureFileStrings.en.problem(problem)).toMatch(/\w{3}/);
      expect(captureFileStrings.ru.problem(problem)).toMatch(/[а-яё]{3}/);
    }
    expect(captureFileStrings.ru.problem({ code: 'no-tcp', packets: 3, skipped: { 'unsupported-link-type': 3 }, linkTypes: [147] })).toContain('147');
  });
});
