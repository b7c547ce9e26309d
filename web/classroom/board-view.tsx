import { useMemo, useState } from 'react';
import lessonIndex from 'virtual:wirelab-lesson-index';
import exerciseTitles from 'virtual:wirelab-exercise-titles';
import type { CheckedProtocol } from '../../contracts/own-server/check-result.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { BoardMemberRow, type BoardLayout } from './board-member-row.tsx';
import { boardRows, type BoardSort } from './board-rows.ts';
import { formatCode, type Board } from './class-protocol.ts';
import type { MemberControls } from './member-actions.tsx';
import { classroomStrings } from './strings.ts';
import { useBoardLesson, useHalfMinuteTick } from './use-board-lesson.ts';

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
  // an exercise assigned to everyone: the board turns to its lesson, its column marked
  const assigned = board.status.assignment;
  const [lesson, setLesson] = useBoardLesson(assigned);
  const [sort, setSort] = useState<BoardSort>('joined');
  const [showRejoin, setShowRejoin] = useState(false);
  useHalfMinuteTick();

  const serverNow = board.now + (Date.now() - receivedAt);
  const rows = useMemo(
    () => boardRows(board, { lesson, sort, anonymous, anonymousName: t.student, serverNow }),
    [board, lesson, sort, anonymous, t, serverNow],
  );
  const layout = boardLayout(board, { lesson, showRejoin, anonymous });

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
            <BoardHead layout={layout} setLesson={setLesson} withActions={controls !== undefined} />
            <tbody>
              {rows.map((row) => (
                <BoardMemberRow key={row.member.id} row={row} layout={layout} controls={controls} onOpenMember={onOpenMember} onOpenServer={onOpenServer} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The board's columns: the chosen lesson's exercises, or on "all lessons" one per lesson somebody has tried. */
function boardLayout(board: Board, shown: Pick<BoardLayout, 'lesson' | 'showRejoin' | 'anonymous'>): BoardLayout {
  const { lesson } = shown;
  const lessons = lessonIndex.filter((entry) => entry.exercises.length > 0);
  const columns: string[] = lesson === null ? [] : (lessons.find((entry) => entry.slug === lesson)?.exercises ?? []);
  // All lessons: one column per lesson somebody has tried, its exercises done out of all.
  const tried = new Set(board.members.flatMap((member) => member.results.map((result) => result.lesson)));
  return {
    ...shown,
    columns,
    lessonColumns: lesson === null ? lessons.filter((entry) => tried.has(entry.slug)) : [],
    assigned: board.status.assignment,
    // the own-server column only once somebody ran a suite: the board stays narrow until then
    anyServer: board.members.some((member) => member.servers.length > 0),
  };
}

/** The board's header row: the fixed columns, then one per exercise of the chosen lesson or one per lesson tried. */
function BoardHead({ layout, setLesson, withActions }: { layout: BoardLayout; setLesson(lesson: string | null): void; withActions: boolean }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const { columns, lesson, lessonColumns, assigned, anyServer, showRejoin, anonymous } = layout;
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
