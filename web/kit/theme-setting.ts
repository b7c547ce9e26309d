import { useSyncExternalStore } from 'react';

// Light or dark: the student's choice, remembered in this browser, or the system's setting. The
// page's first paint is already right (theme-boot.js, loaded before the app); from then on this
// module owns <html data-theme>, which the style sheets (app.css, inspector.css) and Monaco
// (web/editors/http/monaco-setup.ts) follow.

export const THEME_STORAGE_KEY = 'wirelab.theme';
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

/** What the storage holds as a choice: anything but `light` or `dark` follows the system. */
export function parseThemeChoice(stored: string | null): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function effectiveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

const listeners = new Set<() => void>();
let choice: ThemeChoice | null = null;
let systemQuery: MediaQueryList | null = null;

function systemDark(): boolean {
  if (typeof window === 'undefined' || !window.matchMedia) return false;
  if (!systemQuery) {
    systemQuery = window.matchMedia('(prefers-color-scheme: dark)');
    // a system that switches at dusk switches the page too, while it follows the system
    systemQuery.addEventListener('change', () => {
      if (themeChoice() === 'system') apply();
    });
  }
  return systemQuery.matches;
}

export function themeChoice(): ThemeChoice {
  if (choice === null) {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(THEME_STORAGE_KEY);
    } catch {
      // storage switched off: the system decides
    }
    choice = parseThemeChoice(stored);
  }
  return choice;
}

export function currentTheme(): Theme {
  return effectiveTheme(themeChoice(), systemDark());
}

function apply(): void {
  if (typeof document !== 'undefined') document.documentElement.setAttribute('data-theme', currentTheme());
  for (const listener of listeners) listener();
}

export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  try {
    if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, next);
  } catch {
    // private mode or a full storage: the choice holds for this page
  }
  apply();
}

let followingOtherTabs = false;

/**
 * A choice made in another tab of this browser (the storage event; `key` null: the storage was
 * cleared) is this page's too, at once: its select, its colours and its editors.
 */
function followOtherTabs(): void {
  if (followingOtherTabs || typeof window === 'undefined') return;
  followingOtherTabs = true;
  window.addEventListener('storage', (event: StorageEvent) => {
    if (event.key !== null && event.key !== THEME_STORAGE_KEY) return;
    const before = choice;
    choice = null;
    if (themeChoice() !== before) apply();
  });
}

/** Called when the page's theme may have changed (the switch, another tab, or the system while following it). */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  systemDark();
  followOtherTabs();
  return () => listeners.delete(listener);
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(onThemeChange, themeChoice, () => 'system');
}
