import { describe, expect, it } from 'vitest';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { lessonInterviewQuestions } from '../lessons/lesson-interview.ts';
import type { QuizQuestion } from './quiz-data.ts';
import { choiceIsRight, openAnswerIsAttempt, orderIsRight, pointedAtTarget, scrambledOrder } from './quiz-scoring.ts';

const teach = { lesson: 'rest', section: 'etag' };
const choice = { id: 'c', level: 'basic', teach, kind: 'choice', options: ['a', 'b', 'c'], correct: ['a', 'c'] } satisfies QuizQuestion;
const order = { id: 'o', level: 'basic', teach, kind: 'order', items: ['one', 'two', 'three', 'four'] } satisfies QuizQuestion;

describe('quiz scoring', () => {
  it('wants exactly the right options', () => {
    expect(choiceIsRight(choice, ['c', 'a'])).toBe(true);
    expect(choiceIsRight(choice, ['a'])).toBe(false);
    expect(choiceIsRight(choice, ['a', 'b', 'c'])).toBe(false);
    expect(choiceIsRight(choice, [])).toBe(false);
  });

  it('wants the items in order, and never starts there', () => {
    expect(orderIsRight(order, ['one', 'two', 'three', 'four'])).toBe(true);
    expect(orderIsRight(order, ['two', 'one', 'three', 'four'])).toBe(false);
    for (const items of [['x', 'y'], ['x', 'y', 'z'], order.items, ['a', 'b', 'c', 'd', 'e']]) {
      const shown = scrambledOrder(items);
      expect(shown.slice().sort()).toEqual(items.slice().sort());
      expect(shown).not.toEqual(items);
      expect(scrambledOrder(items)).toEqual(shown);
    }
  });

  it('counts an open answer as an attempt only when it says something', () => {
    expect(openAnswerIsAttempt('   ')).toBe(false);
    expect(openAnswerIsAttempt('REST')).toBe(false);
    expect(openAnswerIsAttempt('REST for CRUD, WebSocket for chat')).toBe(true);
  });

  const frame = (fields: WireMessage['fields'], dir: 'in' | 'out'): WireMessage =>
    ({
      conn: '1',
      index: 0,
      dir,
      layer: 'ws-frame',
      summary: '',
      at: 0,
      range: { start: 0, end: 6 },
      tree: { kind: 'frame', label: 'frame', range: { start: 0, end: 6 } },
      fields,
    }) as WireMessage;

  it('checks what the student pointed at against the question’s target', () => {
    const target = { message: { layer: 'ws-frame', dir: 'in' as const, fields: { masked: true } } };
    expect(pointedAtTarget(target, { message: frame({ masked: true, opcode: 'text' }, 'in') })).toBe(true);
    expect(pointedAtTarget(target, { message: frame({ masked: false, opcode: 'text' }, 'out') })).toBe(false);
    expect(pointedAtTarget(target, null)).toBe(false);
    const exchange = {
      conn: '2',
      index: 0,
      request: { method: 'GET', target: '/api/v1/users/1', path: '/api/v1/users/1', query: [], headers: [], firstByteAt: 0 },
      response: { status: 200, headers: [['ETag', 'W/"1"']], complete: true },
    } as unknown as HttpExchange;
    const etag = { exchange: { request: { method: 'GET', path: '^/api/v1/users/\\d+$' }, response: { status: 200, headers: { etag: true as const } } } };
    expect(pointedAtTarget(etag, { exchange })).toBe(true);
    expect(pointedAtTarget(etag, { exchange: { ...exchange, response: { ...exchange.response!, headers: [] } } as unknown as HttpExchange })).toBe(false);
    expect(pointedAtTarget(target, { exchange })).toBe(false);
  });
});

describe('a lesson’s interview questions', () => {
  it('reads bold questions, emphasised list items and bare list items, and only in the interview section', () => {
    const markdown = [
      '# T',
      '## Other {#other}',
      '**Not this?** No.',
      '## Interview questions {#interview}',
      '',
      '**What is it?** A thing',
      'on two lines.',
      '',
      '- *Why?* Because.',
      '- Bare question?',
      '## After {#after}',
      '**Nor this?** No.',
    ].join('\n');
    expect(lessonInterviewQuestions(markdown)).toEqual([
      { section: 'interview', question: 'What is it?', answer: 'A thing on two lines.' },
      { section: 'interview', question: 'Why?', answer: 'Because.' },
      { section: 'interview', question: 'Bare question?', answer: null },
    ]);
  });
});
