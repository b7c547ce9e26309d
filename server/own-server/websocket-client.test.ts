// The hand-written WebSocket client: it offers a subprotocol when asked, and a wait that timed
// out does not take the frame that arrives after it (the GraphQL event checks wait briefly and
// retry, so a lost frame would be an event never seen).
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressGuard } from './address-guard.ts';
import type { SuiteContext } from './check-kit.ts';
import { ConnectionBudget } from './connection.ts';
import { OPCODE, openWebSocket } from './websocket-client.ts';

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
});
