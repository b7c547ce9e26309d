// An echo at /ws/echo on `ws`, right in everything the suite checks, with one fault to switch on:
// `wrong-accept` (the 101's Sec-WebSocket-Accept is not base64(SHA-1(key + GUID))) or `masked`
// (the server masks the frames it sends: its echoes and pongs), both of which a browser drops.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export type WebSocketFault = '' | 'wrong-accept' | 'masked';

export async function startWebSocketFixture(fault: WebSocketFault = ''): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => response.writeHead(404).end());
  const sockets = new WebSocketServer({ server, path: '/ws/echo', autoPong: false });
  const mask = fault === 'masked';
  if (fault === 'wrong-accept') {
    sockets.on('headers', (headers) => {
      const index = headers.findIndex((line) => line.toLowerCase().startsWith('sec-websocket-accept:'));
      headers[index] = 'Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==';
    });
  }
  sockets.on('connection', (socket) => {
    // a protocol error is the close frame the check expects; ws also reports it as an error
    socket.on('error', () => undefined);
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary, mask }));
    socket.on('ping', (data) => socket.pong(data, mask));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
