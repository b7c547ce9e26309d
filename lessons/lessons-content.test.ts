import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKED_PROTOCOLS, type CheckedProtocol } from '../contracts/own-server/check-result.ts';
import { parseHttpRequest } from '../web/editors/http/parse-http-request.ts';
import { planFetch } from '../web/editors/http/fetch-limits.ts';
import { CELL_FILE_FORMATS, isCellKind } from '../web/lessons/cell-kinds.ts';
import { parseWebSocketCell } from '../web/editors/websocket/ws-cell-config.ts';
import { parseSocketIoCell } from '../web/editors/socket-io/sio-cell-config.ts';
import { parseSseCell } from '../web/editors/sse/sse-cell-config.ts';
import { parseLongPollCell } from '../web/editors/long-polling/poll-cell-config.ts';

// The static half of the lesson checks: what can be wrong in the content itself, without a
// server. lessons/README.md is the contract these rules come from.

const LESSONS_ROOT = dirname(fileURLToPath(import.meta.url));
const LANGUAGES = ['en', 'ru'] as const;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ANSWER_SOURCES: Record<string, string[]> = {
  'request-body-offset': [],
  'response-body-offset': [],
  'response-json': ['path'],
  'response-header': ['name'],
  'connection-index': [],
  'websocket-key-sha1': [],
};

/** The consoles of the realtime lessons, whose cell files are JSON (lessons/README.md, "Cell files"). */
const REALTIME_CONSOLE_KINDS = ['websocket', 'socket-io', 'sse', 'long-polling'];

/**
 * The `fields` each layer's decoder really emits (wire/<layer>/): a message check naming
 * another field could never pass. Layers not listed here are checked by their own lessons.
 */
const MESSAGE_FIELDS: Record<string, string[]> = {
  'ws-frame': ['opcode', 'fin', 'masked', 'length', 'lengthBits', 'rsv1', 'closeCode', 'closeReason', 'error'],
  'engine-io-packet': ['type', 'transport', 'probe', 'binary', 'sid', 'pingInterval', 'pingTimeout', 'maxPayload', 'upgrades', 'error'],
  'socket-io-packet': ['type', 'namespace', 'event', 'ackId', 'attachments', 'sid', 'message', 'error'],
  'sse-event': ['event', 'id', 'retry', 'hasRetry', 'comment', 'dataLines', 'dispatched', 'complete'],
  'grpc-message': ['protocol', 'dir', 'compressed', 'length', 'index', 'complete', 'codec', 'method', 'messageType', 'envelope'],
  'grpc-status': ['protocol', 'code', 'codeName', 'message', 'details', 'method'],
  'mqtt-packet': [
    'type',
    'remainingLength',
    'protocol',
    'level',
    'cleanSession',
    'will',
    'keepAlive',
    'clientId',
    'willTopic',
    'willMessage',
    'userName',
    'sessionPresent',
    'returnCode',
    'qos',
    'retain',
    'dup',
    'topic',
    'packetId',
    'payloadBytes',
    'payload',
    'topics',
    'granted',
  ],
};

interface LessonJson {
  cells: Record<string, { kind: string; file: string }>;
  exercises: Record<string, { cell?: string; check: Record<string, unknown> }>;
}

const lessonDirs = readdirSync(LESSONS_ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d{2}-[a-z0-9-]+$/.test(entry.name))
  .map((entry) => entry.name);

function readLesson(dir: string): LessonJson {
  return JSON.parse(readFileSync(join(LESSONS_ROOT, dir, 'lesson.json'), 'utf8')) as LessonJson;
}

/** Collects every problem with a check instead of stopping at the first, so one run names them all. */
function checkProblems(check: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const onlyKeys = (where: string, value: unknown, allowed: string[]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return problems.push(`${where} must be an object`);
    for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push(`${where} has unknown field "${key}"`);
  };
  const regex = (where: string, source: unknown) => {
    if (typeof source !== 'string') return problems.push(`${where} must be a regular expression string`);
    try {
      new RegExp(source);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  };
  const presenceOrRegex = (where: string, map: unknown, lowerCaseNames: boolean) => {
    if (typeof map !== 'object' || map === null || Array.isArray(map)) return problems.push(`${where} must be an object`);
    for (const [name, value] of Object.entries((map as Record<string, unknown>) ?? {})) {
      if (lowerCaseNames && name !== name.toLowerCase()) problems.push(`${where}: header name "${name}" must be lower case`);
      if (value === false && where.includes('request')) continue;
      if (value !== true) regex(`${where}.${name}`, value);
    }
  };
  const bodyJson = (where: string, value: unknown) => {
    if (typeof value !== 'object' || value === null) problems.push(`${where} must be a JSON object or array`);
  };
  const requestMatch = (where: string, match: unknown) => {
    onlyKeys(where, match, ['method', 'path', 'query', 'headers', 'bodyJson', 'bodyJsonExact']);
    const m = (match ?? {}) as Record<string, unknown>;
    if (m.bodyJsonExact !== undefined && (m.bodyJsonExact !== true || m.bodyJson === undefined))
      problems.push(`${where}.bodyJsonExact is true, beside a bodyJson`);
    if (m.method !== undefined && !METHODS.has(m.method as string)) problems.push(`${where}.method "${String(m.method)}" is not a known method`);
    if (m.path !== undefined) regex(`${where}.path`, m.path);
    if (m.query !== undefined) presenceOrRegex(`${where}.query`, m.query, false);
    if (m.headers !== undefined) presenceOrRegex(`${where}.headers`, m.headers, true);
    if (m.bodyJson !== undefined) bodyJson(`${where}.bodyJson`, m.bodyJson);
  };
  const responseMatch = (where: string, match: unknown) => {
    onlyKeys(where, match, ['status', 'headers', 'bodyJson', 'bodyText']);
    const m = (match ?? {}) as Record<string, unknown>;
    if (m.bodyText !== undefined) regex(`${where}.bodyText`, m.bodyText);
    if (m.status !== undefined) {
      const statuses = [m.status].flat();
      if (statuses.length === 0 || !statuses.every((s) => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599)) {
        problems.push(`${where}.status must be a status code or a list of them`);
      }
    }
    if (m.headers !== undefined) presenceOrRegex(`${where}.headers`, m.headers, true);
    if (m.bodyJson !== undefined) bodyJson(`${where}.bodyJson`, m.bodyJson);
  };
  const step = (where: string, value: unknown, inSequence = false) => {
    onlyKeys(where, value, inSequence ? ['request', 'response', 'carries'] : ['request', 'response']);
    const s = (value ?? {}) as Record<string, unknown>;
    if (s.carries !== undefined) messageMatch(`${where}.carries`, s.carries);
    if (s.request === undefined) problems.push(`${where}.request is missing`);
    else requestMatch(`${where}.request`, s.request);
    if (s.response !== undefined) responseMatch(`${where}.response`, s.response);
  };

  const messageMatch = (where: string, match: unknown, earlierSteps?: Array<Record<string, unknown>>) => {
    onlyKeys(
      where,
      match,
      earlierSteps ? ['layer', 'dir', 'fields', 'sameAs', 'sameConnectionAs', ...(earlierSteps.length > 0 ? ['without'] : [])] : ['layer', 'dir', 'fields'],
    );
    const m = (match ?? {}) as Record<string, unknown>;
    // a reference to an earlier step of the sequence: "<step>.<field>", the step before this one
    const earlierStep = (at: string, step: unknown): Record<string, unknown> | undefined => {
      if (Number.isInteger(step) && (step as number) >= 0 && (step as number) < earlierSteps!.length) return earlierSteps![step as number];
      problems.push(`${at} must name an earlier step (0–${earlierSteps!.length - 1})`);
      return undefined;
    };
    if (earlierSteps && m.sameConnectionAs !== undefined) earlierStep(`${where}.sameConnectionAs`, m.sameConnectionAs);
    if (earlierSteps && m.sameAs !== undefined) {
      if (typeof m.sameAs !== 'object' || m.sameAs === null || Array.isArray(m.sameAs)) problems.push(`${where}.sameAs must be an object`);
      else
        for (const [name, reference] of Object.entries(m.sameAs)) {
          const parts = typeof reference === 'string' ? /^(\d+)\.(\w+)$/.exec(reference) : null;
          if (!parts) {
            problems.push(`${where}.sameAs.${name} must be "<step>.<field>"`);
            continue;
          }
          const step = earlierStep(`${where}.sameAs.${name}`, Number(parts[1]));
          const knownHere = MESSAGE_FIELDS[m.layer as string];
          const knownThere = step && MESSAGE_FIELDS[step.layer as string];
          if (knownHere && !knownHere.includes(name)) problems.push(`${where}.sameAs.${name}: layer ${String(m.layer)} has no such field`);
          if (knownThere && !knownThere.includes(parts[2])) problems.push(`${where}.sameAs.${name}: step ${parts[1]}'s layer has no field "${parts[2]}"`);
        }
    }
    // excluded messages between the previous step and this one: patterns that may refer to the same earlier steps
    if (earlierSteps && earlierSteps.length > 0 && m.without !== undefined) {
      if (!Array.isArray(m.without) || m.without.length === 0) problems.push(`${where}.without must list message patterns`);
      else m.without.forEach((excluded, i) => messageMatch(`${where}.without.${i}`, excluded, earlierSteps));
    }
    if (typeof m.layer !== 'string' || m.layer === '') return problems.push(`${where}.layer is required`);
    if (m.dir !== undefined && m.dir !== 'in' && m.dir !== 'out') problems.push(`${where}.dir must be "in" or "out"`);
    if (m.fields === undefined) return;
    if (typeof m.fields !== 'object' || m.fields === null || Array.isArray(m.fields)) return problems.push(`${where}.fields must be an object`);
    const known = MESSAGE_FIELDS[m.layer];
    for (const [name, value] of Object.entries(m.fields)) {
      if (known && !known.includes(name)) problems.push(`${where}.fields.${name}: layer ${m.layer} has no such field (it has ${known.join(', ')})`);
      if (!['string', 'number', 'boolean'].includes(typeof value)) problems.push(`${where}.fields.${name} must be a string, number or boolean`);
      if (typeof value === 'string' && value.length > 1 && value.startsWith('/') && value.endsWith('/')) regex(`${where}.fields.${name}`, value.slice(1, -1));
    }
  };

  switch (check.type) {
    case 'message':
      onlyKeys('check', check, ['type', 'match', 'count']);
      messageMatch('check.match', check.match);
      if (check.count !== undefined && !(Number.isInteger(check.count) && (check.count as number) >= 1))
        problems.push('check.count must be a whole number from 1');
      break;
    case 'message-sequence':
      onlyKeys('check', check, ['type', 'steps']);
      if (!Array.isArray(check.steps) || check.steps.length < 2) problems.push('check.steps must list at least two steps');
      else check.steps.forEach((s, i) => messageMatch(`check.steps.${i}`, s, (check.steps as Array<Record<string, unknown>>).slice(0, i)));
      break;
    case 'exchange':
      onlyKeys('check', check, ['type', 'request', 'response']);
      step('check', { request: check.request, response: check.response });
      break;
    case 'sequence':
      onlyKeys('check', check, ['type', 'steps']);
      if (!Array.isArray(check.steps) || check.steps.length < 2) problems.push('check.steps must list at least two steps');
      else check.steps.forEach((s, i) => step(`check.steps.${i}`, s, true));
      break;
    case 'message-answer':
      onlyKeys('check', check, ['type', 'match', 'field']);
      messageMatch('check.match', check.match);
      if (typeof check.field !== 'string' || check.field === '') problems.push('check.field is required');
      else {
        const known = MESSAGE_FIELDS[(check.match as { layer?: string } | undefined)?.layer ?? ''];
        if (known && !known.includes(check.field)) problems.push(`check.field: that layer has no field "${check.field}"`);
      }
      break;
    case 'answer': {
      onlyKeys('check', check, ['type', 'exchange', 'expect', 'after', 'atLeast']);
      step('check.exchange', check.exchange);
      if (check.after !== undefined) step('check.after', check.after);
      if (check.atLeast !== undefined && !Number.isFinite(check.atLeast)) problems.push('check.atLeast must be a number');
      const expect = (check.expect ?? {}) as Record<string, unknown>;
      const needs = ANSWER_SOURCES[expect.from as string];
      if (!needs) problems.push(`check.expect.from "${String(expect.from)}" is not a known answer source`);
      else {
        onlyKeys('check.expect', expect, ['from', ...needs]);
        for (const field of needs) if (typeof expect[field] !== 'string' || expect[field] === '') problems.push(`check.expect.${field} is required`);
      }
      break;
    }
    case 'own-server-fixed':
      onlyKeys('check', check, ['type', 'protocol']);
      if (!CHECKED_PROTOCOLS.includes(check.protocol as CheckedProtocol)) problems.push(`check.protocol must be one of ${CHECKED_PROTOCOLS.join(', ')}`);
      break;
    case 'capture': {
      // a question about a capture file of the lesson (captures/): the ask is judged over its traffic
      onlyKeys('check', check, ['type', 'file', 'ask']);
      if (typeof check.file !== 'string' || !/^captures\/[\w.-]+\.pcap(ng)?$/.test(check.file))
        problems.push('check.file must be captures/<name>.pcapng or .pcap');
      const ask = (check.ask ?? {}) as Record<string, unknown>;
      if (ask.type === 'pick-message' || ask.type === 'pick-exchange') {
        onlyKeys('check.ask', ask, ['type', 'match']);
        if (ask.type === 'pick-message') messageMatch('check.ask.match', ask.match);
        else step('check.ask.match', ask.match);
      } else if (ask.type === 'answer' || ask.type === 'message-answer') {
        for (const problem of checkProblems(ask)) problems.push(problem.replace(/^check/, 'check.ask'));
      } else problems.push(`check.ask.type "${String(ask.type)}" is not answer, message-answer, pick-message or pick-exchange`);
      break;
    }
    default:
      problems.push(`unknown check type "${String(check.type)}"`);
  }
  return problems;
}

interface Placement {
  title: string;
  summary: string;
  headingIds: string[];
  cells: string[];
  exercises: { id: string; hints: number }[];
}

/** What a language's markdown places, in order: the parts en.md and ru.md must agree on. */
function placementsOf(markdown: string): Placement {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const placement: Placement = { title: '', summary: '', headingIds: [], cells: [], exercises: [] };
  placement.title = /^# (.+)$/.exec(lines[0])?.[1] ?? '';
  placement.summary = lines.find((line) => line.startsWith('> '))?.slice(2) ?? '';
  let open: 'exercise' | 'callout' | null = null;
  for (const line of lines) {
    const heading = /^#{2,3} (.+)$/.exec(line);
    if (heading) {
      const id = /\{#([a-z0-9-]+)\}$/.exec(heading[1]);
      if (!id) throw new Error(`heading without an id: ${line}`);
      placement.headingIds.push(id[1]);
    }
    const cell = /^::cell ([a-z0-9-]+)$/.exec(line);
    if (cell) placement.cells.push(cell[1]);
    const exercise = /^:::exercise ([a-z0-9-]+)$/.exec(line);
    if (exercise) {
      if (open) throw new Error(`exercise ${exercise[1]} opens inside another block`);
      open = 'exercise';
      placement.exercises.push({ id: exercise[1], hints: 0 });
    }
    if (/^:::(note|pitfall|deep-dive)$/.test(line)) {
      if (open) throw new Error(`a callout opens inside another block: ${line}`);
      open = 'callout';
    }
    if (line === '::hint') {
      if (open !== 'exercise') throw new Error('::hint outside an exercise');
      placement.exercises[placement.exercises.length - 1].hints++;
    }
    if (line === ':::') {
      if (!open) throw new Error('::: closes nothing');
      open = null;
    }
  }
  if (open) throw new Error(`an unclosed ${open} block`);
  return placement;
}

describe.each(lessonDirs)('lesson %s', (dir) => {
  const lesson = readLesson(dir);

  it('has cells and exercises', () => {
    expect(Object.keys(lesson.cells).length).toBeGreaterThan(0);
    expect(Object.keys(lesson.exercises).length).toBeGreaterThan(0);
  });

  const httpCells = Object.entries(lesson.cells).filter(([, cell]) => cell.kind === 'http');
  const otherCells = Object.entries(lesson.cells).filter(([, cell]) => REALTIME_CONSOLE_KINDS.includes(cell.kind));

  it('uses only known cell kinds', () => {
    for (const cell of Object.values(lesson.cells)) expect(isCellKind(cell.kind), `kind ${cell.kind}`).toBe(true);
  });

  for (const [id, cell] of httpCells)
    it(`http cell ${id} is a request to the API`, () => {
      const file = join(LESSONS_ROOT, dir, cell.file);
      expect(existsSync(file), `${cell.file} exists`).toBe(true);
      // The editor's own parser and fetch planner: what a student runs is what is checked here.
      const parsed = parseHttpRequest(readFileSync(file, 'utf8'));
      if (!parsed.ok) throw new Error(`${cell.file} does not parse: ${parsed.error.code} on line ${parsed.error.line}`);
      const { request } = parsed;
      expect(METHODS.has(request.method), `method ${request.method}`).toBe(true);
      // the REST API, gRPC's REST transcoding (/v1/…), or a Connect call (/package.Service/Method)
      expect(request.target).toMatch(/^\/(api\/|v1\/|[a-z_][\w.]*\.[A-Z]\w*\/[A-Z]\w*$)/);
      const planned = planFetch(request, 'http://127.0.0.1:8080');
      if (!planned.ok) throw new Error(`${cell.file} cannot be sent from a page: ${planned.blocker.code}`);
      expect(planned.plan.dropped, 'headers the browser would not send').toEqual([]);
      const contentType = request.headers.find((header) => header.name.toLowerCase() === 'content-type')?.value ?? '';
      if (/json/.test(contentType)) expect(() => JSON.parse(request.body ?? '')).not.toThrow();
      if (['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(request.method)) expect(request.body).toBeNull();
    });

  for (const [id, cell] of otherCells)
    it(`console cell ${id} has a well-formed file for its kind`, () => {
      expect(isCellKind(cell.kind), `kind ${cell.kind}`).toBe(true);
      const format = CELL_FILE_FORMATS[cell.kind as keyof typeof CELL_FILE_FORMATS];
      expect(format, `kind ${cell.kind} has a cell file format`).toBeDefined();
      expect(cell.file.endsWith(format!.suffix), `${cell.file} ends with ${format!.suffix}`).toBe(true);
      const file = join(LESSONS_ROOT, dir, cell.file);
      expect(existsSync(file), `${cell.file} exists`).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(format!.problems(text)).toEqual([]);
      // Where each console connects: the endpoints the realtime servers serve.
      const url = cellEndpoint(cell.kind, text);
      const endpoint = { websocket: /^\/(ws\/|socket\.io\/)/, 'socket-io': /^\/$|^\/[a-z]/, sse: /^\/api\/v1\/events$/, 'long-polling': /^\/api\/v1\/poll$/ }[
        cell.kind
      ];
      expect(url).toMatch(endpoint!);
    });

  it.each(Object.entries(lesson.exercises))('exercise %s uses only known check types and fields', (_id, exercise) => {
    expect(
      Object.keys(exercise).filter((key) => !['cell', 'check', 'runOnly'].includes(key)),
      'unknown exercise fields',
    ).toEqual([]);
    if ('runOnly' in exercise) expect((exercise as { runOnly?: unknown }).runOnly, 'runOnly is true or absent').toBe(true);
    if (exercise.cell !== undefined) expect(lesson.cells[exercise.cell], `cell ${exercise.cell}`).toBeDefined();
    expect(checkProblems(exercise.check)).toEqual([]);
  });

  it('places the same headings, cells and exercises in both languages, each once', () => {
    const [en, ru] = LANGUAGES.map((lang) => placementsOf(readFileSync(join(LESSONS_ROOT, dir, `${lang}.md`), 'utf8')));
    for (const placement of [en, ru]) {
      expect(placement.title).not.toBe('');
      expect(placement.summary).not.toBe('');
      expect(new Set(placement.headingIds).size).toBe(placement.headingIds.length);
      expect([...placement.cells].sort()).toEqual(Object.keys(lesson.cells).sort());
      expect(placement.exercises.map((e) => e.id).sort()).toEqual(Object.keys(lesson.exercises).sort());
      for (const exercise of placement.exercises) expect(exercise.hints, `hints of ${exercise.id}`).toBeGreaterThanOrEqual(1);
      for (const exercise of placement.exercises) expect(exercise.hints, `hints of ${exercise.id}`).toBeLessThanOrEqual(3);
    }
    expect(ru.headingIds).toEqual(en.headingIds);
    expect(ru.cells).toEqual(en.cells);
    expect(ru.exercises).toEqual(en.exercises);
  });
});

/** The URL (or, for Socket.IO, the namespace) a console cell connects to. */
function cellEndpoint(kind: string, text: string): string {
  const parsed =
    kind === 'websocket'
      ? parseWebSocketCell(text)
      : kind === 'socket-io'
        ? parseSocketIoCell(text)
        : kind === 'sse'
          ? parseSseCell(text)
          : parseLongPollCell(text);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return 'namespace' in parsed.config ? parsed.config.namespace : parsed.config.url;
}

describe('the content checker itself', () => {
  it('rejects what the contract does not allow', () => {
    expect(checkProblems({ type: 'exchange', request: { path: '^/api/(' }, response: { status: 200 } })).toHaveLength(1);
    expect(checkProblems({ type: 'exchange', request: { path: '^/api/', verb: 'GET' }, response: {} })).toEqual(['check.request has unknown field "verb"']);
    expect(checkProblems({ type: 'exchange', request: { headers: { 'If-Match': true } }, response: { status: 'ok' } })).toHaveLength(2);
    expect(checkProblems({ type: 'answer', exchange: { request: {} }, expect: { from: 'response-json' } })).toEqual(['check.expect.path is required']);
    expect(checkProblems({ type: 'answer', exchange: { request: {} }, expect: { from: 'status-text' } })).toHaveLength(1);
    expect(checkProblems({ type: 'sequence', steps: [{ request: {}, response: {} }] })).toHaveLength(1);
    expect(checkProblems({ type: 'telepathy' })).toEqual(['unknown check type "telepathy"']);
    expect(checkProblems({ type: 'capture', file: 'grpc.pcapng', ask: { type: 'pick-message', match: { layer: 'h2-frame' } } })).toHaveLength(1);
    expect(checkProblems({ type: 'capture', file: 'captures/a.pcapng', ask: { type: 'guess' } })).toHaveLength(1);
    expect(
      checkProblems({
        type: 'capture',
        file: 'captures/a.pcapng',
        ask: { type: 'message-answer', match: { layer: 'ws-frame', fields: { code: 1000 } }, field: 'closeCode' },
      }),
    ).toEqual([
      'check.ask.match.fields.code: layer ws-frame has no such field (it has opcode, fin, masked, length, lengthBits, rsv1, closeCode, closeReason, error)',
    ]);
    expect(checkProblems({ type: 'message-answer', match: { layer: 'grpc-message' }, field: 'length' })).toEqual([]);
    expect(checkProblems({ type: 'message-answer', match: { layer: 'ws-frame' }, field: 'size' })).toHaveLength(1);
    expect(checkProblems({ type: 'message-answer', match: { layer: 'ws-frame' } })).toEqual(['check.field is required']);
    expect(checkProblems({ type: 'own-server-fixed', protocol: 'rest' })).toEqual([]);
    expect(checkProblems({ type: 'own-server-fixed', protocol: 'ftp', counts: {} })).toHaveLength(2);
    expect(checkProblems({ type: 'message', match: { layer: 'ws-frame', dir: 'in', fields: { opcode: 'binary' } } })).toEqual([]);
    expect(checkProblems({ type: 'message', match: { layer: 'sse-event', fields: { eventType: 'user.created' } } })).toHaveLength(1);
    expect(checkProblems({ type: 'message', match: { layer: 'ws-frame', dir: 'up' } })).toEqual(['check.match.dir must be "in" or "out"']);
    expect(
      checkProblems({ type: 'message-sequence', steps: [{ layer: 'socket-io-packet', fields: { ackId: '/^(\\d+$/' } }, { layer: 'socket-io-packet' }] }),
    ).toHaveLength(1);
    const publish = { layer: 'mqtt-packet', fields: { type: 'PUBLISH' } };
    expect(
      checkProblems({ type: 'message-sequence', steps: [publish, { layer: 'mqtt-packet', sameAs: { packetId: '0.packetId' }, sameConnectionAs: 0 }] }),
    ).toEqual([]);
    expect(checkProblems({ type: 'message-sequence', steps: [publish, { layer: 'mqtt-packet', sameConnectionAs: 1 }] })).toEqual([
      'check.steps.1.sameConnectionAs must name an earlier step (0–0)',
    ]);
    expect(checkProblems({ type: 'message-sequence', steps: [publish, { layer: 'mqtt-packet', sameAs: { packetId: '0.packetNumber' } }] })).toHaveLength(1);
    expect(checkProblems({ type: 'message-sequence', steps: [publish, { layer: 'mqtt-packet', sameAs: { packetId: 'packetId' } }] })).toHaveLength(1);
    expect(checkProblems({ type: 'message', match: { ...publish, sameConnectionAs: 0 } })).toEqual(['check.match has unknown field "sameConnectionAs"']);
    expect(
      checkProblems({ type: 'message-sequence', steps: [publish, { ...publish, without: [{ layer: 'mqtt-packet', sameAs: { topic: '0.topic' } }] }] }),
    ).toEqual([]);
    expect(checkProblems({ type: 'message-sequence', steps: [{ ...publish, without: [publish] }, publish] })).toEqual([
      'check.steps.0 has unknown field "without"',
    ]);
    expect(checkProblems({ type: 'message-sequence', steps: [publish, { ...publish, without: [{ layer: 'mqtt-packet', sameConnectionAs: 3 }] }] })).toEqual([
      'check.steps.1.without.0.sameConnectionAs must name an earlier step (0–0)',
    ]);
  });

  it('rejects malformed console cell files with a clear reason', () => {
    expect(CELL_FILE_FORMATS.websocket!.problems('{ "url": "/ws/echo", "presets": [{ "hex": "0g" }] }')).toEqual([
      'presets.0.hex "0g" is not bytes in hex (not-hex)',
    ]);
    expect(CELL_FILE_FORMATS.websocket!.problems('{ "url": "ws://elsewhere/" }')[0]).toMatch(/must start with a single "\/"/);
    expect(CELL_FILE_FORMATS.websocket!.problems('{ "url": "/ws/echo", ')[0]).toMatch(/^not valid JSON/);
    expect(CELL_FILE_FORMATS['socket-io']!.problems('{ "namespace": "admin", "transports": ["smoke"], "presets": [{ "event": "connect" }] }')).toHaveLength(3);
    expect(CELL_FILE_FORMATS.sse!.problems('{ "url": "/api/v1/events", "retry": 1 }')).toHaveLength(1);
    expect(CELL_FILE_FORMATS['long-polling']!.problems('{ "url": "/api/v1/poll?since=0" }')[0]).toMatch(/must have no query/);
  });

  it('finds every lesson folder', () => {
    expect(lessonDirs).toEqual(expect.arrayContaining(['01-how-a-request-travels', '02-rest']));
  });
});
