import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A student takes the lessons in one sandbox: a user one lesson creates is still there in the
// next. Two lessons whose cells create the same new email make the second one's "201 Created"
// exercise a 409 (issue 24: lessons 1, 2 and 14 all created katherine@example.com).

const LESSONS_ROOT = dirname(fileURLToPath(import.meta.url));
const SEED = readFileSync(join(LESSONS_ROOT, '..', 'server', 'domain', 'seed.ts'), 'utf8');
/** the starting data's emails: cells use them on purpose (a duplicate on purpose, a lookup) */
const SEEDED = new Set([...SEED.matchAll(/email: '([^']+)'/g)].map((match) => match[1]));

/** Every new email a cell file sends, whatever the protocol (REST, GraphQL, gRPC JSON). */
function emailsOf(text: string): string[] {
  return [...text.matchAll(/\\?"?email\\?"?\s*:\s*\\?"([^"\\]+@[^"\\]+)\\?"/g)].map((match) => match[1]).filter((email) => !SEEDED.has(email));
}

describe('lessons and the one sandbox they share', () => {
  it('never create the same new user in two lessons', () => {
    const lessonsOf = new Map<string, Set<string>>();
    for (const lesson of readdirSync(LESSONS_ROOT).filter((name) => /^\d\d-/.test(name))) {
      const cells = join(LESSONS_ROOT, lesson, 'cells');
      for (const file of readdirSync(cells)) {
        for (const email of emailsOf(readFileSync(join(cells, file), 'utf8'))) lessonsOf.set(email, new Set([...(lessonsOf.get(email) ?? []), lesson]));
      }
    }
    expect(SEEDED.size).toBeGreaterThan(5);
    expect(lessonsOf.size).toBeGreaterThan(5);
    const shared = [...lessonsOf].filter(([, lessons]) => lessons.size > 1).map(([email, lessons]) => `${email}: ${[...lessons].join(', ')}`);
    expect(shared).toEqual([]);
  });
});
