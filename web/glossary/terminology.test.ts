import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GLOSSARY } from './glossary-terms.ts';
import { HOUSE_WORDS } from './house-words.ts';
import { findWrongTerms } from './wrong-terms.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Source files under a folder: tests, fixtures and generated code left out (they quote or record, not write). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['fixtures', 'gen', 'node_modules'].includes(entry.name) ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

// The glossary's loader (its comment), the house words and the variant finder name the ruled-out variants on purpose, and the stemmer's
// comments show its examples; the glossary's own data lives in lessons/glossary/ and is checked below.
const QUOTES_VARIANTS = ['glossary-terms.ts', 'house-words.ts', 'wrong-terms.ts']
  .map((file) => join(ROOT, 'web', 'glossary', file))
  .concat(join(ROOT, 'web', 'text', 'word-stem.ts'));
// The glossary's terms and the house words of web/glossary/house-words.ts, held to the same rule.
const RULES = [...GLOSSARY, ...HOUSE_WORDS];
const uiFiles = ['web', 'server', 'contracts']
  .flatMap((dir) => sourceFiles(join(ROOT, dir)))
  .filter((file) => !QUOTES_VARIANTS.some((quoting) => file.startsWith(quoting)));
// lesson folders are `<nn>-<slug>` (lessons/glossary/ holds the glossary's data, not a lesson)
const lessonDirs = readdirSync(join(ROOT, 'lessons'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d+-[a-z0-9-]+$/.test(entry.name))
  .map((entry) => join(ROOT, 'lessons', entry.name));

function report(file: string, lang: 'ru' | 'en'): string[] {
  return findWrongTerms(readFileSync(file, 'utf8'), lang, RULES).map(
    (hit) =>
      `${relative(ROOT, file)}:${hit.line} «${hit.found}» — write «${lang === 'ru' ? hit.term.ru : hit.term.en}» (${GLOSSARY.includes(hit.term as (typeof GLOSSARY)[number]) ? 'glossary' : 'house-words'}: ${hit.term.id})`,
  );
}

describe('one term per thing, as the glossary says (lessons/glossary/)', () => {
  it('finds the texts', () => {
    expect(lessonDirs.length).toBeGreaterThanOrEqual(15);
    expect(uiFiles.length).toBeGreaterThan(100);
  });

  it('the Russian lesson texts use no ruled-out variant', () => {
    expect(lessonDirs.flatMap((dir) => report(join(dir, 'ru.md'), 'ru'))).toEqual([]);
  }, 30_000);

  it('the English lesson texts use no ruled-out variant', () => {
    expect(lessonDirs.flatMap((dir) => report(join(dir, 'en.md'), 'en'))).toEqual([]);
  });

  // Russian appears in web/, server/ and contracts/ only as UI strings and messages, so every
  // source file is read as Russian; English is checked in the lessons (identifiers would be noise).
  it('the UI strings and messages in Russian use no ruled-out variant', () => {
    expect(uiFiles.flatMap((file) => report(file, 'ru'))).toEqual([]);
  }, 60_000);

  // one term per thing in the glossary too: its names and definitions write no variant it or the house words rule out
  it("the glossary's own names and definitions use no ruled-out variant (lessons/glossary/)", () => {
    const hits = GLOSSARY.flatMap((term) =>
      (['en', 'ru'] as const).flatMap((lang) =>
        [term[lang], ...((lang === 'ru' ? term.alsoRu : term.alsoEn) ?? []), term.definition[lang]].flatMap((text) =>
          findWrongTerms(text, lang, RULES).map(
            (hit) => `${term.id} (${lang}): «${hit.found}» — write «${lang === 'ru' ? hit.term.ru : hit.term.en}» (${hit.term.id})`,
          ),
        ),
      ),
    );
    expect(hits).toEqual([]);
  });

  it('catches a ruled-out variant in any form, and not a word that only starts like one', () => {
    const hits = findWrongTerms('Тройного рукопожатия не было; фреймов два, фреймворк один. Опкоды и кеширование.', 'ru', GLOSSARY);
    expect(hits.map((hit) => [hit.found, hit.term.id])).toEqual([
      ['Тройного рукопожатия', 'three-way-handshake'],
      ['фреймов', 'frame'],
      ['Опкоды', 'opcode'],
      ['кеширование', 'caching'],
    ]);
    expect(findWrongTerms('строго по порядку, полезная нагрузка', 'ru', GLOSSARY)).toEqual([]);
  });

  it("catches the house words' calques and second names, and not their neighbours", () => {
    const hits = findWrongTerms('Что на проводе? Поменяйте почту, строка состояния, чанком, продюсеры, дашборда.', 'ru', HOUSE_WORDS);
    expect(hits.map((hit) => [hit.found, hit.term.id])).toEqual([
      ['на проводе', 'on-the-wire'],
      ['почту', 'email'],
      ['строка состояния', 'status-line'],
      ['чанком', 'chunk'],
      ['продюсеры', 'producer'],
      ['дашборда', 'dashboard'],
    ]);
    expect(findWrongTerms('почтовый ящик, почти всё, журнал Kafka, в канале, по сети', 'ru', HOUSE_WORDS)).toEqual([]);
  });
});
