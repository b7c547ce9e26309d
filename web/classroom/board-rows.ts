import type { Board, BoardMember, BoardResult } from './class-protocol.ts';

export type BoardSort = 'joined' | 'name' | 'done' | 'idle';

export interface BoardRow {
  member: BoardMember;
  /** what the board shows as the name: the real one, or "Student 3" (by joining order) */
  shownName: string;
  done: number;
  idleMinutes: number;
  results: Map<string, BoardResult>;
}

export const resultKey = (lesson: string, exercise: string): string => `${lesson}/${exercise}`;

/**
 * The board's rows: filtered to one lesson's exercises (or all), sorted, names hidden on request.
 * Anonymous names follow the joining order, so "Student 3" stays the same student while sorting.
 */
export function boardRows(board: Board, options: { lesson: string | null; sort: BoardSort; anonymous: boolean; anonymousName(index: number): string; serverNow: number }): BoardRow[] {
  const rows = board.members.map((member, index): BoardRow => {
    const results = new Map(member.results.filter((result) => options.lesson === null || result.lesson === options.lesson).map((result) => [resultKey(result.lesson, result.exercise), result]));
    return {
      member,
      shownName: options.anonymous ? options.anonymousName(index + 1) : member.name,
      done: [...results.values()].filter((result) => result.passedMs !== null).length,
      idleMinutes: Math.max(0, Math.floor((options.serverNow - member.lastActiveMs) / 60_000)),
      results,
    };
  });
  const byName = (a: BoardRow, b: BoardRow) => a.shownName.localeCompare(b.shownName, undefined, { numeric: true });
  const compare: Record<BoardSort, (a: BoardRow, b: BoardRow) => number> = {
    joined: (a, b) => a.member.joinedMs - b.member.joinedMs || a.member.id - b.member.id,
    name: byName,
    done: (a, b) => b.done - a.done || byName(a, b),
    idle: (a, b) => b.idleMinutes - a.idleMinutes || byName(a, b),
  };
  return rows.sort(compare[options.sort]);
}
