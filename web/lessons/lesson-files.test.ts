import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLessonIndex, buildLessonSummaries, readLessonFolders } from './lesson-files.ts';

const folders = readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons'));

describe('the lesson index and its summaries', () => {
  it('keeps the summaries out of the index a lesson page loads, and has one per lesson and language apart', () => {
    const index = buildLessonIndex(folders);
    const summaries = buildLessonSummaries(folders);
    expect(index.length).toBeGreaterThanOrEqual(15);
    expect(JSON.stringify(index)).not.toContain('summary');
    expect(Object.keys(summaries)).toEqual(index.map((entry) => entry.slug));
    for (const entry of index) {
      expect(entry.headline.en.title.length).toBeGreaterThan(0);
      expect(entry.headline.ru.title.length).toBeGreaterThan(0);
      expect(summaries[entry.slug].en.length, entry.slug).toBeGreaterThan(20);
      expect(summaries[entry.slug].ru.length, entry.slug).toBeGreaterThan(20);
      // the Russian summary is Russian, not a copy of the English one
      expect(summaries[entry.slug].ru).toMatch(/[а-яё]/i);
    }
    expect(summaries.rest.en).toMatch(/^Resources with addresses/);
  });
});
