import { describe, expect, it } from 'vitest';
import { latin1 } from './http1-bytes.ts';
import { Http1RequestFramer, UNFRAMED } from './http1-request-framer.ts';

/** The text's characters (all below U+0100) as bytes, a plain Uint8Array as a browser has. */
const bytesOf = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

/** Feeds the chunks and returns, per request, the bytes the framer gave it. */
function frame(chunks: string[], framer = new Http1RequestFramer()): Map<number, string> {
  const requests = new Map<number, string>();
  for (const text of chunks) {
    const chunk = bytesOf(text);
    let at = 0;
    for (const piece of framer.push(chunk)) {
      requests.set(piece.request, (requests.get(piece.request) ?? '') + latin1(chunk, at, at + piece.length));
      at += piece.length;
    }
    expect(at).toBe(chunk.length);
  }
  return requests;
}

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
const post = (body: string) => `POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const chunked = (parts: string[], trailer = '') =>
  `POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${parts.map((p) => `${p.length.toString(16)}\r\n${p}\r\n`).join('')}0\r\n${trailer}\r\n`;

describe('Http1RequestFramer', () => {
  it('cuts pipelined requests at their ends: no body, a Content-Length body, a chunked body with trailers', () => {
    const requests = [get('/a', 'Cookie: wirelab_session=A\r\n'), post('{"x":1}'), chunked(['hello', ' world'], 'X-Trailer: 1\r\n'), get('/d')];
    const framed = frame([requests.join('')]);
    expect([...framed.values()]).toEqual(requests);
  });

  it('finds the same ends whatever the chunk boundaries, down to one byte at a time', () => {
    const requests = [post('a'.repeat(300)), get('/b', 'Cookie: wirelab_session=B\r\n'), chunked(['x'.repeat(40)]), get('/d')];
    const all = requests.join('');
    for (const size of [1, 2, 3, 7, 64, 500]) {
      const chunks: string[] = [];
      for (let i = 0; i < all.length; i += size) chunks.push(all.slice(i, i + size));
      expect([...frame(chunks).values()]).toEqual(requests);
    }
  });

  it('gives empty lines before a request line to that request, and accepts bare LF', () => {
    const framed = frame([`${get('/a')}\r\n\r\nGET /b HTTP/1.1\nHost: x\n\n`]);
    expect(framed.get(0)).toBe(get('/a'));
    expect(framed.get(1)).toBe('\r\n\r\nGET /b HTTP/1.1\nHost: x\n\n');
  });

  it('gives everything after a WebSocket upgrade request to it', () => {
    const upgrade = get('/ws/echo', 'Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n');
    const framed = frame([get('/a') + upgrade + '\x81\x85frame', 'GET /not-a-request HTTP/1.1\r\n\r\n']);
    expect(framed.get(0)).toBe(get('/a'));
    expect(framed.get(1)).toBe(`${upgrade}\x81\x85frameGET /not-a-request HTTP/1.1\r\n\r\n`);
  });

  it('reads the headers that end a request whatever their case and spacing, and only those', () => {
    const body = 'x'.repeat(12);
    const requests = [
      `POST /a HTTP/1.1\r\ncontent-LENGTH:   12  \r\nX-Content-Length: 99\r\n\r\n${body}`,
      `POST /b HTTP/1.1\r\nTRANSFER-encoding: gzip\r\nTransfer-Encoding:  Chunked \r\n\r\n3\r\nabc\r\n0\r\n\r\n`,
      // "Connection: upgrade" without an Upgrade header is no upgrade: the next request is framed.
      get('/c', 'Connection: Upgrade\r\n'),
      get('/d', 'connection: close, UPGRADE\r\nupgrade: websocket\r\n') + 'frames',
    ];
    const all = requests.join('');
    for (const size of [1, 5, all.length]) {
      const chunks: string[] = [];
      for (let i = 0; i < all.length; i += size) chunks.push(all.slice(i, i + size));
      expect([...frame(chunks).values()]).toEqual(requests);
    }
  });

  it('gives up, for good, on what it cannot frame: a chunk size that is no number, an endless head', () => {
    const bad = 'POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n';
    const framed = frame([get('/a') + bad, get('/after')]);
    expect(framed.get(0)).toBe(get('/a'));
    expect(framed.get(1)).toBe('POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    expect(framed.get(UNFRAMED)).toBe(`xx\r\n${get('/after')}`);
    const endless = frame(['GET / HTTP/1.1\r\n', `X: ${'y'.repeat(70_000)}`]);
    expect(endless.has(UNFRAMED)).toBe(true);
  });

  it('cuts the same without noting request lines (the pace cuts only), CONNECT included', () => {
    const connect = 'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n';
    const requests = [get('/a', 'Referer: x\r\nUser-Agent: y\r\n'), post('{"x":1}'), chunked(['hello']), `${connect}tunnelled GET / HTTP/1.1\r\n\r\n`];
    const framer = new Http1RequestFramer(false);
    expect([...frame([requests.join('')], framer).values()]).toEqual(requests);
    expect(framer.findRequest('GET /a', 0)).toBeNull();
    // a method that only starts like CONNECT is no tunnel
    expect([...frame(['CONNECTX / HTTP/1.1\r\n\r\n' + get('/b')], new Http1RequestFramer(false)).values()]).toHaveLength(2);
  });

  it('names requests by their method and target byte for byte, 0x80-0x9F included, as Node does', () => {
    // Node's parser gives a raw target as latin1 ("/\x85"); windows-1252 would make it "/…" and match nothing.
    const framer = new Http1RequestFramer();
    frame(['GET /\x85\x9f\xff HTTP/1.1\r\nHost: x\r\n', '\r\n', get('/b')], framer);
    expect(framer.findRequest('GET /\x85\x9f\xff', 0)).toBe(0);
    expect(framer.findRequest('GET /b', 0)).toBe(1);
  });

  it('keeps a partial line it was given, though the caller reuses the memory of its chunk', () => {
    const framer = new Http1RequestFramer();
    const memory = bytesOf('GET /first-half');
    framer.push(memory);
    memory.fill(0x78);
    framer.push(bytesOf(' HTTP/1.1\r\n\r\n'));
    expect(framer.findRequest('GET /first-half', 0)).toBe(0);
  });
});
