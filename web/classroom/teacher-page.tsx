import { useEffect, useState, type FormEvent } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import { BoardView } from './board-view.tsx';
import { anonymousNumbers } from './board-rows.ts';
import { ClassStatePanel } from './class-state-panel.tsx';
import { CompleteStartersDownload } from './complete-starters-download.tsx';
import { ClassHistoryPanel } from './class-history-panel.tsx';
import { MemberAttemptsPanel } from './member-attempts-panel.tsx';
import { formatCode } from './class-protocol.ts';
import { isLocalHostname, joinCardPath, joinUrl, studentOrigins } from './join-card.ts';
import { NoTeacherKey } from './no-teacher-key.tsx';
import { QrCode } from './qr-code.tsx';
import { ServerChecksPanel } from './server-checks-panel.tsx';
import { takeTeacherKey } from './teacher-class.ts';
import { classroomStrings, type ClassErrorCode } from './strings.ts';
import { useTeacherDesk, type TeacherDesk as Desk } from './use-teacher-desk.ts';
import './classroom.css';

/** Refusals of a new class, shown under its form; the others (a rename, a removal) above the board. */
const CLASS_LIST_ERRORS = new Set<ClassErrorCode>(['BAD_TITLE', 'TOO_MANY_CLASSES']);

/** `/en/class/teach#key=…`: the teacher's classes, a class's code, join link and QR code, and its board. */
export function TeacherPage() {
  const t = useStrings(classroomStrings);
  const app = useStrings(appStrings);
  const [key] = useState(takeTeacherKey);

  useEffect(() => {
    document.title = `${t.teacherTitle} — ${app.appName}`;
  }, [t, app]);

  if (!key) return <NoTeacherKey title={t.teacherTitle} />;
  return <TeacherDesk teacherKey={key} />;
}

/** The desk: the class list beside the open class (its state lives in use-teacher-desk.ts). */
function TeacherDesk({ teacherKey }: { teacherKey: string }) {
  const t = useStrings(classroomStrings);
  const desk = useTeacherDesk(teacherKey);
  const { state } = desk;

  if (state.status === 'refused') {
    return (
      <div className="class-page">
        <h1>{t.teacherTitle}</h1>
        <p className="cell-message cell-message-error" role="alert" data-testid="class-key-refused">
          {t.keyRefused}
        </p>
      </div>
    );
  }
  return (
    <div className="class-page class-page-wide" data-testid="class-teacher" data-status={state.status}>
      <h1>{t.teacherTitle}</h1>
      {state.status === 'limited' && (
        <p className="cell-message cell-message-warning" role="alert" data-testid="class-key-limited">
          {t.keyLimited(state.limitedForS ?? 60)}
        </p>
      )}
      {state.status !== 'ready' && state.status !== 'limited' && (
        <p className="muted" data-testid="class-desk-connecting" data-restarting={state.serverRestarting}>
          {state.serverRestarting ? t.serverRestarting : t.connecting}
        </p>
      )}
      <div className="class-desk">
        <ClassList desk={desk} />
        {desk.selected && <ClassDetail desk={desk} code={desk.selected} />}
      </div>
      <CompleteStartersDownload teacherKey={teacherKey} />
    </div>
  );
}

/** The teacher's classes, each with its member count, and the form for a new one. */
function ClassList({ desk }: { desk: Desk }) {
  const t = useStrings(classroomStrings);
  const { state, selected } = desk;
  const [title, setTitle] = useState('');
  const create = (event: FormEvent) => {
    event.preventDefault();
    desk.createClass(title);
    setTitle('');
  };
  return (
    <aside className="class-list">
      <h2>{t.classes}</h2>
      {desk.deletedTitle && !selected && (
        <p className="muted" role="status" data-testid="class-deleted">
          {t.classDeleted(desk.deletedTitle)}
        </p>
      )}
      {state.classes.length === 0 && <p className="muted">{t.noClasses}</p>}
      <ul>
        {state.classes.map((entry) => (
          <li key={entry.code}>
            <button
              type="button"
              className={`link-button ${entry.code === selected ? 'is-current' : ''}`}
              data-testid="class-open"
              data-code={entry.code}
              onClick={() => desk.select(entry.code)}
            >
              {entry.title} · <code>{formatCode(entry.code)}</code>
            </button>{' '}
            {entry.endedMs !== null && (
              <span className="class-ended-badge" data-testid="class-ended-badge">
                {t.classEndedBadge}
              </span>
            )}{' '}
            {/* the watched class counts from its live board; the others as the server last said */}
            <span className="muted" data-testid="class-members">
              {t.members(entry.code === state.board?.code ? state.board.members.length : entry.members)}
            </span>
          </li>
        ))}
      </ul>
      <form className="class-form" onSubmit={create}>
        <label htmlFor="class-title">{t.newClassTitle}</label>
        <input
          id="class-title"
          data-testid="class-title-input"
          value={title}
          placeholder={t.newClassPlaceholder}
          onChange={(e) => setTitle(e.target.value)}
          maxLength={80}
          required
        />
        <button type="submit" className="button button-primary" data-testid="class-create" disabled={state.status !== 'ready'}>
          {t.createClass}
        </button>
        {state.error && CLASS_LIST_ERRORS.has(state.error) && <p className="cell-message cell-message-error">{t.errors[state.error]}</p>}
      </form>
    </aside>
  );
}

/** The open class: how to join, its actions, its state, the panels opened from the board, the board and its history. */
function ClassDetail({ desk, code }: { desk: Desk; code: string }) {
  const t = useStrings(classroomStrings);
  const { state, boardAt } = desk;
  // "Hide names (for the projector)": the board, the open panels and the history all follow it
  const [namesHidden, setNamesHidden] = useState(false);
  const board = state.board;
  const numbers = board && namesHidden ? anonymousNumbers(board.code, board.members) : null;
  const shownName = (memberId: number, name: string): string => (numbers ? t.student(numbers.get(memberId) ?? 0) : name);
  const selectedClass = state.classes.find((candidate) => candidate.code === code);
  const title = selectedClass?.title ?? formatCode(code);
  const openedMember = state.board?.members.find((member) => member.id === desk.openMember);
  const server = state.serverChecks;
  const serverOpen = server && desk.openServer && server.memberId === desk.openServer.memberId && server.protocol === desk.openServer.protocol;
  return (
    <div className="class-detail">
      <h2>{title}</h2>
      <JoinCard code={code} desk={desk} />
      <ClassActions desk={desk} code={code} title={title} />
      <p className="muted">{t.leadHint}</p>
      {state.error && !CLASS_LIST_ERRORS.has(state.error) && (
        <p className="cell-message cell-message-error" role="alert" data-testid="class-error">
          {t.errors[state.error]}
        </p>
      )}
      {state.board && desk.stateActions && (
        <ClassStatePanel status={state.board.status} serverClockOffset={state.board.now - boardAt} actions={desk.stateActions} />
      )}
      {state.board && state.attempts && desk.openMember === state.attempts.memberId && (
        <MemberAttemptsPanel
          attempts={state.attempts}
          member={openedMember}
          shownName={shownName(state.attempts.memberId, openedMember?.name ?? state.attempts.name)}
          serverNow={state.board.now + (Date.now() - boardAt)}
          onClose={desk.closeAttempts}
        />
      )}
      {state.board && serverOpen && <ServerChecksPanel checks={server} shownName={shownName(server.memberId, server.name)} onClose={desk.closeServerChecks} />}
      {state.board && (
        <BoardView
          board={state.board}
          receivedAt={boardAt}
          controls={desk.memberControls}
          onOpenMember={desk.setOpenMember}
          onOpenServer={desk.openServerChecks}
          anonymous={namesHidden}
          setAnonymous={setNamesHidden}
        />
      )}
      {state.board && <ClassHistoryPanel history={state.board.history} namesHidden={namesHidden} />}
    </div>
  );
}

/** Where students join: the address, the code in large, the link and its QR code. */
function JoinCard({ code, desk }: { code: string; desk: Desk }) {
  const t = useStrings(classroomStrings);
  const { state } = desk;
  const local = isLocalHostname(window.location.hostname);
  const origins = studentOrigins({
    publicOrigin: state.publicOrigin,
    lanOrigins: state.lanOrigins,
    pageOrigin: window.location.origin,
    pageHostname: window.location.hostname,
  });
  const joinLink = joinUrl(origins[0], code);
  return (
    <div className="class-join-card">
      <div>
        <p className="class-join-label">
          {t.joinAt}{' '}
          <strong className="class-join-url" data-testid="class-join-url">
            {origins[0]}
          </strong>{' '}
          {t.andEnter}
        </p>
        <p className="class-code-big" data-testid="class-code" data-code={code}>
          {formatCode(code)}
        </p>
        <p className="class-join-link">
          <a href={joinLink}>{joinLink}</a>
        </p>
        {origins.length > 1 && <p className="muted">{origins.slice(1).join(' · ')}</p>}
        {local && <p className="muted">{t.lanHint}</p>}
      </div>
      <QrCode text={joinLink} label={joinLink} />
    </div>
  );
}

/** Lead, print the card, export, delete (after a confirmation). */
function ClassActions({ desk, code, title }: { desk: Desk; code: string; title: string }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const selectedClass = desk.state.classes.find((candidate) => candidate.code === code);
  return (
    <>
      <p className="class-actions">
        <button type="button" className="button button-primary" data-testid="class-lead" onClick={desk.lead} title={t.leadHint}>
          {t.leadClass}
        </button>
        <Link className="button" href={joinCardPath(lang, code)} data-testid="class-print-card" title={t.printCardHint}>
          {t.printCard}
        </Link>
        <button type="button" className="button" data-testid="class-export-csv" onClick={() => void desk.exportAs('csv')}>
          {t.exportCsv}
        </button>
        <button type="button" className="button" data-testid="class-export-json" onClick={() => void desk.exportAs('json')}>
          {t.exportJson}
        </button>
        <button
          type="button"
          className="button button-danger"
          data-testid="class-delete"
          onClick={() => desk.setConfirmDelete(true)}
          aria-expanded={desk.confirmDelete}
        >
          {t.deleteClass}
        </button>
      </p>
      {desk.confirmDelete && (
        <div
          className="class-delete-confirm cell-message cell-message-warning"
          role="group"
          data-testid="class-delete-confirm"
          onKeyDown={(event) => event.key === 'Escape' && desk.setConfirmDelete(false)}
        >
          <span>{t.deleteConfirm(title, desk.state.board?.members.length ?? selectedClass?.members ?? 0)}</span>
          <button type="button" className="button button-danger" data-testid="class-delete-yes" onClick={() => desk.deleteSelected(title)} autoFocus>
            {t.deleteYes}
          </button>
          <button type="button" className="button" onClick={() => desk.setConfirmDelete(false)}>
            {t.cancel}
          </button>
        </div>
      )}
    </>
  );
}
