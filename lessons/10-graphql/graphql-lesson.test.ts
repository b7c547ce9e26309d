import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSchema, parse, validate } from 'graphql';
import { SCHEMA } from '../../server/protocols/graphql/schema.ts';
import { parseCellText, parseVariables } from '../../web/editors/graphql/cell-format.ts';
import { graphqlCellProblems } from '../../web/editors/graphql/cell-problems.ts';

// What the general lesson checks cannot know: every graphql cell must be a document the server
// accepts as it stands (so a schema change that breaks the lesson fails here), and every
// message check must name fields the GraphQL layers really emit (wire/graphql/README.md).

const folder = import.meta.dirname;
const lesson = JSON.parse(readFileSync(join(folder, 'lesson.json'), 'utf8')) as {
  cells: Record<string, { kind: string; file: string }>;
  exercises: Record<string, { check: Record<string, unknown> }>;
};
const schema = buildSchema(SCHEMA);

const LAYER_FIELDS: Record<string, string[]> = {
  'graphql-http': [
    'part',
    'method',
    'operationType',
    'operationName',
    'selection',
    'rootFields',
    'depth',
    'aliases',
    'operations',
    'batchIndex',
    'batchSize',
    'data',
    'dataKeys',
    'errors',
    'errorCode',
    'errorMessage',
    'batching',
    'storageQueries',
    'resolverCalls',
    'error',
  ],
  'graphql-ws': [
    'protocol',
    'type',
    'id',
    'operationType',
    'operationName',
    'selection',
    'rootFields',
    'depth',
    'aliases',
    'operations',
    'data',
    'dataKeys',
    'errors',
    'errorCode',
    'errorMessage',
    'error',
  ],
};

describe('lesson 10-graphql', () => {
  for (const [id, cell] of Object.entries(lesson.cells).filter(([, cell]) => cell.kind === 'graphql')) {
    it(`cell ${id} is valid against the server's schema`, () => {
      const text = readFileSync(join(folder, cell.file), 'utf8');
      expect(graphqlCellProblems(text)).toEqual([]);
      const source = parseCellText(text);
      expect(validate(schema, parse(source.document)).map((error) => error.message)).toEqual([]);
      expect(parseVariables(source.variables).ok).toBe(true);
    });
  }

  it('message checks name only fields the GraphQL layers emit', () => {
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

  it('has at least five exercises, all checked against traffic', () => {
    expect(Object.keys(lesson.exercises).length).toBeGreaterThanOrEqual(5);
  });
});
