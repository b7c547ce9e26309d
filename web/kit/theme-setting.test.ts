import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectiveTheme, parseThemeChoice, THEME_STORAGE_KEY } from './theme-setting.ts';

const BOOT_SOURCE = readFileSync(join(import.meta.dirname, '..', 'app', 'theme', 'theme-boot.js'), 'utf8');

/** Runs theme-boot.js as the page's head does, against a storage and a system setting; returns what it set. */
function bootTheme(stored: string | null, systemDark: boolean, storageThrows = false): string | null {
  const attributes = new Map<string, string>();
  const window = {
    localStorage: {
      getItem(key: string) {
        if (storageThrows) throw new Error('SecurityError');
        return key === THEME_STORAGE_KEY ? stored : null;
      },
    },
    matchMedia: (query: string) => ({ matches: query === '(prefers-color-scheme: dark)' && systemDark }),
  };
  const document = { documentElement: { setAttribute: (name: string, value: string) => void attributes.set(name, value) } };
  new Function('window', 'document', BOOT_SOURCE)(window, document);
  return attributes.get('data-theme') ?? null;
}

describe('the theme', () => {
  it('is the choice, or the system’s while the choice is “system”', () => {
    expect(effectiveTheme('light', true)).toBe('light');
    expect(effectiveTheme('dark', false)).toBe('dark');
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme('system', false)).toBe('light');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice(null)).toBe('system');
    expect(parseThemeChoice('purple')).toBe('system');
  });

  it('is set before the first paint exactly as the app sets it afterwards (theme-boot.js agrees with theme-setting.ts)', () => {
    for (const stored of [null, 'light', 'dark', 'system', 'garbage']) {
      for (const systemDark of [false, true]) {
        expect(bootTheme(stored, systemDark), `${stored} / system dark ${systemDark}`).toBe(effectiveTheme(parseThemeChoice(stored), systemDark));
      }
    }
    expect(bootTheme('dark', false, true)).toBe('light');
    expect(bootTheme('light', true, true)).toBe('dark');
  });
});

describe('a theme chosen in another tab', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('is followed at once: the choice, <html data-theme> and every listener (the select, the editors)', async () => {
    const items = new Map<string, string>();
    const storageListeners: ((event: { key: string | null }) => void)[] = [];
    const attributes = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    });
    vi.stubGlobal('window', {
      matchMedia: () => ({ matches: false, addEventListener: () => {} }),
      addEventListener: (type: string, listener: (event: { key: string | null }) => void) => {
        if (type === 'storage') storageListeners.push(listener);
      },
    });
    vi.stubGlobal('document', { documentElement: { setAttribute: (name: string, value: string) => void attributes.set(name, value) } });
    // a fresh module: its remembered choice and its listeners are the page's own
    const setting = await import('./theme-setting.ts');
    const heard = vi.fn();
    setting.onThemeChange(heard);
    expect(setting.themeChoice()).toBe('system');

    // the other tab writes its choice; this tab hears the storage event
    items.set(THEME_STORAGE_KEY, 'dark');
    for (const listener of storageListeners) listener({ key: THEME_STORAGE_KEY });
    expect(setting.themeChoice()).toBe('dark');
    expect(attributes.get('data-theme')).toBe('dark');
    expect(heard).toHaveBeenCalledTimes(1);

    // another key changes nothing; the storage cleared (key null) is "system" again
    items.set('wirelab.other', '1');
    for (const listener of storageListeners) listener({ key: 'wirelab.other' });
    expect(heard).toHaveBeenCalledTimes(1);
    items.clear();
    for (const listener of storageListeners) listener({ key: null });
    expect(setting.themeChoice()).toBe('system');
    expect(attributes.get('data-theme')).toBe('light');
    expect(heard).toHaveBeenCalledTimes(2);
    // one storage listener however many components follow the theme
    setting.onThemeChange(() => {});
    expect(storageListeners).toHaveLength(1);
  });
});
