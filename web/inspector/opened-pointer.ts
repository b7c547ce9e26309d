// What the reader points at in the capture file the inspector has open: the frame, message or
// exchange selected, and the field of the decoded tree last focused (clicked, or reached by the
// arrow keys). A lesson's question about that file (web/lessons/capture-question-card.tsx) answers
// with it. Kept apart from the live selection (InspectorProps.onSelectionChange), which never
// names a file's traffic: nothing judged from this session's captures may see a file's.
import { useSyncExternalStore } from 'react';
import type { Selection } from './exchange-sections.ts';

/** A field of the decoded tree: its title as the tree shows it, and its value as decoded (untranslated). */
export interface PointedField {
  title: string;
  value: string;
}

export interface OpenedPointer {
  selection: Selection | null;
  field: PointedField | null;
}

const NOTHING: OpenedPointer = { selection: null, field: null };
let current: OpenedPointer = NOTHING;
const listeners = new Set<() => void>();

function update(next: OpenedPointer): void {
  if (next.selection === current.selection && next.field === current.field) return;
  current = next;
  for (const listener of listeners) listener();
}

/** The inspector selected this in the opened file (null: nothing, or no file open); the field goes with the old selection. */
export function pointAtSelection(selection: Selection | null): void {
  update({ selection, field: null });
}

/** A field of the selection's tree took the focus. */
export function pointAtField(field: PointedField | null): void {
  update({ ...current, field });
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};
const snapshot = () => current;

export function useOpenedPointer(): OpenedPointer {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
