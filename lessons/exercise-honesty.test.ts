import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SEED_USERS } from '../server/domain/seed.ts';
import { parseHttpRequest } from '../web/editors/http/parse-http-request.ts';
import { parseGrpcCell } from '../web/editors/grpc/grpc-cell-config.ts';
import { checkNeedsAnswer, type Check } from '../contracts/exercise-checks/evaluate-check.ts';
import { splitLessonDirectives } from '../web/lessons/lesson-directives.ts';
import type { LessonJson } from '../web/lessons/lesson-types.ts';

// Rules that keep an exercise from misleading: a question is checked against the student's
// answer, a starter works on fresh data, and a hint names what the step really needs.
// (Whether an exercise passes on the unchanged cell is unchanged-cells.test.ts.)

const LESSONS_ROOT = dirname(fileURLToPath(import.meta.url));
const lessonDirs = readdirSync(LESSONS_ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d{2}-[a-z0-9-]+$/.test(entry.name))
  .map((entry) => entry.name);

interface ExerciseText {
  prompt: string;
  hints: string[];
}

function exerciseTexts(dir: string, lang: 'en' | 'ru'): Map<string, ExerciseText> {
  const split = splitLessonDirectives(readFileSync(join(LESSONS_ROOT, dir, `${lang}.md`), 'utf8'));
  return new Map(
    split.segments.flatMap((segment) => (segment.type === 'exercise' ? [[segment.id, { prompt: segment.prompt, hints: segment.hints }] as const] : [])),
  );
}

/** Prose without code spans and fences: a `?` inside `?since=` asks nothing. */
function prose(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
}

/** The emails a cell's request would create users with; [] for cells that create none. */
function createdEmails(dir: string, cell: { kind: string; file: string }): string[] {
  const text = readFileSync(join(LESSONS_ROOT, dir, cell.file), 'utf8');
  let body: unknown;
  if (cell.kind === 'http') {
    const parsed = parseHttpRequest(text);
    if (!parsed.ok || parsed.request.method !== 'POST' || !/(\/users|\/CreateUsers?)$/.test(parsed.request.target)) return [];
    try {
      body = JSON.parse(parsed.request.body ?? '');
    } catch {
      return [];
    }
  } else if (cell.kind === 'grpc') {
    const parsed = parseGrpcCell(text);
    if (!parsed.ok || !/\/CreateUsers?$/.test(parsed.config.method)) return [];
    body = parsed.config.request;
  } else {
    return [];
  }
  return (
    JSON.stringify(body)
      .match(/"email":"[^"]*"/g)
      ?.map((pair) => pair.slice(9, -1).toLowerCase()) ?? []
  );
}

/** Does the check want a conflict (409 / ALREADY_EXISTS) from its exchange? */
function expectsConflict(check: Check): boolean {
  const steps = check.type === 'exchange' ? [check] : check.type === 'sequence' ? check.steps : check.type === 'answer' ? [check.exchange] : [];
  return steps.some((step) => [step.response?.status].flat().includes(409));
}

/** A question about a capture file always takes the answer: the pick or the value the student sends (capture-question.ts). */
function takesAnswer(check: Check): boolean {
  return (check as { type: string }).type === 'capture' || checkNeedsAnswer(check);
}

describe.each(lessonDirs)('lesson %s', (dir) => {
  const lesson = JSON.parse(readFileSync(join(LESSONS_ROOT, dir, 'lesson.json'), 'utf8')) as LessonJson;
  const texts = { en: exerciseTexts(dir, 'en'), ru: exerciseTexts(dir, 'ru') };

  it('checks the answer of every exercise that asks a question', () => {
    for (const [id, exercise] of Object.entries(lesson.exercises)) {
      for (const lang of ['en', 'ru'] as const) {
        const prompt = texts[lang].get(id)?.prompt ?? '';
        if (prose(prompt).includes('?')) {
          expect(takesAnswer(exercise.check), `${dir} ${id} (${lang}) asks a question, so its check must take the student's answer`).toBe(true);
        }
      }
    }
  });

  it('asks for nothing in an exercise that is only pressing Run', () => {
    for (const [id, exercise] of Object.entries(lesson.exercises)) {
      if (!exercise.runOnly) continue;
      expect(exercise.cell, `${dir} ${id}: a runOnly exercise names the cell to run`).toBeDefined();
      for (const lang of ['en', 'ru'] as const) expect(prose(texts[lang].get(id)?.prompt ?? ''), `${dir} ${id} (${lang})`).not.toContain('?');
    }
  });

  it('creates users the fresh data does not have, unless the exercise wants the conflict', () => {
    const seedEmails = new Set(SEED_USERS.map((user) => user.email.toLowerCase()));
    for (const [id, cell] of Object.entries(lesson.cells)) {
      const taken = createdEmails(dir, cell).filter((email) => seedEmails.has(email));
      if (taken.length === 0) continue;
      const wantsConflict = Object.values(lesson.exercises).some((exercise) => exercise.cell === id && expectsConflict(exercise.check));
      expect(wantsConflict, `${dir} cell ${id} creates ${taken.join(', ')}, which a fresh sandbox already has`).toBe(true);
    }
  });

  it('says "network-only" where an exercise needs the same GraphQL cell to reach the server twice', () => {
    // The GraphQL cell starts cache-first: the second run of an unchanged query (headers are not
    // part of urql's cache key) is answered from the cache and never reaches the server.
    for (const [id, exercise] of Object.entries(lesson.exercises)) {
      if (!exercise.cell || lesson.cells[exercise.cell]?.kind !== 'graphql') continue;
      const { check } = exercise;
      const requests =
        check.type === 'message-sequence'
          ? check.steps.filter((step) => step.layer === 'graphql-http').length
          : check.type === 'sequence'
            ? check.steps.length
            : 0;
      if (requests < 2) continue;
      for (const lang of ['en', 'ru'] as const) {
        const text = texts[lang].get(id);
        expect([text?.prompt, ...(text?.hints ?? [])].join('\n'), `${dir} ${id} (${lang})`).toContain('network-only');
      }
    }
  });
});
