import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJson } from '@bufbuild/protobuf';
import { parseGrpcCell } from '../../web/editors/grpc/grpc-cell-config.ts';
import { browserCanCall, findMethod, grpcRegistry } from '../../web/editors/grpc/method-catalog.ts';
import { LIFECYCLE_LIMITS } from '../../server/protocols/grpc/sandbox-lifecycle.ts';

// What the general lesson checks cannot know: every grpc cell must name a method the server
// serves and carry a request its input type accepts (so a contract change that breaks the lesson
// fails here), and every message check must name fields the gRPC layers really emit
// (wire/README.md, "gRPC, gRPC-Web, Connect").

const folder = import.meta.dirname;
const lesson = JSON.parse(readFileSync(join(folder, 'lesson.json'), 'utf8')) as {
  cells: Record<string, { kind: string; file: string }>;
  exercises: Record<string, { cell?: string; check: Record<string, unknown> }>;
};

const LAYER_FIELDS: Record<string, string[]> = {
  'grpc-message': ['protocol', 'dir', 'compressed', 'length', 'index', 'complete', 'codec', 'method', 'messageType', 'envelope'],
  'grpc-status': ['protocol', 'code', 'codeName', 'message', 'details', 'method'],
  'h2-frame': [
    'type',
    'streamId',
    'length',
    'flags',
    'complete',
    'endStream',
    'endHeaders',
    'errorCode',
    'lastStreamId',
    'method',
    'path',
    'status',
    'grpcStatus',
  ],
};

describe('lesson 04-grpc', () => {
  const grpcCells = Object.entries(lesson.cells).filter(([, cell]) => cell.kind === 'grpc');

  for (const [id, cell] of grpcCells) {
    it(`cell ${id} calls a served method with a request its input type accepts`, () => {
      const parsed = parseGrpcCell(readFileSync(join(folder, cell.file), 'utf8'));
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      const method = findMethod(parsed.config.method);
      expect(method, parsed.config.method).toBeDefined();
      expect(() => fromJson(method!.input, parsed.config.request as never, { registry: grpcRegistry() })).not.toThrow();
    });
  }

  it("shows all four kinds of calls, three of them through the runner (the graceful shutdown's chat too)", () => {
    const kinds = grpcCells.map(([, cell]) => {
      const parsed = parseGrpcCell(readFileSync(join(folder, cell.file), 'utf8'));
      return parsed.ok ? findMethod(parsed.config.method) : undefined;
    });
    expect(new Set(kinds.map((method) => method?.methodKind))).toEqual(new Set(['unary', 'server_streaming', 'client_streaming', 'bidi_streaming']));
    expect(kinds.filter((method) => method && !browserCanCall(method))).toHaveLength(3);
  });

  // the lesson says the chat has {{grpc.max-grace-s}} seconds: the cell asks for the longest grace the server allows
  it('the graceful shutdown cell asks for the longest grace the server allows, as the lesson says', () => {
    const parsed = parseGrpcCell(readFileSync(join(folder, 'cells/graceful-shutdown.grpc.json'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    expect((parsed.config.request as { graceMs: number }).graceMs).toBe(LIFECYCLE_LIMITS.maxGraceMs);
  });

  it('message checks name only fields the gRPC layers emit', () => {
    const matches = Object.values(lesson.exercises).flatMap(({ check }) =>
      check.type === 'message' ? [check.match] : check.type === 'message-sequence' ? (check.steps as unknown[]) : [],
    ) as Array<{ layer: string; fields?: Record<string, unknown> }>;
    expect(matches.length).toBeGreaterThan(0);
    for (const match of matches) {
      const known = LAYER_FIELDS[match.layer];
      expect(known, `layer ${match.layer}`).toBeDefined();
      for (const field of Object.keys(match.fields ?? {})) expect(known, `${match.layer}.${field}`).toContain(field);
    }
  });

  it('has at least five exercises, each starting from a cell or asking about a capture file', () => {
    const exercises = Object.values(lesson.exercises);
    expect(exercises.length).toBeGreaterThanOrEqual(5);
    for (const exercise of exercises)
      expect((exercise.check as { type: string }).type === 'capture' || (exercise.cell !== undefined && exercise.cell in lesson.cells)).toBe(true);
  });
});
