import { describe, expect, it } from 'vitest';
import { parseCellText } from './cell-format.ts';
import { readCellRequest } from './cell-request.ts';
import { outlineDocument } from './operations.ts';

const read = (text: string, wanted: string | number | null = null) => {
  const source = parseCellText(text);
  return readCellRequest(source, outlineDocument(source.document), wanted);
};

const TWO_OPERATIONS = 'query A { me { id } }\nsubscription B { ticks }\n\n### variables\n{ "n": 1 }\n\n### headers\nX-Wirelab-Batching: off';

describe('what a GraphQL cell asks for', () => {
  it('makes the picked query the request curl would send: that operation alone, its variables and headers', () => {
    const request = read(TWO_OPERATIONS, 'A');
    expect(request.isSubscription).toBe(false);
    expect(request.batchingOn).toBe(false);
    expect(JSON.parse(request.curlRequest!.body!)).toEqual({ query: 'query A { me { id } }', variables: { n: 1 }, operationName: 'A' });
    expect(request.asCodeSpec()).toMatchObject({ kind: 'http', method: 'POST' });
  });

  it('gives a subscription no curl request but graphql-transport-ws as code', () => {
    const request = read(TWO_OPERATIONS, 'B');
    expect(request.isSubscription).toBe(true);
    expect(request.curlRequest).toBeNull();
    expect(request.asCodeSpec()).toMatchObject({ kind: 'graphql-ws', operationName: 'B', variables: { n: 1 } });
  });

  it('offers nothing to copy while the variables are not JSON or the document does not parse', () => {
    expect(read('query A { me { id } }\n\n### variables\n{ nope').curlRequest).toBeNull();
    const broken = read('query A { me {');
    expect(broken.operations).toEqual([]);
    expect(broken.asCodeSpec()).toBeNull();
    expect(broken.batchingOn).toBe(true);
  });
});
