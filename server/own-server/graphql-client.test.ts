import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { closedWith, errorsAreWellFormed, graphqlGetPath, nestedUserQuery, readGraphqlBody, readTransportMessage } from './graphql-client.ts';
import { frameCloseCode, OPCODE } from './websocket-client.ts';

/** The depth as mercurius counts it: fields nested in fields (the operation itself not counted). */
function depthOf(query: string): number {
  const walk = (selections: readonly { selectionSet?: { selections: readonly unknown[] } }[]): number =>
    selections.length === 0 ? 0 : Math.max(...selections.map((selection) => 1 + walk((selection.selectionSet?.selections ?? []) as never)));
  const operation = parse(query).definitions[0] as unknown as { selectionSet: { selections: never[] } };
  return walk(operation.selectionSet.selections);
}

describe('nestedUserQuery', () => {
  it('is exactly as deep as asked, over user → posts → author, every list with first: 1', () => {
    expect(nestedUserQuery(4, '1')).toBe('{ user(id: "1") { posts(first: 1) { author { name } } } }');
    for (const depth of [2, 3, 8, 9, 10, 13]) expect(depthOf(nestedUserQuery(depth, '7')), `depth ${depth}`).toBe(depth);
    expect(nestedUserQuery(3, '1')).toMatch(/posts\(first: 1\) \{ title \}/);
  });
});

describe('readGraphqlBody and errorsAreWellFormed', () => {
  it('tells a missing data entry from data: null', () => {
    expect(readGraphqlBody('{"errors":[{"message":"x"}]}')).toEqual({ hasData: false, data: undefined, errors: [{ message: 'x' }] });
    expect(readGraphqlBody('{"data":null,"errors":[]}')?.hasData).toBe(true);
    expect(readGraphqlBody('[1]')).toBeNull();
    expect(readGraphqlBody('not json')).toBeNull();
  });

  it('wants a message on every error, and locations of positive line and column when asked', () => {
    const located = [{ message: 'Syntax Error', locations: [{ line: 1, column: 18 }] }];
    expect(errorsAreWellFormed(located, true)).toBe(true);
    expect(errorsAreWellFormed([{ message: 'too deep' }], false)).toBe(true);
    expect(errorsAreWellFormed([{ message: 'too deep' }], true)).toBe(false);
    expect(errorsAreWellFormed([{ message: 'x', locations: [{ line: 0, column: 1 }] }], false)).toBe(false);
    expect(errorsAreWellFormed([{ error: 'x' }], false)).toBe(false);
    expect(errorsAreWellFormed([], false)).toBe(false);
    expect(errorsAreWellFormed(null, false)).toBe(false);
  });
});

describe('graphqlGetPath', () => {
  it('puts query, variables (as JSON) and operationName in the URL', () => {
    const path = graphqlGetPath({ query: '{ user(id: $id) { name } }', variables: { id: '2' }, operationName: 'A' });
    const url = new URL(path, 'http://x.invalid');
    expect(url.pathname).toBe('/graphql');
    expect(url.searchParams.get('query')).toBe('{ user(id: $id) { name } }');
    expect(JSON.parse(url.searchParams.get('variables')!)).toEqual({ id: '2' });
    expect(url.searchParams.get('operationName')).toBe('A');
  });

  it('puts extensions in the URL as JSON, and leaves out what is not given', () => {
    const url = new URL(graphqlGetPath({ query: '{ __typename }', extensions: { some: 'value' } }), 'http://x.invalid');
    expect(JSON.parse(url.searchParams.get('extensions')!)).toEqual({ some: 'value' });
    expect([...url.searchParams.keys()]).toEqual(['query', 'extensions']);
  });
});

describe('graphql-transport-ws frames', () => {
  const text = (value: string) => ({ fin: true, opcode: OPCODE.text, payload: Buffer.from(value) });

  it('reads a message only from a text frame with a JSON object of a string type', () => {
    expect(readTransportMessage(text('{"type":"next","id":"1","payload":{}}'))).toEqual({ type: 'next', id: '1', payload: {} });
    expect(readTransportMessage(text('{"type":7}'))).toBeNull();
    expect(readTransportMessage(text('null'))).toBeNull();
    expect(readTransportMessage({ fin: true, opcode: OPCODE.binary, payload: Buffer.from('{"type":"next"}') })).toBeNull();
  });

  it('reads the close code and says how a close check differed', () => {
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(4409, 0);
    expect(frameCloseCode({ fin: true, opcode: OPCODE.close, payload })).toBe(4409);
    expect(frameCloseCode(text('x'))).toBeNull();
    const base = { found: null, seen: [], closeCode: null, ended: false, timedOut: false };
    expect(closedWith({ ...base, closeCode: 4409 }, 4409)[0]).toBe(true);
    expect(closedWith({ ...base, closeCode: 1000 }, 4409)[1].en).toBe('closed with 1000, not 4409');
    expect(closedWith({ ...base, timedOut: true }, 4400)[1].ru).toMatch(/осталось открытым/);
    expect(closedWith({ ...base, ended: true }, 4400)[1].en).toMatch(/without a close frame/);
  });
});
