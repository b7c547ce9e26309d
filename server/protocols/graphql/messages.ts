/** A message of this server in both of Wirelab's languages; `en` is the GraphQL `message`. */
export interface Bilingual {
  en: string;
  ru: string;
}

export function bilingual(en: string, ru: string): Bilingual {
  return { en, ru };
}
