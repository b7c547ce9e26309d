import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = join(import.meta.dirname, '..');

function stringsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return stringsFiles(path);
    // strings.ts, or a part of a room's words loaded apart (web/lessons/exercise-strings.ts)
    return /^(?:[\w-]+-)?strings\.ts$/.test(entry.name) ? [path] : [];
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
    expect(files.map((file) => relative(WEB, file))).toContain(join('kit', 'strings.ts'));
  });

  for (const file of files) {
    it(relative(WEB, file), async () => {
      const module = (await import(file)) as Record<string, unknown>;
      const dictionaries = Object.entries(module).filter(([, value]) => value !== null && typeof value === 'object' && 'ru' in value && 'en' in value) as Array<
        [string, { ru: unknown; en: unknown }]
      >;
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

/** Every source file under a folder (tests excluded: they quote the wrong forms on purpose). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'gen' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('Russian UI text is written as a native teacher would', () => {
  // Forms seen in the UI and ruled out: a misspelling, calques, and a term the lessons say otherwise.
  const ruledOut: Array<[RegExp, string]> = [
    [/не корректн/i, '«некорректный» is one word'],
    [/close-фрейм/i, 'the lessons say «кадр close»'],
    [/не чисто[:)]/i, 'a calque of "not clean"'],
    [/не подходит к входному/i, 'a calque: «не соответствует входному сообщению»'],
    [/теперь жду/i, 'machine notation in a sentence'],
  ];
  const files = [...sourceFiles(WEB), ...sourceFiles(join(WEB, '..', 'server'))];

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('uses none of the ruled-out forms in web/ or server/', () => {
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [pattern, why] of ruledOut) {
        if (pattern.test(text)) found.push(`${relative(join(WEB, '..'), file)}: ${pattern.source} (${why})`);
      }
    }
    expect(found).toEqual([]);
  });
});
