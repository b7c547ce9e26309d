import { useEffect, useRef, useState, type FormEvent } from 'react';
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
  const onKeyDown = (event: React.KeyboardEvent) => {
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
    return (
      <form className="class-member-form" onSubmit={save} onKeyDown={onKeyDown} data-testid="member-rename-form">
        <input
          ref={first}
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
        <button type="button" className="button" onClick={close}>
          {t.cancel}
        </button>
      </form>
    );
  }
  if (mode === 'remove') {
    return (
      <div className="class-member-form" role="group" aria-label={t.removeConfirm(name)} onKeyDown={onKeyDown} data-testid="member-remove-confirm">
        <span>{t.removeConfirm(name)}</span>{' '}
        <button
          ref={first}
          type="button"
          className="button button-danger"
          data-testid="member-remove-yes"
          onClick={() => {
            controls.remove(memberId);
            setMode('idle');
          }}
        >
          {t.removeYes}
        </button>
        <button type="button" className="button" onClick={close}>
          {t.cancel}
        </button>
      </div>
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
