import { describe, expect, it } from 'vitest';
import type { Board } from './class-protocol.ts';
import { anonymousNumbers, boardRows, presenceOf } from './board-rows.ts';

const board: Board = {
  code: 'K7FM3Q',
  title: 'A',
  now: 10 * 60_000,
  status: { endedMs: null, notice: null, timer: null, assignment: null, frozenMs: null },
  history: [],
  members: [
    {
      id: 1,
      name: 'Zoe',
      rejoinCode: 'AAAAAA',
      joinedMs: 0,
      lastActiveMs: 9 * 60_000,
      online: true,
      following: true,
      watching: false,
      place: null,
      waits: null,
      results: [{ lesson: 'rest', exercise: 'a', attempts: 1, passedMs: 1, lastMs: 1 }],
      servers: [],
    },
    {
      id: 2,
      name: 'Anna',
      rejoinCode: 'AAAAAA',
      joinedMs: 1,
      lastActiveMs: 0,
      online: false,
      following: false,
      watching: false,
      place: null,
      waits: null,
      results: [
        { lesson: 'rest', exercise: 'a', attempts: 3, passedMs: 5, lastMs: 5 },
        { lesson: 'grpc', exercise: 'b', attempts: 2, passedMs: 6, lastMs: 6 },
      ],
      servers: [],
    },
  ],
};
const options = { lesson: null, sort: 'joined' as const, anonymous: false, anonymousName: (n: number) => `Student ${n}`, serverNow: board.now };

describe('presenceOf', () => {
  it('says "watching" for a follower with the page in view however long since a click, "idle" otherwise', () => {
    expect(presenceOf({ online: true, watching: true }, 60)).toBe('watching');
    expect(presenceOf({ online: true, watching: false }, 60)).toBe('idle');
    expect(presenceOf({ online: true, watching: false }, 0)).toBe('online');
    expect(presenceOf({ online: false, watching: false }, 0)).toBe('offline');
  });
});

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

  it('hides names behind numbers that neither the joining order nor any sort gives away, and keeps them', () => {
    const joined = boardRows(board, { ...options, anonymous: true, sort: 'joined' });
    const names = new Map(joined.map((row) => [row.member.id, row.shownName]));
    // the old numbering was the joining order: Student 1, Student 2
    expect(joined.map((row) => row.shownName)).not.toEqual(['Student 1', 'Student 2']);
    for (const sort of ['name', 'done', 'idle'] as const) {
      for (const row of boardRows(board, { ...options, anonymous: true, sort })) expect(row.shownName).toBe(names.get(row.member.id));
    }
    expect(joined.some((row) => /Anna|Zoe/.test(row.shownName))).toBe(false);
    // a newcomer changes nobody's number; the numbers of a full class are all different
    const many = Array.from({ length: 1000 }, (_, index) => ({ id: index + 1 }));
    const before = anonymousNumbers('K7FM3Q', many.slice(0, 999));
    const after = anonymousNumbers('K7FM3Q', many);
    for (const [id, number] of before) expect(after.get(id)).toBe(number);
    expect(new Set(after.values()).size).toBe(1000);
  });

  it('tells online, idle and offline apart (an offline student is never shown as active)', () => {
    const rows = boardRows(
      { ...board, members: [...board.members, { ...board.members[0], id: 3, name: 'Olga', online: false, lastActiveMs: board.now }] },
      options,
    );
    expect(rows.map((row) => [row.shownName, row.presence])).toEqual([
      ['Zoe', 'online'],
      ['Olga', 'offline'],
      ['Anna', 'offline'],
    ]);
    expect(boardRows({ ...board, members: [{ ...board.members[0], lastActiveMs: 0 }] }, options)[0].presence).toBe('idle');
  });
});
