import { randomInt } from 'node:crypto';

/**
 * Read aloud and typed from a projector: no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V — the pairs a
 * back row mishears or misreads.
 */
export const CLASS_CODE_ALPHABET = '34679ACDEFGHJKMNPQRTWXY';
export const CLASS_CODE_LENGTH = 6;

/** A new class code, e.g. `K7FM3Q` (shown as `K7F-M3Q`). 23^6 ≈ 148 million codes. */
export function newClassCode(length = CLASS_CODE_LENGTH): string {
  let code = '';
  for (let index = 0; index < length; index += 1) code += CLASS_CODE_ALPHABET[randomInt(CLASS_CODE_ALPHABET.length)];
  return code;
}

/**
 * Cyrillic capitals that look like the code's Latin letters: a student with the Russian layout on
 * types К for the K on the projector. The same letter to the eye is the same letter here.
 */
const CYRILLIC_LOOK_ALIKES: Readonly<Record<string, string>> = {
  А: 'A',
  С: 'C',
  Е: 'E',
  Н: 'H',
  К: 'K',
  М: 'M',
  Р: 'P',
  Т: 'T',
  Х: 'X',
  У: 'Y',
};

/**
 * What a student typed, as a code: case, spaces and dashes don't matter, nor a Cyrillic letter
 * typed for the Latin one it looks like; any other character outside the alphabet means it is
 * not a code (null), never a guess.
 */
export function normalizeClassCode(input: unknown, length = CLASS_CODE_LENGTH): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const code = [...input.replace(/[\s-]/g, '').toUpperCase()].map((char) => CYRILLIC_LOOK_ALIKES[char] ?? char).join('');
  if (code.length !== length) return null;
  for (const char of code) if (!CLASS_CODE_ALPHABET.includes(char)) return null;
  return code;
}
