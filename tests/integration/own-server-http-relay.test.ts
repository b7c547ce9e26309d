// `POST /_wirelab/own-server/http`: an HTTP cell's request sent by Wirelab to the student's own
// server (a real node:http server here), answered as that server answered, recorded by the byte
// tap for the asking session only; and its refusals, in both languages.
import type { Bilingual } from '../../shared/bilingual.ts';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnServerHttpAnswer, OwnServerHttpRequest } from '../../contracts/own-server/http-relay.ts';
import { decodedConnections } from './as-code-capture.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { postOnFreshConnection } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;
let student: Server;
let studentPort: number;
const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; rawHeaders: string[]; body: string }> = [];

beforeAll(async () => {
  wirelab = await startServer({ ownServers: true });
  student = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, rawHeaders: request.rawHeaders, body: Buffer.concat(chunks).toString() });
      response.writeHead(201, 'Made It', [
        ['Content-Type', 'application/json'],
        ['X-Student', 'one'],
        ['X-Student', 'two'],
      ]);
      response.end(JSON.stringify({ id: 7, name: 'Аня' }));
    });
  });
  await new Promise<void>((resolve) => student.listen(0, '127.0.0.1', resolve));
  studentPort = (student.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => student.close(() => resolve()));
  await wirelab.close();
});

function relay(body: unknown, session: string | null): Promise<Response> {
  return postOnFreshConnection(`${wirelab.origin}/_wirelab/own-server/http`, JSON.stringify(body), {
    'content-type': 'application/json',
    ...(session ? { cookie: `wirelab_session=${session}` } : {}),
  });
}

const request = (extra: Partial<OwnServerHttpRequest> = {}): OwnServerHttpRequest => ({
  target: `127.0.0.1:${studentPort}`,
  method: 'POST',
  path: '/api/v1/users?x=1',
  headers: [
    ['Content-Type', 'application/json'],
    ['X-Lesson', 'rest'],
  ],
  body: '{"name":"Аня"}',
  ...extra,
});

async function problemOf(response: Response, status: number): Promise<{ type: string; localized: Bilingual }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { type: string; localized: Bilingual };
  expect(problem.localized.ru).toMatch(/[а-яё]/i);
  return problem;
}

describe('an HTTP cell aimed at my server', () => {
  it('sends the request as typed and answers what the server answered; the bytes are the asking session’s only', async () => {
    const [asker, other] = [await newSession(wirelab.origin), await newSession(wirelab.origin)];
    const [askerCapture, otherCapture] = [await CaptureClient.open(wirelab.origin, asker), await CaptureClient.open(wirelab.origin, other)];
    try {
      const response = await relay(request(), asker);
      expect(response.status).toBe(200);
      const answer = (await response.json()) as OwnServerHttpAnswer;
      expect(answer).toMatchObject({ status: 201, statusText: 'Made It', connection: { transport: 'http/1.1' } });
      expect(answer.headers.filter(([name]) => name === 'X-Student')).toEqual([
        ['X-Student', 'one'],
        ['X-Student', 'two'],
      ]);
      expect(JSON.parse(Buffer.from(answer.body, 'base64').toString('utf8'))).toEqual({ id: 7, name: 'Аня' });

      const got = seen.at(-1)!;
      expect(got).toMatchObject({ method: 'POST', url: '/api/v1/users?x=1', body: '{"name":"Аня"}' });
      expect(got.headers).toMatchObject({
        host: `127.0.0.1:${studentPort}`,
        'content-length': String(Buffer.byteLength('{"name":"Аня"}')),
        'x-lesson': 'rest',
      });
      expect(got.headers.connection).toBe('close');
      // no cookie of the student's Wirelab session goes to their server
      expect(got.headers.cookie).toBeUndefined();

      const conn = answer.connection!.id;
      await askerCapture.waitFor(() => askerCapture.messages.some((m) => m.type === 'closed' && m.conn === conn));
      const decoded = decodedConnections(askerCapture).find((candidate) => candidate.connection.id === conn)!;
      expect(decoded.connection).toMatchObject({ outbound: true, local: `127.0.0.1:${studentPort}` });
      expect(decoded.exchanges[0].request).toMatchObject({ method: 'POST', target: '/api/v1/users?x=1' });
      expect(decoded.exchanges[0].response).toMatchObject({ status: 201, reason: 'Made It' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect([...otherCapture.connections().map((c) => c.id), ...otherCapture.chunks().map((c) => c.conn)]).not.toContain(conn);
    } finally {
      await Promise.all([askerCapture.close(), otherCapture.close()]);
    }
  });

  it('gives each request its own connection and closes it: more requests in a row than the student may hold at once', async () => {
    const session = await newSession(wirelab.origin);
    for (let i = 0; i < 6; i++) expect((await relay(request({ method: 'GET', body: null }), session)).status).toBe(200);
  });

  it('refuses, in both languages: another machine, nothing listening, a server that never answers, framing headers, bad bodies, no session', async () => {
    const session = await newSession(wirelab.origin);
    expect((await problemOf(await relay(request({ target: '192.0.2.1:80' }), session), 403)).type).toMatch(/not-your-address$/);
    expect((await problemOf(await relay(request({ target: '127.0.0.1:1' }), session), 502)).localized.en).toMatch(
      /^Connection refused: nothing listens at 127\.0\.0\.1:1/,
    );
    expect((await problemOf(await relay(request({ headers: [['Content-Length', '3']] }), session), 400)).type).toMatch(/framing-header$/);
    expect((await problemOf(await relay(request({ target: 'nonsense' }), session), 400)).type).toMatch(/bad-target$/);
    expect((await problemOf(await relay({ ...request(), extra: 1 }, session), 400)).localized.en).toMatch(/"target": "host:port"/);
    expect((await problemOf(await relay(request({ path: 'no-slash' }), session), 400)).type).toMatch(/bad-check-request$/);
    expect((await problemOf(await relay(request(), null), 403)).type).toMatch(/session-required$/);

    const silent = createTcpServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const problem = await problemOf(await relay(request({ target: `127.0.0.1:${port}` }), session), 504);
      expect(problem.localized.en).toMatch(/^No answer within 5 s/);
    } finally {
      silent.close();
    }
  }, 20_000);
});
