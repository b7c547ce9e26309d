// What a lesson or a starter's README says about the code stays what the code does (issue 55):
// counts of checks come from the suites at build time (`{{checks.rest}}`, lessons/code-figures.ts),
// never typed; every check a text names is one of its suite's; the faults a README lists fail
// exactly what the integration tests assert; every repository path a lesson names exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CheckedProtocol, type CheckResult, countOutcomes, summaryLine, summaryLineRu } from '../contracts/own-server/check-result.ts';
import { summary } from '../web/own-server/report-view.ts';
import { expandFigures, figureNames } from '../web/lessons/lesson-figures.ts';
import { readLessonFolders } from '../web/lessons/lesson-files.ts';
import { defaultTimeouts } from '../server/listener/one-port-server.ts';
import { codeFigures, SUITE_CHECK_IDS } from './code-figures.ts';

const ROOT = join(import.meta.dirname, '..');
const lessons = readLessonFolders(join(ROOT, 'lessons'));
const texts = lessons.flatMap((lesson) =>
  (['en', 'ru'] as const).map((lang) => ({ file: `lessons/${lesson.folder}/${lang}.md`, text: lesson.markdown[lang] ?? '' })),
);
const STARTER_READMES = ['starters/python/README.md', 'starters/python/README.ru.md', 'starters/go/README.md', 'starters/go/README.ru.md'];
/** Pages whose words quote the suites: the "check my server" page (its strings name each suite). */
const PAGE_STRINGS = ['web/own-server/strings.ts'];
const readmes = [...STARTER_READMES, ...PAGE_STRINGS].map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));

/** Numbers written as words, from two up (one check is no figure): English, then Russian stems. */
const WORDS_EN = String.raw`two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty`;
const WORDS_RU = String.raw`дв[аеу]х?|тр[иеё]х?|четыр[еёх]\S*|пят\S*|шест\S*|сем\S*|восем\S*|девят\S*|десят\S*|одиннадцат\S*|двенадцат\S*|тринадцат\S*|четырнадцат\S*|пятнадцат\S*|шестнадцат\S*|семнадцат\S*|восемнадцат\S*|девятнадцат\S*|двадцат\S*|тридцат\S*|сорок\S*|пятьдесят\S*`;

/** Ways a text states a count of checks: "34 checks", "Thirteen checks fail", «Проходят все 17», "15 passed, 0 failed". */
const TYPED_COUNTS: RegExp[] = [
  new RegExp(String.raw`(?<![\w.])(?:\d+|${WORDS_EN})(?:[- ]\w+)?\s+(?:\S+\s+){0,2}checks?\b`, 'gi'),
  /\ball \d+ (?:pass|fail)/gi,
  /\b\d+ of \d+\b/g,
  /\d+ passed, \d+ failed/g,
  new RegExp(String.raw`(?<![\p{L}\d])(?:\d+|${WORDS_RU})(?:\s+(?:${WORDS_RU}))?\s+(?:\S+\s+)?проверо?к`, 'giu'),
  /(?<!\p{L})[Вв]се \d+(?!\p{L})/gu,
  /\d+ из \d+/g,
  /\d+ пройдено, \d+ не пройдено/g,
  // the result lines the page and the command line print (the test below makes one of each)
  /\d+ not offered/g,
  /(?<!\p{L})(?:не )?пройдено:? \d+/gu,
  /(?:не предлагается:|сервер не предлагает) \d+/gu,
];

/** Every typed count of checks in a text, with its line number. */
function typedCounts(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      TYPED_COUNTS.flatMap((pattern) => [...line.replace(/\{\{[^}]*\}\}/g, '').matchAll(pattern)].map((match) => `${index + 1}: «${match[0]}»`)),
    );
}

describe('figures about the code come from the code', () => {
  it('every {{figure}} a lesson names is one the code gives', () => {
    const figures = codeFigures();
    const unknown = texts.flatMap(({ file, text }) => expandFigures(text, figures).unknown.map((name) => `${file}: {{${name}}}`));
    expect(unknown).toEqual([]);
  });

  it('gives every suite its count of checks', () => {
    const figures = codeFigures();
    for (const [protocol, ids] of Object.entries(SUITE_CHECK_IDS)) expect(figures[`checks.${protocol}`]).toBe(ids.length);
  });

  it('no lesson, starter README or page string types a count of checks (write {{checks.<protocol>}} or leave the count to the report)', () => {
    const typed = [...texts, ...readmes].flatMap(({ file, text }) => typedCounts(text).map((found) => `${file}:${found}`));
    expect(typed).toEqual([]);
  });

  // the listener's module is the whole server: the build does not load it, so a test holds this one
  it('lesson 01 quotes the keep-alive timeout the listener announces', () => {
    const seconds = defaultTimeouts.keepAliveMs / 1000;
    const lesson01 = texts.filter(({ file }) => file.includes('/01-'));
    for (const { file, text } of lesson01) expect(text, file).toContain(`Keep-Alive: timeout=${seconds}`);
    // the prose spells it out: "five seconds", «пять секунд», «пяти секунд»
    expect(seconds, 'lesson 01 spells the timeout out as five seconds: change its words with the timeout').toBe(5);
  });

  // Lesson 15 quotes no result line: the report shows it. One typed into a text would go stale at the
  // next check a suite gains, so each form the page and the command line print must be caught above.
  it('catches a result line typed as the page or the command line prints it, in both languages', () => {
    const outcomes = ['pass', 'pass', 'fail', 'not-offered'] as const;
    const results = outcomes.map((outcome, index) => ({ id: `check-${index}`, outcome }) as unknown as CheckResult);
    const counts = countOutcomes(results);
    const lines = [summary(results, 'en'), summary(results, 'ru'), summaryLine(counts), summaryLineRu(counts)];
    for (const line of lines) expect(typedCounts(`The report ends with ${line}.`), line).not.toEqual([]);
    // and a line with nothing failed or not offered too
    const passing = results.slice(0, 2);
    for (const line of [summary(passing, 'en'), summary(passing, 'ru'), summaryLine(countOutcomes(passing)), summaryLineRu(countOutcomes(passing))])
      expect(typedCounts(line), line).not.toEqual([]);
  });

  it('lesson 15 quotes its suites through figures', () => {
    const names = texts.filter(({ file }) => file.includes('15-')).flatMap(({ text }) => figureNames(text));
    expect(names).toEqual(expect.arrayContaining(['checks.rest', 'checks.mqtt']));
  });
});

/** Lesson 15's sections and the suites their text is about. */
const SECTION_SUITES: Record<string, CheckedProtocol[]> = {
  rest: ['rest'],
  reading: ['rest'],
  'rest-fix': ['rest'],
  websocket: ['websocket'],
  sse: ['sse'],
  grpc: ['grpc'],
  graphql: ['graphql'],
  mqtt: ['mqtt'],
  'more-suites': ['gateway', 'long-polling', 'socket-io'],
  'grpc-websocket': ['grpc-websocket'],
};
/** Hyphenated names in code spans of those sections that are not check ids. */
const NOT_CHECK_IDS = new Set(['grpc-timeout', 'max-qos', 'retain-available']);

/** Each `## … {#id}` section's text, by id. */
function sections(markdown: string): Map<string, string> {
  const result = new Map<string, string>();
  let current = '';
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,3} .*\{#([a-z0-9-]+)\}\s*$/.exec(line);
    if (heading) current = heading[1]!;
    else result.set(current, `${result.get(current) ?? ''}${line}\n`);
  }
  return result;
}

describe("the checks a text names are its suite's", () => {
  for (const lang of ['en', 'ru'] as const) {
    it(`lessons/15-build-your-own-server/${lang}.md: each section names only checks of its suite`, () => {
      const lesson = lessons.find((each) => each.folder.startsWith('15-'))!;
      const strangers: string[] = [];
      for (const [id, text] of sections(lesson.markdown[lang] ?? '')) {
        const suites = SECTION_SUITES[id];
        if (!suites) continue;
        const known = new Set(suites.flatMap((protocol) => SUITE_CHECK_IDS[protocol]));
        for (const [, name] of text.matchAll(/`([a-z][a-z0-9]*(?:-[a-zA-Z0-9]+)+)`/g))
          if (!known.has(name!) && !NOT_CHECK_IDS.has(name!)) strangers.push(`#${id}: \`${name}\``);
      }
      expect(strangers).toEqual([]);
    });
  }
});

/** Is `id` a check of the suite a fault table's server column names (`rest`, `grpc`…)? */
function isCheckId(server: string, id: string): boolean {
  return (SUITE_CHECK_IDS as Record<string, readonly string[] | undefined>)[server]?.includes(id) ?? false;
}

/** The fault table of a starter README: server → fault → the checks it says fail. */
function faultTable(text: string): Array<{ server: string; fault: string; fails: string[] }> {
  return [...text.matchAll(/^\| ([a-z-]+) \| `([a-z0-9-]+)` \| (.+) \|$/gm)].map(([, server, fault, fails]) => ({
    server: server!,
    fault: fault!,
    // "none: … say NOT OFFERED", «ни одна: …»: nothing fails; otherwise the ids before any remark
    fails: /^(?:none|ни одна)(?!\p{L})/u.test(fails!)
      ? []
      : [...fails!.split(' — ')[0]!.matchAll(/`([a-zA-Z0-9-]+)`/g)]
          .map((match) => match[1]!)
          .filter((id) => isCheckId(server!, id))
          .sort(),
  }));
}

/** What a starter's integration test asserts each fault fails: its `it.each` rows `['fault', [ids…], …]`. */
function assertedFaults(testFile: string): Map<string, string[]> {
  const source = readFileSync(join(ROOT, testFile), 'utf8');
  return new Map(
    [...source.matchAll(/\[\s*'([a-z0-9-]*)',\s*\[([^\]]*)\]/g)].map(([, fault, ids]) => [
      fault!,
      [...ids!.matchAll(/'([a-zA-Z0-9-]+)'/g)].map((id) => id[1]!).sort(),
    ]),
  );
}

describe("the starters' READMEs list the faults the integration tests assert", () => {
  for (const file of STARTER_READMES) {
    it(`${file}: every row fails exactly what tests/integration asserts`, () => {
      const language = file.split('/')[1]!;
      const rows = faultTable(readFileSync(join(ROOT, file), 'utf8'));
      expect(rows.length, `${file} has no fault table`).toBeGreaterThan(0);
      const drift: string[] = [];
      for (const row of rows) {
        const testFile = `tests/integration/own-server-${language}-${row.server}.test.ts`;
        if (!existsSync(join(ROOT, testFile))) {
          drift.push(`${row.server} ${row.fault}: no ${testFile}`);
          continue;
        }
        const asserted = assertedFaults(testFile).get(row.fault);
        if (!asserted) drift.push(`${row.server} ${row.fault}: ${testFile} does not test this fault`);
        else if (asserted.join(' ') !== row.fails.join(' '))
          drift.push(`${row.server} ${row.fault}: README says ${row.fails.join(', ') || 'none'}; the test asserts ${asserted.join(', ') || 'none'}`);
      }
      expect(drift).toEqual([]);
    });
  }
});

/** Folders of this repository a lesson may name. */
const TOP_FOLDERS = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
  .map((entry) => entry.name);

/** Every file and folder under `dir`, as absolute paths (folders with a trailing slash). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) => `${join(entry.parentPath, entry.name)}${entry.isDirectory() ? '/' : ''}`);
}
/** What a starter's build writes and the repository does not hold. */
const GENERATED = new Set(['gen/', 'go.sum']);
/** A code span that names a file or folder: a relative path ending in `/` or in a source file's extension (no URL, host or placeholder). */
function looksLikeRepositoryPath(span: string): boolean {
  if (/[…*<>:\\]/.test(span) || span.startsWith('/') || span.startsWith('.')) return false;
  return /^[\w.-]+(?:\/[\w.-]+)*\/$/.test(span) || /^[\w-]+(?:\/[\w.-]+)*\.(?:py|go|sh|proto|txt|mod|ts|json|md)$/.test(span);
}

describe('every repository path a lesson names exists', () => {
  it('in code spans and ::source lines of every lesson, in both languages', () => {
    const pathShape = new RegExp(String.raw`^(?:${TOP_FOLDERS.join('|')})/[A-Za-z0-9_./-]*$`);
    const missing: string[] = [];
    for (const { file, text } of texts)
      for (const [, path] of text.matchAll(/`([^`\s]+)`/g)) if (pathShape.test(path!) && !existsSync(join(ROOT, path!))) missing.push(`${file}: \`${path}\``);
    expect(missing).toEqual([]);
  });

  // a README names files relative to its folder (`complete/`, `grpc/reflection.go`), to the repository
  // (`proto/…`, `tests/integration/…`) or by a name alone (`users.proto`, `transport.go`)
  it("in code spans of the starters' READMEs, in both languages", () => {
    const missing: string[] = [];
    for (const file of STARTER_READMES) {
      const folder = join(ROOT, file, '..');
      const known = [...filesUnder(folder), ...filesUnder(join(ROOT, 'proto'))];
      for (const [, path] of readFileSync(join(ROOT, file), 'utf8').matchAll(/`([^`\s]+)`/g))
        if (
          looksLikeRepositoryPath(path!) &&
          !GENERATED.has(path!) &&
          !existsSync(join(folder, path!)) &&
          !existsSync(join(ROOT, path!)) &&
          !known.some((each) => each.endsWith(`/${path}`))
        )
          missing.push(`${file}: \`${path}\``);
    }
    expect(missing).toEqual([]);
  });

  it('in lesson 15, every starter file it names by its name alone', () => {
    const starterFiles = new Set(
      readdirSync(join(ROOT, 'starters'), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name),
    );
    const missing: string[] = [];
    for (const { file, text } of texts.filter(({ file }) => file.includes('15-')))
      for (const [, name] of text.matchAll(/`(?:\.\/)?([a-z_]+\.(?:py|sh|go))\b/g)) if (!starterFiles.has(name!)) missing.push(`${file}: ${name}`);
    expect(missing).toEqual([]);
  });
});

/** The versions the starters' own files pin: go.mod's `go` line and its modules, requirements.txt's lines. */
const goMod = readFileSync(join(ROOT, 'starters/go/go.mod'), 'utf8');
const requirements = readFileSync(join(ROOT, 'starters/python/requirements.txt'), 'utf8');
const GO_VERSION = /^go (\d+\.\d+)$/m.exec(goMod)![1]!;
const PROTOBUF_GO = /^\s*google\.golang\.org\/protobuf (v[\d.]+)$/m.exec(goMod)![1]!;
const GRAPHQL_CORE_MAJOR = /^graphql-core==(\d+)\./m.exec(requirements)![1]!;

describe('the versions a lesson, a README or the page quotes are the ones the starters pin', () => {
  const quoting = [...texts.filter(({ file }) => file.includes('15-')), ...readmes];

  it(`the Go version, as go.mod's \`go ${GO_VERSION}\``, () => {
    const quoted = quoting.flatMap(({ file, text }) =>
      [...text.matchAll(/(?:Go\s+|\()(\d+\.\d+) (?:or newer|или новее)/g)].map((match) => `${file}: ${match[1]}`),
    );
    expect(quoted.length, 'lesson 15, the Go READMEs and the page name the Go version').toBeGreaterThanOrEqual(5);
    expect(quoted.filter((each) => !each.endsWith(`: ${GO_VERSION}`))).toEqual([]);
  });

  it(`protoc-gen-go, as go.mod's google.golang.org/protobuf ${PROTOBUF_GO}`, () => {
    const quoted = quoting.flatMap(({ file, text }) => [...text.matchAll(/protoc-gen-go@(v[\d.]+)/g)].map((match) => `${file}: ${match[1]}`));
    expect(quoted.length).toBeGreaterThanOrEqual(4);
    expect(quoted.filter((each) => !each.endsWith(`: ${PROTOBUF_GO}`))).toEqual([]);
  });

  it('protoc-gen-go-grpc, the same in lesson 15 as in the Go README', () => {
    const version = (text: string) => [...text.matchAll(/protoc-gen-go-grpc@(v[\d.]+)/g)].map((match) => match[1]);
    const readme = version(readFileSync(join(ROOT, 'starters/go/README.md'), 'utf8'));
    expect(readme).toHaveLength(1);
    for (const { file, text } of quoting) for (const quoted of version(text)) expect(quoted, file).toBe(readme[0]);
  });

  it(`graphql-core's major version in lesson 15, as requirements.txt's ${GRAPHQL_CORE_MAJOR}`, () => {
    for (const { file, text } of texts.filter(({ file }) => file.includes('15-')))
      expect(
        [...text.matchAll(/graphql-core (\d+)(?![\d.])/g)].map((match) => match[1]),
        file,
      ).toEqual([GRAPHQL_CORE_MAJOR]);
  });
});
