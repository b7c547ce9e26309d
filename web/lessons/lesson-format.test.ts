import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLessonFolders, type LessonFolder } from './lesson-files.ts';
import { lessonFormatProblems } from './lesson-format.ts';

const lessons = readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons'));

describe('every lesson on disk follows lessons/README.md', () => {
  it('the course has lessons', () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

  for (const lesson of lessons) {
    it(lesson.folder, () => {
      expect(lessonFormatProblems(lesson)).toEqual([]);
    });
  }
});

describe('the format check finds', () => {
  const lessonJson = JSON.stringify({
    cells: { 'create-user': { kind: 'http', file: 'cells/create-user.http' } },
    exercises: { 'get-201': { cell: 'create-user', check: { type: 'exchange', response: { status: 201 } } } },
  });
  const markdown = (body: string) => `# Title\n\n> Summary.\n\n${body}\n`;
  const good = `## Intro {#intro}\n\n::cell create-user\n\n:::exercise get-201\nDo it.\n::hint\nLike this.\n:::\n\n### More {#more}\n`;
  const folder = (en: string, ru: string, overrides: Partial<LessonFolder> = {}): LessonFolder => ({
    folder: '02-rest',
    slug: 'rest',
    dir: '/nowhere',
    lessonJson,
    markdown: { en: markdown(en), ru: markdown(ru) },
    cellFiles: ['cells/create-user.http'],
    ...overrides,
  });

  it('nothing in a well-formed lesson', () => {
    expect(lessonFormatProblems(folder(good, good))).toEqual([]);
  });

  it('runOnly on an exercise that asks for an answer, and a runOnly that is not true', () => {
    const withExercise = (exercise: unknown) =>
      JSON.stringify({ cells: { 'create-user': { kind: 'http', file: 'cells/create-user.http' } }, exercises: { 'get-201': exercise } });
    const answer = { type: 'message-answer', match: { layer: 'grpc-message' }, field: 'length' };
    expect(lessonFormatProblems(folder(good, good, { lessonJson: withExercise({ cell: 'create-user', runOnly: true, check: answer }) }))).toEqual([
      '02-rest/lesson.json: exercise "get-201" asks for an answer, so it is more than running the cell: drop runOnly',
    ]);
    expect(
      lessonFormatProblems(folder(good, good, { lessonJson: withExercise({ cell: 'create-user', runOnly: 'yes', check: { type: 'exchange' } }) })),
    ).toEqual(['02-rest/lesson.json: exercise "get-201": runOnly is true or absent']);
    expect(lessonFormatProblems(folder(good, good, { lessonJson: withExercise({ cell: 'create-user', runOnly: true, check: { type: 'exchange' } }) }))).toEqual(
      [],
    );
  });

  it('different heading ids', () => {
    const problems = lessonFormatProblems(folder(good, good.replace('{#more}', '{#further}')));
    expect(problems.join('\n')).toMatch(/differ in heading ids/);
  });

  it('a heading without an id', () => {
    expect(lessonFormatProblems(folder(good, good.replace(' {#more}', ''))).join('\n')).toMatch(/ru\.md:\d+: heading "More" has no \{#id\}/);
  });

  it('cells placed differently', () => {
    const problems = lessonFormatProblems(folder(good, good.replace('::cell create-user\n', '')));
    expect(problems.join('\n')).toMatch(/differ in placed cells/);
  });

  it('exercises in a different order or missing', () => {
    const problems = lessonFormatProblems(folder(good, good.replace(/:::exercise[\s\S]*?\n:::\n/, '')));
    expect(problems.join('\n')).toMatch(/differ in exercises/);
  });

  it('cells and exercises lesson.json lacks', () => {
    const text = good.replace('::cell create-user', '::cell delete-user').replace(':::exercise get-201', ':::exercise get-204');
    const problems = lessonFormatProblems(folder(text, text)).join('\n');
    expect(problems).toMatch(/places cell "delete-user" that lesson.json lacks/);
    expect(problems).toMatch(/places exercise "get-204" that lesson.json lacks/);
  });

  it('cell files that do not exist', () => {
    expect(lessonFormatProblems(folder(good, good, { cellFiles: [] }))).toContain(
      '02-rest/lesson.json: cell "create-user" points to missing file cells/create-user.http',
    );
  });

  it('unclosed blocks, stray directives, a missing file', () => {
    const problems = lessonFormatProblems(folder(`:::note\nText\n`, '::hint\n::frobnicate', { markdown: { en: null, ru: null } }));
    expect(problems).toContain('02-rest/en.md is missing');
    const broken = lessonFormatProblems(folder(':::note\nText', '::hint\n::frobnicate')).join('\n');
    expect(broken).toMatch(/en\.md:5: the ::: block opened here is never closed/);
    expect(broken).toMatch(/ru\.md:5: ::hint outside an exercise/);
    expect(broken).toMatch(/ru\.md:6: unknown directive "::frobnicate"/);
  });

  it('directives inside code fences are text, not directives', () => {
    const fenced = `${good}\n\`\`\`\n::cell nothing\n:::exercise nope\n\`\`\`\n`;
    expect(lessonFormatProblems(folder(fenced, fenced))).toEqual([]);
  });
});
