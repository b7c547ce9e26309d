import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { classroomStrings } from './strings.ts';

/** What the teacher can do to one student from the board (the server answers with a new board or an error). */
export interface MemberControls {
  rename(memberId: number, name: string): void;
  remove(memberId: number): void;
}

/**
 * A board row's Rename and Remove. Each opens in place: Rename as a field with Save and Cancel,
 * Remove as a question with its consequence — one click on a projector must never remove a
 * student. Esc cancels either, and focus goes back to the button that opened it.
 */
export function MemberActions({ memberId, name, controls }: { memberId: number; name: string; controls: MemberControls }) {
  const t = useStrings(classroomStrings);
  const [mode, setMode] = useState<'idle' | 'rename' | 'remove'>('idle');
  const [draft, setDraft] = useState(name);
  const opener = useRef<HTMLButtonElement | null>(null);
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);

  useEffect(() => {
    if (mode !== 'idle') first.current?.focus();
  }, [mode]);

  const close = () => {
    setMode('idle');
    // after React has put the buttons back
    setTimeout(() => opener.current?.focus());
  };
  const open = (next: 'rename' | 'remove', button: HTMLButtonElement) => {
    opener.current = button;
    setDraft(name);
    setMode(next);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() && draft.trim() !== name) controls.rename(memberId, draft);
    close();
  };

  if (mode === 'rename') {
    return <RenameForm name={name} draft={draft} setDraft={setDraft} inputRef={first} onSave={save} onCancel={close} onKeyDown={onKeyDown} />;
  }
  if (mode === 'remove') {
    return (
      <RemoveConfirm
        name={name}
        yesRef={first}
        onYes={() => {
          controls.remove(memberId);
          setMode('idle');
        }}
        onCancel={close}
        onKeyDown={onKeyDown}
      />
    );
  }
  return (
    // two small symbols keep the board within the screen beside a lesson's columns; the words are
    // their tooltips and accessible names
    <span className="class-member-actions">
      <button
        type="button"
        className="button"
        data-testid="member-rename"
        aria-label={`${t.rename}: ${name}`}
        title={t.rename}
        onClick={(event) => open('rename', event.currentTarget)}
      >
        <span aria-hidden="true">✎</span>
      </button>
      <button
        type="button"
        className="button"
        data-testid="member-remove"
        aria-label={`${t.remove}: ${name}`}
        title={t.remove}
        onClick={(event) => open('remove', event.currentTarget)}
      >
        <span aria-hidden="true">✕</span>
      </button>
    </span>
  );
}

/** Rename in place: the name as a field, Save and Cancel. */
function RenameForm({
  name,
  draft,
  setDraft,
  inputRef,
  onSave,
  onCancel,
  onKeyDown,
}: {
  name: string;
  draft: string;
  setDraft(draft: string): void;
  inputRef: RefObject<HTMLInputElement | null>;
  onSave(event: FormEvent): void;
  onCancel(): void;
  onKeyDown(event: KeyboardEvent): void;
}) {
  const t = useStrings(classroomStrings);
  return (
    <form className="class-member-form" onSubmit={onSave} onKeyDown={onKeyDown} data-testid="member-rename-form">
      <input
        ref={inputRef}
        aria-label={t.renameLabel(name)}
        data-testid="member-rename-input"
        value={draft}
        maxLength={40}
        required
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit" className="button button-primary" data-testid="member-rename-save">
        {t.save}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        {t.cancel}
      </button>
    </form>
  );
}

/** Remove in place: the question with its consequence, the danger button first in focus, and Cancel. */
function RemoveConfirm({
  name,
  yesRef,
  onYes,
  onCancel,
  onKeyDown,
}: {
  name: string;
  yesRef: RefObject<HTMLButtonElement | null>;
  onYes(): void;
  onCancel(): void;
  onKeyDown(event: KeyboardEvent): void;
}) {
  const t = useStrings(classroomStrings);
  return (
    <div className="class-member-form" role="group" aria-label={t.removeConfirm(name)} onKeyDown={onKeyDown} data-testid="member-remove-confirm">
      <span>{t.removeConfirm(name)}</span>{' '}
      <button ref={yesRef} type="button" className="button button-danger" data-testid="member-remove-yes" onClick={onYes}>
        {t.removeYes}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        {t.cancel}
      </button>
    </div>
  );
}
