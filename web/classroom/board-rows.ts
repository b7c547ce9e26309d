import type { Board, BoardMember, BoardResult } from './class-protocol.ts';

export type BoardSort = 'joined' | 'name' | 'done' | 'idle';

/** online: a class channel open and active lately; idle: open, nothing done for IDLE_AFTER_MINUTES; offline: no channel. */
/** watching: following with the page in view (no clicks needed): never "idle" */
export type Presence = 'watching' | 'online' | 'idle' | 'offline';

/** Minutes without a click or a key before an online student shows as idle. */
export const IDLE_AFTER_MINUTES = 5;

export interface BoardRow {
  member: BoardMember;
  /** what the board shows as the name: the real one, or "Student 4821" (anonymousNumbers) */
  shownName: string;
  presence: Presence;
  done: number;
  idleMinutes: number;
  results: Map<string, BoardResult>;
}

export const resultKey = (lesson: string, exercise: string): string => `${lesson}/${exercise}`;

// One collator for every sort: `localeCompare(other, undefined, options)` builds one per comparison,
// and the teacher's board sorts its 40 rows at every update.
const NAMES_IN_ORDER = new Intl.Collator(undefined, { numeric: true });

/** The lowest and highest number a hidden name gets: room for a full class (1 000) many times over. */
const FIRST_NUMBER = 1000;
const NUMBERS = 9000;

/** FNV-1a: a stable spread of the class code and a member id over the numbers, nothing secret. */
function spread(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % NUMBERS;
}

/**
 * The number each student goes by when names are hidden: spread from the class code and the
 * member id, not their joining order nor any sort (the class saw who came in first), and the
 * same whatever the board is sorted by. A clash goes to the next free number, earlier members
 * first, so a newcomer never changes anyone's number.
 */
export function anonymousNumbers(code: string, members: readonly Pick<BoardMember, 'id'>[]): Map<number, number> {
  const numbers = new Map<number, number>();
  const taken = new Set<number>();
  for (const id of members.map((member) => member.id).sort((a, b) => a - b)) {
    let slot = spread(`${code}:${id}`);
    while (taken.has(slot)) slot = (slot + 1) % NUMBERS;
    taken.add(slot);
    numbers.set(id, FIRST_NUMBER + slot);
  }
  return numbers;
}

export function presenceOf(member: Pick<BoardMember, 'online' | 'watching'>, idleMinutes: number): Presence {
  if (!member.online) return 'offline';
  if (member.watching) return 'watching';
  return idleMinutes >= IDLE_AFTER_MINUTES ? 'idle' : 'online';
}

/** The board's rows: filtered to one lesson's exercises (or all), sorted, names hidden on request. */
export function boardRows(
  board: Board,
  options: { lesson: string | null; sort: BoardSort; anonymous: boolean; anonymousName(number: number): string; serverNow: number },
): BoardRow[] {
  const numbers = options.anonymous ? anonymousNumbers(board.code, board.members) : null;
  const rows = board.members.map((member): BoardRow => {
    const results = new Map(
      member.results
        .filter((result) => options.lesson === null || result.lesson === options.lesson)
        .map((result) => [resultKey(result.lesson, result.exercise), result]),
    );
    const idleMinutes = Math.max(0, Math.floor((options.serverNow - member.lastActiveMs) / 60_000));
    return {
      member,
      shownName: numbers ? options.anonymousName(numbers.get(member.id)!) : member.name,
      presence: presenceOf(member, idleMinutes),
      done: [...results.values()].filter((result) => result.passedMs !== null).length,
      idleMinutes,
      results,
    };
  });
  const byName = (a: BoardRow, b: BoardRow) => NAMES_IN_ORDER.compare(a.shownName, b.shownName);
  const compare: Record<BoardSort, (a: BoardRow, b: BoardRow) => number> = {
    joined: (a, b) => a.member.joinedMs - b.member.joinedMs || a.member.id - b.member.id,
    name: byName,
    done: (a, b) => b.done - a.done || byName(a, b),
    idle: (a, b) => b.idleMinutes - a.idleMinutes || byName(a, b),
  };
  return rows.sort(compare[options.sort]);
}
