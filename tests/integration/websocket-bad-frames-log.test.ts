import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSession } from './capture-client.ts';
import { collectLogLines, startServer, type RunningServer } from './start-server.ts';

/** Every line the server logs (pino JSON, level warn and up). */
const { lines: logLines, logger } = collectLogLines('warn');

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ logger });
});
afterAll(async () => {
  await server?.close();
});

/** A masked client frame with RSV1 set (no extension negotiated): a protocol error for `ws`. */
function frameWithRsv1(): Buffer {
  const payload = Buffer.from('{}');
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([0x80 | 0x40 | 0x1, 0x80 | payload.length]), mask, masked]);
}

/** Upgrades a raw socket, then writes malformed frames until the server closes it. */
function sendMalformedFrames(path: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
          Object.entries(headers)
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('') +
          '\r\n',
      ),
    );
    let upgraded = false;
    socket.on('data', (chunk) => {
      if (upgraded) return;
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(chunk.toString('latin1')));
      upgraded = true;
      for (let i = 0; i < 10; i++) socket.write(frameWithRsv1());
    });
    socket.on('error', () => undefined); // the server terminates the connection
    socket.on('close', () => resolve());
  });
}

describe('malformed WebSocket frames in the log', () => {
  it('on /graphql, the capture channel and the runner: one warn line per connection, no stack, no error level', async () => {
    const session = await newSession(server.origin);
    const cookie = `wirelab_session=${session}`;
    const endpoints: Array<[string, Record<string, string>]> = [
      ['/graphql', { 'Sec-WebSocket-Protocol': 'graphql-transport-ws' }],
      ['/_wirelab/tap', { Cookie: cookie }],
      ['/_wirelab/grpc-runner', { Cookie: cookie }],
    ];
    const before = logLines.length;
    for (const [path, headers] of endpoints) {
      await sendMalformedFrames(path, headers);
      await sendMalformedFrames(path, headers);
    }
    const lines = logLines.slice(before);
    expect(lines.filter((line) => (line.level as number) >= 50)).toEqual([]);
    const warnings = lines.filter((line) => line.level === 40);
    for (const [path] of endpoints) {
      const ofPath = warnings.filter((line) => line.endpoint === path);
      expect(ofPath, path).toHaveLength(2); // two connections, one line each
      for (const line of ofPath) {
        expect(line.msg).toMatch(new RegExp(`^bad frame on ${path} from 127\\.0\\.0\\.1: WS_ERR_UNEXPECTED_RSV_1`));
        expect(JSON.stringify(line)).not.toMatch(/stack|"err"/);
      }
    }
  });
});
