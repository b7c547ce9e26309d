import { useEffect, useMemo, useState } from 'react';
import lessonIndex from 'virtual:wirelab-lesson-index';
import exerciseTitles from 'virtual:wirelab-exercise-titles';
import { useLang, useStrings } from '../kit/lang-context.ts';
import type { Board, BoardResult } from './class-protocol.ts';
import { serverCellLabel, type ServerCheckCell } from '../../contracts/class-channel/messages.ts';
import type { CheckedProtocol } from '../../contracts/own-server/check-result.ts';
import { boardRows, resultKey, type BoardSort } from './board-rows.ts';
import { formatCode } from './class-protocol.ts';
import { MemberActions, type MemberControls } from './member-actions.tsx';
import { classroomStrings } from './strings.ts';

/**
 * The teacher's live board: who is here, who follows, and every exercise's state per student;
 * with `controls`, each named row can be renamed or removed, and with `onOpenMember` a name opens
 * the student's attempts (never while names are hidden).
 */
export function BoardView({
  board,
  receivedAt,
  controls,
  onOpenMember,
  onOpenServer,
  anonymous,
  setAnonymous,
}: {
  board: Board;
  receivedAt: number;
  /** names hidden (the projector): the desk holds it, so its panels and history hide them too */
  anonymous: boolean;
  setAnonymous(on: boolean): void;
  controls?: MemberControls;
  onOpenMember?(memberId: number): void;
  /** a student's "check my server" cell opens that run's details (never while names are hidden) */
  onOpenServer?(memberId: number, protocol: CheckedProtocol): void;
}) {
  const t = useStrings(classroomStrings);
  const [lesson, setLesson] = useState<string | null>(null);
  const [sort, setSort] = useState<BoardSort>('joined');
  const [showRejoin, setShowRejoin] = useState(false);
  const [, tick] = useState(0);
  // an exercise assigned to everyone: the board turns to its lesson, its column marked
  const assigned = board.status.assignment;
  const assignedKey = assigned ? `${assigned.lesson}/${assigned.exercise}/${assigned.sentMs}` : '';
  useEffect(() => {
    if (assigned) setLesson(assigned.lesson);
    // keyed by the assignment, not the board object: a board push must not undo the teacher's own choice of lesson
  }, [assignedKey]);

  // idle times move on between board updates
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);

  const serverNow = board.now + (Date.now() - receivedAt);
  const rows = useMemo(
    () => boardRows(board, { lesson, sort, anonymous, anonymousName: t.student, serverNow }),
    [board, lesson, sort, anonymous, t, serverNow],
  );
  const lessons = lessonIndex.filter((entry) => entry.exercises.length > 0);
  // the own-server column only once somebody ran a suite: the board stays narrow until then
  const anyServer = board.members.some((member) => member.servers.length > 0);
  const columns: string[] = lesson === null ? [] : (lessons.find((entry) => entry.slug === lesson)?.exercises ?? []);
  // All lessons: one column per lesson somebody has tried, its exercises done out of all.
  const tried = new Set(board.members.flatMap((member) => member.results.map((result) => result.lesson)));
  const lessonColumns = lesson === null ? lessons.filter((entry) => tried.has(entry.slug)) : [];

  return (
    <section className="class-board" data-testid="class-board" aria-label={`${t.board} ${formatCode(board.code)}`}>
      <BoardTools
        lesson={lesson}
        setLesson={setLesson}
        sort={sort}
        setSort={setSort}
        anonymous={anonymous}
        setAnonymous={setAnonymous}
        showRejoin={showRejoin}
        setShowRejoin={setShowRejoin}
      />
      {rows.length === 0 ? (
        <p className="muted">{t.nobodyYet}</p>
      ) : (
        <div className="class-board-scroll">
          <table className="class-board-table">
            <BoardHead
              columns={columns}
              lesson={lesson}
              setLesson={setLesson}
              lessonColumns={lessonColumns}
              assigned={assigned}
              anyServer={anyServer}
              showRejoin={showRejoin}
              anonymous={anonymous}
              withActions={controls !== undefined}
            />
            <tbody>
              {rows.map((row) => (
                <tr key={row.member.id} data-testid="board-row" data-name={anonymous ? undefined : row.member.name} data-done={row.done}>
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
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The board's header row: the fixed columns, then one per exercise of the chosen lesson or one per lesson tried. */
function BoardHead({
  columns,
  lesson,
  setLesson,
  lessonColumns,
  assigned,
  anyServer,
  showRejoin,
  anonymous,
  withActions,
}: {
  columns: string[];
  lesson: string | null;
  setLesson(lesson: string | null): void;
  lessonColumns: typeof lessonIndex;
  assigned: Board['status']['assignment'];
  anyServer: boolean;
  showRejoin: boolean;
  anonymous: boolean;
  withActions: boolean;
}) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  return (
    <thead>
      <tr>
        <th scope="col">{t.colName}</th>
        <th scope="col">{t.colState}</th>
        <th scope="col">{t.colDone}</th>
        <th scope="col">{t.colIdle}</th>
        {anyServer && <th scope="col">{t.colServer}</th>}
        {columns.map((exercise) => {
          const title = exerciseTitles[lesson!]?.[lang][exercise] ?? exercise;
          const isAssigned = assigned?.lesson === lesson && assigned.exercise === exercise;
          return (
            <th
              key={exercise}
              scope="col"
              className={`class-board-column ${isAssigned ? 'is-assigned' : ''}`}
              data-testid="board-exercise-column"
              data-exercise={exercise}
              data-assigned={isAssigned}
              aria-current={isAssigned ? 'true' : undefined}
              title={title}
            >
              <span className="class-board-column-label">{title}</span>
            </th>
          );
        })}
        {lessonColumns.map((entry) => (
          <th key={entry.slug} scope="col" className="class-board-column" title={entry.headline[lang].title}>
            <button type="button" className="link-button class-board-column-label" onClick={() => setLesson(entry.slug)}>
              {entry.headline[lang].title}
            </button>
          </th>
        ))}
        {showRejoin && !anonymous && <th scope="col">{t.rejoinCode}</th>}
        {withActions && !anonymous && (
          <th scope="col">
            <span className="visually-hidden">{t.colActions}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}

interface BoardToolsProps {
  lesson: string | null;
  setLesson(lesson: string | null): void;
  sort: BoardSort;
  setSort(sort: BoardSort): void;
  anonymous: boolean;
  setAnonymous(on: boolean): void;
  showRejoin: boolean;
  setShowRejoin(on: boolean): void;
}

/** The board's lesson filter, sort, hidden names and rejoin codes. */
function BoardTools({ lesson, setLesson, sort, setSort, anonymous, setAnonymous, showRejoin, setShowRejoin }: BoardToolsProps) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const lessons = lessonIndex.filter((entry) => entry.exercises.length > 0);
  return (
    <div className="class-board-tools">
      <label>
        {t.filterLesson}{' '}
        <select data-testid="board-lesson" value={lesson ?? ''} onChange={(event) => setLesson(event.target.value || null)}>
          <option value="">{t.allLessons}</option>
          {lessons.map((entry) => (
            <option key={entry.slug} value={entry.slug}>
              {entry.headline[lang].title}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.sortBy}{' '}
        <select data-testid="board-sort" value={sort} onChange={(event) => setSort(event.target.value as BoardSort)}>
          <option value="joined">{t.sortJoined}</option>
          <option value="name">{t.sortName}</option>
          <option value="done">{t.sortDone}</option>
          <option value="idle">{t.sortIdle}</option>
        </select>
      </label>
      <label>
        <input type="checkbox" data-testid="board-anonymous" checked={anonymous} onChange={(event) => setAnonymous(event.target.checked)} /> {t.anonymous}
      </label>
      {!anonymous && (
        <label>
          <input type="checkbox" checked={showRejoin} onChange={(event) => setShowRejoin(event.target.checked)} /> {t.showRejoin}
        </label>
      )}
    </div>
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
  const state = !result ? 'none' : result.passedMs !== null ? 'passed' : 'failing';
  const text = !result ? t.notTriedCell : result.passedMs !== null ? t.passedCell(result.attempts) : t.failingCell(result.attempts);
  return (
    <td className={`class-result is-${state} ${assigned ? 'is-assigned' : ''}`} data-testid="board-result" data-exercise={id} data-state={state} title={text}>
      <span aria-hidden="true">{state === 'passed' ? '✓' : state === 'failing' ? `✗${result!.attempts}` : '·'}</span>
      <span className="visually-hidden">{text}</span>
    </td>
  );
}
