import { useSyncExternalStore } from 'react';

// Projector mode is a preference of this browser (remembered) that a URL can impose for one
// visit (`?projector=1`, so a teacher can bookmark it). Kept in web/app because the editors, the
// inspector and the lesson reader all read it; the reader's presenter controls switch it.

const STORAGE_KEY = 'wirelab.projector';
const URL_PARAM = 'projector';

/**
 * Type sizes in projector mode that JavaScript needs to know (the rest is in
 * web/lessons/projector/projector.css, whose hex line height must equal `hexRowHeight`).
 */
export const PROJECTOR_SIZES = {
  /** Monaco's font size and line height, in px (15 and 22 otherwise) */
  codeFontSize: 21,
  codeLineHeight: 30,
  /** the hex view's row height, in px (22 otherwise): its rows are virtualised by this height */
  hexRowHeight: 30,
} as const;

/** What the URL says (`?projector=1|0|on|off|true|false`), or null when it says nothing usable. */
export function projectorFromUrl(search: string): boolean | null {
  const value = new URLSearchParams(search).get(URL_PARAM);
  if (value === null) return null;
  if (/^(1|on|true|yes)$/i.test(value)) return true;
  if (/^(0|off|false|no)$/i.test(value)) return false;
  return null;
}

/** The URL wins over what this browser remembered; off when neither says anything. */
export function initialProjectorMode(search: string, stored: string | null): boolean {
  return projectorFromUrl(search) ?? stored === '1';
}

let current: boolean | null = null;
const listeners = new Set<() => void>();

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function isProjectorMode(): boolean {
  if (current === null) {
    current = typeof window === 'undefined' ? false : initialProjectorMode(window.location.search, readStored());
    // a bookmarked `?projector=1` is a choice like the toggle: remembered for the next lessons
    if (current !== (readStored() === '1')) remember(current);
  }
  return current;
}

function remember(on: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
  } catch {
    // private mode or a full storage: the mode still applies to this page
  }
}

export function setProjectorMode(on: boolean): void {
  if (isProjectorMode() === on) return;
  current = on;
  remember(on);
  // a URL that says otherwise would switch it back on reload: it follows the toggle
  const url = new URL(window.location.href);
  if (url.searchParams.has(URL_PARAM)) {
    url.searchParams.set(URL_PARAM, on ? '1' : '0');
    history.replaceState(history.state, '', url);
  }
  for (const listener of listeners) listener();
}

export function onProjectorModeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useProjectorMode(): boolean {
  return useSyncExternalStore(onProjectorModeChange, isProjectorMode, () => false);
}
