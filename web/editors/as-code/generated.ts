import type { Bilingual } from '../../../shared/bilingual.ts';
import type { AsCodeLanguage } from './languages.ts';

/** A program for one cell in one language. */
export interface GeneratedCode {
  language: AsCodeLanguage;
  /** the client library or tool, e.g. "curl", "requests", "net/http" */
  tool: string;
  code: string;
  /** a file name to save it as (the terminal's: null, it is pasted as is) */
  fileName: string | null;
  /** one line: what to install (Debian and the language's own registry) */
  install: string;
  /** one line: how to run it (null: paste it into a terminal) */
  run: string | null;
  /** what of the cell the program cannot do the same way, said once beside it */
  notes: Bilingual[];
}

/** The language has no program for this cell, and says why. */
export interface NoCode {
  language: AsCodeLanguage;
  unsupported: Bilingual;
}

export type AsCodeResult = GeneratedCode | NoCode;

export function isGenerated(result: AsCodeResult): result is GeneratedCode {
  return 'code' in result;
}

/** The token's comment, in the page's language. */
export function tokenComment(lang: 'en' | 'ru' = 'en'): string {
  return lang === 'ru'
    ? 'токен вашей сессии (8 ч): ваша песочница, а байты видны в вашем инспекторе'
    : 'your session token (8 h): your sandbox, and the bytes appear in your inspector';
}
