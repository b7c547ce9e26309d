import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUIZ_QUESTIONS } from './quiz-data.ts';
import { markPassed, readProgress } from '../lessons/progress.ts';
import { QUIZ_ANSWERS_KEY, clearQuizAnswers, forgetQuizProgress, parseQuizAnswers, quizScore, readQuizAnswers, saveQuizAnswer } from './quiz-answers.ts';

describe('the quiz score', () => {
  it('counts right of answered and of all, open questions apart', () => {
    const answers = parseQuizAnswers({
      a: { kind: 'choice', picked: ['x'], right: true },
      b: { kind: 'order', order: ['1', '2'], right: false },
      c: { kind: 'bytes', right: true },
      o1: { kind: 'open', text: 'REST for CRUD, a queue behind it' },
      gone: { kind: 'choice', picked: ['y'], right: true },
    });
    expect(quizScore(answers, ['a', 'b', 'c', 'd'], ['o1', 'o2', 'o3'])).toEqual({ right: 2, answered: 3, total: 4, openAnswered: 1, openTotal: 3 });
    expect(quizScore({}, ['a'], [])).toEqual({ right: 0, answered: 0, total: 1, openAnswered: 0, openTotal: 0 });
  });

  it('drops what is not an answer: a wrong kind, a missing verdict, a number where words belong', () => {
    expect(
      parseQuizAnswers({
        ok: { kind: 'bytes', right: false },
        noVerdict: { kind: 'choice', picked: ['x'] },
        notWords: { kind: 'order', order: [1, 2], right: true },
        strange: { kind: 'essay', text: 'x' },
        nothing: null,
      }),
    ).toEqual({ ok: { kind: 'bytes', right: false } });
    expect(parseQuizAnswers([{ kind: 'bytes', right: true }])).toEqual({});
    expect(parseQuizAnswers('x')).toEqual({});
  });

  it('has ids that do not depend on the language', () => {
    for (const question of QUIZ_QUESTIONS) expect(question.id).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('kept answers', () => {
  let items: Map<string, string>;
  beforeEach(() => {
    items = new Map();
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('come back after a reload (what the storage holds), the last check winning, and go on start over', () => {
    saveQuizAnswer('rest-vs-graphql', { kind: 'choice', picked: ['binary'], right: false });
    saveQuizAnswer('rest-vs-graphql', { kind: 'choice', picked: ['fields'], right: true });
    saveQuizAnswer('lesson:rest:1', { kind: 'open', text: 'PUT replaces, PATCH changes a part' });
    const stored = JSON.parse(items.get(QUIZ_ANSWERS_KEY)!);
    expect(parseQuizAnswers(stored)).toEqual({
      'rest-vs-graphql': { kind: 'choice', picked: ['fields'], right: true },
      'lesson:rest:1': { kind: 'open', text: 'PUT replaces, PATCH changes a part' },
    });
    expect(readQuizAnswers()['rest-vs-graphql']).toEqual({ kind: 'choice', picked: ['fields'], right: true });
    clearQuizAnswers();
    expect(items.has(QUIZ_ANSWERS_KEY)).toBe(false);
    expect(readQuizAnswers()).toEqual({});
  });

  it('start over forgets the quiz’s passes in the progress store, and nothing else', () => {
    const storageEvents: string[] = [];
    const page = new EventTarget();
    page.addEventListener('storage', (event) => storageEvents.push(event.type));
    vi.stubGlobal('window', page);
    markPassed('rest', 'etag-304', { announce: false });
    markPassed('quiz', 'rest-vs-graphql', { announce: false });
    forgetQuizProgress();
    expect(Object.keys(readProgress())).toEqual(['rest']);
    expect(storageEvents).toEqual(['storage']);
  });

  it('start over when the stored entry is damaged', () => {
    items.set(QUIZ_ANSWERS_KEY, '{not json');
    expect(readQuizAnswers()).toEqual({});
  });
});
