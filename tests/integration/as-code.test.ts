import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specOfCellFile } from '../../web/editors/as-code/cell-spec.ts';
import { asCode } from '../../web/editors/as-code/generate.ts';
import { isGenerated, type GeneratedCode } from '../../web/editors/as-code/generated.ts';
import { FETCH_UNSENDABLE } from '../../web/editors/as-code/http-code.ts';
import { connectHttpSpec } from '../../web/editors/as-code/grpc-code.ts';
import type { AsCodeLanguage } from '../../web/editors/as-code/languages.ts';
import type { GrpcSpec, HttpSpec } from '../../web/editors/as-code/spec.ts';
import type { LessonJson } from '../../web/lessons/lesson-types.ts';
import type { HttpExchange } from '../../wire/types.ts';
import { capturedExchanges, grpcDifferences, httpDifferences, studentSession, type StudentSession } from './as-code-capture.ts';
import { REPO_ROOT, runGoGroup, runJavaScriptGroup, runPythonGroup, runTerminalGroup, type Outcome } from './as-code-runners.ts';
import { startServer, type RunningServer } from './start-server.ts';

// "As code", proven to run: for every HTTP, GraphQL (query, mutation), Connect and gRPC cell of
// every lesson, the program each language writes is run against a real listening server, and
// what the server received — read from the capture channel of the session whose curl token the
// program carries, decoded by the inspector's decoders — must be the request the cell sends:
// method, target, every typed header, body bytes; for an RPC, the method, metadata and message.
// One server for the file; each language's programs run as one group (as-code-runners.ts), the
// four groups at once, each in its own session.

const LESSONS = join(REPO_ROOT, 'lessons');

/**
 * Cells whose programs this test does not run, and why (the README names them too):
 * the lifecycle calls take the sandbox down on purpose (a student waits for the restart),
 * Health/Watch streams until the client stops it. Go still builds their programs into its binary.
 */
const NOT_RUN: Record<string, string> = {
  'wirelab.lab.v1.LifecycleService/': 'takes the sandbox down on purpose',
  'grpc.health.v1.Health/Watch': 'streams until the client stops it',
};

interface Cell {
  name: string;
  spec: HttpSpec | GrpcSpec;
}

const notRun = (spec: HttpSpec | GrpcSpec) => spec.kind === 'grpc' && Object.keys(NOT_RUN).some((prefix) => spec.method.startsWith(prefix));

/** Every HTTP, GraphQL (query, mutation), Connect and gRPC cell of every lesson, in lesson order. */
function lessonCells(): Cell[] {
  const dirs = readdirSync(LESSONS)
    .filter((name) => /^\d{2}-/.test(name))
    .sort();
  return dirs.flatMap((dir) => {
    const lesson = JSON.parse(readFileSync(join(LESSONS, dir, 'lesson.json'), 'utf8')) as LessonJson;
    return Object.entries(lesson.cells).flatMap(([id, cell]): Cell[] => {
      const spec = specOfCellFile(cell.kind, readFileSync(join(LESSONS, dir, cell.file), 'utf8'));
      if (!spec || (spec.kind !== 'http' && spec.kind !== 'grpc')) return [];
      return [{ name: `${dir}/${id}`, spec }];
    });
  });
}

type Runner = (programs: GeneratedCode[], compileOnly: GeneratedCode[]) => Promise<{ outputs: string[]; outcome: Outcome }>;

/** compileOnly: the programs of the cells not run; Go builds them into its binary (the others cannot check more than their syntax without running them). */
const RUNNERS: Record<AsCodeLanguage, Runner> = {
  terminal: runTerminalGroup,
  python: runPythonGroup,
  go: runGoGroup,
  javascript: runJavaScriptGroup,
};

interface Ran {
  cell: Cell;
  program: GeneratedCode;
  output: string;
  exchange: HttpExchange | undefined;
}

interface GroupResult {
  /** the curl token the group's programs carried */
  token: string;
  ran: Ran[];
  notOffered: Array<{ cell: string; why: string }>;
  outcome: Outcome;
}

/** Writes every cell's program in one language, runs them as a group, and pairs each with what the server captured. */
async function runLanguage(origin: string, language: AsCodeLanguage, cells: Cell[], notRunCells: Cell[]): Promise<GroupResult> {
  const student: StudentSession = await studentSession(origin);
  try {
    const offered: Array<{ cell: Cell; program: GeneratedCode }> = [];
    const notOffered: GroupResult['notOffered'] = [];
    for (const cell of cells) {
      const result = asCode(cell.spec, language, { origin, token: student.token });
      if (isGenerated(result)) offered.push({ cell, program: result });
      else notOffered.push({ cell: cell.name, why: result.unsupported.en });
    }
    const compileOnly = notRunCells.map((cell) => asCode(cell.spec, language, { origin, token: student.token })).filter(isGenerated);
    const { outputs, outcome } = await RUNNERS[language](
      offered.map((entry) => entry.program),
      compileOnly,
    );
    // each program waited for its answer before the next began: the capture holds them in order
    // (buf curl's reflection calls come between them: wait for each program's own exchange, else report what is there)
    const allThere = () => pairInOrder(offered, outputs, capturedExchanges(student.capture)).every((ran) => ran.exchange?.request.complete);
    await student.capture.waitFor(allThere, 15_000).catch(() => {});
    return { token: student.token, ran: pairInOrder(offered, outputs, capturedExchanges(student.capture)), notOffered, outcome };
  } finally {
    await student.capture.close();
  }
}

/**
 * Each program with the first exchange after the previous program's whose path is its cell's:
 * the programs ran one after another, so a program that sent nothing leaves no hole.
 */
function pairInOrder(offered: Array<{ cell: Cell; program: GeneratedCode }>, outputs: string[], exchanges: HttpExchange[]): Ran[] {
  let cursor = 0;
  return offered.map((entry, index) => {
    const path = entry.cell.spec.kind === 'http' ? entry.cell.spec.target.split('?')[0] : `/${entry.cell.spec.method}`;
    const found = exchanges.findIndex((exchange, at) => at >= cursor && exchange.request.path === path);
    if (found >= 0) cursor = found + 1;
    return { ...entry, output: outputs[index], exchange: found >= 0 ? exchanges[found] : undefined };
  });
}

function differences(ran: Ran, language: AsCodeLanguage, token: string): string[] {
  if (!ran.exchange) return ['nothing captured'];
  const { spec } = ran.cell;
  if (spec.kind === 'http') {
    const skipped = language === 'javascript' ? [...FETCH_UNSENDABLE, '@body'] : [];
    return httpDifferences(ran.exchange, spec, token, skipped);
  }
  // Connect unary JSON in the terminal and Go is the plain HTTP request the cell sends
  if (ran.program.tool.endsWith('(Connect)')) return httpDifferences(ran.exchange, connectHttpSpec(spec), token);
  return grpcDifferences(ran.exchange, spec, token);
}

let server: RunningServer;
const cells = lessonCells().filter((cell) => !notRun(cell.spec));
const notRunCells = lessonCells().filter((cell) => notRun(cell.spec));
const results = new Map<AsCodeLanguage, GroupResult>();

beforeAll(async () => {
  server = await startServer({ rateLimit: false });
  const languages: AsCodeLanguage[] = ['terminal', 'python', 'go', 'javascript'];
  await Promise.all(
    languages.map(async (language) => {
      results.set(language, await runLanguage(server.origin, language, cells, notRunCells));
    }),
  );
}, 600_000);
afterAll(() => server?.close());

describe('"As code" for the HTTP, GraphQL, Connect and gRPC cells of every lesson', () => {
  it('finds the cells', () => {
    expect(cells.length).toBeGreaterThan(60);
  });

  for (const language of ['terminal', 'python', 'go', 'javascript'] as const) {
    it(`${language}: every program sends what its cell sends, and it lands in the student's inspector`, () => {
      const result = results.get(language);
      if (!result) throw new Error('the group did not run');
      const failures = result.ran
        .map((ran) => ({
          cell: ran.cell.name,
          tool: ran.program.tool,
          differences: differences(ran, language, result.token),
          output: ran.output.slice(0, 160),
        }))
        .filter((failure) => failure.differences.length > 0);
      expect(failures, `stderr: ${result.outcome.stderr.slice(0, 2000)}`).toEqual([]);
      console.log(
        `as-code ${language}: ${result.ran.length} cells run; not offered: ${result.notOffered.length} (${[...new Set(result.notOffered.map((entry) => entry.why))].join(' | ')})`,
      );
      // every language has a client for every HTTP and RPC cell (Go's grpc-go included)
      expect(result.notOffered).toEqual([]);
    });
  }
});
