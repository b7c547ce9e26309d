// One CSV cell, as every CSV this project writes quotes it (the class board's export on the
// server, the comparison lab's table in the browser): pure, no imports, so both sides take it
// from here without web/ importing server/ or the reverse.

/** Excel opens a UTF-8 CSV as UTF-8 only with this mark in front (else Cyrillic names turn to mojibake). */
export const CSV_BOM = '\uFEFF';

/** A text cell a spreadsheet would run as a formula or a command (`=`, `+`, `-`, `@`, `|`, tab, CR first). */
const FORMULA_START = /^[=+\-@|\t\r]/;

/**
 * RFC 4180 quoting (a cell with `"`, `,`, CR or LF in double quotes, `"` doubled), and a text that
 * starts like a formula gets a `'` in front: a name is text, never a formula. Numbers are written
 * as they are (a negative number stays a number); null and undefined are empty.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
