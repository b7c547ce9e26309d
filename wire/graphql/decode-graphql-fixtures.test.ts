import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeChunk, type CaptureFixture } from '../fixtures/read-fixture.ts';
import { decodeConnection } from '../decode-connection.ts';
import type { WireMessage, WireNode } from '../types.ts';

// Real traffic of the real server (tests/fixture-recorders/capture-graphql-fixtures.ts): curl for
// HTTP, Python's websockets for both WebSocket protocols. Expectations come from the bytes.

const utf8 = new TextDecoder();

function load(name: string) {
  const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as CaptureFixture;
  const chunks = fixture.chunks.map(decodeChunk);
  return fixture.connections.map((connection) =>
    decodeConnection(
      connection,
      chunks.filter((chunk) => chunk.conn === connection.id),
    ),
  );
}

function graphqlMessages(name: string, layer = 'graphql-http'): WireMessage[] {
  return load(name).flatMap((decoded) => (decoded.messages ?? []).filter((message) => message.layer === layer));
}

function findNode(node: WireNode, test: (node: WireNode) => boolean): WireNode | undefined {
  if (test(node)) return node;
  for (const child of node.children ?? []) {
    const found = findNode(child, test);
    if (found) return found;
  }
  return undefined;
}

describe('GraphQL over HTTP, as curl sent it', () => {
  it('POST: the operation, its variables and the result with the cost report', () => {
    const [decoded] = load('curl-post-variables');
    const exchange = decoded.exchanges[0];
    const sent = JSON.parse(utf8.decode(exchange.request.body)) as { query: string; operationName: string; variables: { id: string } };
    const answer = JSON.parse(utf8.decode(exchange.response!.body)) as { extensions: { wirelab: { storageQueries: number; resolverCalls: number } } };
    const [request, response] = decoded.messages!.filter((message) => message.layer === 'graphql-http');
    expect(request.dir).toBe('in');
    expect(request.fields).toMatchObject({
      part: 'request',
      operationType: 'query',
      operationName: sent.operationName,
      selection: 'user{name email posts{title}}',
      depth: 3,
      aliases: 0,
    });
    expect(response.dir).toBe('out');
    expect(response.fields).toMatchObject({
      part: 'response',
      data: true,
      storageQueries: answer.extensions.wirelab.storageQueries,
      resolverCalls: answer.extensions.wirelab.resolverCalls,
    });

    // Each field of the document points at its own bytes, though the document is a JSON string with \n escapes.
    const email = findNode(request.tree, (node) => node.kind === 'graphql-field' && node.label === 'email')!;
    expect(utf8.decode(decoded.streams.in.slice(email.range))).toBe('email');
    const posts = findNode(request.tree, (node) => node.kind === 'graphql-field' && node.label === 'posts(first: 2)')!;
    expect(utf8.decode(decoded.streams.in.slice(posts.range))).toBe('posts(first: 2) { title }');
    const variable = findNode(request.tree, (node) => node.kind === 'graphql-variable-definition')!;
    expect(utf8.decode(decoded.streams.in.slice(variable.range))).toBe('$id: ID!');
    const variables = findNode(request.tree, (node) => node.kind === 'graphql-variables')!;
    expect(JSON.parse(utf8.decode(decoded.streams.in.slice(variables.range)))).toEqual(sent.variables);

    const extensions = findNode(response.tree, (node) => node.kind === 'graphql-extensions')!;
    expect(utf8.decode(decoded.streams.out.slice(extensions.range))).toMatch(/^"extensions":\{"wirelab":/);
    const data = findNode(response.tree, (node) => node.kind === 'graphql-data')!;
    expect(utf8.decode(decoded.streams.out.slice(data.range))).toMatch(/^"data":\{"user":/);
  });

  it('GET: the operation in the query string, percent-decoded, linked to the request line', () => {
    const [request, response] = graphqlMessages('curl-get-query-string');
    expect(request.fields).toMatchObject({ part: 'request', method: 'GET', operationType: 'query', operationName: 'Search', selection: 'users{nodes{name}}' });
    const [decoded] = load('curl-get-query-string');
    const field = findNode(request.tree, (node) => node.kind === 'graphql-field' && node.label === 'name')!;
    expect(utf8.decode(decoded.streams.in.slice(field.range))).toBe('name');
    const variables = findNode(request.tree, (node) => node.kind === 'graphql-variables')!;
    expect(variables.value).toBe('{"q":"а"}');
    expect(utf8.decode(decoded.streams.in.slice(variables.range))).toMatch(/^variables=.*%D0%B0/i);
    expect(response.fields).toMatchObject({ part: 'response', data: true });
  });

  it('h2c: the same layer reads the body from HTTP/2 DATA frames', () => {
    const [decoded] = load('curl-h2c-post');
    expect(decoded.connection.transport).toBe('h2c');
    const [request, response] = (decoded.messages ?? []).filter((message) => message.layer === 'graphql-http');
    expect(request.fields).toMatchObject({ part: 'request', operationType: 'query', selection: 'post{title author{name}}' });
    expect(response.fields).toMatchObject({ part: 'response', data: true, dataKeys: 'post' });
    const title = findNode(request.tree, (node) => node.kind === 'graphql-field' && node.label === 'title')!;
    expect(utf8.decode(decoded.streams.in.slice(title.range))).toBe('title');
  });

  it('a batch: one message per operation and per result, numbered', () => {
    const messages = graphqlMessages('curl-batch-no-batching');
    const requests = messages.filter((message) => message.dir === 'in');
    const results = messages.filter((message) => message.dir === 'out');
    expect(requests.map((message) => [message.fields?.batchIndex, message.fields?.batchSize])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(requests[1].fields?.operationName).toBe('One');
    expect(results).toHaveLength(2);
    expect(results.every((message) => message.fields?.data === true)).toBe(true);
  });

  it('a rejected query: the error code, and the depth we count is the one the server reports', () => {
    const [request, response] = graphqlMessages('curl-too-deep');
    expect(response.fields).toMatchObject({ part: 'response', data: false, errors: 1, errorCode: 'QUERY_TOO_DEEP', resolverCalls: 0 });
    const reported = Number(/nested (\d+) levels/.exec(String(response.fields?.errorMessage))?.[1]);
    expect(reported).toBeGreaterThan(8);
    expect(request.fields?.depth).toBe(reported);
    expect(findNode(response.tree, (node) => node.kind === 'graphql-error')?.label).toBe('error QUERY_TOO_DEEP');
  });
});

describe('GraphQL over WebSocket, as Python websockets spoke it', () => {
  it('graphql-transport-ws: every message in order, the subscription and its event', () => {
    const connections = load('python-graphql-transport-ws');
    const messages = connections.flatMap((decoded) => (decoded.messages ?? []).filter((message) => message.layer === 'graphql-ws'));
    const sequence = messages.map((message) => `${message.dir} ${message.fields?.type}`);
    expect(sequence.slice(0, 7)).toEqual(['in connection_init', 'out connection_ack', 'in ping', 'out pong', 'in subscribe', 'out next', 'in complete']);
    // The server may confirm the client's complete before the close wins the race, or not.
    expect(sequence.slice(7).every((entry) => entry === 'out complete')).toBe(true);
    expect(messages.every((message) => message.fields?.protocol === 'graphql-transport-ws')).toBe(true);
    const subscribe = messages[4];
    expect(subscribe.fields).toMatchObject({
      id: '1',
      operationType: 'subscription',
      operationName: 'NewPosts',
      selection: 'postAdded{id title author{name}}',
    });
    const next = messages[5];
    expect(next.fields).toMatchObject({ id: '1', data: true, dataKeys: 'postAdded' });
    // Server frames are not masked: the nodes' ranges read as the JSON itself.
    const decoded = connections.find((connection) => connection.messages?.includes(next))!;
    const type = findNode(next.tree, (node) => node.kind === 'graphql-ws-type')!;
    expect(utf8.decode(decoded.streams.out.slice(type.range))).toBe('"type":"next"');
    const title = findNode(next.tree, (node) => node.kind === 'json-value' && node.label === 'title')!;
    expect(utf8.decode(decoded.streams.out.slice(title.range))).toBe(title.value);
    // …and the WebSocket frame that carried it is listed too, just before it.
    const frames = decoded.messages!.filter((message) => message.layer === 'ws-frame');
    expect(frames.some((frame) => frame.range.start <= next.range.start && frame.range.end >= next.range.end)).toBe(true);
  });

  it('legacy graphql-ws: start, data, stop, connection_terminate', () => {
    const messages = graphqlMessages('python-legacy-graphql-ws', 'graphql-ws');
    expect(messages.map((message) => `${message.dir} ${message.fields?.type}`)).toEqual([
      'in connection_init',
      'out connection_ack',
      'in start',
      'out data',
      'in stop',
      'in connection_terminate',
    ]);
    expect(messages[2].fields).toMatchObject({ protocol: 'graphql-ws', operationName: 'NewPosts' });
    expect(messages.some((message) => message.fields?.error)).toBe(false);
  });
});
