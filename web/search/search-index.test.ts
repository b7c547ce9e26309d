import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLessonFolders } from '../lessons/lesson-files.ts';
import { GLOSSARY } from '../glossary/glossary-terms.ts';
import { buildSearchSections, lessonSections } from './search-documents.ts';
import { buildSearchIndex, search, type SearchIndex } from './search-index.ts';

const sections = buildSearchSections(readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons')));
let ru: SearchIndex;
let en: SearchIndex;
beforeAll(() => {
  ru = buildSearchIndex('ru', GLOSSARY, sections);
  en = buildSearchIndex('en', GLOSSARY, sections);
});

const hrefs = (index: SearchIndex, query: string) => search(index, query).results.map((result) => result.doc.href);

describe('lesson sections for the search', () => {
  it('cuts a lesson at its headings, with their ids, without code or directives', () => {
    const markdown = [
      '# Title',
      '',
      '> Summary.',
      '',
      'Opening **text**.',
      '',
      '## Frames {#frames}',
      '',
      'A [frame](/en/x) has `opcode`.',
      '',
      '```',
      'code frame',
      '```',
      '',
      '::cell echo',
      '',
      ':::exercise e1',
      'Send a frame.',
      ':::',
    ].join('\n');
    expect(lessonSections(markdown, 'en', 'x')).toEqual([
      { lang: 'en', slug: 'x', lessonTitle: 'Title', anchor: null, heading: 'Title', text: 'Summary.\nOpening text.' },
      { lang: 'en', slug: 'x', lessonTitle: 'Title', anchor: 'frames', heading: 'Frames', text: 'A frame has opcode.\nSend a frame.' },
    ]);
  });

  it('covers every lesson in both languages', () => {
    for (const lang of ['ru', 'en'] as const)
      expect(new Set(sections.filter((section) => section.lang === lang).map((section) => section.slug)).size).toBeGreaterThanOrEqual(15);
  });
});

describe('search ranking', () => {
  it('finds the glossary term first for a Russian word form: «кадры» → «кадр»', () => {
    expect(hrefs(ru, 'кадры')[0]).toBe('/ru/glossary#frame');
    expect(hrefs(ru, 'Кадрами')[0]).toBe('/ru/glossary#frame');
    // and the lessons' sections about frames follow
    expect(hrefs(ru, 'кадры').some((href) => href.startsWith('/ru/websockets#'))).toBe(true);
  });

  it('reads ё as е and ignores case', () => {
    expect(hrefs(ru, 'ТРЕХЭТАПНОЕ рукопожатие')[0]).toBe('/ru/glossary#three-way-handshake');
    expect(hrefs(ru, 'трёхэтапного рукопожатия')[0]).toBe('/ru/glossary#three-way-handshake');
  });

  it("finds a word by a stem's prefix: «подписк» finds subscriptions", () => {
    expect(hrefs(ru, 'подписками')).toContain('/ru/glossary#subscription');
  });

  it('puts a heading that names the words above a paragraph that mentions them', () => {
    const results = search(en, 'persistent session').results.filter((result) => result.doc.kind === 'lesson');
    expect(results[0].doc.title.toLowerCase()).toContain('persistent session');
  });

  it('finds a lesson by its title', () => {
    const lessons = search(en, 'long polling').results.filter((result) => result.doc.kind === 'lesson');
    expect(lessons[0].doc.href).toMatch(/^\/en\/long-polling/);
    expect(hrefs(ru, 'Свой сервер')).toContain('/ru/build-your-own-server');
  });

  it('wants every word, and says when it could only find some', () => {
    const both = search(en, 'deadline trailers');
    expect(both.partial).toBe(false);
    expect(both.results.every((result) => /deadline/i.test(result.doc.text + result.doc.title) || result.doc.kind === 'glossary')).toBe(true);
    const some = search(en, 'deadline qwertyuiop');
    expect(some.partial).toBe(true);
    expect(some.results.length).toBeGreaterThan(0);
    expect(search(en, '  ').results).toEqual([]);
  });

  it("searches only the page's language", () => {
    expect(hrefs(ru, 'кадр').every((href) => href.startsWith('/ru/'))).toBe(true);
    expect(search(en, 'кадр').results.map((result) => result.doc.href)).toEqual(['/en/glossary#frame']);
  });

  it('marks the words found in a snippet', () => {
    const result = search(ru, 'рукопожатия').results.find((item) => item.doc.kind === 'lesson')!;
    const marked = result.snippet.filter((part) => part.mark).map((part) => part.text.toLowerCase());
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.every((word) => word.startsWith('рукопожат'))).toBe(true);
    expect(result.snippet.map((part) => part.text).join('').length).toBeLessThanOrEqual(210);
  });
});
