// The users' event stream at /api/v1/events and POST /api/v1/users on node:http, right in what
// the SSE suite checks (retry:, ids, user.created, heartbeats, Last-Event-ID replay), with one fault
// to switch on: `text-plain`, the same bytes as text/plain, which a browser's EventSource refuses;
// `cp1251` (declared and written as windows-1251, a Russian
// Windows habit), `nul-id` (ids ending in U+0000), `bom-per-event`
// (a BOM before every event, as a per-write 'utf-8-sig' encoder does), `replay-all` (Last-Event-ID
// read but everything replayed), `breaks-with-history` (a stream without Last-Event-ID opened once
// events exist dies after its head, as a handler that raises on the history does). `crlf-bom` is no fault: a leading BOM, CRLF after fields and
// lone CRs after comments, all of which HTML §9.2.5 allows.
import { createServer, type ServerResponse, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export type SseFault = '' | 'text-plain' | 'cp1251' | 'nul-id' | 'bom-per-event' | 'replay-all' | 'crlf-bom' | 'breaks-with-history';

export async function startSseFixture(fault: SseFault = ''): Promise<{ port: number; close(): Promise<void> }> {
  const log: Array<{ id: number; data: string }> = [];
  const streams = new Set<ServerResponse>();
  const eol = fault === 'crlf-bom' ? '\r\n' : '\n';
  const commentEol = fault === 'crlf-bom' ? '\r' : '\n';
  const frame = (event: { id: number; data: string }) =>
    `${fault === 'bom-per-event' ? '\uFEFF' : ''}id: ${event.id}${fault === 'nul-id' ? '\0' : ''}${eol}event: user.created${eol}data: ${event.data}${eol}${eol}`;
  const encode = (text: string): Buffer => (fault === 'cp1251' ? windows1251(text) : Buffer.from(text));
  const contentType = { 'text-plain': 'text/plain', cp1251: 'text/event-stream; charset=windows-1251' }[fault as string] ?? 'text/event-stream';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    if (url.pathname === '/api/v1/events') {
      response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.write(`${fault === 'crlf-bom' ? '\uFEFF' : ''}retry: 2000${eol}${eol}`);
      const last = Number.parseInt(String(request.headers['last-event-id'] ?? ''), 10);
      if (fault === 'breaks-with-history' && !Number.isFinite(last) && log.length > 0) return void setImmediate(() => response.destroy());
      const missed = fault === 'replay-all' ? log : log.filter((event) => event.id > last);
      if (Number.isFinite(last)) for (const event of missed) response.write(encode(frame(event)));
      streams.add(response);
      const heartbeat = setInterval(() => response.write(`: heartbeat${commentEol}${commentEol}`), 1_000);
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
        for (const stream of streams) stream.write(encode(frame(event)));
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

/** Text as windows-1251 bytes: А–я at 0xC0–0xFF, Ё and ё at 0xA8 and 0xB8, ASCII as it is (enough for the suite's names). */
function windows1251(text: string): Buffer {
  const cyrillic = (code: number) => (code === 0x401 ? 0xa8 : code === 0x451 ? 0xb8 : code >= 0x410 && code <= 0x44f ? code - 0x410 + 0xc0 : 0x3f);
  return Buffer.from([...text].map((char) => (char.charCodeAt(0) < 0x80 ? char.charCodeAt(0) : cyrillic(char.charCodeAt(0)))));
}
