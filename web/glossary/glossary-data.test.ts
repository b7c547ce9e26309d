import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLessonFolders } from '../lessons/lesson-files.ts';
import { GLOSSARY } from './glossary-terms.ts';
import { lessonUsesTerm, type LessonTexts } from './lesson-uses.ts';
import { findWrongTerms } from './wrong-terms.ts';

const folders = readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons'));
const lessons: LessonTexts[] = folders.map((folder) => ({ slug: folder.slug, en: folder.markdown.en ?? '', ru: folder.markdown.ru ?? '' }));
const courseOrder = lessons.map((lesson) => lesson.slug);

describe('the glossary', () => {
  it("holds the course's main terms", () => {
    expect(GLOSSARY.length).toBeGreaterThanOrEqual(60);
    for (const id of [
      'frame',
      'handshake',
      'three-way-handshake',
      'stream',
      'call',
      'status-code',
      'header',
      'subscription',
      'topic',
      'qos',
      'retained-message',
      'persistent-session',
      'keep-alive',
      'long-polling',
      'sse-event',
      'envelope',
      'field-number',
      'varint',
      'metadata',
      'trailers',
      'deadline',
      'masking',
      'ping-pong',
      'close-code',
      'broker',
      'consumer',
      'acknowledgement',
      'idempotent',
      'etag',
    ]) {
      expect(GLOSSARY.map((term) => term.id)).toContain(id);
    }
  });

  it('gives every term a unique anchor', () => {
    const ids = GLOSSARY.map((term) => term.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  for (const term of GLOSSARY) {
    it(`${term.id}: both languages, a definition in each, one or two sentences`, () => {
      expect(term.en.trim(), 'English term').not.toBe('');
      expect(term.ru.trim(), 'Russian term').not.toBe('');
      for (const lang of ['en', 'ru'] as const) {
        const definition = term.definition[lang].trim();
        expect(definition.length, `${lang} definition`).toBeGreaterThan(20);
        expect(definition, `${lang} definition ends a sentence`).toMatch(/[.!?)]$/);
        // sentences end with . ! or ? before a capital letter; "e.g." and version numbers do not
        const sentences = definition.split(/[.!?]\s+(?=[A-ZА-ЯЁ«"`])/u).length;
        expect(sentences, `${lang} definition: ${sentences} sentences`).toBeLessThanOrEqual(2);
      }
      // a Russian definition is written in Russian, an English one in English
      expect(term.definition.ru).toMatch(/[а-яё]{3,}/);
      expect(term.definition.en).not.toMatch(/[а-яё]/i);
    });

    it(`${term.id}: no ruled-out variant is the term itself, and its own texts use none`, () => {
      for (const variant of term.wrongRu ?? []) expect(findWrongTerms(term.ru, 'ru', [term]), variant).toEqual([]);
      for (const variant of term.wrongEn ?? []) expect(findWrongTerms(term.en, 'en', [term]), variant).toEqual([]);
      expect(findWrongTerms(term.definition.ru, 'ru', GLOSSARY).map((hit) => hit.found)).toEqual([]);
      expect(findWrongTerms(term.definition.en, 'en', GLOSSARY).map((hit) => hit.found)).toEqual([]);
    });

    it(`${term.id}: lists the lessons that use it, in course order`, () => {
      for (const slug of term.lessons) expect(courseOrder, `no lesson ${slug}`).toContain(slug);
      expect(term.lessons).toEqual([...term.lessons].sort((a, b) => courseOrder.indexOf(a) - courseOrder.indexOf(b)));
      // a listed lesson uses the term in both languages (in any of its names)
      const notUsing = term.lessons.filter((slug) => !lessonUsesTerm(lessons.find((lesson) => lesson.slug === slug)!, term));
      expect(notUsing, `listed, but their texts do not name «${term.ru}» / "${term.en}"`).toEqual([]);
      // a lesson that names the term itself in both languages is listed
      const unlisted = lessons.filter((lesson) => !term.lessons.includes(lesson.slug) && lessonUsesTerm(lesson, term, 'main'));
      expect(
        unlisted.map((lesson) => lesson.slug),
        `these lessons name «${term.ru}» / "${term.en}": add them to its lessons`,
      ).toEqual([]);
    });
  }

  it('has no term whose Russian and English names another term already has', () => {
    const seen = new Map<string, string>();
    for (const term of GLOSSARY) {
      for (const name of [`ru:${term.ru.toLowerCase()}`, `en:${term.en.toLowerCase()}`]) {
        expect(seen.get(name), `${name} in ${term.id}`).toBeUndefined();
        seen.set(name, term.id);
      }
    }
  });
});
