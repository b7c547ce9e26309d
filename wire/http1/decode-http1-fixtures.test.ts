import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import type { HttpExchange, WireNode } from '../types.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

function decodeFixture(name: string, connectionIndex = 0) {
  const { fixture, chunks } = readFixture(name);
  const connection = fixture.connections[connectionIndex];
  const decoded = decodeConnection(connection, chunks);
  const inbound = decoded.streams.in.segments[0]?.bytes ?? new Uint8Array(0);
  const outbound = decoded.streams.out.segments[0]?.bytes ?? new Uint8Array(0);
  return { ...decoded, fixture, inbound, outbound, inText: text(inbound), outText: text(outbound) };
}

function find(node: WireNode, predicate: (node: WireNode) => boolean): WireNode | undefined {
  if (predicate(node)) return node;
  for (const child of node.children ?? []) {
    const found = find(child, predicate);
    if (found) return found;
  }
  return undefined;
}

function header(tree: WireNode, name: string): WireNode {
  const node = find(tree, (candidate) => candidate.kind === 'header' && candidate.label.toLowerCase() === name.toLowerCase());
  if (!node) throw new Error(`no ${name} header node`);
  return node;
}

const slice = (source: string, range: { start: number; end: number }) => source.slice(range.start, range.end);

describe('HTTP/1.1 decoder on captured traffic', () => {
  it('curl GET: request line parts, headers and the Content-Length body with exact ranges', () => {
    const { exchanges, inText, outText, notes } = decodeFixture('curl-get');
    expect(notes).toEqual([]);
    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    const { request, response } = exchange as Required<HttpExchange>;
    expect(exchange.index).toBe(0);
    expect(request).toMatchObject({ method: 'GET', target: '/hello', path: '/hello', version: 'HTTP/1.1', complete: true });
    expect(request.range).toEqual({ start: 0, end: inText.length });
    expect(request.bodyStart).toBe(inText.length);
    const requestLine = request.tree.children![0];
    expect(requestLine.kind).toBe('request-line');
    expect(requestLine.label).toBe('GET /hello HTTP/1.1');
    expect(requestLine.children!.map((child) => [child.kind, slice(inText, child.range)])).toEqual([
      ['method', 'GET'],
      ['request-target', '/hello'],
      ['http-version', 'HTTP/1.1'],
      ['crlf', '\r\n'],
    ]);
    expect(request.headers.map(([name]) => name)).toEqual(['Host', 'User-Agent', 'Accept']);
    expect(slice(inText, header(request.tree, 'User-Agent').children![1].range)).toMatch(/^curl\/7\./);

    expect(response).toMatchObject({ version: 'HTTP/1.1', status: 200, reason: 'OK', complete: true });
    const headEnd = outText.indexOf('\r\n\r\n') + 4;
    expect(response.bodyStart).toBe(headEnd);
    expect(text(response.body)).toBe('Hello, wire!\n');
    const contentLength = header(response.tree, 'Content-Length');
    const [name, value, crlf] = contentLength.children!;
    expect(slice(outText, name.range)).toBe('Content-Length');
    expect(slice(outText, value.range)).toBe('13');
    expect(value.range.start).toBe(outText.indexOf('Content-Length: ') + 'Content-Length: '.length);
    expect(slice(outText, crlf.range)).toBe('\r\n');
    expect(slice(outText, contentLength.range)).toBe('Content-Length: 13\r\n');
    const body = find(response.tree, (node) => node.kind === 'body')!;
    expect(body.range).toEqual({ start: headEnd, end: outText.length });
    const blankLine = find(response.tree, (node) => node.kind === 'blank-line')!;
    expect(blankLine.range).toEqual({ start: headEnd - 2, end: headEnd });
    expect(response.firstByteAt).toBeGreaterThanOrEqual(request.firstByteAt);
  });

  it('curl POST with JSON: the request body starts right after the empty line', () => {
    const { exchanges, inText } = decodeFixture('curl-post-json');
    const { request, response } = exchanges[0] as Required<HttpExchange>;
    expect(request.method).toBe('POST');
    expect(request.bodyStart).toBe(inText.indexOf('\r\n\r\n') + 4);
    expect(JSON.parse(text(request.body))).toEqual({ name: 'Ada', email: 'ada@example.com' });
    expect(request.headers).toContainEqual(['Content-Type', 'application/json']);
    expect(response.status).toBe(201);
    expect(JSON.parse(text(response.body))).toEqual({ received: { name: 'Ada', email: 'ada@example.com' } });
  });

  it('HEAD: the response announces 13 bytes but carries no body', () => {
    const { exchanges, outText } = decodeFixture('curl-head');
    const { request, response } = exchanges[0] as Required<HttpExchange>;
    expect(request.method).toBe('HEAD');
    expect(response.headers).toContainEqual(['Content-Length', '13']);
    expect(response.body).toHaveLength(0);
    expect(response.complete).toBe(true);
    expect(response.range.end).toBe(outText.length);
    expect(find(response.tree, (node) => node.kind === 'body')).toBeUndefined();
  });

  it('keep-alive: two exchanges on one connection, index 0 and 1, offsets continuing', () => {
    const { exchanges, inText, outText } = decodeFixture('curl-keep-alive');
    expect(exchanges.map((exchange) => [exchange.index, exchange.request.target, exchange.response?.status])).toEqual([
      [0, '/hello', 200],
      [1, '/users/1', 200],
    ]);
    const second = exchanges[1] as Required<HttpExchange>;
    expect(second.request.range.start).toBe(inText.indexOf('GET /users/1'));
    expect(second.request.range.start).toBe(exchanges[0].request.range.end);
    expect(second.response.range.start).toBe(outText.lastIndexOf('HTTP/1.1 200 OK'));
    expect(second.response.bodyStart).toBe(outText.lastIndexOf('\r\n\r\n') + 4);
    expect(JSON.parse(text(second.response.body))).toEqual({ id: 1, name: 'Ada Lovelace' });
    expect(second.request.firstByteAt).toBeGreaterThan(exchanges[0].request.firstByteAt);
  });

  it("Node's fetch reuses its connection: POST at index 0, GET at index 1", () => {
    const { exchanges, fixture } = decodeFixture('fetch-keep-alive');
    expect(fixture.connections).toHaveLength(1);
    expect(exchanges.map((exchange) => `${exchange.index} ${exchange.request.method} ${exchange.response?.status}`)).toEqual(['0 POST 201', '1 GET 200']);
    expect(exchanges.every((exchange) => exchange.response?.complete)).toBe(true);
  });

  it('chunked response: every chunk size, data and CRLF, the last chunk and the trailer', () => {
    const { exchanges, outText } = decodeFixture('curl-chunked');
    const response = exchanges[0].response!;
    expect(response.complete).toBe(true);
    expect(text(response.body)).toBe('first piece\nsecond, a longer piece\nthird\n');
    const body = find(response.tree, (node) => node.kind === 'body')!;
    expect(body.range).toEqual({ start: response.bodyStart, end: outText.length });
    const chunks = body.children!.filter((node) => node.kind === 'chunk');
    expect(chunks.map((chunk) => slice(outText, chunk.children!.find((child) => child.kind === 'chunk-size')!.range))).toEqual(['c', '17', '6']);
    expect(chunks.map((chunk) => slice(outText, chunk.children!.find((child) => child.kind === 'chunk-data')!.range))).toEqual([
      'first piece\n',
      'second, a longer piece\n',
      'third\n',
    ]);
    expect(chunks.every((chunk) => slice(outText, chunk.children!.at(-1)!.range) === '\r\n')).toBe(true);
    const lastChunk = body.children!.find((node) => node.kind === 'last-chunk')!;
    expect(slice(outText, lastChunk.range)).toBe('0\r\n');
    const trailers = body.children!.find((node) => node.kind === 'trailers')!;
    expect(slice(outText, trailers.range)).toBe('X-Pieces: 3\r\n');
    expect(response.headers).toContainEqual(['X-Pieces', '3']);
    // the three writes came 30 ms apart: the message's last byte is later than its first
    expect(response.lastByteAt - response.firstByteAt).toBeGreaterThan(50);
  });

  it('a response without length lasts until the connection closes', () => {
    const { exchanges } = decodeFixture('curl-until-close');
    const response = exchanges[0].response!;
    expect(exchanges[0].request.version).toBe('HTTP/1.0');
    expect(response.complete).toBe(true);
    expect(text(response.body)).toBe('first piece\nsecond, a longer piece\nthird\n');
    expect(find(response.tree, (node) => node.kind === 'body')!.label).toMatch(/until the connection closes/);
  });

  it('304 Not Modified has no body', () => {
    const { exchanges, outText } = decodeFixture('curl-not-modified');
    const response = exchanges[0].response!;
    expect(exchanges[0].request.headers).toContainEqual(['If-None-Match', '"v1"']);
    expect(response.status).toBe(304);
    expect(response.body).toHaveLength(0);
    expect(response.range.end).toBe(outText.length);
  });

  it('Expect: 100-continue: the interim 100 is kept apart from the final 201', () => {
    const { exchanges, inText } = decodeFixture('curl-expect-continue');
    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange.interim?.map((response) => response.status)).toEqual([100]);
    expect(exchange.response?.status).toBe(201);
    expect(exchange.request.bodyStart).toBe(inText.indexOf('\r\n\r\n') + 4);
    // the body was sent after the 100 arrived, in a later chunk
    expect(exchange.request.lastByteAt).toBeGreaterThan(exchange.request.firstByteAt);
  });

  it('101 Switching Protocols: decoding stops and the upgrade offsets are exposed', () => {
    const { exchanges, notes, messages, inbound, outText } = decodeFixture('curl-upgrade');
    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange.response?.status).toBe(101);
    const headEnd = outText.indexOf('\r\n\r\n') + 4;
    expect(exchange.upgrade).toEqual({ protocol: 'websocket', inboundOffset: inbound.length, outboundOffset: headEnd });
    // the WebSocket frame after the 101: 0x81 (FIN + text), length 5, "hello" — the WebSocket
    // decoder (wire/websocket) reads it, so it is a message rather than an "upgraded" note
    expect(notes.filter((note) => note.node.kind === 'upgraded')).toEqual([]);
    expect(messages?.every((message) => message.layer === 'ws-frame' && message.dir === 'out')).toBe(true);
    expect(messages?.[0].range.start).toBe(headEnd);
    expect(messages?.[messages.length - 1].range.end).toBe(outText.length);
    expect(outText.charCodeAt(headEnd)).toBe(0x81);
  });

  it('pipelined requests in one chunk are split and answered in order', () => {
    const { exchanges, inText } = decodeFixture('net-pipelined');
    expect(exchanges.map((exchange) => [exchange.index, exchange.request.target, exchange.response?.status])).toEqual([
      [0, '/hello', 200],
      [1, '/users/1', 200],
    ]);
    expect(exchanges[1].request.range.start).toBe(inText.indexOf('GET /users/1'));
    expect(exchanges[0].request.firstByteAt).toBe(exchanges[1].request.firstByteAt);
    expect(text(exchanges[0].response!.body)).toBe('Hello, wire!\n');
    expect(exchanges[1].response!.headers).toContainEqual(['Connection', 'close']);
  });
});
