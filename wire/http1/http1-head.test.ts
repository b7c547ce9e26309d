import { describe, expect, it } from 'vitest';
import { readHttp1Head } from './http1-head.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe("an HTTP/1.1 message's head at the start of some bytes", () => {
  const answer = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept:  s3pPLMBiTxaQ9kYGzzhZRbK+xOo= \r\n\r\n\x81\x02hi';

  it('is read once its empty line has come, and says where the bytes after it start', () => {
    const all = bytes(answer);
    for (let cut = 0; cut < all.length; cut++) {
      const head = readHttp1Head(all.subarray(0, cut), 'response');
      if (cut < answer.indexOf('\r\n\r\n') + 4) expect(head, `${cut} bytes`).toBeNull();
      else expect(head?.end, `${cut} bytes`).toBe(answer.indexOf('\x81'));
    }
    expect(readHttp1Head(all, 'response')).toEqual({
      startLine: ['HTTP/1.1', '101', 'Switching Protocols'],
      headers: [
        ['Upgrade', 'websocket'],
        ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
      ],
      end: answer.indexOf('\x81'),
    });
  });

  it('reads a request head, and a head whose body has not come', () => {
    const head = readHttp1Head(bytes('POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n{"a"'), 'request');
    expect(head).toMatchObject({ startLine: ['POST', '/x', 'HTTP/1.1'], headers: [['Content-Length', '10']] });
    expect(head?.error).toBeUndefined();
  });

  it('answers a head that is not HTTP at once, with the rule it breaks, and never throws', () => {
    expect(readHttp1Head(bytes('-ERR unknown command\r\n'), 'response')?.error).toBe('malformed-status-line');
    expect(readHttp1Head(bytes('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'), 'response')?.error).toBe('header-without-colon');
    expect(readHttp1Head(new Uint8Array(0), 'response')).toBeNull();
  });
});
