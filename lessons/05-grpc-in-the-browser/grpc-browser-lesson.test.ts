import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJson } from '@bufbuild/protobuf';
import { parseGrpcCell } from '../../web/editors/grpc/grpc-cell-config.ts';
import { findMethod, grpcRegistry } from '../../web/editors/grpc/method-catalog.ts';

// As in lessons/04-grpc: every grpc cell names a served method with a request its input type
// accepts, and every message check names fields the gRPC layers really emit (wire/README.md).

const folder = import.meta.dirname;
const lesson = JSON.parse(readFileSync(join(folder, 'lesson.json'), 'utf8')) as {
  cells: Record<string, { kind: string; file: string }>;
  exercises: Record<string, { cell?: string; check: Record<string, unknown> }>;
};

const LAYER_FIELDS: Record<string, string[]> = {
  'grpc-message': ['protocol', 'dir', 'compressed', 'length', 'index', 'complete', 'codec', 'method', 'messageType', 'envelope'],
  'grpc-status': ['protocol', 'code', 'codeName', 'message', 'details', 'method'],
};

describe('lesson 05-grpc-in-the-browser', () => {
  const grpcCells = Object.entries(lesson.cells).filter(([, cell]) => cell.kind === 'grpc');
  const parsedCells = grpcCells.map(([id, cell]) => [id, parseGrpcCell(readFileSync(join(folder, cell.file), 'utf8'))] as const);

  for (const [id, parsed] of parsedCells) {
    it(`cell ${id} calls a served method with a request its input type accepts`, () => {
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      const method = findMethod(parsed.config.method);
      expect(method, parsed.config.method).toBeDefined();
      expect(() => fromJson(method!.input, parsed.config.request as never, { registry: grpcRegistry() })).not.toThrow();
    });
  }

  it('puts the same GetUser call side by side in all three browser protocols', () => {
    const protocols = parsedCells.flatMap(([, parsed]) =>
      parsed.ok && parsed.config.method === 'wirelab.users.v1.UserService/GetUser' ? [parsed.config.protocol ?? 'connect-json'] : [],
    );
    expect(new Set(protocols)).toEqual(new Set(['connect-json', 'connect-binary', 'grpc-web']));
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

  it('has at least four exercises, each starting from a cell', () => {
    const exercises = Object.values(lesson.exercises);
    expect(exercises.length).toBeGreaterThanOrEqual(4);
    for (const exercise of exercises) expect(exercise.cell && exercise.cell in lesson.cells).toBe(true);
  });
});
