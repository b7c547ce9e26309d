import { describe, expect, it } from 'vitest';
import type { LessonIndexEntry } from '../lessons/lesson-types.ts';
import { exerciseChoices, exerciseHref, exerciseName } from './exercise-names.ts';

const index: LessonIndexEntry[] = [
  {
    slug: 'rest',
    folder: '02-rest',
    headline: { en: { title: 'REST' }, ru: { title: 'REST по-русски' } },
    exercises: ['create-201', 'get-304'],
    interviewQuestions: 0,
  },
  { slug: 'choosing', folder: '14-choosing', headline: { en: { title: 'Choosing' }, ru: { title: 'Выбор' } }, exercises: [], interviewQuestions: 0 },
];
const titles = { rest: { en: { 'create-201': 'Create a user' }, ru: { 'create-201': 'Создайте пользователя' } } };

describe('an exercise as the pages name it', () => {
  it('by its lesson’s and its own title in the page’s language, by its ids when unknown', () => {
    expect(exerciseName(index, titles, 'ru', 'rest', 'create-201')).toBe('REST по-русски — Создайте пользователя');
    expect(exerciseName(index, titles, 'en', 'rest', 'create-201')).toBe('REST — Create a user');
    expect(exerciseName(index, titles, 'en', 'rest', 'get-304')).toBe('REST — get-304');
    expect(exerciseName(index, titles, 'en', 'gone', 'x')).toBe('gone — x');
  });

  it('links to the exercise on its lesson’s page in the reader’s language', () => {
    expect(exerciseHref('ru', 'rest', 'create-201')).toBe('/ru/rest#exercise-create-201-title');
  });

  it('offers the lessons that have exercises, in course order', () => {
    expect(exerciseChoices(index, titles, 'ru')).toEqual([
      {
        lesson: 'rest',
        title: 'REST по-русски',
        exercises: [
          { id: 'create-201', title: 'Создайте пользователя' },
          { id: 'get-304', title: 'get-304' },
        ],
      },
    ]);
  });
});
