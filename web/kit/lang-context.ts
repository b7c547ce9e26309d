import { createContext, useContext } from 'react';

export type Lang = 'ru' | 'en';
export const LANGS: readonly Lang[] = ['ru', 'en'];

/** The language of the page: part of the URL (/ru/…, /en/…), provided by the app shell. */
export const LangContext = createContext<Lang>('en');

export function useLang(): Lang {
  return useContext(LangContext);
}

/**
 * Each feature folder keeps its UI strings as `{ ru: {...}, en: {...} }` with the same keys
 * (a unit test checks the parity); this picks the current language's half.
 */
export function useStrings<T>(dict: { ru: T; en: T }): T {
  return dict[useLang()];
}
