import { describe, expect, it } from 'vitest';
import { cellsOf, splitLessonBlocks, TEXT_AFTER_FIRST_CELL, TEXT_WITHOUT_CELLS } from './lesson-split.ts';
import type { LessonBlock } from './render-lesson.ts';

const text = (length: number): LessonBlock => ({ type: 'html', html: 'x'.repeat(length) });
const cell = (id: string): LessonBlock => ({ type: 'cell', id });

describe('splitLessonBlocks', () => {
  it('keeps everything down to the first cell, however long, and a screen of text after it', () => {
    const before = [text(20_000), text(5_000)];
    const after = [text(1_000), cell('second'), text(TEXT_AFTER_FIRST_CELL - 1_000), text(10)];
    const { head, rest } = splitLessonBlocks([...before, cell('first'), ...after]);
    expect(head).toEqual([...before, cell('first'), ...after.slice(0, 3)]);
    expect(rest).toEqual([text(10)]);
  });

  it('counts an exercise by its task, not its hints', () => {
    const exercise: LessonBlock = { type: 'exercise', id: 'e', promptHtml: 'y'.repeat(TEXT_AFTER_FIRST_CELL), hintsHtml: ['z'.repeat(50_000)] };
    const { head, rest } = splitLessonBlocks([cell('a'), exercise, text(1)]);
    expect(head).toEqual([cell('a'), exercise]);
    expect(rest).toEqual([text(1)]);
  });

  it('cuts a lesson without cells after about two screens', () => {
    const blocks = [text(TEXT_WITHOUT_CELLS / 2), text(TEXT_WITHOUT_CELLS / 2), text(1)];
    expect(splitLessonBlocks(blocks)).toEqual({ head: blocks.slice(0, 2), rest: [text(1)] });
  });

  it('leaves a short lesson whole', () => {
    const blocks = [text(100), cell('a'), text(100)];
    expect(splitLessonBlocks(blocks)).toEqual({ head: blocks, rest: [] });
    expect(splitLessonBlocks([])).toEqual({ head: [], rest: [] });
  });
});

describe('cellsOf', () => {
  it('takes the texts of the cells the blocks show, and only those', () => {
    const cells = { a: 'GET /a', b: 'GET /b', c: 'GET /c' };
    expect(cellsOf([text(1), cell('a'), cell('c'), cell('missing')], cells)).toEqual({ a: 'GET /a', c: 'GET /c' });
  });
});
