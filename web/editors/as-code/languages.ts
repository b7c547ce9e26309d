// The languages "As code" writes, in the order the picker shows them.
export const AS_CODE_LANGUAGES = ['terminal', 'python', 'go', 'javascript'] as const;
export type AsCodeLanguage = (typeof AS_CODE_LANGUAGES)[number];

export function isAsCodeLanguage(value: unknown): value is AsCodeLanguage {
  return typeof value === 'string' && (AS_CODE_LANGUAGES as readonly string[]).includes(value);
}

/** Names that are the same in both languages of the interface; the terminal's is in strings.ts. */
export const LANGUAGE_NAMES: Record<AsCodeLanguage, string> = {
  terminal: 'Terminal',
  python: 'Python',
  go: 'Go',
  javascript: 'JavaScript',
};
