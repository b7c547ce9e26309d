import { once } from 'node:events';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunksReadByEvents, readByEvents } from './chunks-read-by-events.ts';

async function collect(iterable: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of iterable) text += chunk.toString();
  return text;
}

describe('chunksReadByEvents', () => {
  it('yields every chunk, then ends with the stream', async () => {
    expect(await collect(chunksReadByEvents(Readable.from([Buffer.from('a'), Buffer.from('b')], { objectMode: false })))).toBe('ab');
  });

  it('throws the error a stream was destroyed with', async () => {
    const stream = new PassThrough();
    stream.write('partial');
    setTimeout(() => stream.destroy(new Error('reset by the peer')), 5);
    await expect(collect(chunksReadByEvents(stream))).rejects.toThrow('reset by the peer');
  });

  it('says premature close for a stream destroyed before its end without an error', async () => {
    const stream = new PassThrough();
    setTimeout(() => stream.destroy(), 5);
    await expect(collect(chunksReadByEvents(stream))).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('destroys the stream when the reader stops early', async () => {
    const stream = new PassThrough();
    stream.write('first');
    for await (const _chunk of chunksReadByEvents(stream)) break;
    expect(stream.destroyed).toBe(true);
  });
});

// nodejs/node#65677: an HTTP/2 response that has closed normally, trailers and all, while its body
// is still buffered. On Node 24.20–24.21 the stream's own async iterator rejects it with
// "Premature close"; read by events it is the whole body.
describe('an HTTP/2 response read after it closed with its body buffered', () => {
  let server: http2.Http2Server;
  let session: http2.ClientHttp2Session;
  beforeAll(async () => {
    server = http2.createServer();
    server.on('stream', (stream) => {
      stream.resume();
      stream.on('end', () => {
        stream.respond({ ':status': 200 }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end('complete response');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    session = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await once(session, 'connect');
  });
  afterAll(async () => {
    session.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is read whole', async () => {
    const request = readByEvents(session.request({ ':method': 'POST', ':path': '/' }));
    request.end();
    const iterator = request[Symbol.asyncIterator]();
    await once(request, 'trailers');
    // let the stream close while the body waits in its buffer
    await nextTurn();
    await nextTurn();
    let body = '';
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) body += String(result.value);
    expect(body).toBe('complete response');
  });
});
