import { useState } from 'react';
import type { ClassStatus } from '../../contracts/class-channel/messages.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import type { ClassStateActions } from './class-state-actions.ts';
import { classroomStrings } from './strings.ts';

/** End the class (asking first), or, once ended, when it ended and Reopen. */
export function ClassEndControl({ status, actions }: { status: ClassStatus; actions: ClassStateActions }) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const [confirmEnd, setConfirmEnd] = useState(false);
  return status.endedMs !== null ? (
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
  );
}

/** Reset every student's data, asking first. */
export function ResetDataControl({ actions }: { actions: ClassStateActions }) {
  const t = useStrings(classroomStrings);
  const [confirmReset, setConfirmReset] = useState(false);
  return confirmReset ? (
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
  );
}

/** Freeze every student's editors (or let them go on), with a note while frozen. */
export function FreezeControl({ status, actions }: { status: ClassStatus; actions: ClassStateActions }) {
  const t = useStrings(classroomStrings);
  return (
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
