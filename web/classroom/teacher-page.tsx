import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useLang, useStrings } from '../app/lang-context.ts';
import { Link, navigate } from '../app/router.tsx';
import { appStrings } from '../app/strings.ts';
import { downloadBytes } from '../inspector/download-file.ts';
import { BoardView } from './board-view.tsx';
import { ClassStatePanel } from './class-state-panel.tsx';
import { ClassHistoryPanel } from './class-history-panel.tsx';
import { MemberAttemptsPanel } from './member-attempts-panel.tsx';
import { formatCode } from './class-protocol.ts';
import { isLocalHostname, joinCardPath, joinUrl, studentOrigins } from './join-card.ts';
import { NoTeacherKey } from './no-teacher-key.tsx';
import { QrCode } from './qr-code.tsx';
import { forgetTeacherKey, startLeading, takeTeacherKey, TeacherChannel, useTeacherChannel } from './teacher-class.ts';
import { classroomStrings, type ClassErrorCode } from './strings.ts';
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

function TeacherDesk({ teacherKey }: { teacherKey: string }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const channel = useMemo(() => new TeacherChannel(teacherKey), [teacherKey]);
  const state = useTeacherChannel(channel);
  const [selected, setSelected] = useState<string | null>(() => new URLSearchParams(window.location.search).get('class'));
  const [title, setTitle] = useState('');
  const [boardAt, setBoardAt] = useState(() => Date.now());

  useEffect(() => {
    channel.start();
    return () => channel.stop();
  }, [channel]);
  useEffect(() => channel.watch(selected), [channel, selected]);
  useEffect(() => setBoardAt(Date.now()), [state.board]);
  useEffect(() => {
    if (state.created) setSelected(state.created);
  }, [state.created]);
  const [deletedTitle, setDeletedTitle] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  useEffect(() => {
    if (!state.deleted) return;
    setConfirmDelete(false);
    setSelected((current) => (current === state.deleted ? null : current));
  }, [state.deleted]);
  const memberControls = useMemo(
    () =>
      selected
        ? { rename: (memberId: number, name: string) => channel.renameMember(selected, memberId, name), remove: (memberId: number) => channel.removeMember(selected, memberId) }
        : undefined,
    [channel, selected],
  );
  useEffect(() => {
    if (state.status === 'refused') forgetTeacherKey();
  }, [state.status]);
  const stateActions = useMemo(
    () =>
      selected
        ? {
            end: () => channel.endClass(selected),
            reopen: () => channel.reopenClass(selected),
            notice: (text: string | null) => channel.notice(selected, text),
            timer: (minutes: number | null) => channel.timer(selected, minutes),
            resetData: () => channel.resetData(selected),
            freeze: (on: boolean) => channel.freeze(selected, on),
            assign: (lesson: string | null, exercise: string | null) => channel.assign(selected, lesson, exercise),
          }
        : undefined,
    [channel, selected],
  );
  // One student's attempts: asked again whenever their results change on the board
  const [openMember, setOpenMember] = useState<number | null>(null);
  const openedMember = state.board?.members.find((member) => member.id === openMember);
  const openedResults = openedMember ? JSON.stringify(openedMember.results) : '';
  useEffect(() => setOpenMember(null), [selected]);
  // a student removed while their attempts are open: the panel closes
  useEffect(() => {
    if (openMember !== null && state.board && !openedMember) setOpenMember(null);
  }, [openMember, state.board, openedMember]);
  useEffect(() => {
    if (selected && openMember !== null) channel.memberAttempts(selected, openMember);
  }, [channel, selected, openMember, openedResults]);
  const closeAttempts = () => {
    setOpenMember(null);
    channel.closeAttempts();
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    channel.createClass(title);
    setTitle('');
  };

  const exportAs = async (format: 'csv' | 'json') => {
    if (!selected) return;
    const text = await channel.export(selected, format);
    downloadBytes(new TextEncoder().encode(text), `wirelab-class-${selected}.${format}`, format === 'csv' ? 'text/csv' : 'application/json');
  };

  const lead = () => {
    if (!selected) return;
    startLeading(selected);
    navigate(`/${lang}/`);
  };

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

  const selectedClass = state.classes.find((candidate) => candidate.code === selected);
  const deleteSelected = () => {
    if (!selected) return;
    setDeletedTitle(selectedClass?.title ?? formatCode(selected));
    channel.deleteClass(selected);
  };
  const local = isLocalHostname(window.location.hostname);
  const origins = studentOrigins({ publicOrigin: state.publicOrigin, lanOrigins: state.lanOrigins, pageOrigin: window.location.origin, pageHostname: window.location.hostname });
  const joinLink = selected ? joinUrl(origins[0], selected) : '';

  return (
    <div className="class-page class-page-wide" data-testid="class-teacher" data-status={state.status}>
      <h1>{t.teacherTitle}</h1>
      {state.status !== 'ready' && <p className="muted">{t.connecting}</p>}
      <div className="class-desk">
        <aside className="class-list">
          <h2>{t.classes}</h2>
          {deletedTitle && !selected && (
            <p className="muted" role="status" data-testid="class-deleted">
              {t.classDeleted(deletedTitle)}
            </p>
          )}
          {state.classes.length === 0 && <p className="muted">{t.noClasses}</p>}
          <ul>
            {state.classes.map((entry) => (
              <li key={entry.code}>
                <button type="button" className={`link-button ${entry.code === selected ? 'is-current' : ''}`} data-testid="class-open" data-code={entry.code} onClick={() => setSelected(entry.code)}>
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
            <input id="class-title" data-testid="class-title-input" value={title} placeholder={t.newClassPlaceholder} onChange={(e) => setTitle(e.target.value)} maxLength={80} required />
            <button type="submit" className="button button-primary" data-testid="class-create" disabled={state.status !== 'ready'}>
              {t.createClass}
            </button>
            {state.error && CLASS_LIST_ERRORS.has(state.error) && <p className="cell-message cell-message-error">{t.errors[state.error]}</p>}
          </form>
        </aside>
        {selected && (
          <div className="class-detail">
            <h2>{selectedClass?.title ?? formatCode(selected)}</h2>
            <div className="class-join-card">
              <div>
                <p className="class-join-label">
                  {t.joinAt} <strong className="class-join-url" data-testid="class-join-url">{origins[0]}</strong> {t.andEnter}
                </p>
                <p className="class-code-big" data-testid="class-code" data-code={selected}>
                  {formatCode(selected)}
                </p>
                <p className="class-join-link">
                  <a href={joinLink}>{joinLink}</a>
                </p>
                {origins.length > 1 && <p className="muted">{origins.slice(1).join(' · ')}</p>}
                {local && <p className="muted">{t.lanHint}</p>}
              </div>
              <QrCode text={joinLink} label={joinLink} />
            </div>
            <p className="class-actions">
              <button type="button" className="button button-primary" data-testid="class-lead" onClick={lead} title={t.leadHint}>
                {t.leadClass}
              </button>
              <Link className="button" href={joinCardPath(lang, selected)} data-testid="class-print-card" title={t.printCardHint}>
                {t.printCard}
              </Link>
              <button type="button" className="button" data-testid="class-export-csv" onClick={() => void exportAs('csv')}>
                {t.exportCsv}
              </button>
              <button type="button" className="button" data-testid="class-export-json" onClick={() => void exportAs('json')}>
                {t.exportJson}
              </button>
              <button type="button" className="button button-danger" data-testid="class-delete" onClick={() => setConfirmDelete(true)} aria-expanded={confirmDelete}>
                {t.deleteClass}
              </button>
            </p>
            {confirmDelete && (
              <div className="class-delete-confirm cell-message cell-message-warning" role="group" data-testid="class-delete-confirm" onKeyDown={(event) => event.key === 'Escape' && setConfirmDelete(false)}>
                <span>{t.deleteConfirm(selectedClass?.title ?? formatCode(selected), state.board?.members.length ?? selectedClass?.members ?? 0)}</span>
                <button type="button" className="button button-danger" data-testid="class-delete-yes" onClick={deleteSelected} autoFocus>
                  {t.deleteYes}
                </button>
                <button type="button" className="button" onClick={() => setConfirmDelete(false)}>
                  {t.cancel}
                </button>
              </div>
            )}
            <p className="muted">{t.leadHint}</p>
            {state.error && !CLASS_LIST_ERRORS.has(state.error) && <p className="cell-message cell-message-error" role="alert" data-testid="class-error">{t.errors[state.error]}</p>}
            {state.board && stateActions && <ClassStatePanel status={state.board.status} serverClockOffset={state.board.now - boardAt} actions={stateActions} />}
            {state.board && state.attempts && openMember === state.attempts.memberId && (
              <MemberAttemptsPanel attempts={state.attempts} member={openedMember} serverNow={state.board.now + (Date.now() - boardAt)} onClose={closeAttempts} />
            )}
            {state.board && <BoardView board={state.board} receivedAt={boardAt} controls={memberControls} onOpenMember={setOpenMember} />}
            {state.board && <ClassHistoryPanel history={state.board.history} />}
          </div>
        )}
      </div>
    </div>
  );
}
