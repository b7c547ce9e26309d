import { useEffect, useState, useSyncExternalStore } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { onOpenCellsChange, openCell } from '../editors/saved-cell-state.ts';
import { dropCellDraft, useStudentClass } from './student-class.ts';
import { pushCell, useLeading } from './teacher-class.ts';
import { classroomStrings } from './strings.ts';
import './classroom.css';

/** Whether the cell with this save key is on the page now (its editor's chunk may come later). */
function useCellOpen(saveKey: string): boolean {
  return useSyncExternalStore(onOpenCellsChange, () => openCell(saveKey) !== null);
}

/**
 * Under each cell of a lesson, for a class (README.md, "Sending the teacher's cell"): in the tab
 * that leads a class, "send this cell to the class"; on a student's page, the teacher's version
 * of this cell to take (the student's own text stays one click away) or dismiss.
 */
export function ClassCellTools({ saveKey }: { saveKey: string }) {
  const leading = useLeading();
  const student = useStudentClass();
  if (leading.code) return <SendCell saveKey={saveKey} />;
  if (student.membership && student.cellDrafts[saveKey]) return <TeacherVersion saveKey={saveKey} value={student.cellDrafts[saveKey].value} />;
  if (student.membership) return <UndoTake saveKey={saveKey} />;
  return null;
}

function SendCell({ saveKey }: { saveKey: string }) {
  const t = useStrings(classroomStrings);
  const leading = useLeading();
  const open = useCellOpen(saveKey);
  const [asked, setAsked] = useState(false);
  const [lesson, cell] = saveKey.split('/');
  const send = () => {
    const editor = openCell(saveKey);
    if (editor && pushCell(lesson, cell, editor.read())) setAsked(true);
  };
  const sent = asked && leading.sentCell?.key === saveKey;
  return (
    <div className="class-cell-tools" data-testid="class-cell-send-bar">
      <button
        type="button"
        className="button button-quiet"
        data-testid="class-cell-send"
        disabled={!open || leading.status !== 'open'}
        title={t.cellSendHint}
        onClick={send}
      >
        {t.cellSend}
      </button>
      {sent && (
        <span className="muted" role="status" data-testid="class-cell-sent">
          {t.cellSent}
        </span>
      )}
      {asked && leading.cellRefused && (
        <span className="cell-message cell-message-error" role="alert">
          {t.errors.BAD_CELL}
        </span>
      )}
    </div>
  );
}

/** What the student's cell held before they took the teacher's version: "back to my text" restores it. */
const beforeTaking = new Map<string, unknown>();
const takenListeners = new Set<() => void>();
const tellTaken = () => {
  for (const listener of takenListeners) listener();
};

function TeacherVersion({ saveKey, value }: { saveKey: string; value: unknown }) {
  const t = useStrings(classroomStrings);
  const open = useCellOpen(saveKey);
  const take = () => {
    const editor = openCell(saveKey);
    if (!editor) return;
    beforeTaking.set(saveKey, editor.read());
    editor.replace(value);
    dropCellDraft(saveKey);
    tellTaken();
  };
  return (
    <div className="class-notice class-cell-tools" role="status" data-testid="class-cell-draft">
      <span>{t.cellFromTeacher}</span>
      <span className="toolbar-spacer" />
      <button type="button" className="button button-primary" data-testid="class-cell-take" disabled={!open} onClick={take}>
        {t.cellTake}
      </button>
      <button type="button" className="button button-quiet" data-testid="class-cell-dismiss" onClick={() => dropCellDraft(saveKey)}>
        {t.dismiss}
      </button>
    </div>
  );
}

function UndoTake({ saveKey }: { saveKey: string }) {
  const t = useStrings(classroomStrings);
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    takenListeners.add(listener);
    return () => void takenListeners.delete(listener);
  }, []);
  if (!beforeTaking.has(saveKey)) return null;
  const forget = () => {
    beforeTaking.delete(saveKey);
    tellTaken();
  };
  const undo = () => {
    openCell(saveKey)?.replace(beforeTaking.get(saveKey));
    forget();
  };
  return (
    <div className="class-notice class-cell-tools" role="status" data-testid="class-cell-taken">
      <span>{t.cellTaken}</span>{' '}
      <button type="button" className="button button-quiet" data-testid="class-cell-undo" onClick={undo}>
        {t.cellUndo}
      </button>
      <button type="button" className="button button-quiet" onClick={forget}>
        {t.dismiss}
      </button>
    </div>
  );
}
