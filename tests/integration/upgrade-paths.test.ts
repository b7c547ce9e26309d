import net from 'node:net';
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
