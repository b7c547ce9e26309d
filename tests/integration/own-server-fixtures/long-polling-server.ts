// A long-polling server on node:http, as lesson 09 teaches it (GET /api/v1/poll?since=&timeout=,
// events made by POST /api/v1/users), correct or with one of a student's realistic mistakes
// switched on by `fault`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export type LongPollingFault =
  | ''
  /** short polling: {"events": []} at once instead of holding the request */
  | 'no-hold'
  /** only events that happen while a poll is held are sent: one between two polls is lost */
  | 'lost-between-polls'
  /** `>= since` instead of `> since`: the cursor's own event comes again */
  | 'repeats-cursor'
  /** no Cache-Control: a proxy may serve a stale answer */
  | 'cacheable'
  /** int(since) unguarded: a cursor that is not a number is a 500 */
  | 'crash-on-bad-cursor'
  /** events looked for only when the timeout runs out: a held poll answers at its timeout, event or not */
  | 'answers-at-timeout';

interface PollEvent {
  id: number;
  type: string;
  data: unknown;
}

export async function startLongPollingFixture(fault: LongPollingFault): Promise<{ port: number; close(): Promise<void> }> {
  const events: PollEvent[] = [];
  const waiting = new Set<() => void>();
  let nextUserId = 1;
  const headers = (type?: string) => ({ ...(type ? { 'content-type': type } : {}), ...(fault === 'cacheable' ? {} : { 'cache-control': 'no-store' }) });

  const after = (since: number) => events.filter((event) => (fault === 'repeats-cursor' ? event.id >= since : event.id > since));
  const answer = (response: ServerResponse, found: PollEvent[]) => {
    if (found.length === 0) {
      response.writeHead(204, headers());
      response.end();
      return;
    }
    response.writeHead(200, headers('application/json'));
    response.end(JSON.stringify({ events: found, cursor: found.at(-1)!.id }));
  };

  function poll(url: URL, response: ServerResponse): void {
    const sinceText = url.searchParams.get('since') ?? '';
    const timeout = Number(url.searchParams.get('timeout') ?? 10);
    const lastId = events.at(-1)?.id ?? 0;
    if (sinceText !== 'now' && !/^\d+$/.test(sinceText) && fault !== 'crash-on-bad-cursor') {
      response.writeHead(400, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ title: 'Bad Request', status: 400, detail: 'since must be a whole number' }));
      return;
    }
    if (sinceText === 'now' || fault === 'no-hold') {
      response.writeHead(200, headers('application/json'));
      const found = sinceText === 'now' ? [] : after(Number(sinceText));
      response.end(JSON.stringify({ events: found, cursor: found.at(-1)?.id ?? (sinceText === 'now' ? lastId : Number(sinceText)) }));
      return;
    }
    const since = Number.parseInt(sinceText, 10);
    if (Number.isNaN(since)) throw new Error('invalid literal for int()');
    const kept = fault === 'lost-between-polls' ? [] : after(since);
    if (kept.length > 0 || timeout === 0) {
      answer(response, kept);
      return;
    }
    const heldFrom = events.length;
    const wake = () => {
      clearTimeout(timer);
      waiting.delete(wake);
      answer(response, fault === 'lost-between-polls' ? events.slice(heldFrom) : after(since));
    };
    const timer = setTimeout(wake, timeout * 1000);
    if (fault !== 'answers-at-timeout') waiting.add(wake);
    else response.once('close', () => clearTimeout(timer));
  }

  async function createUser(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; email: string };
    const user = { id: nextUserId++, name: body.name, email: body.email };
    events.push({ id: events.length + 1, type: 'user.created', data: user });
    setImmediate(() => {
      for (const wake of [...waiting]) wake();
    });
    response.writeHead(201, { 'content-type': 'application/json', location: `/api/v1/users/${user.id}` });
    response.end(JSON.stringify(user));
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    const handle = async () => {
      if (url.pathname === '/api/v1/poll' && request.method === 'GET') return poll(url, response);
      if (url.pathname === '/api/v1/users' && request.method === 'POST') return createUser(request, response);
      response.writeHead(request.method === 'DELETE' ? 204 : 404);
      response.end();
    };
    handle().catch(() => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal Server Error');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const wake of [...waiting]) wake();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
