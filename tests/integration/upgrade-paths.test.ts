import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/** A raw WebSocket upgrade request: what the server wrote until it closed (or the first 101 answer). */
function upgrade(path: string, protocol?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
          (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : '') +
          '\r\n',
      ),
    );
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.startsWith('HTTP/1.1 101')) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('an upgrade on a path with no WebSocket endpoint', () => {
  it('a REST route (/api/v1/users/1): 404 problem+json, no handshake, and the connection closes', async () => {
    const answer = await upgrade('/api/v1/users/1');
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(answer).toContain('application/problem+json');
    expect(answer).not.toContain('Sec-WebSocket-Accept');
  });

  it('a path with no route at all: 404', async () => {
    expect(await upgrade('/no/such/thing')).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('the WebSocket endpoints still switch protocols', async () => {
    expect(await upgrade('/graphql', 'graphql-transport-ws')).toMatch(/^HTTP\/1\.1 101 /);
    expect(await upgrade('/ws/echo')).toMatch(/^HTTP\/1\.1 101 /);
  });
});

describe('handshakes RFC 6455 refuses, on every WebSocket endpoint (curl, an outside client)', () => {
  const run = promisify(execFile);
  /** curl's status line and the headers asked for, of an upgrade with this version and method. */
  async function curlUpgrade(path: string, version: string, method = 'GET'): Promise<{ status: string; allow?: string; version?: string; body: string }> {
    const { stdout } = await run('curl', [
      '-s',
      '-i',
      '--max-time',
      '10',
      '-X',
      method,
      '-H',
      'Connection: Upgrade',
      '-H',
      'Upgrade: websocket',
      '-H',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      '-H',
      'Sec-WebSocket-Protocol: graphql-transport-ws',
      '-H',
      `Sec-WebSocket-Version: ${version}`,
      `${server.origin}${path}`,
    ]);
    const [head, body = ''] = stdout.split('\r\n\r\n');
    const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim();
    return { status: head.split('\r\n')[0], allow: header('allow'), version: header('sec-websocket-version'), body };
  }

  it('Sec-WebSocket-Version 8: 426 naming 13 on /graphql, the capture channel and Socket.IO (each accepted it with 101)', async () => {
    for (const path of ['/graphql', '/_wirelab/tap', '/socket.io/?EIO=4&transport=websocket']) {
      const answer = await curlUpgrade(path, '8');
      expect({ path, status: answer.status, version: answer.version }).toEqual({ path, status: 'HTTP/1.1 426 Upgrade Required', version: '13' });
      expect(JSON.parse(answer.body).localized.ru).toContain('версии 13');
    }
  });

  it('a POST upgrade to /graphql: 405 with Allow: GET (it was 404, as if nothing were there)', async () => {
    const answer = await curlUpgrade('/graphql', '13', 'POST');
    expect(answer.status).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(answer.allow).toBe('GET');
  });

  it('a path without any WebSocket endpoint stays 404, whatever the version or method', async () => {
    expect((await curlUpgrade('/api/v1/users', '8')).status).toBe('HTTP/1.1 404 Not Found');
    expect((await curlUpgrade('/api/v1/users', '13', 'POST')).status).toBe('HTTP/1.1 404 Not Found');
  });
});
