import type { Lang } from '../kit/lang-context.ts';
import { isLang } from '../kit/routes.ts';

const STORAGE_KEY = 'wirelab.lang';

/** The remembered choice wins; otherwise Russian for Russian-speaking browsers, else English. */
export function pickLang(remembered: string | null, browserLanguages: readonly string[]): Lang {
  if (isLang(remembered ?? undefined)) return remembered as Lang;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ru') return 'ru';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function preferredLang(): Lang {
  return pickLang(readRemembered(), navigator.languages ?? [navigator.language]);
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage may be disabled (private mode); the URL still carries the language
  }
}

function readRemembered(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
