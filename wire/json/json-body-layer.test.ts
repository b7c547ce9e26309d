import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import { russianTextOf, wireErrorText } from '../node-text.ts';
import type { ByteStream } from '../stream-assembler.ts';
import type { HttpExchange, WireNode } from '../types.ts';
import { connectionOf } from '../websocket/build-frames.test-helper.ts';
import { MAX_JSON_BODY_BYTES } from './json-body-layer.ts';

// Issue 24: an HTTP JSON body was "Body @276 · 219 B" and hex; now a tree like every other layer.

const text = (value: string) => new TextEncoder().encode(value);
const utf8 = new TextDecoder();

function* walk(node: WireNode): Generator<WireNode> {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
}

function bodyLayer(tree: WireNode): WireNode | undefined {
  const body = tree.children?.find((child) => child.kind === 'body');
  return body?.children?.find((child) => child.kind === 'json-document' || child.kind === 'form-document');
}

/** Every scalar JSON value: the bytes its range points at (in the captured stream) are that value. */
function expectScalarsOverTheirBytes(document: WireNode, stream: ByteStream): number {
  let checked = 0;
  for (const node of walk(document)) {
    if (node.kind !== 'json-value' || node.children || node.value?.startsWith('{…}') || node.value?.startsWith('[…]')) continue;
    const bytes = utf8.decode(stream.slice(node.range));
    expect(JSON.stringify(JSON.parse(bytes)), `${node.label} over ${bytes}`).toBe(node.value);
    checked += 1;
  }
  return checked;
}

function response(head: string, body: string | Uint8Array, closed = true) {
  const bytes = typeof body === 'string' ? text(body) : body;
  const request = text('GET /api/v1/users HTTP/1.1\r\nHost: x\r\n\r\n');
  const whole = new Uint8Array([...text(head), ...bytes]);
  const { connection, chunks } = connectionOf([request], [whole], closed);
  const decoded = decodeConnection(connection, chunks);
  return { decoded, exchange: decoded.exchanges[0] as HttpExchange };
}

describe('JSON bodies as trees with byte ranges', () => {
  it("decodes curl's POST of application/json: every value over its own bytes", () => {
    const { fixture, chunks } = readFixture('curl-post-json');
    const decoded = decodeConnection(fixture.connections[0], chunks);
    const document = bodyLayer(decoded.exchanges[0].request.tree)!;
    expect(document.kind).toBe('json-document');
    expect(document.label).toBe('JSON (application/json)');
    expect(document.children!.map((child) => [child.label, child.value])).toEqual([
      ['name', '"Ada"'],
      ['email', '"ada@example.com"'],
    ]);
    expect(expectScalarsOverTheirBytes(document, decoded.streams.in)).toBe(2);
    expect(russianTextOf(document)?.label).toBe('JSON (application/json)');
    expect(russianTextOf(document)?.value).toBe('{…} 2 ключа');
  });

  it('reads application/problem+json, and a chunked body whose ranges point at the chunk data in the capture', () => {
    const json = '{"type":"about:blank","title":"Not Found","status":404,"localized":{"en":"no user 7","ru":"нет пользователя 7"}}';
    const cut = 37;
    const chunked = `${cut.toString(16)}\r\n${json.slice(0, cut)}\r\n${(text(json).length - cut).toString(16)}\r\n${json.slice(cut)}\r\n0\r\n\r\n`;
    const { decoded, exchange } = response(
      'HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n',
      chunked,
    );
    const document = bodyLayer(exchange.response!.tree)!;
    expect(document.label).toBe('JSON (application/problem+json)');
    // values inside one chunk read back from the captured bytes; "status" lies in the second chunk
    const leaves = [...walk(document)].filter((node) => node.kind === 'json-value' && !node.children);
    const inOneChunk = leaves.filter((node) => !utf8.decode(decoded.streams.out.slice(node.range)).includes('\r\n'));
    expect(inOneChunk.length).toBeGreaterThanOrEqual(4);
    for (const node of inOneChunk) expect(JSON.stringify(JSON.parse(utf8.decode(decoded.streams.out.slice(node.range))))).toBe(node.value);
    const chunkData = [...walk(exchange.response!.tree)].filter((node) => node.kind === 'chunk-data');
    expect(document.range).toEqual({ start: chunkData[0].range.start, end: chunkData[1].range.end });
  });

  it('flags invalid JSON with the RFC 8259 clause it breaks, in both languages, and never throws', () => {
    const cases: Array<[string, string]> = [
      ['{"a" 1}', 'json-invalid-4'],
      ['[1, 2', 'truncated'],
      ['[1 2]', 'json-invalid-5'],
      ['{"a": -}', 'json-invalid-6'],
      ['{"a": "\\x"}', 'json-invalid-7'],
      ['{"a": tru}', 'json-invalid-2'],
      ['{"a": 1} {"b": 2}', 'json-invalid-2'],
      [`${'['.repeat(200)}${']'.repeat(200)}`, 'json-invalid-9'],
    ];
    for (const [body, code] of cases) {
      const { exchange } = response(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${text(body).length}\r\n\r\n`, body);
      const document = bodyLayer(exchange.response!.tree)!;
      const error = document.children!.find((child) => child.kind === 'json-error')!;
      expect(error.error, body).toBe(code);
      expect(document.error).toBe(code);
      if (code.startsWith('json-invalid-')) {
        expect(error.value).toContain(`RFC 8259 §${code.slice('json-invalid-'.length)}`);
        expect(russianTextOf(error)?.value).toContain(`RFC 8259 §${code.slice('json-invalid-'.length)}`);
        expect(wireErrorText(code, 'ru')).toMatch(/[а-я]/);
        expect(wireErrorText(code, 'en')).toContain('RFC 8259');
      }
    }
  });

  it('says a JSON body still arriving is incomplete, not wrong', () => {
    const body = '{"users": [{"id": 1}, {"id"';
    const { exchange } = response('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n', body, false);
    const document = bodyLayer(exchange.response!.tree)!;
    expect(document.error).toBe('incomplete');
  });

  it('leaves a compressed body (Content-Encoding: gzip) as bytes: nothing in wire inflates it', () => {
    const { exchange } = response(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n',
      new Uint8Array([0x1f, 0x8b, 8, 0]),
    );
    expect(bodyLayer(exchange.response!.tree)).toBeUndefined();
  });

  it('refuses to build a tree of a body above the limit', () => {
    const body = `[${'1,'.repeat(MAX_JSON_BODY_BYTES / 2)}1]`;
    const { exchange } = response(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body);
    const node = exchange.response!.tree.children!.find((child) => child.kind === 'body')!.children!.find((child) => child.kind === 'json-not-decoded');
    expect(node).toBeDefined();
  });

  it('decodes NDJSON line by line, each line over its bytes', () => {
    const body = '{"n":1}\n\n{"n":2,"s":"два"}\n{"n":\n';
    const { decoded, exchange } = response(`HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${text(body).length}\r\n\r\n`, body);
    const document = bodyLayer(exchange.response!.tree)!;
    expect(document.value).toBe('3 lines');
    const lines = document.children!;
    expect(lines.map((line) => line.label)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(utf8.decode(decoded.streams.out.slice(lines[1].range))).toBe('{"n":2,"s":"два"}');
    expect(lines[2].error).toBe('truncated');
    expect(expectScalarsOverTheirBytes(document, decoded.streams.out)).toBe(3);
  });

  it('decodes an HTML form: names and values percent-decoded, each over its bytes', () => {
    const body = 'name=Ada+Lovelace&email=ada%40example.com&note=%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82&bad=100%&flag';
    const request = text(
      `POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    const { connection, chunks } = connectionOf([request], [], true);
    const decoded = decodeConnection(connection, chunks);
    const form = bodyLayer(decoded.exchanges[0].request.tree)!;
    expect(form.kind).toBe('form-document');
    expect(form.children!.map((field) => [field.label, field.value])).toEqual([
      ['name', 'Ada Lovelace'],
      ['email', 'ada@example.com'],
      ['note', 'привет'],
      ['bad', '100%'],
      ['flag', ''],
    ]);
    const email = form.children![1];
    expect(utf8.decode(decoded.streams.in.slice(email.children![1].range))).toBe('ada%40example.com');
    expect(utf8.decode(decoded.streams.in.slice(email.children![0].range))).toBe('email');
    expect(russianTextOf(form)?.value).toBe('полей: 5');
  });

  it('decodes JSON bodies over h2c too (curl --http2-prior-knowledge POST)', () => {
    const { fixture, chunks } = readFixture('h2c-curl-post');
    const decoded = decodeConnection(fixture.connections[0], chunks);
    const documents = decoded.exchanges
      .flatMap((exchange) => [exchange.request.tree, exchange.response?.tree].flatMap((tree) => (tree ? [...walk(tree)] : [])))
      .filter((node) => node.kind === 'json-document');
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(document.error).toBeUndefined();
  });
});
