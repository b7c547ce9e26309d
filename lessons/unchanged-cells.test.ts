import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { parseHttpRequest } from '../web/editors/http/parse-http-request.ts';
import { parseGrpcCell } from '../web/editors/grpc/grpc-cell-config.ts';
import { findMethod } from '../web/editors/grpc/method-catalog.ts';
import { parseCellText, parseHeaderLines, parseVariables } from '../web/editors/graphql/cell-format.ts';
import { operationSource, outlineDocument, pickOperation } from '../web/editors/graphql/operations.ts';
import { checkNeedsAnswer, evaluateCheck, type Check } from '../contracts/exercise-checks/evaluate-check.ts';
import type { LessonJson } from '../web/lessons/lesson-types.ts';
import type { HeaderList, HttpExchange } from '../wire/types.ts';

// "Press Run and nothing else": a student who runs every HTTP, Connect JSON and GraphQL cell of a lesson
// as it stands, once each in the lesson's order, and then the exercise's own cell twice more,
// on fresh data. Whatever exercise that passes asks for no change at all, so lesson.json must
// say so (`runOnly`), and the card tells the student (lessons/README.md, "Exercises"). The
// other direction holds too: an exercise marked runOnly must pass that way.
//
// The requests go through the real app (app.inject, a fresh sandbox per exercise) and the
// checks are the ones the page runs; only the exchange is assembled from the reply instead of
// decoded from captured bytes. Message checks (frames, decoded gRPC messages) need the
// browser's traffic: tests/e2e/unchanged-consoles.test.ts does the same for the realtime consoles
// in Chromium; answer checks cannot pass without an answer.

const LESSONS_ROOT = dirname(fileURLToPath(import.meta.url));
const lessonDirs = readdirSync(LESSONS_ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d{2}-[a-z0-9-]+$/.test(entry.name))
  .map((entry) => entry.name);

interface CellRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** a cache-first GraphQL query: pressing Run again on the same text is answered from the cache */
  cachedAfterFirst?: boolean;
}

/** What pressing Run on the unchanged cell sends, or null for cells this test cannot send. */
function cellRequest(dir: string, cell: { kind: string; file: string }): CellRequest | null {
  const text = readFileSync(join(LESSONS_ROOT, dir, cell.file), 'utf8');
  if (cell.kind === 'http') {
    const parsed = parseHttpRequest(text);
    if (!parsed.ok) return null;
    const { request } = parsed;
    const headers = Object.fromEntries(request.headers.map((header) => [header.name.toLowerCase(), header.value]));
    return { method: request.method, url: request.target, headers, body: request.body ?? undefined };
  }
  if (cell.kind === 'grpc') {
    const parsed = parseGrpcCell(text);
    if (!parsed.ok || parsed.config.protocol !== 'connect-json' || findMethod(parsed.config.method)?.methodKind !== 'unary') return null;
    // The lifecycle cells take the sandbox down on purpose (a drain and up to a minute of
    // UNAVAILABLE): a student waits for the restart before the next step, this test cannot.
    if (parsed.config.method.startsWith('wirelab.lab.v1.LifecycleService/')) return null;
    const { config } = parsed;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'connect-protocol-version': '1', ...config.metadata };
    if (config.timeoutMs !== undefined) headers['connect-timeout-ms'] = String(config.timeoutMs);
    return { method: 'POST', url: `/${config.method}`, headers, body: JSON.stringify(config.request) };
  }
  if (cell.kind === 'graphql') {
    // the editor's defaults: POST, cache-first, the first operation of the document
    const source = parseCellText(text);
    const outline = outlineDocument(source.document);
    const variables = parseVariables(source.variables);
    const extraHeaders = parseHeaderLines(source.headers);
    if (!outline.ok || !variables.ok || !extraHeaders.ok) return null;
    const index = pickOperation(outline.operations, null);
    const operation = outline.operations[index];
    if (!operation || operation.type === 'subscription') return null;
    const headers = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...Object.fromEntries(extraHeaders.headers.map(([name, value]) => [name.toLowerCase(), value])),
    };
    const body = JSON.stringify({
      query: operationSource(source.document, outline.document, index),
      variables: variables.value,
      ...(operation.name ? { operationName: operation.name } : {}),
    });
    return { method: 'POST', url: '/graphql', headers, body, cachedAfterFirst: operation.type === 'query' };
  }
  return null;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ dataFile: ':memory:', webRoot: null, tap: false, rateLimit: false });
});
afterAll(() => app.close());

let clock = 0;
async function press(request: CellRequest, sandbox: string, conn: string, index: number): Promise<HttpExchange> {
  const reply = await app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: { ...request.headers, 'x-wirelab-sandbox': sandbox },
    payload: request.body,
  });
  const [path, query = ''] = request.url.split('?');
  const at = ++clock;
  const requestHeaders: HeaderList = Object.entries(request.headers);
  const responseHeaders: HeaderList = Object.entries(reply.headers).flatMap(([name, value]) =>
    value === undefined ? [] : [value].flat().map((one): [string, string] => [name, String(one)]),
  );
  const tree = { kind: 'assembled', label: '', range: { start: 0, end: 0 } };
  return {
    conn,
    index,
    transport: 'http/1.1',
    request: {
      method: request.method,
      target: request.url,
      path,
      query: [...new URLSearchParams(query)],
      version: 'HTTP/1.1',
      headers: requestHeaders,
      body: new TextEncoder().encode(request.body ?? ''),
      range: { start: 0, end: 0 },
      bodyStart: 0,
      firstByteAt: at,
      lastByteAt: at,
      complete: true,
      tree,
    },
    response: {
      version: 'HTTP/1.1',
      status: reply.statusCode,
      reason: reply.statusMessage,
      headers: responseHeaders,
      body: reply.rawPayload,
      range: { start: 0, end: 0 },
      bodyStart: 0,
      firstByteAt: at,
      lastByteAt: at,
      complete: true,
      tree,
    },
  } as HttpExchange;
}

/** Every sendable cell once, in the lesson's order, then the exercise's cell twice. */
async function runUnchanged(dir: string, lesson: LessonJson, exerciseId: string, cellId: string): Promise<HttpExchange[]> {
  const sandbox = `unchanged-${dir.slice(0, 2)}-${exerciseId}`.slice(0, 64);
  const exchanges: HttpExchange[] = [];
  const order = [...Object.keys(lesson.cells), cellId, cellId];
  const pressed = new Set<string>();
  for (const [index, id] of order.entries()) {
    const request = cellRequest(dir, lesson.cells[id]);
    if (request && !(request.cachedAfterFirst && pressed.has(id))) exchanges.push(await press(request, sandbox, `c${index}`, 0));
    pressed.add(id);
  }
  return exchanges;
}

interface Testable {
  dir: string;
  lesson: LessonJson;
  id: string;
  cell: string;
  check: Check;
  runOnly: boolean;
}

const testable: Testable[] = lessonDirs.flatMap((dir) => {
  const lesson = JSON.parse(readFileSync(join(LESSONS_ROOT, dir, 'lesson.json'), 'utf8')) as LessonJson;
  return Object.entries(lesson.exercises).flatMap(([id, exercise]) =>
    exercise.cell !== undefined &&
    !checkNeedsAnswer(exercise.check) &&
    (exercise.check.type === 'exchange' || exercise.check.type === 'sequence') &&
    cellRequest(dir, lesson.cells[exercise.cell]) !== null
      ? [{ dir, lesson, id, cell: exercise.cell, check: exercise.check, runOnly: exercise.runOnly === true }]
      : [],
  );
});

describe('pressing Run on the unchanged cells', () => {
  it('reaches exercises of most lessons', () => {
    expect(new Set(testable.map((exercise) => exercise.dir)).size).toBeGreaterThanOrEqual(5);
  });

  it.each(testable.map((exercise) => [`${exercise.dir} ${exercise.id}`, exercise] as const))(
    '%s passes that way only when it is marked runOnly',
    async (_name, exercise) => {
      const exchanges = await runUnchanged(exercise.dir, exercise.lesson, exercise.id, exercise.cell);
      const passed = evaluateCheck(exercise.check, exchanges).passed;
      expect(
        passed,
        passed
          ? `${exercise.id} passes without any change: mark it "runOnly" or make the starter need the change`
          : `${exercise.id} is marked runOnly but running the cell as it is does not pass`,
      ).toBe(exercise.runOnly);
    },
    // a lesson's cells run in order through the whole app (a sequence presses several): on two busy
    // cores the first case, which also meets each route's first request, took past vitest's 5 s
    30_000,
  );
});
