import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureMessage } from '../../server/tap/capture-types.ts';
import { startServer, type RunningServer } from './start-server.ts';

const KEY = 'proxy-protocol-teacher';

/** One raw connection: `bytes` written, everything the server answered until it closed. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
    socket.once('connect', () => socket.write(bytes, 'latin1'));
  });
}

const proxied = (client: string, request: string) => `PROXY TCP4 ${client} 127.0.0.1 40000 8080\r\n${request}`;

/**
 * Behind HAProxy every connection comes from the balancer's address. With `send-proxy` and
 * PROXY_PROTOCOL_FROM naming the balancer, each one carries the student's address instead: the
 * per-address budgets count students, and the tap records the student's bytes without the header.
 */
describe('the PROXY protocol from a trusted balancer', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      proxyProtocolFrom: new Set(['127.0.0.1']),
      classroom: { teacherKey: KEY },
      clientLimits: { rates: { classJoins: { perAddress: 2 } } },
    });
  });
  afterAll(() => server.close());

  it("takes the client's address from the header and keeps the header out of the capture", async () => {
    const cookie = (await fetch(`${server.origin}/_wirelab/session`)).headers.get('set-cookie')!.split(';')[0];
    const session = cookie.split('=')[1];
    const seen: CaptureMessage[] = [];
    const unsubscribe = server.app.captures!.subscribe(session, { deliver: (batch) => seen.push(...batch) });
    const answer = await exchange(
      server.port,
      proxied('203.0.113.7', `GET /api/v1/users/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    await expect.poll(() => seen.some((message) => message.type === 'closed')).toBe(true);
    const connection = seen.find((message) => message.type === 'connection');
    expect(connection).toMatchObject({ conn: { remote: expect.stringContaining('203.0.113.7') } });
    const inbound = Buffer.concat(seen.flatMap((message) => (message.type === 'chunk' && message.chunk.dir === 'in' ? [message.chunk.data] : []))).toString(
      'latin1',
    );
    expect(inbound.startsWith('GET /api/v1/users/1 HTTP/1.1\r\n')).toBe(true);
    unsubscribe();
  });

  it('lets the per-address budgets see each student, not the balancer', async () => {
    const { code } = (await (
      await fetch(`${server.origin}/_wirelab/class/classes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wirelab-teacher-key': KEY },
        body: JSON.stringify({ title: 'Behind HAProxy' }),
      })
    ).json()) as { code: string };
    const join = (client: string, name: string) => {
      const body = JSON.stringify({ code, name });
      return exchange(
        server.port,
        proxied(
          client,
          `POST /_wirelab/class/join HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
        ),
      );
    };
    // three students at three addresses: all in, though the budget is 2 joins per address
    for (const [index, client] of ['198.51.100.1', '198.51.100.2', '198.51.100.3'].entries())
      expect(await join(client, `Student ${index}`)).toMatch(/^HTTP\/1\.1 200 /);
    // one address past its budget is still refused
    expect(await join('198.51.100.9', 'A')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await join('198.51.100.9', 'B')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await join('198.51.100.9', 'C')).toMatch(/^HTTP\/1\.1 429 /);
  });

  it('closes a connection whose PROXY header is broken, and serves the next', async () => {
    expect(await exchange(server.port, 'PROXY TCP4 nonsense\r\nGET / HTTP/1.1\r\n\r\n')).toBe('');
    expect(await exchange(server.port, proxied('203.0.113.8', 'GET /api/v1/users/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'))).toMatch(
      /^HTTP\/1\.1 200 /,
    );
  });
});

describe('the PROXY protocol from anyone else', () => {
  it('is no header at all: a client cannot choose its own address', async () => {
    const server = await startServer();
    try {
      expect(await exchange(server.port, proxied('203.0.113.7', 'GET /api/v1/users/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'))).toMatch(
        /^HTTP\/1\.1 400 /,
      );
    } finally {
      await server.close();
    }
  });
});
