import { useState, type FormEvent } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { NOTICE_MAX, TIMER_MAX_MINUTES, type ClassStatus, type ClassTimer } from '../../contracts/class-channel/messages.ts';
import { classroomStrings } from './strings.ts';
import { timeLeftText } from './timer-text.ts';
import { useTimeLeft } from './use-time-left.ts';
import { AssignmentPanel } from './assignment-panel.tsx';

/** What the teacher can set of a class's state (the server answers with a new board, or an error). */
export interface ClassStateActions {
  end(): void;
  reopen(): void;
  notice(text: string | null): void;
  timer(minutes: number | null): void;
  resetData(): void;
  assign(lesson: string | null, exercise: string | null): void;
  freeze(on: boolean): void;
}

/**
 * The class's state on the teacher's desk: end or reopen the class (ending asks first), the
 * message every student's page shows, and the timer — each as the board last said.
 * `serverClockOffset`: the server's clock minus this browser's, from the board.
 */
export function ClassStatePanel({ status, serverClockOffset, actions }: { status: ClassStatus; serverClockOffset: number; actions: ClassStateActions }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const [text, setText] = useState('');
  const [minutes, setMinutes] = useState('10');

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    actions.notice(text);
    setText('');
  };
  const start = (event: FormEvent) => {
    event.preventDefault();
    actions.timer(Number(minutes));
  };

  return (
    <div className="class-state" data-testid="class-state" data-ended={status.endedMs !== null}>
      {status.endedMs !== null ? (
        <p className="cell-message cell-message-warning" data-testid="class-ended">
          {t.classEndedNote(new Date(status.endedMs).toLocaleTimeString(lang === 'ru' ? 'ru-RU' : 'en-GB', { hour: '2-digit', minute: '2-digit' }))}{' '}
          <button type="button" className="button" data-testid="class-reopen" onClick={actions.reopen}>
            {t.reopenClass}
          </button>
        </p>
      ) : confirmEnd ? (
        <ConfirmGroup
          testId="class-end-confirm"
          question={t.endConfirm}
          yesTestId="class-end-yes"
          yes={t.endYes}
          cancel={t.cancel}
          onYes={actions.end}
          onDone={() => setConfirmEnd(false)}
        />
      ) : (
        <p>
          <button type="button" className="button" data-testid="class-end" onClick={() => setConfirmEnd(true)}>
            {t.endClass}
          </button>
        </p>
      )}
      {confirmReset ? (
        <ConfirmGroup
          testId="class-reset-confirm"
          question={t.resetDataConfirm}
          yesTestId="class-reset-yes"
          yes={t.resetDataYes}
          cancel={t.cancel}
          onYes={actions.resetData}
          onDone={() => setConfirmReset(false)}
        />
      ) : (
        <p>
          <button type="button" className="button" data-testid="class-reset-data" onClick={() => setConfirmReset(true)} title={t.resetDataHint}>
            {t.resetDataAll}
          </button>
        </p>
      )}
      <p>
        {status.frozenMs !== null && (
          <span className="cell-message cell-message-warning" data-testid="class-frozen">
            {t.frozenNote}
          </span>
        )}{' '}
        <button
          type="button"
          className="button"
          data-testid="class-freeze"
          data-frozen={status.frozenMs !== null}
          title={t.freezeHint}
          onClick={() => actions.freeze(status.frozenMs === null)}
        >
          {status.frozenMs === null ? t.freeze : t.unfreeze}
        </button>
      </p>
      <form className="class-inline-form" onSubmit={send}>
        <label htmlFor="class-notice-input">{t.noticeLabel}</label>
        <input
          id="class-notice-input"
          data-testid="class-notice-input"
          value={text}
          maxLength={NOTICE_MAX}
          placeholder={t.noticePlaceholder}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button button-primary" data-testid="class-notice-send">
          {t.noticeSend}
        </button>
      </form>
      {status.notice && (
        <p className="class-notice-current" data-testid="class-notice-current">
          {t.noticeShown} «<span>{status.notice.text}</span>»{' '}
          <button type="button" className="button button-quiet" data-testid="class-notice-take-down" onClick={() => actions.notice(null)}>
            {t.noticeTakeDown}
          </button>
        </p>
      )}
      <AssignmentPanel assignment={status.assignment} assign={actions.assign} />
      <form className="class-inline-form" onSubmit={start}>
        <label htmlFor="class-timer-minutes">{t.timerLabel}</label>
        <input
          id="class-timer-minutes"
          data-testid="class-timer-minutes"
          type="number"
          min={1}
          max={TIMER_MAX_MINUTES}
          step={1}
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
          required
        />
        <button type="submit" className="button" data-testid="class-timer-start">
          {t.timerStart}
        </button>
        {status.timer && (
          <>
            <TeacherTimer timer={status.timer} offset={serverClockOffset} />
            <button type="button" className="button button-quiet" data-testid="class-timer-stop" onClick={() => actions.timer(null)}>
              {t.timerStop}
            </button>
          </>
        )}
      </form>
    </div>
  );
}

function TeacherTimer({ timer, offset }: { timer: ClassTimer; offset: number }) {
  const t = useStrings(classroomStrings);
  const left = useTimeLeft(timer, offset);
  return (
    <span className="class-timer-left" role="timer" data-testid="class-timer-left">
      {left > 0 ? t.timerLeft(timeLeftText(left)) : t.timerUp}
    </span>
  );
}

/** "Are you sure?" in place of a button that acts on the whole class: yes acts, Escape or Cancel do not. */
function ConfirmGroup({
  testId,
  question,
  yesTestId,
  yes,
  cancel,
  onYes,
  onDone,
}: {
  testId: string;
  question: string;
  yesTestId: string;
  yes: string;
  cancel: string;
  onYes(): void;
  onDone(): void;
}) {
  return (
    <div className="cell-message cell-message-warning" role="group" data-testid={testId} onKeyDown={(event) => event.key === 'Escape' && onDone()}>
      <span>{question}</span>{' '}
      <button
        type="button"
        className="button button-danger"
        data-testid={yesTestId}
        autoFocus
        onClick={() => {
          onYes();
          onDone();
        }}
      >
        {yes}
      </button>
      <button type="button" className="button" onClick={onDone}>
        {cancel}
      </button>
    </div>
  );
}
