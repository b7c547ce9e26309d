import type { Bilingual } from '../../../shared/bilingual.ts';
export type { Bilingual };

export function bilingual(en: string, ru: string): Bilingual {
  return { en, ru };
}
