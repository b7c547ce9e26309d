/** A text of this server in both of Wirelab's languages; `en` also goes where a protocol allows one string. */
export interface Bilingual {
  en: string;
  ru: string;
}
