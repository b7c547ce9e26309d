/** How much of a long message a log row shows. */
export const TEXT_PREVIEW_CHARS = 200;

export function clip(text: string, chars = TEXT_PREVIEW_CHARS): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** What a thrown value says (the browser throws Errors, a library may throw anything). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
