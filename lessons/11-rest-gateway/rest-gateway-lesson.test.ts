import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJson, getOption } from '@bufbuild/protobuf';
import { http } from '../../proto/gen/google/api/annotations_pb.ts';
import { parseGrpcCell } from '../../web/editors/grpc/grpc-cell-config.ts';
import { findMethod, grpcRegistry } from '../../web/editors/grpc/method-catalog.ts';

// As in lessons/04-grpc: every grpc cell names a served method with a request its input type
// accepts. And every http cell of the gateway targets a route that a google.api.http annotation
// of users.proto really declares (so renaming a route in the contract fails here, not in class).

const folder = import.meta.dirname;
const lesson = JSON.parse(readFileSync(join(folder, 'lesson.json'), 'utf8')) as {
  cells: Record<string, { kind: string; file: string }>;
  exercises: Record<string, { cell?: string; check: Record<string, unknown> }>;
};

function annotatedRoutes(): Array<{ method: string; path: RegExp }> {
  const service = findMethod('wirelab.users.v1.UserService/GetUser')!.parent;
  return service.methods.flatMap((method) => {
    const rule = getOption(method, http);
    const pattern = rule.pattern;
    if (pattern.case === undefined || pattern.case === 'custom') return [];
    const template = pattern.value.replace(/\{[\w.]+\}/g, '[^/]+');
    return [{ method: pattern.case.toUpperCase(), path: new RegExp(`^${template}$`) }];
  });
}

describe('lesson 11-rest-gateway', () => {
  for (const [id, cell] of Object.entries(lesson.cells)) {
    if (cell.kind === 'grpc') {
      it(`cell ${id} calls a served method with a request its input type accepts`, () => {
        const parsed = parseGrpcCell(readFileSync(join(folder, cell.file), 'utf8'));
        if (!parsed.ok) throw new Error(parsed.problems.join('; '));
        const method = findMethod(parsed.config.method);
        expect(method, parsed.config.method).toBeDefined();
        expect(() => fromJson(method!.input, parsed.config.request as never, { registry: grpcRegistry() })).not.toThrow();
      });
    }
    if (cell.kind === 'http' && id.startsWith('gateway-')) {
      it(`cell ${id} targets a route declared by a google.api.http annotation`, () => {
        const [requestLine] = readFileSync(join(folder, cell.file), 'utf8').split('\n');
        const [method, target] = requestLine.trim().split(/\s+/);
        const path = target.split('?')[0];
        const routes = annotatedRoutes();
        expect(routes.length).toBeGreaterThanOrEqual(5);
        expect(
          routes.some((route) => route.method === method && route.path.test(path)),
          `${method} ${path}`,
        ).toBe(true);
      });
    }
  }

  it('has at least four exercises, each starting from a cell', () => {
    const exercises = Object.values(lesson.exercises);
    expect(exercises.length).toBeGreaterThanOrEqual(4);
    for (const exercise of exercises) expect(exercise.cell && exercise.cell in lesson.cells).toBe(true);
  });
});
