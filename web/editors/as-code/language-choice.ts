import { useSyncExternalStore } from 'react';
import { isAsCodeLanguage, type AsCodeLanguage } from './languages.ts';

// The language "As code" shows, remembered in this browser across lessons and reloads, and the
// same in every cell of the page at once.

const STORAGE_KEY = 'wirelab.asCodeLanguage';
const DEFAULT_LANGUAGE: AsCodeLanguage = 'terminal';
const listeners = new Set<() => void>();
let current: AsCodeLanguage | null = null;

/** What was stored, if it still names a language; the terminal otherwise. */
export function languageFromStorage(stored: string | null): AsCodeLanguage {
  return isAsCodeLanguage(stored) ? stored : DEFAULT_LANGUAGE;
}

function read(): AsCodeLanguage {
  if (current) return current;
  try {
    current = languageFromStorage(localStorage.getItem(STORAGE_KEY));
  } catch {
    current = DEFAULT_LANGUAGE; // storage refused (private mode): remembered for this page only
  }
  return current;
}

export function chooseLanguage(language: AsCodeLanguage): void {
  current = language;
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // kept for this page
  }
  for (const listener of listeners) listener();
}

export function useAsCodeLanguage(): AsCodeLanguage {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    read,
    () => DEFAULT_LANGUAGE,
  );
}
