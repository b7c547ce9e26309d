// `POST /_wirelab/own-server/checks`, the web page's "check my server", against a real listening
// server: Wirelab checked through it, its refusals in both languages, and an outbound connection
// that never outlives the request that asked for it.
import type { Bilingual } from '../../shared/bilingual.ts';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import { buildApp } from '../../server/app.ts';
import { startPythonStarter } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';

const PATH = '/_wirelab/own-server/checks';

let server: RunningServer;
let cookie: string;
beforeAll(async () => {
  server = await startServer({ ownServers: true });
  const session = await fetch(`${server.origin}/_wirelab/session`);
  cookie = session.headers.getSetCookie()[0].split(';')[0];
});
afterAll(() => server.close());

function postCheck(body: unknown, options: { cookie?: string | null; signal?: AbortSignal; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const sessionCookie = options.cookie === undefined ? cookie : options.cookie;
  if (sessionCookie) headers.cookie = sessionCookie;
  return fetch(`${server.origin}${PATH}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body), signal: options.signal });
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  localized: Bilingual;
}

async function problemOf(response: Response, status: number): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Problem;
  expect(problem.status).toBe(status);
  expect(problem.localized.en.length).toBeGreaterThan(0);
  expect(problem.localized.ru).toMatch(/[а-яё]/i);
  return problem;
}

/** A TCP server that accepts and never answers: what a half-written student server may do. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[]; closed: Socket[]; changed: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const closed: Socket[] = [];
  let wake: () => void = () => {};
  const silent = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', () => wake());
    socket.on('error', () => undefined);
    socket.once('close', () => {
      closed.push(socket);
      wake();
    });
    wake();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server: silent, port: address.port, sockets, closed, changed: () => new Promise<void>((resolve) => (wake = resolve)) };
}

describe('the route runs a suite for the page', () => {
  it("checks Wirelab's own server: the REST suite passes in full", async () => {
    const response = await postCheck({ protocol: 'rest', target: `127.0.0.1:${server.port}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const report = (await response.json()) as CheckReport;
    expect(report).toMatchObject({ protocol: 'rest', target: `127.0.0.1:${server.port}`, reachable: true });
    // every check passes at Wirelab's own port, and the report says where it was: no proof of a student's server
    expect(report).toMatchObject({ targetIsWirelab: true, counts: { passed: 39, failed: 0, notOffered: 0 } });
    expect(report.results.length).toBe(39);
    expect(report.results.filter((result) => result.outcome !== 'pass').map((result) => [result.id, result.difference?.en])).toEqual([]);
    expect(report.results[0].sent).toMatch(/^POST \/api\/v1\/users HTTP\/1\.1\n/);
  });

  it("takes graphql as a protocol: Wirelab's own /graphql passes all 35 checks through the route", async () => {
    const response = await postCheck({ protocol: 'graphql', target: `127.0.0.1:${server.port}` });
    expect(response.status).toBe(200);
    const report = (await response.json()) as CheckReport;
    expect(report).toMatchObject({ protocol: 'graphql', reachable: true });
    expect(report.results.length).toBe(35);
    expect(report.results.filter((result) => result.outcome !== 'pass').map((result) => [result.id, result.difference?.en])).toEqual([]);
  });

  it("tells a student's own server from Wirelab: the complete Python REST starter passes in full, and it is not Wirelab", async () => {
    const starter = await startPythonStarter('rest_server.py');
    try {
      const report = (await (await postCheck({ protocol: 'rest', target: `127.0.0.1:${starter.port}` })).json()) as CheckReport;
      expect(report).toMatchObject({ reachable: true, targetIsWirelab: false, counts: { passed: 39, failed: 0, notOffered: 0 } });
    } finally {
      await starter.stop();
    }
  });

  it("answers a target that is not the student's own machine with a refusal in both languages, and no check", async () => {
    const response = await postCheck({ protocol: 'websocket', target: '192.0.2.1:80' });
    expect(response.status).toBe(200);
    const report = (await response.json()) as CheckReport;
    expect(report).toMatchObject({ reachable: false, reason: 'refused', targetIsWirelab: false, counts: { passed: 0, failed: 0 }, results: [] });
    expect(report.refusal?.en).toMatch(/only your own machine: 192\.0\.2\.1 is not the address/);
    expect(report.refusal?.ru).toMatch(/только вашу собственную машину: 192\.0\.2\.1/);
  });

  it('says nothing answered at a port where nothing listens', async () => {
    const { server: gone, port } = await silentServer();
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const report = (await (await postCheck({ protocol: 'sse', target: `127.0.0.1:${port}` })).json()) as CheckReport;
    expect(report).toMatchObject({ reachable: false, reason: 'no-answer' });
    expect(report.refusal?.ru).toMatch(/никто не ответил/);
  });
});

describe('the route refuses', () => {
  it.each([
    ['an unknown protocol', { protocol: 'ftp', target: '127.0.0.1:21' }],
    ['a missing target', { protocol: 'rest' }],
    ['an extra field', { protocol: 'rest', target: '127.0.0.1:8000', port: 1 }],
    ['a target that is not host:port', { protocol: 'rest', target: '127.0.0.1' }],
    ['a port out of range', { protocol: 'rest', target: '127.0.0.1:70000' }],
    ['JSON that does not parse', '{"protocol":'],
  ])('%s with 400 problem+json in both languages', async (_what, body) => {
    const problem = await problemOf(await postCheck(body), 400);
    expect(problem.type).toMatch(/\/(bad-check-request|bad-target)$/);
  });

  it('a body that is not JSON with 415', async () => {
    await problemOf(await postCheck('rest 127.0.0.1:8000', { contentType: 'text/plain' }), 415);
  });

  it('a request without a Wirelab session with 403', async () => {
    const problem = await problemOf(await postCheck({ protocol: 'rest', target: `127.0.0.1:${server.port}` }, { cookie: null }), 403);
    expect(problem.type).toMatch(/\/session-required$/);
    expect(problem.localized.ru).toMatch(/нужна сессия Wirelab/);
  });

  it('GET with 405 and Allow: POST', async () => {
    const response = await fetch(`${server.origin}${PATH}`, { headers: { cookie } });
    await problemOf(response, 405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('everything with OWN_SERVERS=off: 403, in both languages', async () => {
    const off = await buildApp({ dataFile: ':memory:', webRoot: null, ownServers: false });
    try {
      const response = await off.inject({ method: 'POST', url: PATH, headers: { cookie }, payload: { protocol: 'rest', target: '127.0.0.1:8000' } });
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().localized).toEqual({
        en: expect.stringMatching(/turned off.*OWN_SERVERS=off/),
        ru: expect.stringMatching(/выключена.*OWN_SERVERS=off/),
      });
    } finally {
      await off.close();
    }
  });
});

describe('a suite lives only as long as the request that asked', () => {
  it('refuses a second suite while one runs with 429, and stops the first when its request is aborted: its connections close', async () => {
    const silent = await silentServer();
    try {
      const page = new AbortController();
      const running = postCheck({ protocol: 'rest', target: `127.0.0.1:${silent.port}` }, { signal: page.signal }).catch((error: Error) => error);
      // The probe's connection, then the suite's first request (POST /api/v1/users), left unanswered.
      while (!silent.sockets.some((socket) => socket.bytesRead > 0)) await silent.changed();
      const held = silent.sockets.find((socket) => socket.bytesRead > 0)!;

      const second = await postCheck({ protocol: 'websocket', target: `127.0.0.1:${server.port}` });
      const problem = await problemOf(second, 429);
      expect(problem.localized.ru).toMatch(/уже идёт/);

      page.abort();
      expect(await running).toBeInstanceOf(Error);
      while (!silent.closed.includes(held)) await silent.changed();
      const seenWhenStopped = silent.sockets.length;

      // The stopped suite lets go of the student at once: without the stop it would go on, check
      // by check, for a minute (and go on connecting to the silent server).
      let report: CheckReport | null = null;
      while (!report) {
        const again = await postCheck({ protocol: 'sse', target: `127.0.0.1:${server.port}` });
        if (again.status === 200) report = (await again.json()) as CheckReport;
        else expect(again.status).toBe(429);
      }
      expect(report.reachable).toBe(true);
      expect(silent.sockets.length).toBe(seenWhenStopped);
      expect(silent.closed.length).toBe(silent.sockets.length);
    } finally {
      for (const socket of silent.sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.server.close(() => resolve()));
    }
  }, 20_000);
});
