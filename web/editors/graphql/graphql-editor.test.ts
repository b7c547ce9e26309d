import { describe, expect, it } from 'vitest';
import { batchingSwitchedOff, formatCellText, parseCellText, parseHeaderLines, parseVariables, withBatching } from './cell-format.ts';
import { graphqlCellProblems } from './cell-problems.ts';
import { readLegacyMessage } from './legacy-ws-client.ts';
import { outlineDocument, operationSource, pickOperation } from './operations.ts';
import { viewOfBody, flattenRows } from './result-view.ts';

// Completion, markers, hover and docs against the schema /graphql really serves:
// tests/graphql-editor-against-served-schema.test.ts (no test in web/ imports server/).

describe('cell text', () => {
  const text = 'query U($id: ID!) {\n  user(id: $id) { name }\n}\n\n### variables\n{ "id": "1" }\n\n### headers\nx-wirelab-batching: off\n';

  it('splits document, variables and headers, and writes them back the same', () => {
    const source = parseCellText(text);
    expect(source).toEqual({ document: 'query U($id: ID!) {\n  user(id: $id) { name }\n}', variables: '{ "id": "1" }', headers: 'x-wirelab-batching: off' });
    expect(formatCellText(source)).toBe(text);
    expect(parseCellText('{ users { nodes { id } } }')).toEqual({ document: '{ users { nodes { id } } }', variables: '', headers: '' });
  });

  it('variables must be a JSON object', () => {
    expect(parseVariables('')).toEqual({ ok: true, value: {} });
    expect(parseVariables('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseVariables('[1]')).toEqual({ ok: false, message: 'not-an-object' });
    expect(parseVariables('{a: 1}').ok).toBe(false);
  });

  it('headers and the batching switch', () => {
    expect(parseHeaderLines('# comment\nX-A: 1\n\nx-b:2')).toEqual({
      ok: true,
      headers: [
        ['X-A', '1'],
        ['x-b', '2'],
      ],
    });
    expect(parseHeaderLines('X-A 1')).toEqual({ ok: false, line: 1, text: 'X-A 1' });
    const off = withBatching('X-A: 1', false);
    expect(off).toBe('X-A: 1\nx-wirelab-batching: off');
    const parsed = parseHeaderLines(off);
    expect(parsed.ok && batchingSwitchedOff(parsed.headers)).toBe(true);
    expect(withBatching(off, true)).toBe('X-A: 1');
  });

  it('a broken cell file is a lesson-format problem', () => {
    expect(graphqlCellProblems(text)).toEqual([]);
    expect(graphqlCellProblems('{ user(id: 1) { name }')[0]).toMatch(/syntax error at 1:23/);
    expect(graphqlCellProblems('fragment F on User { id }')).toEqual(['the document has no operation']);
    expect(graphqlCellProblems('{ a }\n### variables\n[1]')[0]).toMatch(/variables/);
  });
});

describe('operations of a document', () => {
  const text =
    'query A { user(id: 1) { ...Card } }\n\nmutation B { deleteUser(id: 9) }\n\nfragment Card on User { name ...More }\nfragment More on User { email }\nfragment Unused on User { id }';

  it('lists operations with their line and sends only the chosen one with the fragments it needs', () => {
    const outline = outlineDocument(text);
    if (!outline.ok) throw new Error(outline.message);
    expect(outline.operations).toEqual([
      { name: 'A', type: 'query', line: 1 },
      { name: 'B', type: 'mutation', line: 3 },
    ]);
    expect(operationSource(text, outline.document, 0)).toBe(
      'query A { user(id: 1) { ...Card } }\n\nfragment Card on User { name ...More }\n\nfragment More on User { email }',
    );
    expect(operationSource(text, outline.document, 1)).toBe('mutation B { deleteUser(id: 9) }');
    expect(pickOperation(outline.operations, 'B')).toBe(1);
    expect(pickOperation(outline.operations, 'gone')).toBe(0);
    expect(pickOperation([], null)).toBe(-1);
  });

  it('reports where the syntax breaks', () => {
    expect(outlineDocument('query { user(id: 1) { name }')).toMatchObject({ ok: false, line: 1, column: 29 });
  });
});

describe('result view', () => {
  it('prefers the page language when the server sent a translation, keeping the original', () => {
    const body = JSON.stringify({
      errors: [{ message: 'Too deep', path: ['user', 'posts'], extensions: { code: 'QUERY_TOO_DEEP', localized: { en: 'Too deep', ru: 'Слишком глубоко' } } }],
      extensions: { wirelab: { batching: false, storageQueries: 4, resolverCalls: 7 } },
    });
    const view = viewOfBody(body, 'ru');
    expect(view.errors[0]).toEqual({ message: 'Слишком глубоко', original: 'Too deep', code: 'QUERY_TOO_DEEP', path: 'user.posts' });
    expect(view.extensionRows).toEqual([
      ['wirelab.batching', 'false'],
      ['wirelab.storageQueries', '4'],
      ['wirelab.resolverCalls', '7'],
    ]);
    expect('data' in view).toBe(false);
    expect(viewOfBody(body, 'en').errors[0].original).toBeUndefined();
    expect(viewOfBody('<html>', 'en').notGraphql).toBe(true);
    expect(flattenRows({ a: [1, 2] })).toEqual([['a', '[1,2]']]);
  });
});

describe('legacy graphql-ws messages', () => {
  it('reads what the server sends and ignores the rest', () => {
    expect(readLegacyMessage('{"type":"connection_ack"}')).toEqual({ type: 'connection_ack' });
    expect(readLegacyMessage('{"type":"data","id":"1","payload":{"data":{"x":1}}}')).toEqual({ type: 'data', id: '1', payload: { data: { x: 1 } } });
    expect(readLegacyMessage('{"type":"complete","id":"1"}')).toEqual({ type: 'complete', id: '1' });
    expect(readLegacyMessage('{"type":"next","id":"1"}')).toBeNull();
    expect(readLegacyMessage('{"type":"data"}')).toBeNull();
    expect(readLegacyMessage('nope')).toBeNull();
  });
});

describe('copy as curl', () => {
  it('is the plain HTTP request: POST /graphql with the document, variables and operation name as JSON', async () => {
    const { graphqlHttpRequest } = await import('./curl-request.ts');
    const { curlCommand } = await import('../http/curl-command.ts');
    const request = graphqlHttpRequest('query U($id: ID!) { user(id: $id) { name } }', { id: '1' }, [['x-wirelab-batching', 'off']], 'U');
    expect(JSON.parse(request.body!)).toEqual({ query: 'query U($id: ID!) { user(id: $id) { name } }', variables: { id: '1' }, operationName: 'U' });
    const command = curlCommand(request, 'http://localhost:8080', 'abc');
    expect(command).toContain("'http://localhost:8080/graphql'");
    expect(command).toContain("-H 'x-wirelab-batching: off'");
    expect(command).toContain("-H 'x-wirelab-sandbox: abc'");
    expect(JSON.parse(graphqlHttpRequest('{ a }', {}, [], null).body!)).toEqual({ query: '{ a }' });
  });
});
