import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { assembleStream } from '../stream-assembler.ts';
import type { CaptureChunk, CapturedConnection, WireNode } from '../types.ts';
import { decodeHttp1Connection, decodeHttp1Requests, decodeHttp1Responses, splitTarget } from './decode-http1.ts';

let seq = 0;
function chunk(dir: 'in' | 'out', offset: number, text: string | Uint8Array, t: number): CaptureChunk {
  const data = typeof text === 'string' ? new Uint8Array(Buffer.from(text, 'latin1')) : text;
  return { conn: 'c1', seq: ++seq, dir, t, offset, data };
}
const stream = (dir: 'in' | 'out', parts: Array<[offset: number, text: string, t: number]>, ended = false) =>
  assembleStream(
    'c1',
    dir,
    parts.map(([offset, text, t]) => chunk(dir, offset, text, t)),
    ended,
  );
const inbound = (text: string, ended = false) => stream('in', [[0, text, 1]], ended);
const outbound = (text: string, ended = false) => stream('out', [[0, text, 2]], ended);
const str = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const kinds = (node: WireNode): string[] => [node.kind, ...(node.children ?? []).flatMap(kinds)];

describe('decodeHttp1Requests', () => {
  it('marks a request whose body has not fully arrived as incomplete', () => {
    const [request] = decodeHttp1Requests(inbound('POST /u HTTP/1.1\r\nContent-Length: 10\r\n\r\n{"a":'));
    expect(request.complete).toBe(false);
    expect(str(request.body)).toBe('{"a":');
    expect(request.tree.error).toBe('incomplete');
  });

  it('marks a request cut inside its headers as incomplete, keeping what was read', () => {
    const [request] = decodeHttp1Requests(inbound('GET /a?x=1&y=%20 HTTP/1.1\r\nHost: a\r\nAcc'));
    expect(request).toMatchObject({
      method: 'GET',
      path: '/a',
      query: [
        ['x', '1'],
        ['y', ' '],
      ],
      complete: false,
    });
    expect(request.headers).toEqual([['Host', 'a']]);
  });

  it('reads a chunked request body with a chunk extension', () => {
    const [request] = decodeHttp1Requests(inbound('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;name=v\r\nabc\r\n0\r\n\r\n'));
    expect(request.complete).toBe(true);
    expect(str(request.body)).toBe('abc');
    expect(kinds(request.tree)).toContain('chunk-extension');
  });

  it('does not throw on garbage: the error sits on the node', () => {
    const [request] = decodeHttp1Requests(inbound('\u0016\u0003\u0001 binary junk\r\n\r\n'));
    expect(request.tree.error).toBe('malformed-request-line');
    expect(request.complete).toBe(true);
  });

  it('rejects a bad Content-Length and stops reading the rest', () => {
    const requests = decodeHttp1Requests(inbound('POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\nGET / HTTP/1.1\r\n\r\n'));
    expect(requests).toHaveLength(1);
    const header = requests[0].tree.children!.find((node) => node.kind === 'headers')!.children![0];
    expect(header.error).toBe('invalid-content-length');
    expect(kinds(requests[0].tree)).toContain('unparsed');
  });

  it('flags a header line without a colon, obs-fold and a bare LF', () => {
    expect(decodeHttp1Requests(inbound('GET / HTTP/1.1\r\nNoColonHere\r\n\r\n'))[0].tree.error).toBe('header-without-colon');
    const [folded] = decodeHttp1Requests(inbound('GET / HTTP/1.1\r\nX-Long: one\r\n two\r\n\r\n'));
    expect(folded.headers).toEqual([['X-Long', 'one two']]);
    expect(folded.tree.children![1].children![0].error).toBe('obs-fold');
    const [bare] = decodeHttp1Requests(inbound('GET / HTTP/1.1\nHost: a\n\n'));
    expect(bare.complete).toBe(true);
    expect(bare.headers).toEqual([['Host', 'a']]);
    expect(bare.tree.children![0].children!.at(-1)!.error).toBe('bare-lf');
  });

  it('rejects an invalid chunk size', () => {
    const [request] = decodeHttp1Requests(inbound('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
    expect(request.tree.error).toBe('invalid-chunk-size');
  });

  it('after a hole in the recording, starts again at the next request line', () => {
    const requests = decodeHttp1Requests(
      stream('in', [
        [0, 'GET /first HTTP/1.1\r\nHost: a\r\n\r\nPOST /cut HTTP/1.1\r\nContent-Length: 100\r\n\r\n12345', 1],
        [200, 'tail of an evicted body\r\nGET /after-gap HTTP/1.1\r\nHost: a\r\n\r\n', 5],
      ]),
    );
    expect(requests.map((request) => [request.target, request.complete, request.afterGap ?? false])).toEqual([
      ['/first', true, false],
      ['/cut', false, false],
      ['/after-gap', true, true],
    ]);
    expect(requests[2].range.start).toBe(200 + 'tail of an evicted body\r\n'.length);
    expect(requests[2].firstByteAt).toBe(5);
  });
});

describe('decodeHttp1Responses', () => {
  it('uses the request methods: a HEAD response has no body, the next one has', () => {
    const responses = decodeHttp1Responses(outbound('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'), [
      'HEAD',
      'GET',
    ]);
    expect(responses.map((response) => [response.status, str(response.body)])).toEqual([
      [200, ''],
      [200, 'hello'],
    ]);
  });

  it('204 has no body; a body without length is complete only once the connection closed', () => {
    const [noContent] = decodeHttp1Responses(outbound('HTTP/1.1 204 No Content\r\n\r\n'), ['DELETE']);
    expect(noContent).toMatchObject({ status: 204, complete: true });
    const [open] = decodeHttp1Responses(outbound('HTTP/1.1 200 OK\r\n\r\nstreaming'), ['GET']);
    expect(open.complete).toBe(false);
    const [closed] = decodeHttp1Responses(outbound('HTTP/1.1 200 OK\r\n\r\nstreaming', true), ['GET']);
    expect(closed.complete).toBe(true);
    expect(str(closed.body)).toBe('streaming');
  });

  it('Content-Length wins nothing against Transfer-Encoding: chunked, and says so', () => {
    const [response] = decodeHttp1Responses(outbound('HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'));
    expect(str(response.body)).toBe('ok');
    expect(response.tree.children![1].children![0].error).toBe('content-length-ignored-with-transfer-encoding');
  });
});

describe('decodeHttp1Connection', () => {
  it('leaves a request without its response yet unanswered', () => {
    const exchanges = decodeHttp1Connection(
      stream('in', [[0, 'GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n', 1]]),
      stream('out', [[0, 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na', 2]]),
    );
    expect(exchanges.map((exchange) => [exchange.index, exchange.request.target, exchange.response?.status])).toEqual([
      [0, '/a', 200],
      [1, '/b', undefined],
    ]);
  });

  it('a CONNECT answered 200 becomes a tunnel', () => {
    const [exchange] = decodeHttp1Connection(
      stream('in', [[0, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\u0016\u0003\u0001', 1]]),
      stream('out', [[0, 'HTTP/1.1 200 Connection Established\r\n\r\n\u0016\u0003\u0003', 2]]),
    );
    expect(exchange.upgrade?.protocol).toBe('tunnel');
    expect(exchange.response?.body).toHaveLength(0);
  });
});

describe('decodeConnection', () => {
  const connection = (transport: CapturedConnection['transport']): CapturedConnection => ({
    id: 'c1',
    transport,
    remote: '127.0.0.1:5000',
    local: '127.0.0.1:8080',
    openedAt: 0,
  });

  it('hands h2c connections to the HTTP/2 decoder (wire/http2)', () => {
    const decoded = decodeConnection(connection('h2c'), [chunk('in', 0, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 1)]);
    expect(decoded.exchanges).toEqual([]);
    expect(decoded.notes).toEqual([]);
    expect(decoded.messages).toMatchObject([{ dir: 'in', layer: 'h2-preface', range: { start: 0, end: 24 } }]);
  });

  it('reports a response whose request was evicted', () => {
    const decoded = decodeConnection(connection('http/1.1'), [chunk('out', 50, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', 3)]);
    expect(decoded.exchanges).toEqual([]);
    expect(decoded.notes[0].node.error).toBe('response-without-recorded-request');
  });
});

describe('splitTarget', () => {
  it('handles absolute form and fragments', () => {
    expect(splitTarget('http://h:1/p/q?a=1#x')).toEqual({ path: '/p/q', query: [['a', '1']] });
    expect(splitTarget('*')).toEqual({ path: '*', query: [] });
  });
});
