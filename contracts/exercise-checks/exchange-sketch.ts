// A hand-built exchange for the checks' tests (evaluate-check.test.ts, web/lessons/cell-traffic.test.ts).
import type { HeaderList, HttpExchange } from '../../wire/types.ts';

const encode = (text: string) => new TextEncoder().encode(text);
export const sketchTree = { kind: 'message', label: '', range: { start: 0, end: 0 } };

export interface Sketch {
  conn?: string;
  index?: number;
  at: number;
  method: string;
  target: string;
  requestHeaders?: HeaderList;
  requestBody?: string;
  status?: number;
  responseHeaders?: HeaderList;
  responseBody?: string;
  /** where the request starts in the inbound stream */
  start?: number;
}

/** A hand-built exchange with consistent byte offsets, as the HTTP/1.1 decoder would report them. */
export function exchange(sketch: Sketch): HttpExchange {
  const [path, queryString = ''] = sketch.target.split('?');
  const requestHeaders = sketch.requestHeaders ?? [['host', 'localhost:8080']];
  const requestHead = `${sketch.method} ${sketch.target} HTTP/1.1\r\n${requestHeaders.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  const requestBody = encode(sketch.requestBody ?? '');
  const start = sketch.start ?? 0;
  const responseHeaders = sketch.responseHeaders ?? [['content-type', 'application/json']];
  const responseBody = encode(sketch.responseBody ?? '');
  const responseHead = `HTTP/1.1 ${sketch.status} X\r\n${responseHeaders.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return {
    conn: sketch.conn ?? 'c1',
    index: sketch.index ?? 0,
    transport: 'http/1.1',
    request: {
      method: sketch.method,
      target: sketch.target,
      path,
      query: [...new URLSearchParams(queryString)],
      version: 'HTTP/1.1',
      headers: requestHeaders,
      body: requestBody,
      range: { start, end: start + requestHead.length + requestBody.length },
      bodyStart: start + requestHead.length,
      firstByteAt: sketch.at,
      lastByteAt: sketch.at,
      complete: true,
      tree: sketchTree,
    },
    response:
      sketch.status === undefined
        ? undefined
        : {
            version: 'HTTP/1.1',
            status: sketch.status,
            reason: 'X',
            headers: responseHeaders,
            body: responseBody,
            range: { start: 0, end: responseHead.length + responseBody.length },
            bodyStart: responseHead.length,
            firstByteAt: sketch.at + 5,
            lastByteAt: sketch.at + 5,
            complete: true,
            tree: sketchTree,
          },
  };
}
