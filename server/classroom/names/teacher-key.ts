// TEACHER_KEY, as main.ts reads it. A short key a teacher chose (`0427`) fell to 432 keep-alive
// GETs in one second (issue 51): the server refuses to start with one under 16 characters. The
// key Wirelab makes when none is set is 24 characters of base64url (18 random bytes).

/** The fewest characters a TEACHER_KEY may have. */
export const TEACHER_KEY_MIN_LENGTH = 16;

/** TEACHER_KEY: absent or empty → undefined (the database keeps a key of its own); shorter than 16 characters throws, in both languages. */
export function parseTeacherKey(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const length = [...text].length;
  if (length < TEACHER_KEY_MIN_LENGTH) {
    throw new Error(
      `TEACHER_KEY has ${length} characters, fewer than ${TEACHER_KEY_MIN_LENGTH}: a short key can be guessed; set a longer one, or unset it and Wirelab makes one / ` +
        `в TEACHER_KEY ${length} симв., меньше ${TEACHER_KEY_MIN_LENGTH}: короткий ключ можно подобрать; задайте длиннее или уберите переменную, и Wirelab создаст ключ сам`,
    );
  }
  return text;
}
