import { describe, expect, it } from 'vitest';
import { buildExerciseTitles, EXERCISE_TITLE_MAX, exerciseTitle } from './exercise-titles.ts';
import { readLessonFolders } from './lesson-files.ts';
import { join } from 'node:path';

describe('exercise titles', () => {
  it('takes the first sentence of the prompt as plain text, cut at a word', () => {
    expect(exerciseTitle('Get a `409 Conflict`. Then read **why**.')).toBe('Get a 409 Conflict');
    const long = exerciseTitle('Create a user and get `201 Created` with a `Location` header pointing at it.');
    expect(long.length).toBeLessThanOrEqual(EXERCISE_TITLE_MAX);
    expect(long).toBe('Create a user and get 201 Created with a…');
  });

  it('titles every exercise of every lesson in both languages', () => {
    const titles = buildExerciseTitles(readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons')));
    expect(titles.graphql.en['create-post']).toMatch(/^Create a post/);
    expect(titles.graphql.ru['create-post']).toMatch(/^Создайте пост/);
    for (const lesson of Object.values(titles)) {
      expect(Object.keys(lesson.ru).sort()).toEqual(Object.keys(lesson.en).sort());
      for (const title of [...Object.values(lesson.en), ...Object.values(lesson.ru)]) expect(title.length).toBeGreaterThan(0);
    }
  });
});
