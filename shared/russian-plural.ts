// Russian nouns after a number take one of three forms: 1 байт, 2 байта, 5 байт (and 21 байт,
// 22 байта, 11 байт, 111 байт). The rule is the CLDR one, as every browser and Node carry it.
// Pure, no imports: the server's messages and the web app take it from here
// (web/text/russian-plural.ts re-exports it).

const rules = new Intl.PluralRules('ru');

/**
 * The form of the noun for `count`: `one` (1, 21, 101…), `few` (2–4, 22–24…), `many` (0, 5–20,
 * 25…). A fraction takes `few` (1,5 байта), as Russian says it.
 */
export function russianPlural(count: number, one: string, few: string, many: string): string {
  switch (rules.select(count)) {
    case 'one':
      return one;
    case 'many':
      return many;
    default:
      return few;
  }
}

/** The number and its noun: `countRu(5, 'байт', 'байта', 'байт')` → "5 байт". */
export function countRu(count: number, one: string, few: string, many: string): string {
  return `${count} ${russianPlural(count, one, few, many)}`;
}
