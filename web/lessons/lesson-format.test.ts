import { readFileSync } from 'node:fs';
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

describe('the format check of a question about a capture file finds', () => {
  // a capture recorded from python3-grpcio on both ends: a call that succeeds, one that ends NOT_FOUND
  const grpc = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'lessons', '04-grpc', 'captures', 'grpc-not-found.pcapng')));
  const trailers = { layer: 'h2-frame', dir: 'out', fields: { type: 'HEADERS', endStream: true, grpcStatus: 5 } };
  const markdown = '# Title\n\n> Summary.\n\n## Intro {#intro}\n\n:::exercise find\nFind it.\n::hint\nThere.\n:::\n';
  const problemsOf = (exercise: unknown, captureFiles: Record<string, Uint8Array> = { 'captures/grpc.pcapng': grpc }) =>
    lessonFormatProblems({
      folder: '04-grpc',
      slug: 'grpc',
      dir: '/nowhere',
      lessonJson: JSON.stringify({ cells: {}, exercises: { find: exercise } }),
      markdown: { en: markdown, ru: markdown },
      cellFiles: [],
      captureFiles,
    });
  const question = (ask: unknown, more: Record<string, unknown> = {}) => ({ check: { type: 'capture', file: 'captures/grpc.pcapng', ask }, ...more });

  it('nothing in a pick with one right frame, an exchange pick with one right exchange, a value the file holds', () => {
    expect(problemsOf(question({ type: 'pick-message', match: trailers }))).toEqual([]);
    expect(problemsOf(question({ type: 'pick-exchange', match: { request: { path: '^/demo' }, response: { headers: { 'x-looked-up': true } } } }))).toEqual([]);
    expect(problemsOf(question({ type: 'message-answer', match: { layer: 'grpc-status', fields: { codeName: 'NOT_FOUND' } }, field: 'message' }))).toEqual([]);
  });

  it('a pick that more than one frame, or none, answers', () => {
    expect(problemsOf(question({ type: 'pick-message', match: { layer: 'h2-frame', dir: 'out', fields: { type: 'HEADERS', endStream: true } } }))).toEqual([
      '04-grpc/lesson.json: exercise "find": check.ask.match matches 2 messages of captures/grpc.pcapng, not exactly one',
    ]);
    expect(problemsOf(question({ type: 'pick-exchange', match: { request: { method: 'GET' } } }))).toEqual([
      '04-grpc/lesson.json: exercise "find": check.ask.match matches 0 exchanges of captures/grpc.pcapng, not exactly one',
    ]);
  });

  it('a value the file does not hold, or holds twice over with different values', () => {
    expect(problemsOf(question({ type: 'message-answer', match: { layer: 'grpc-status', fields: { codeName: 'UNAVAILABLE' } }, field: 'code' }))).toEqual([
      '04-grpc/lesson.json: exercise "find": check.ask finds no value to compare in captures/grpc.pcapng (no-message)',
    ]);
    expect(
      problemsOf(question({ type: 'answer', exchange: { request: { path: '^/demo' } }, expect: { from: 'response-json', path: 'user.id' } })).join('\n'),
    ).toMatch(/finds no value to compare .* \(no-value\)/);
    expect(problemsOf(question({ type: 'message-answer', match: { layer: 'grpc-status' }, field: 'code' }))).toEqual([
      '04-grpc/lesson.json: exercise "find": check.ask: the messages it matches in captures/grpc.pcapng hold different values of code, so the question has more than one answer',
    ]);
  });

  it('an unknown ask, a cell or runOnly, a file outside captures/, a missing file, a file that is no capture', () => {
    expect(problemsOf(question({ type: 'guess' }))).toEqual([
      '04-grpc/lesson.json: exercise "find": check.ask.type must be one of answer, message-answer, pick-message, pick-exchange',
    ]);
    expect(problemsOf(question({ type: 'pick-message', match: trailers }, { cell: 'get-user', runOnly: true }))).toHaveLength(2);
    expect(problemsOf({ check: { type: 'capture', file: '../secret.pcapng', ask: { type: 'pick-message', match: trailers } } })).toHaveLength(1);
    expect(problemsOf(question({ type: 'pick-message', match: trailers }), {})).toEqual([
      '04-grpc/lesson.json: exercise "find": check.file captures/grpc.pcapng does not exist',
    ]);
    expect(problemsOf(question({ type: 'pick-message', match: trailers }), { 'captures/grpc.pcapng': new TextEncoder().encode('{"log":{}}') })).toEqual([
      '04-grpc/lesson.json: exercise "find": check.file captures/grpc.pcapng is not a packet capture (pcapng or pcap) that reads',
    ]);
  });
});
