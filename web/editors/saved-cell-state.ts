import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';

// A student's edits to a cell survive a reload: kept in localStorage per lesson and cell, next to
// the lesson's original, so that a lesson whose cell changed since starts again from the new text
// instead of an edit of the old one. The cell's Reset (back to the original) drops the copy.

const PREFIX = 'wirelab.cell.';

interface Saved {
  /** the original as it was when the edit was saved (JSON) */
  original: string;
  value: unknown;
}

export function readSavedCell<T>(saveKey: string | undefined, original: T): T | undefined {
  if (!saveKey) return undefined;
  try {
    const raw = localStorage.getItem(PREFIX + saveKey);
    if (!raw) return undefined;
    const saved = JSON.parse(raw) as Saved;
    return saved.original === JSON.stringify(original) ? (saved.value as T) : undefined;
  } catch {
    return undefined;
  }
}

export function writeSavedCell<T>(saveKey: string | undefined, original: T, value: T): void {
  if (!saveKey) return;
  try {
    const originalJson = JSON.stringify(original);
    if (JSON.stringify(value) === originalJson) localStorage.removeItem(PREFIX + saveKey);
    else localStorage.setItem(PREFIX + saveKey, JSON.stringify({ original: originalJson, value } satisfies Saved));
  } catch {
    // storage full or switched off: the edit still lives in the page until it is closed
  }
}

/** A cell on the page, as the class sees it: the teacher sends what it holds, a student takes the teacher's version into it. */
export interface OpenCell {
  /** what the cell's editor holds now (its draft, as it is saved) */
  read(): unknown;
  /** the editor shows this instead (saved as the draft, as an edit would be) */
  replace(value: unknown): void;
}

/** the cells mounted on this page by save key (a cell mounted twice: the last one) */
const openCells = new Map<string, OpenCell>();
const openCellListeners = new Set<() => void>();

/** The cell with this save key if it is on the page (web/classroom/ reads and replaces drafts through it). */
export function openCell(saveKey: string): OpenCell | null {
  return openCells.get(saveKey) ?? null;
}

/** Called when a cell comes onto the page or leaves it. */
export function onOpenCellsChange(listener: () => void): () => void {
  openCellListeners.add(listener);
  return () => openCellListeners.delete(listener);
}

/** `useState` for a cell's editable content that a reload does not lose (no `saveKey`: plain state). */
export function useSavedCellState<T>(saveKey: string | undefined, original: T): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => readSavedCell(saveKey, original) ?? original);
  useEffect(() => writeSavedCell(saveKey, original, value), [saveKey, original, value]);
  const current = useRef(value);
  current.current = value;
  useEffect(() => {
    if (!saveKey) return;
    const cell: OpenCell = { read: () => current.current, replace: (next) => setValue(next as T) };
    openCells.set(saveKey, cell);
    for (const listener of openCellListeners) listener();
    return () => {
      if (openCells.get(saveKey) === cell) openCells.delete(saveKey);
      for (const listener of openCellListeners) listener();
    };
  }, [saveKey]);
  return [value, setValue];
}

/** A cell's draft: several fields the student edits, kept as one saved value. */
export interface SavedDraft<T extends object> {
  draft: T;
  /** change some fields */
  edit(patch: Partial<T>): void;
  /** back to the lesson's text (the saved copy is dropped) */
  reset(): void;
  /** the draft differs from the lesson's text */
  changed: boolean;
}

/** `useSavedCellState` for a draft of several fields (a console's URL, message, options…). */
export function useSavedDraft<T extends object>(saveKey: string | undefined, original: T): SavedDraft<T> {
  const [draft, setDraft] = useSavedCellState<T>(saveKey, original);
  const edit = useCallback((patch: Partial<T>) => setDraft((current) => ({ ...current, ...patch })), [setDraft]);
  const reset = useCallback(() => setDraft(original), [setDraft, original]);
  const changed = useMemo(() => JSON.stringify(draft) !== JSON.stringify(original), [draft, original]);
  return { draft, edit, reset, changed };
}
