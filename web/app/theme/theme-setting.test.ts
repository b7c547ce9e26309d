import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveTheme, parseThemeChoice, THEME_STORAGE_KEY } from './theme-setting.ts';

const BOOT_SOURCE = readFileSync(join(import.meta.dirname, 'theme-boot.js'), 'utf8');

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
