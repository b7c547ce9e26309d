import { describe, expect, it } from 'vitest';
import type { LessonIndexEntry } from '../lessons/lesson-types.ts';
import { allQuizQuestionIds, courseProgress } from './course-progress.ts';

const lesson = (slug: string, exercises: string[], interviewQuestions = 0): LessonIndexEntry => ({
  slug,
  folder: `01-${slug}`,
  headline: { en: { title: slug }, ru: { title: slug } },
  exercises,
  interviewQuestions,
});

describe('courseProgress', () => {
  const lessons = [lesson('rest', ['a', 'b', 'c'], 2), lesson('grpc', ['x'])];

  it('counts per lesson and in total what the progress store holds', () => {
    const progress = { rest: { a: { passedAt: 1 }, c: { passedAt: 2 } }, grpc: { x: { passedAt: 3 } } };
    const summary = courseProgress(lessons, progress, []);
    expect(summary.lessons.map(({ lesson, done, total }) => [lesson.slug, done, total])).toEqual([
      ['rest', 2, 3],
      ['grpc', 1, 1],
    ]);
    expect([summary.done, summary.total]).toEqual([3, 4]);
  });

  it('ignores what was solved in exercises or questions that no longer exist', () => {
    const progress = { rest: { gone: { passedAt: 1 } }, quiz: { old: { passedAt: 1 }, q1: { passedAt: 2 }, 'lesson:rest:2': { passedAt: 3 } } };
    const ids = allQuizQuestionIds(['q1', 'q2'], lessons);
    expect(ids).toEqual(['q1', 'q2', 'lesson:rest:1', 'lesson:rest:2']);
    const summary = courseProgress(lessons, progress, ids);
    expect(summary.done).toBe(0);
    expect(summary.quiz).toEqual({ done: 2, total: 4 });
  });
});
