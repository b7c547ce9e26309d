// The gRPC relay's HTTP/2 connection against a text server and a real HTTP/2 server, over real
// loopback sockets: nothing of a call reaches a server that has not sent its SETTINGS first.
import http2 from 'node:http2';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { isServerPreface, NotHttp2Error, OutboundFrames, serverSpeaksFirst } from './h2-server-first.ts';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function listening(server: Server | http2.Http2Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** A POST whose body is a Redis command line, over the gate; resolves with how the call ended. */
function smugglingCall(port: number): Promise<Error | number> {
  const session = http2.connect(`http://127.0.0.1:${port}`, { createConnection: () => serverSpeaksFirst(connect(port, '127.0.0.1')) });
  closers.push(() => session.destroy());
  return new Promise((resolve) => {
    session.on('error', resolve);
    const stream = session.request({ ':method': 'POST', ':path': '/wirelab.users.v1.UserService/CreateUser' });
    stream.on('error', resolve);
    stream.on('response', (headers) => resolve(Number(headers[':status'])));
    stream.end('\r\nSET wirelab-h2 owned\r\n');
  });
}

describe('a gRPC connection waits for the server’s SETTINGS', () => {
  it('a text server (a Redis answering -ERR) gets the preface and node’s SETTINGS only, never the call', async () => {
    const received: Buffer[] = [];
    const port = await listening(
      createServer((socket) => {
        socket.on('data', (chunk) => {
          received.push(chunk);
          socket.write('-ERR unknown command\r\n');
        });
        socket.on('error', () => undefined);
      }),
    );
    const ended = await smugglingCall(port);
    expect(ended).toBeInstanceOf(Error);
    const all = Buffer.concat(received).toString('latin1');
    expect(all.startsWith('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')).toBe(true);
    expect(all).not.toContain('SET wirelab-h2');
    expect(all).not.toContain('CreateUser');
  });

  it('an HTTP/2 server gets the call as sent', async () => {
    const server = http2.createServer();
    let body = '';
    server.on('stream', (stream) => {
      stream.on('data', (chunk: Buffer) => (body += chunk));
      stream.on('end', () => {
        stream.respond({ ':status': 200 });
        stream.end();
      });
    });
    expect(await smugglingCall(await listening(server))).toBe(200);
    expect(body).toBe('\r\nSET wirelab-h2 owned\r\n');
  });

  it('splits node’s writes: the preface and stream 0 go, a stream’s frames and all after them wait', () => {
    const frames = new OutboundFrames();
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
    const settings = Buffer.from('000006040000000000000300000064', 'hex');
    const headers = Buffer.from('000001010400000001' + '82', 'hex');
    const ping = Buffer.from('0000080600000000000102030405060708', 'hex');
    const [now, later] = frames.split(Buffer.concat([preface, settings.subarray(0, 5)]));
    expect([now.length, later.length]).toEqual([24, 0]);
    const [now2, later2] = frames.split(Buffer.concat([settings.subarray(5), headers, ping]));
    expect(Buffer.concat([now, now2])).toEqual(Buffer.concat([preface, settings]));
    expect(later2).toEqual(Buffer.concat([headers, ping]));
    expect(isServerPreface(settings)).toBe(true);
    expect(isServerPreface(Buffer.from('-ERR unknown command\r\n'))).toBe(false);
    expect(new NotHttp2Error(Buffer.from('-ERR')).hex).toBe('2d 45 52 52');
  });
});
