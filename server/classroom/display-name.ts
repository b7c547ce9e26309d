/** @default 40 characters, the same as Socket.IO's user names */
export const MAX_DISPLAY_NAME = 40;

/**
 * A display name as text: Unicode-normalised, control and formatting characters removed,
 * whitespace collapsed, 1–40 characters (code points). Null when nothing usable is left.
 * Names are shown with textContent only; this keeps them readable, not safe.
 */
export function cleanDisplayName(input: unknown): string | null {
  return cleanText(input, MAX_DISPLAY_NAME);
}

/** Any short text a person names something with (a name, a class title): see cleanDisplayName. */
export function cleanText(input: unknown, maxLength: number): string | null {
  if (typeof input !== 'string' || input.length > maxLength * 10) return null;
  const cleaned = input
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const length = [...cleaned].length;
  return length >= 1 && length <= maxLength ? cleaned : null;
}

/** @default 80 characters */
export const MAX_CLASS_TITLE = 80;

/** A class's title, cleaned as a name is (cleanText). */
export function cleanClassTitle(input: unknown): string | null {
  return cleanText(input, MAX_CLASS_TITLE);
}

/** Two names are the same name when they differ only in case ("Анна" and "анна"). */
export function displayNameKey(name: string): string {
  return name.toLocaleLowerCase('ru').normalize('NFC');
}
