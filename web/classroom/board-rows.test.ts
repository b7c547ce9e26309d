import { describe, expect, it } from 'vitest';
import type { Board } from './class-protocol.ts';
import { boardRows } from './board-rows.ts';

const board: Board = {
  code: 'K7FM3Q',
  title: 'A',
  now: 10 * 60_000,
  members: [
    { id: 1, name: 'Zoe', rejoinCode: 'AAAAAA', joinedMs: 0, lastActiveMs: 9 * 60_000, online: true, following: true, results: [{ lesson: 'rest', exercise: 'a', attempts: 1, passedMs: 1, lastMs: 1 }] },
    { id: 2, name: 'Anna', rejoinCode: 'AAAAAA', joinedMs: 1, lastActiveMs: 0, online: false, following: false, results: [
      { lesson: 'rest', exercise: 'a', attempts: 3, passedMs: 5, lastMs: 5 },
      { lesson: 'grpc', exercise: 'b', attempts: 2, passedMs: 6, lastMs: 6 },
    ] },
  ],
};
const options = { lesson: null, sort: 'joined' as const, anonymous: false, anonymousName: (n: number) => `Student ${n}`, serverNow: board.now };

describe('boardRows', () => {
  it('counts done exercises and idle minutes', () => {
    const rows = boardRows(board, options);
    expect(rows.map((row) => [row.shownName, row.done, row.idleMinutes])).toEqual([
      ['Zoe', 1, 1],
      ['Anna', 2, 10],
    ]);
  });

  it('filters by lesson and sorts', () => {
    expect(boardRows(board, { ...options, lesson: 'rest', sort: 'name' }).map((row) => [row.shownName, row.done])).toEqual([
      ['Anna', 1],
      ['Zoe', 1],
    ]);
    expect(boardRows(board, { ...options, sort: 'done' }).map((row) => row.shownName)).toEqual(['Anna', 'Zoe']);
    expect(boardRows(board, { ...options, sort: 'idle' }).map((row) => row.shownName)).toEqual(['Anna', 'Zoe']);
  });

  it('hides names by joining order, stable under sorting', () => {
    const rows = boardRows(board, { ...options, anonymous: true, sort: 'done' });
    expect(rows.map((row) => row.shownName)).toEqual(['Student 2', 'Student 1']);
    expect(rows.some((row) => row.shownName.includes('Anna'))).toBe(false);
  });
});
