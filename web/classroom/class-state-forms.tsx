import { useState, type FormEvent } from 'react';
import { NOTICE_MAX, TIMER_MAX_MINUTES, type ClassStatus, type ClassTimer } from '../../contracts/class-channel/messages.ts';
import { useStrings } from '../kit/lang-context.ts';
import type { ClassStateActions } from './class-state-actions.ts';
import { classroomStrings } from './strings.ts';
import { timeLeftText } from './timer-text.ts';
import { useTimeLeft } from './use-time-left.ts';

/** The message every student's page shows: send one, and the one shown now with Take down. */
export function NoticeForm({ status, actions }: { status: ClassStatus; actions: ClassStateActions }) {
  const t = useStrings(classroomStrings);
  const [text, setText] = useState('');
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    actions.notice(text);
    setText('');
  };
  return (
    <>
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
    </>
  );
}

/** The class timer: start it for some minutes, the time left (on the server's clock), Stop. */
export function TimerForm({ status, serverClockOffset, actions }: { status: ClassStatus; serverClockOffset: number; actions: ClassStateActions }) {
  const t = useStrings(classroomStrings);
  const [minutes, setMinutes] = useState('10');
  const start = (event: FormEvent) => {
    event.preventDefault();
    actions.timer(Number(minutes));
  };
  return (
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
