import { describe, expect, it } from 'vitest';
import { messageMarkOf } from '../message-marks.ts';
import { russianTextOf } from '../node-text.ts';
import { contiguousOffsets, type PayloadContext } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { decodeGraphqlDocument } from './graphql-document.ts';
import { graphqlHttpLayer, queryParametersWithRanges } from './decode-graphql-http.ts';
import { graphqlWsLayer } from './decode-graphql-ws.ts';
import { decodeConnection } from '../decode-connection.ts';

// Cases the real fixtures do not cover: broken input never throws, it becomes a node with an error.

const bytes = (text: string) => new TextEncoder().encode(text);
const base = 1000;
const offsets = contiguousOffsets(base);
const identity = (start: number, end: number) => ({ start, end });

function all(node: WireNode): WireNode[] {
  return [node, ...(node.children ?? []).flatMap(all)];
}

describe('decodeGraphqlDocument', () => {
  it('counts depth as the server does (inline fragments add a level) and aliases through fragments', () => {
    const text = 'query Q { a: user(id: 1) { ...Card } b: user(id: 2) { name } } fragment Card on User { posts { ... on Post { title } } }';
    const { facts, node } = decodeGraphqlDocument(text, identity);
    expect(facts).toMatchObject({ operationType: 'query', operationName: 'Q', aliases: 2, depth: 4, operations: 1 });
    expect(facts.selection).toBe('a:user{...Card} b:user{name}');
    expect(facts.rootFields).toBe('a:user(id: 1) b:user(id: 2)');
    const spread = all(node).find((child) => child.kind === 'graphql-fragment-spread')!;
    expect(text.slice(spread.range.start, spread.range.end)).toBe('...Card');
  });

  it('a syntax error: one node at the error position, no facts about operations', () => {
    const { facts, node } = decodeGraphqlDocument('{ user(id: 1) { name }', identity);
    expect(facts.syntaxError).toMatch(/Expected Name|Expected "}"|<EOF>/);
    expect(node.error).toBe('graphql-syntax-error');
    expect(node.children?.[0].range.start).toBe(22);
  });

  it('several operations without operationName: none is chosen', () => {
    const { facts } = decodeGraphqlDocument('query A { users { nodes { id } } } query B { post(id: 1) { id } }', identity);
    expect(facts.operations).toBe(2);
    expect(facts.operationType).toBeUndefined();
    expect(decodeGraphqlDocument('query A { a: post(id: 1) { id } } query B { post(id: 1) { id } }', identity, 'B').facts.aliases).toBe(0);
  });

  it('a self-spreading fragment does not loop', () => {
    const { facts } = decodeGraphqlDocument('{ user(id: 1) { ...F } } fragment F on User { posts { author { ...F } } }', identity);
    expect(facts.depth).toBe(3);
  });
});

describe('graphql-http layer', () => {
  const request: PayloadContext = { carrier: 'http-request-body', path: '/graphql', contentType: 'application/json', complete: true };

  it('accepts /graphql bodies and graphql-response+json anywhere, not other paths', () => {
    expect(graphqlHttpLayer.accepts(request)).toBe(true);
    expect(graphqlHttpLayer.accepts({ ...request, path: '/api/v1/users' })).toBe(false);
    expect(
      graphqlHttpLayer.accepts({
        carrier: 'http-response-body',
        path: '/other',
        contentType: 'application/graphql-response+json; charset=utf-8',
        complete: true,
      }),
    ).toBe(true);
    expect(graphqlHttpLayer.accepts({ ...request, contentType: 'text/html' })).toBe(false);
    expect(graphqlHttpLayer.accepts({ ...request, carrier: 'ws-message' })).toBe(false);
  });

  it('a body that is not JSON: a node with the error where it breaks', () => {
    const [node] = graphqlHttpLayer.decode(bytes('{"query": }'), offsets, request);
    expect(node).toMatchObject({ kind: 'graphql-invalid-json', error: 'invalid-json' });
    expect(node.range.start).toBe(base + 10);
    expect(graphqlHttpLayer.decode(bytes('{"query": '), offsets, { ...request, complete: false })).toEqual([]);
  });

  it('application/graphql: the body is the document itself, Cyrillic included', () => {
    // GraphQL names are ASCII only; string values may be anything
    const text = 'query Search { users(filter: { search: "ада" }) { nodes { name } } }';
    const [node] = graphqlHttpLayer.decode(bytes(text), offsets, { ...request, contentType: 'application/graphql' });
    expect(messageMarkOf(node)?.fields).toMatchObject({
      operationName: 'Search',
      selection: 'users{nodes{name}}',
      rootFields: 'users(filter: {search: "ада"})',
    });
    const name = all(node).find((child) => child.kind === 'graphql-field' && child.label === 'name')!;
    const encoded = bytes(text);
    expect(new TextDecoder().decode(encoded.subarray(name.range.start - base, name.range.end - base))).toBe('name');
  });

  it('a request without query is marked, not thrown', () => {
    const [node] = graphqlHttpLayer.decode(bytes('{"variables": {}}'), offsets, request);
    expect(messageMarkOf(node)?.fields.error).toBe('missing-query');
  });
});

describe('queryParametersWithRanges', () => {
  it('decodes %XX and + and keeps each character’s offset in the target', () => {
    const target = '/graphql?query=%7B+me%7D&x=%D0%B0';
    const [query, x] = queryParametersWithRanges(target, 0);
    expect(query.value).toBe('{ me}');
    expect(query.charStarts.slice(0, 3)).toEqual([15, 18, 19]);
    expect(x.value).toBe('а');
    expect(target.slice(x.charStarts[0], x.charStarts[1])).toBe('%D0%B0');
  });
});

describe('graphql-ws layer', () => {
  const context: PayloadContext = { carrier: 'ws-message', subprotocol: 'graphql-transport-ws', contentType: 'text/plain; charset=utf-8', complete: true };
  const decode = (text: string, extra: Partial<PayloadContext> = {}) => {
    const [node] = graphqlWsLayer.decode(bytes(text), offsets, { ...context, ...extra });
    return { node, fields: messageMarkOf(node)!.fields };
  };

  it('only for the two GraphQL subprotocols', () => {
    expect(graphqlWsLayer.accepts(context)).toBe(true);
    expect(graphqlWsLayer.accepts({ ...context, subprotocol: 'graphql-ws' })).toBe(true);
    expect(graphqlWsLayer.accepts({ ...context, subprotocol: 'wirelab.chat.v1' })).toBe(false);
    expect(graphqlWsLayer.accepts({ ...context, carrier: 'http-request-body' })).toBe(false);
  });

  it('an error message carries the GraphQL errors as its payload', () => {
    const { fields } = decode('{"id":"7","type":"error","payload":[{"message":"Too deep","extensions":{"code":"QUERY_TOO_DEEP"}}]}');
    expect(fields).toMatchObject({ type: 'error', id: '7', errors: 1, errorCode: 'QUERY_TOO_DEEP', errorMessage: 'Too deep' });
  });

  it('a type of the other protocol is flagged as unknown; not JSON and binary are flagged too', () => {
    expect(decode('{"type":"start","id":"1","payload":{"query":"subscription { userChanged { kind } }"}}').fields.error).toBe('unknown-type');
    expect(decode('{"type":"start","id":"1","payload":{"query":"subscription { userChanged { kind } }"}}', { subprotocol: 'graphql-ws' }).fields).toMatchObject(
      { type: 'start', operationType: 'subscription' },
    );
    expect(decode('not json').fields).toMatchObject({ type: 'invalid', error: 'invalid-json' });
    expect(decode('{"x":1}').fields).toMatchObject({ type: 'missing', error: 'missing-type' });
    expect(decode('{}', { contentType: 'application/octet-stream' }).fields).toMatchObject({ type: 'binary', error: 'binary-message' });
  });
});

describe('Russian text of the nodes', () => {
  it('every node a reader sees in the graphql-ws and graphql-http trees has its Russian label', () => {
    const [ws] = graphqlWsLayer.decode(
      bytes(
        '{"id":"1","type":"next","payload":{"data":{"postAdded":{"id":"5"}},"errors":[{"message":"x","extensions":{"code":"C"}}],"extensions":{"wirelab":{"storageQueries":2}}}}',
      ),
      offsets,
      { carrier: 'ws-message', subprotocol: 'graphql-transport-ws', contentType: 'text/plain', complete: true },
    );
    const [http] = graphqlHttpLayer.decode(
      bytes('{"query":"query Q { a: user(id: 1) { ...F ... on User { id } } } fragment F on User { name }","operationName":"Q","variables":{}}'),
      offsets,
      {
        carrier: 'http-request-body',
        path: '/graphql',
        contentType: 'application/json',
        complete: true,
      },
    );
    // Labels that are data or protocol terms (a field name, "$id", "payload") read the same in both languages.
    const worded = new Set([
      'graphql-ws-message',
      'graphql-ws-type',
      'graphql-ws-id',
      'graphql-result',
      'graphql-errors',
      'graphql-error',
      'graphql-data',
      'graphql-extensions',
      'graphql-variables',
      'json-value',
      'graphql-document',
      'graphql-operation',
      'graphql-query',
      'graphql-operation-name',
      'graphql-fragment-spread',
      'graphql-inline-fragment',
    ]);
    const nodes = [...all(ws), ...all(http)].filter(
      (node) => (worded.has(node.kind) && !(node.kind === 'json-value' && !node.children)) || node.value?.startsWith('alias'),
    );
    const kinds = nodes.map((node) => node.kind);
    for (const kind of worded) expect(kinds).toContain(kind);
    for (const node of nodes) expect(russianTextOf(node), `${node.kind} ${node.label}`).toBeDefined();
    expect(russianTextOf(all(ws).find((node) => node.kind === 'graphql-ws-type')!)?.label).toMatch(/очередной результат/);
  });
});

describe('GraphQL query strings with bytes that are not UTF-8', () => {
  it('a percent-encoded code point above U+10FFFF, a surrogate, an overlong form and a cut sequence become U+FFFD instead of throwing', () => {
    for (const escaped of ['%F4%90%80%80', '%ED%A0%80', '%C0%AF', '%E2%82', '%F8%88%80%80%80']) {
      const [parameter] = queryParametersWithRanges(`/graphql?query=${escaped}x`, 0);
      expect(parameter.value, escaped).toMatch(/^\uFFFD+x$/);
      expect(parameter.charStarts).toHaveLength(parameter.value.length + 1);
    }
    expect(queryParametersWithRanges('/graphql?query=%E2%82%AC', 0)[0].value).toBe('€');
  });

  it('GET /graphql?query=%F4%90%80%80 over HTTP/1.1 decodes to a GraphQL syntax error node', () => {
    const decoded = decodeConnection({ id: 'g', transport: 'http/1.1', remote: 'a', local: 'b', openedAt: 0 }, [
      { conn: 'g', seq: 1, dir: 'in', t: 1, offset: 0, data: bytes('GET /graphql?query=%F4%90%80%80 HTTP/1.1\r\nHost: x\r\n\r\n') },
    ]);
    expect(decoded.exchanges[0].request.target).toBe('/graphql?query=%F4%90%80%80');
    expect(decoded.messages?.some((message) => message.layer === 'graphql-http')).toBe(true);
  });
});
