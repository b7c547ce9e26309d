import { CSV_BOM, csvCell } from '../../../shared/csv-cell.ts';
import { serverCellLabel, type BoardMember } from '../../../contracts/class-channel/messages.ts';
import type { Board } from '../../../contracts/class-channel/messages.ts';
import { missReasons } from '../../../contracts/exercise-checks/miss-reason.ts';

export const BOARD_CSV_COLUMNS = [
  'name',
  'lesson',
  'exercise',
  'passed',
  'attempts',
  'passed_at',
  'last_attempt_at',
  'joined_at',
  'last_active_at',
  'own_server',
  'misses',
  'misses_ru',
] as const;

/** "REST 34/34 ✓; gRPC 7/10 (failed: deadline-exceeded health-serving)": the student's latest run per protocol. */
export function ownServerText(member: Pick<BoardMember, 'servers'>): string {
  return member.servers
    .map(
      (cell) =>
        `${serverCellLabel(cell)}${cell.failedIds.length > 0 ? ` (failed: ${cell.failedIds.join(' ')})` : ''}${cell.targetIsWirelab ? ' (Wirelab itself)' : ''}`,
    )
    .join('; ');
}

const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

/**
 * One row per student and exercise they tried (a student who tried none: one row with empty
 * lesson and exercise; every row of a student carries their own server's latest checks; `misses`
 * and `misses_ru` say what each counted miss was, "; " between them), RFC 4180 with CRLF, after a UTF-8 byte order mark (Excel reads the names
 * as UTF-8 only with it). Cells are quoted by shared/csv-cell.ts (formulas defused).
 */
export function boardToCsv(board: Board): string {
  const lines = [BOARD_CSV_COLUMNS.join(',')];
  for (const member of board.members) {
    const common = [iso(member.joinedMs), iso(member.lastActiveMs), ownServerText(member)];
    if (member.results.length === 0) lines.push(row([member.name, '', '', '', '', '', '', ...common, '', '']));
    for (const result of member.results) {
      lines.push(
        row([
          member.name,
          result.lesson,
          result.exercise,
          result.passedMs === null ? 'no' : 'yes',
          String(result.attempts),
          iso(result.passedMs),
          iso(result.lastMs),
          ...common,
          missReasons(result.misses ?? [], 'en'),
          missReasons(result.misses ?? [], 'ru'),
        ]),
      );
    }
  }
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

function row(cells: string[]): string {
  return cells.map(csvCell).join(',');
}
