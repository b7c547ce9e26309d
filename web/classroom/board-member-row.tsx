import lessonIndex from 'virtual:wirelab-lesson-index';
import { serverCellLabel, type ServerCheckCell } from '../../contracts/class-channel/messages.ts';
import type { CheckedProtocol } from '../../contracts/own-server/check-result.ts';
import { missReasons } from '../../contracts/exercise-checks/miss-reason.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { resultKey, type BoardRow } from './board-rows.ts';
import { formatCode, type Board, type BoardResult } from './class-protocol.ts';
import { MemberActions, type MemberControls } from './member-actions.tsx';
import { classroomStrings } from './strings.ts';

/** What the board shows as columns, shared by its header and every row. */
export interface BoardLayout {
  /** the chosen lesson's exercises, or none on "all lessons" */
  columns: string[];
  lesson: string | null;
  /** on "all lessons": one column per lesson somebody has tried */
  lessonColumns: typeof lessonIndex;
  assigned: Board['status']['assignment'];
  anyServer: boolean;
  showRejoin: boolean;
  anonymous: boolean;
}

/** Where a student's page is, and why it is not where the teacher is (a follower who waits). */
function MemberPlace({ member }: { member: Board['members'][number] }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const place = member.place;
  const lesson = place && 'lesson' in place ? place.lesson : null;
  const title = lesson ? lessonIndex.find((entry) => entry.slug === lesson)?.headline[lang].title : undefined;
  const where = !place ? t.placeElsewhere : 'capture' in place ? t.placeCapture : lesson === null ? t.placeList : t.placeLesson(title ?? lesson);
  return (
    <span
      className="class-board-place"
      data-testid="board-place"
      data-lesson={lesson ?? ''}
      data-capture={place && 'capture' in place ? place.capture : ''}
      data-waits={member.waits ?? ''}
    >
      {' '}
      · {where}
      {member.waits && <strong className="class-board-waits"> · {t.waitsShort[member.waits]}</strong>}
    </span>
  );
}

/** One student's row of the board: name, presence, done, idle, own-server runs, then a cell per column. */
export function BoardMemberRow({
  row,
  layout,
  controls,
  onOpenMember,
  onOpenServer,
}: {
  row: BoardRow;
  layout: BoardLayout;
  controls?: MemberControls;
  onOpenMember?(memberId: number): void;
  onOpenServer?(memberId: number, protocol: CheckedProtocol): void;
}) {
  const t = useStrings(classroomStrings);
  const { columns, lesson, lessonColumns, assigned, anyServer, showRejoin, anonymous } = layout;
  return (
    <tr data-testid="board-row" data-name={anonymous ? undefined : row.member.name} data-done={row.done}>
      <th scope="row">
        {/* a hidden name opens nothing: the panel would show the real one on the projector */}
        {onOpenMember && !anonymous ? (
          <button
            type="button"
            className="link-button"
            data-testid="board-member-open"
            aria-label={t.openAttempts(row.member.name)}
            onClick={() => onOpenMember(row.member.id)}
          >
            {row.shownName}
          </button>
        ) : (
          row.shownName
        )}
      </th>
      <td className="class-board-presence" data-testid="board-presence" data-presence={row.presence}>
        <span className={`class-dot is-${row.presence}`} aria-hidden="true" /> {t.presence[row.presence]}
        {row.presence !== 'offline' && <span className="muted"> · {row.member.following ? t.followingShort : t.notFollowingShort}</span>}
        {row.presence !== 'offline' && <MemberPlace member={row.member} />}
      </td>
      <td data-testid="board-done">{row.done}</td>
      <td className={row.presence === 'idle' ? 'class-idle' : ''}>{row.presence === 'offline' ? '—' : t.idleFor(row.idleMinutes)}</td>
      {anyServer && (
        <ServerCells
          name={row.member.name}
          cells={row.member.servers}
          onOpen={onOpenServer && !anonymous ? (protocol) => onOpenServer(row.member.id, protocol) : undefined}
        />
      )}
      {columns.map((exercise) => (
        <ResultCell
          key={exercise}
          result={row.results.get(resultKey(lesson!, exercise))}
          id={`${lesson}/${exercise}`}
          assigned={assigned?.lesson === lesson && assigned.exercise === exercise}
        />
      ))}
      {lessonColumns.map((entry) => (
        <LessonCell
          key={entry.slug}
          results={row.member.results.filter((result) => result.lesson === entry.slug)}
          total={entry.exercises.length}
          id={entry.slug}
        />
      ))}
      {showRejoin && !anonymous && (
        <td>
          <code>{formatCode(row.member.rejoinCode)}</code>
        </td>
      )}
      {controls && !anonymous && (
        <td className="class-member-cell">
          <MemberActions memberId={row.member.id} name={row.member.name} controls={controls} />
        </td>
      )}
    </tr>
  );
}

/**
 * A student's latest run per protocol ("REST 34/34 ✓", "gRPC 7/10"): each opens its details, unless
 * names are hidden (the details name the student). A run against Wirelab itself says so.
 */
function ServerCells({ name, cells, onOpen }: { name: string; cells: ServerCheckCell[]; onOpen?(protocol: CheckedProtocol): void }) {
  const t = useStrings(classroomStrings);
  return (
    <td className="class-server-cells" data-testid="board-servers">
      {cells.map((cell) => {
        const label = `${serverCellLabel(cell)}${cell.targetIsWirelab ? ' · Wirelab' : ''}`;
        const state = cell.failed === 0 && cell.passed > 0 ? 'passed' : 'failing';
        const common = {
          className: `class-server-cell is-${state}`,
          'data-testid': 'board-server',
          'data-protocol': cell.protocol,
          'data-state': state,
          'data-wirelab': cell.targetIsWirelab,
          title: t.serverCellTitle(label),
        };
        return onOpen ? (
          <button key={cell.protocol} type="button" {...common} aria-label={t.openServerChecks(name, label)} onClick={() => onOpen(cell.protocol)}>
            {label}
          </button>
        ) : (
          <span key={cell.protocol} {...common}>
            {label}
          </span>
        );
      })}
    </td>
  );
}

function LessonCell({ results, total, id }: { results: BoardResult[]; total: number; id: string }) {
  const t = useStrings(classroomStrings);
  const done = results.filter((result) => result.passedMs !== null).length;
  const misses = results.filter((result) => result.passedMs === null).reduce((sum, result) => sum + result.attempts, 0);
  const state = done === total && total > 0 ? 'passed' : misses > 0 ? 'failing' : 'none';
  return (
    <td className={`class-result is-${state}`} data-testid="board-lesson-result" data-lesson={id} data-done={done} title={t.lessonCell(done, total, misses)}>
      {done}/{total}
      {misses > 0 && <span className="class-misses"> ✗{misses}</span>}
    </td>
  );
}

function ResultCell({ result, id, assigned }: { result: BoardResult | undefined; id: string; assigned: boolean }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const state = !result ? 'none' : result.passedMs !== null ? 'passed' : 'failing';
  const count = !result ? t.notTriedCell : result.passedMs !== null ? t.passedCell(result.attempts) : t.failingCell(result.attempts);
  // what each miss was, as the server judged it (contracts/exercise-checks/miss-reason.ts)
  const reasons = result?.misses?.length ? missReasons(result.misses, lang) : '';
  const text = reasons ? `${count} — ${reasons}` : count;
  return (
    <td className={`class-result is-${state} ${assigned ? 'is-assigned' : ''}`} data-testid="board-result" data-exercise={id} data-state={state} title={text}>
      <span aria-hidden="true">{state === 'passed' ? '✓' : state === 'failing' ? `✗${result!.attempts}` : '·'}</span>
      <span className="visually-hidden">{text}</span>
    </td>
  );
}
