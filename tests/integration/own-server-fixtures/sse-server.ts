// The users' event stream at /api/v1/events and POST /api/v1/users on node:http, right in what
// the SSE suite checks (retry:, ids, user.created, heartbeats, Last-Event-ID replay), with one fault
// to switch on: `text-plain`, the same bytes as text/plain, which a browser's EventSource refuses.
import { createServer, type ServerResponse, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export type SseFault = '' | 'text-plain';

export async function startSseFixture(fault: SseFault = ''): Promise<{ port: number; close(): Promise<void> }> {
  const log: Array<{ id: number; data: string }> = [];
  const streams = new Set<ServerResponse>();
  const frame = (event: { id: number; data: string }) => `id: ${event.id}\nevent: user.created\ndata: ${event.data}\n\n`;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    if (url.pathname === '/api/v1/events') {
      response.writeHead(200, { 'content-type': fault === 'text-plain' ? 'text/plain' : 'text/event-stream', 'cache-control': 'no-store' });
      response.write('retry: 2000\n\n');
      const last = Number(request.headers['last-event-id'] ?? Number.NaN);
      if (Number.isFinite(last)) for (const event of log.filter((event) => event.id > last)) response.write(frame(event));
      streams.add(response);
      const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), 1_000);
      request.once('close', () => {
        clearInterval(heartbeat);
        streams.delete(response);
      });
      return;
    }
    if (url.pathname === '/api/v1/users' && request.method === 'POST') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const user = { id: log.length + 1, ...JSON.parse(Buffer.concat(chunks).toString('utf8')) };
        const event = { id: user.id, data: JSON.stringify(user) };
        log.push(event);
        for (const stream of streams) stream.write(frame(event));
        response.writeHead(201, { 'content-type': 'application/json', location: `/api/v1/users/${user.id}` }).end(JSON.stringify(user));
      });
      return;
    }
    response.writeHead(204).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const stream of streams) stream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
