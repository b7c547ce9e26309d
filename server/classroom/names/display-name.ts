import { CONFUSABLE_PROTOTYPES_HEX } from './confusable-prototypes.ts';

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

/** Unicode TR39's confusable mapping: character → prototype (confusable-prototypes.ts, generated). */
const PROTOTYPES: ReadonlyMap<string, string> = new Map(
  CONFUSABLE_PROTOTYPES_HEX.split(';').map((entry) => {
    const [source, prototype] = entry.split(':').map((hex) => String.fromCodePoint(...hex.split(' ').map((point) => Number.parseInt(point, 16))));
    return [source!, prototype!];
  }),
);

/** TR39's skeleton: NFD, each character replaced by its prototype, NFD again. */
export function confusableSkeleton(text: string): string {
  let mapped = '';
  for (const char of text.normalize('NFD')) mapped += PROTOTYPES.get(char) ?? char;
  return mapped.normalize('NFD');
}

/**
 * Two names are the same name when they look alike (README.md, "Claiming a name"): the TR39
 * skeletons of their capitals are equal. Capitals first, so that case does not count ("Анна",
 * "анна", "АННА") and because the capitals are where Cyrillic and Latin meet ("Вob" is "BOB"
 * as "Bob" is); the skeleton then folds Cyrillic В, Н, К… and Greek Ο into their Latin twins, and
 * 1 and I into l. Used as the stored `name_key` (both stores migrate older keys on open).
 */
export function displayNameKey(name: string): string {
  return confusableSkeleton(name.normalize('NFC').toUpperCase());
}

/** The version of displayNameKey the stores keep keys in (1: lowercase only, before the skeleton); a store that finds an older one moves its keys on open. */
export const NAME_KEY_VERSION = 2;
