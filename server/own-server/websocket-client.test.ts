// The hand-written WebSocket client: it offers a subprotocol when asked, and a wait that timed
// out does not take the frame that arrives after it (the GraphQL event checks wait briefly and
// retry, so a lost frame would be an event never seen); a ping's round trip takes its own pong
// alone out of the queue.
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressGuard } from './address-guard.ts';
import type { SuiteContext } from './check-kit.ts';
import { ConnectionBudget } from './connection.ts';
import { OPCODE, openWebSocket } from './websocket-client.ts';
import { encodeFrame, splitFrames } from '../../wire/websocket/frame-codec.ts';

let server: Server;
let port: number;
const requests: string[] = [];
let lastSocket: Socket | null = null;
beforeAll(async () => {
  // a minimal WebSocket server by hand: answers the handshake, then sends only when told to
  server = createServer((socket) => {
    lastSocket = socket;
    socket.once('data', (chunk: Buffer) => {
      const head = chunk.toString('latin1');
      requests.push(head);
      const key = /Sec-WebSocket-Key: (\S+)/i.exec(head)?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const context = (): SuiteContext => ({
  guard: createAddressGuard({ studentAddress: '127.0.0.1', enabled: true }),
  budget: new ConnectionBudget(),
  target: { host: '127.0.0.1', port },
  signal: new AbortController().signal,
});

describe('openWebSocket and CheckedWebSocket', () => {
  it('offers the subprotocol, and a frame after a timed-out wait goes to the next wait', async () => {
    const handshake = await openWebSocket(context(), '/graphql', 'graphql-transport-ws');
    const socket = handshake.connection!;
    try {
      expect(requests.at(-1)).toMatch(/\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n/);
      expect(handshake.headers.get('sec-websocket-protocol')).toBe('graphql-transport-ws');
      await expect(socket.next(50)).rejects.toThrow(/no answer within 50 ms/);
      lastSocket!.write(Buffer.from([0x81, 0x02, 0x68, 0x69])); // an unmasked text frame "hi"
      const frame = await socket.next(1_000);
      expect(frame?.opcode).toBe(OPCODE.text);
      expect(frame?.payload.toString()).toBe('hi');
    } finally {
      socket.close();
    }
  });

  it('a round trip: true at its own pong, which alone leaves the queue; the frames around it stay, in order', async () => {
    const handshake = await openWebSocket(context(), '/events');
    const socket = handshake.connection!;
    try {
      const server = lastSocket!;
      server.on('data', (chunk: Buffer) => {
        for (const frame of splitFrames(chunk).frames) {
          if (frame.opcode !== OPCODE.ping) continue;
          // a stranger's pong first (not ours), then text, our pong, text
          server.write(encodeFrame({ opcode: OPCODE.pong, payload: Buffer.from('not-ours'), maskKey: null }));
          server.write(encodeFrame({ opcode: OPCODE.text, payload: Buffer.from('before'), maskKey: null }));
          server.write(encodeFrame({ opcode: OPCODE.pong, payload: frame.payload, maskKey: null }));
          server.write(encodeFrame({ opcode: OPCODE.text, payload: Buffer.from('after'), maskKey: null }));
        }
      });
      expect(await socket.roundTrip(2_000)).toBe(true);
      const left = [await socket.next(1_000), await socket.next(1_000)];
      expect(left.map((frame) => [frame?.opcode, frame?.payload.toString()])).toEqual([
        [OPCODE.pong, 'not-ours'],
        [OPCODE.text, 'before'],
      ]);
      expect((await socket.next(1_000))?.payload.toString()).toBe('after');
      expect(socket.log.filter((line) => line.startsWith('→ ping'))).toHaveLength(1);
    } finally {
      socket.close();
    }
  });

  it('a round trip with no pong: false once its time is up, and a frame after it is still read', async () => {
    const handshake = await openWebSocket(context(), '/events');
    const socket = handshake.connection!;
    try {
      expect(await socket.roundTrip(50)).toBe(false);
      lastSocket!.write(encodeFrame({ opcode: OPCODE.text, payload: Buffer.from('late'), maskKey: null }));
      expect((await socket.next(1_000))?.payload.toString()).toBe('late');
    } finally {
      socket.close();
    }
  });
});
