import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ timeouts: { headersMs: 500, requestMs: 1000, firstBytesMs: 500 } });
});
afterAll(async () => {
  await server?.close();
});

/** Opens a connection, lets `talk` write on it, and resolves with what came back once it closed. */
function converse(talk: (socket: net.Socket) => void): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(server.port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => (answer += d));
    socket.on('error', reject);
    socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
    socket.on('connect', () => talk(socket));
  });
}

describe('limits that protect the server', () => {
  it('closes a connection that never says anything', async () => {
    const { answer, closedAfterMs } = await converse(() => {});
    expect(answer).toBe('');
    expect(closedAfterMs).toBeLessThan(5000);
  });

  it('answers 408 to a client that trickles its headers forever (slowloris)', async () => {
    let timer: NodeJS.Timeout | undefined;
    const { answer } = await converse((socket) => {
      socket.write('GET /_wirelab/session HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 100);
    });
    clearInterval(timer);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 431 to headers over 16 KiB and keeps serving others', async () => {
    const { answer } = await converse((socket) => {
      socket.write(`GET /_wirelab/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    expect((await fetch(`${server.origin}/_wirelab/session`)).status).toBe(200);
  });

  it('answers 400 to bytes that are not HTTP at all', async () => {
    const { answer } = await converse((socket) => socket.write('\x16\x03\x01 hello, this is not HTTP\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
  });
});

describe('shutdown', () => {
  it('does not wait for a connection that has not sent its first byte', async () => {
    // A silent connection would otherwise hold close() for the whole first-bytes timeout (an
    // hour here: past the test's own timeout, so a regression fails instead of passing late).
    const own = await startServer({ timeouts: { firstBytesMs: 3600_000 } });
    const silent = net.connect(own.port, '127.0.0.1');
    await new Promise((resolve) => silent.once('connect', resolve));
    const closedByServer = new Promise((resolve) => silent.once('close', resolve));
    await own.close();
    await closedByServer;
    expect(silent.destroyed).toBe(true);
  });
});
