// Lesson 15: its exercises count a run of "check my server" that fixed the student's own server —
// checks that failed in an earlier run pass now and none fails — as the server judged it from the
// runs it made (server/own-server/fixed-checks.ts; tests/integration/own-server-exercise-verdicts.test.ts
// against real servers). The page reads that verdict in the route's answer it captured: never
// Wirelab itself, a report with a failure, another protocol's suite, or a run the server did not
// judge. The commands the lesson tells the student to type are the starters' own (starters/python/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKED_PROTOCOLS, countOutcomes, type CheckedProtocol, type CheckOutcome, type CheckReport } from '../../contracts/own-server/check-result.ts';
import type { OwnServerExerciseVerdict } from '../../contracts/exercise-checks/own-server-fixed.ts';
import { parseOwnServerCell } from '../../web/editors/own-server/own-server-cell-config.ts';
import { evaluateCheck, type Check } from '../../contracts/exercise-checks/evaluate-check.ts';
import { exchange } from '../../contracts/exercise-checks/exchange-sketch.ts';
import { portOf } from '../../web/own-server/report-view.ts';

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..', '..');
const lesson = JSON.parse(readFileSync(join(HERE, 'lesson.json'), 'utf8')) as {
  cells: Record<string, { kind: string; file: string }>;
  exercises: Record<string, { cell: string; check: Check }>;
};
const prose = { en: readFileSync(join(HERE, 'en.md'), 'utf8'), ru: readFileSync(join(HERE, 'ru.md'), 'utf8') };
const startersReadme = readFileSync(join(ROOT, 'starters', 'python', 'README.md'), 'utf8');

function report(protocol: CheckedProtocol, outcomes: CheckOutcome[], targetIsWirelab = false): CheckReport {
  const results = outcomes.map((outcome, index) => ({
    id: `check-${index}`,
    name: { en: 'a check', ru: 'проверка' },
    outcome,
    sent: 'GET / HTTP/1.1',
    expected: { en: 'something', ru: 'что-то' },
    why: { clause: 'RFC 9110', text: { en: 'because', ru: 'потому что' } },
    got: 'HTTP/1.1 200 OK',
  }));
  return { protocol, target: '127.0.0.1:8000', reachable: true, targetIsWirelab, counts: countOutcomes(results), results };
}

/** The server's verdict on a run, as the route adds it to its answer. */
const judged = (passed: boolean, fixed: string[] = []): OwnServerExerciseVerdict => ({ passed, fixed, note: { en: 'note', ru: 'заметка' } });

/** The page's POST of a run and the route's answer, as the capture decodes them. */
function run(asked: CheckedProtocol, answer: (CheckReport & { exercise?: OwnServerExerciseVerdict }) | { status: number; body: unknown }, at = 1) {
  const [status, body] = 'protocol' in answer ? [200, answer] : [answer.status, answer.body];
  return exchange({
    at,
    method: 'POST',
    target: '/_wirelab/own-server/checks',
    requestHeaders: [['content-type', 'application/json']],
    requestBody: JSON.stringify({ protocol: asked, target: '127.0.0.1:8000' }),
    status,
    responseHeaders: [['content-type', 'application/json; charset=utf-8']],
    responseBody: JSON.stringify(body),
  });
}

const exerciseOf = (protocol: CheckedProtocol) => lesson.exercises[`${protocol}-passes`].check;
const allPass = (count: number): CheckOutcome[] => Array.from({ length: count }, () => 'pass');

describe('the exercise check of lesson 15, as the page reads it', () => {
  it.each(['rest', 'websocket', 'sse', 'grpc', 'graphql', 'mqtt'] as const)('%s: the server judges, from its own runs', (protocol) => {
    expect(exerciseOf(protocol)).toEqual({ type: 'own-server-fixed', protocol });
    const fixedNow = { ...report(protocol, allPass(5)), exercise: judged(true, ['check-1']) };
    expect(evaluateCheck(exerciseOf(protocol), [run(protocol, fixedNow)]).passed).toBe(true);
  });

  it('does not count a run the server said fixed nothing: all passed, yet no earlier failure; Wirelab itself', () => {
    const firstRun = run('rest', { ...report('rest', allPass(16)), exercise: judged(false) });
    expect(evaluateCheck(exerciseOf('rest'), [firstRun])).toMatchObject({ passed: false, miss: { kind: 'response-differs', difference: { what: 'body' } } });
    const itself = run('rest', { ...report('rest', allPass(16), true), exercise: judged(false) });
    expect(evaluateCheck(exerciseOf('rest'), [itself]).passed).toBe(false);
  });

  it('does not count a run the server did not judge (a curl token’s, an old server’s): counts alone prove nothing', () => {
    expect(evaluateCheck(exerciseOf('rest'), [run('rest', report('rest', allPass(16)))]).passed).toBe(false);
  });

  it('does not count another protocol’s suite, however well it went', () => {
    const websocket = run('websocket', { ...report('websocket', allPass(10)), exercise: judged(true, ['check-0']) });
    expect(evaluateCheck(exerciseOf('rest'), [websocket])).toMatchObject({ passed: false, miss: { kind: 'no-request' } });
    expect(evaluateCheck(exerciseOf('websocket'), [websocket]).passed).toBe(true);
  });

  it('does not count a refused request', () => {
    expect(evaluateCheck(exerciseOf('sse'), [run('sse', { status: 429, body: { title: 'Too Many Requests', exercise: judged(true) } })]).passed).toBe(false);
  });

  it('stays passed in a later run the server says is passed already, after a failure', () => {
    const traffic = [
      run('sse', { ...report('sse', ['pass', 'fail', 'pass', 'pass', 'pass']), exercise: judged(false) }, 1),
      run('sse', { ...report('sse', allPass(5)), exercise: judged(true, ['check-1']) }, 2),
      run('sse', { ...report('sse', ['fail', 'pass', 'pass', 'pass', 'pass']), exercise: judged(true) }, 3),
    ];
    expect(evaluateCheck(exerciseOf('sse'), traffic).passed).toBe(true);
  });
});

describe('lesson 15’s cells and commands', () => {
  const cells = Object.entries(lesson.cells).map(([id, cell]) => {
    const parsed = parseOwnServerCell(readFileSync(join(HERE, cell.file), 'utf8'));
    if (!parsed.ok) throw new Error(`${cell.file}: ${parsed.problems.join('; ')}`);
    return { id, kind: cell.kind, ...parsed.config };
  });

  it('has one own-server cell per suite, each with the exercise of its own protocol', () => {
    for (const cell of cells) {
      expect(cell.kind).toBe('own-server');
      expect(CHECKED_PROTOCOLS).toContain(cell.protocol);
      expect(lesson.exercises[`${cell.protocol}-passes`].cell).toBe(cell.id);
    }
    expect(cells.map((cell) => cell.protocol).sort()).toEqual([...CHECKED_PROTOCOLS].sort());
    expect(Object.keys(lesson.exercises)).toHaveLength(cells.length);
  });

  it('aims each cell at the port the starter’s README runs that server on', () => {
    const file = {
      rest: 'rest_server.py',
      websocket: 'websocket_server.py',
      sse: 'sse_server.py',
      grpc: 'grpc_server.py',
      graphql: 'graphql_server.py',
      gateway: 'gateway_server.py',
      'long-polling': 'long_polling_server.py',
      'socket-io': 'socket_io_server.py',
      'grpc-websocket': 'grpc_websocket_server.py',
    } as const;
    for (const cell of cells) {
      // no starter broker: the lesson runs Debian's mosquitto on the cell's port, from a configuration
      // file whose listener names that port (a first run without allow_anonymous fails: issue 55)
      if (cell.protocol === 'mqtt') {
        for (const lang of ['en', 'ru'] as const) {
          expect(prose[lang]).toContain(`listener ${portOf(cell.target)} 127.0.0.1`);
          expect(prose[lang]).toContain('mosquitto -c broker.conf');
        }
        continue;
      }
      const runs = new RegExp(`python ${file[cell.protocol as keyof typeof file]} --port (\\d+)`).exec(startersReadme);
      expect(runs, `${cell.protocol} in starters/python/README.md`).not.toBeNull();
      expect(portOf(cell.target)).toBe(Number(runs![1]));
      expect(cell.target).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it.each(['en', 'ru'] as const)('shows in %s only starter commands the README has, with faults it lists', (lang) => {
    const commands = [...prose[lang].matchAll(/(?:`|^)(python \w+\.py --port \d+)(?: --fault ([a-z-]+))?/gm)];
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const [, command, fault] of commands) {
      // the README's command may go on (the gateway's --grpc): it starts the same way, up to a space or its end
      expect(startersReadme, command).toMatch(new RegExp(`\`${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\` ]`));
      if (fault) expect(startersReadme, fault).toMatch(new RegExp(`\\| \`${fault}\` \\|`));
    }
    expect(prose[lang]).toContain('npm run check-server -- rest 127.0.0.1:8000');
  });
});

/** Each exercise's prompt: the text between `:::exercise <id>` and its first hint (or its end). */
function promptOf(text: string, id: string): string {
  const start = text.indexOf(`:::exercise ${id}\n`);
  if (start < 0) return '';
  const body = text.slice(start + `:::exercise ${id}\n`.length);
  return body.slice(0, Math.min(...['\n::hint', '\n:::'].map((end) => body.indexOf(end)).filter((at) => at >= 0)));
}

// A first-run pass does not count, so a stock server that passes everything (mosquitto; a server the
// student wrote from scratch) needs a failing first run, and the prompt says how, not a hint (issue 55)
describe('every exercise of lesson 15 says in its prompt how to make the first run fail', () => {
  const exercises = Object.keys(lesson.exercises);
  it.each(exercises.flatMap((id) => (['en', 'ru'] as const).map((lang) => [id, lang] as const)))('%s (%s)', (id, lang) => {
    const prompt = promptOf(prose[lang], id);
    expect(prompt, `${id} has no prompt in ${lang}.md`).not.toBe('');
    if (id === 'mqtt-passes') {
      // the broker has no skeleton: the steps' broker.conf without allow_anonymous is the failing first run
      expect(prompt).toContain('`broker.conf`');
      expect(prompt).toContain('`allow_anonymous true`');
      expect(prompt).toContain('CONNACK 5');
      return;
    }
    // the untouched skeleton first; a server of one's own that passed at once: break one named thing, run, put it back
    expect(prompt).toMatch(lang === 'en' ? /Run the checks against the untouched skeleton first/ : /Сначала запустите проверки на нетронутой заготовке/);
    expect(prompt).toMatch(
      lang === 'en' ? /break one thing on purpose \([^)]+\), run the checks, put it back/ : /нарочно сломайте одну вещь \([^)]+\), запустите проверки, верните/,
    );
  });
});
