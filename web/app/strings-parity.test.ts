import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = join(import.meta.dirname, '..');

function stringsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return stringsFiles(path);
    return entry.name === 'strings.ts' ? [path] : [];
  });
}

/** Every key path of a dictionary: nested objects are walked, anything else is a leaf. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

const files = stringsFiles(WEB);

describe('UI strings exist in Russian and English alike', () => {
  it('finds the strings files', () => {
    expect(files.map((file) => relative(WEB, file))).toContain(join('app', 'strings.ts'));
  });

  for (const file of files) {
    it(relative(WEB, file), async () => {
      const module = (await import(file)) as Record<string, unknown>;
      const dictionaries = Object.entries(module).filter(
        ([, value]) => value !== null && typeof value === 'object' && 'ru' in value && 'en' in value,
      ) as Array<[string, { ru: unknown; en: unknown }]>;
      expect(dictionaries.length, `${file} exports no { ru, en } dictionary`).toBeGreaterThan(0);
      for (const [name, dictionary] of dictionaries) {
        expect(keyPaths(dictionary.ru).sort(), `${name}: keys in ru vs en`).toEqual(keyPaths(dictionary.en).sort());
        for (const lang of ['ru', 'en'] as const) {
          for (const [key, value] of Object.entries(dictionary[lang] as Record<string, unknown>)) {
            if (typeof value === 'string') expect(value.trim(), `${name}.${lang}.${key} is empty`).not.toBe('');
          }
        }
      }
    });
  }
});
