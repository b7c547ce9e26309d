// The SSE console aimed at "my server": `GET /_wirelab/own-server/sse-relay` reads the Python SSE
// starter's event stream through a guarded, tapped connection and passes it on as it comes:
// events, Last-Event-ID forwarded (the starter replays after it), the bytes in the asking session's
// captures only, refusals in both languages, the per-student budget, and the connection to the
// starter closed when the browser's request goes.
import type { Bilingual } from '../../shared/bilingual.ts';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_SERVER_SSE_RELAY_PATH, relayQuery } from '../../contracts/own-server/relays.ts';
import { decodedConnections } from './as-code-capture.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { postOnFreshConnection, startPythonStarter, type RunningStarter } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;
let starter: RunningStarter;

beforeAll(async () => {
  [wirelab, starter] = await Promise.all([startServer({ ownServers: true }), startPythonStarter('sse_server.py')]);
}, 30_000);
afterAll(async () => {
  await starter?.stop();
  await wirelab?.close();
});

interface OpenStream {
  response: IncomingMessage;
  ended: Promise<void>;
  body(): string;
  until(pattern: RegExp): Promise<void>;
  close(): void;
}

function openStream(session: string | null, target: string, path = '/api/v1/events', lastEventId?: string): Promise<OpenStream> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (session) headers.cookie = `wirelab_session=${session}`;
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${wirelab.origin}${OWN_SERVER_SSE_RELAY_PATH}${relayQuery(target, path)}`, { agent: false, headers }, (response) => {
      let text = '';
      const waiters: Array<() => void> = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        for (const wake of waiters.splice(0)) wake();
      });
      response.on('error', () => undefined);
      const ended = new Promise<void>((done) => response.once('end', done));
      resolve({
        response,
        ended,
        body: () => text,
        async until(pattern) {
          while (!pattern.test(text)) await new Promise<void>((wake) => waiters.push(wake));
        },
        close: () => outgoing.destroy(),
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const createUser = (name: string) =>
  postOnFreshConnection(`http://127.0.0.1:${starter.port}/api/v1/users`, JSON.stringify({ name, email: `${name}@example.org` }), {
    'content-type': 'application/json',
  });

async function problemOf(stream: OpenStream, status: number) {
  await stream.ended;
  expect(stream.response.statusCode).toBe(status);
  expect(stream.response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(stream.body()) as { type: string; localized: Bilingual };
  expect(problem.localized.ru).toMatch(/[а-яё]/i);
  return problem;
}

describe('an SSE console aimed at my server', () => {
  it('passes the starter’s events on as they come; the bytes are the asking session’s only, closed with the browser’s request', async () => {
    const [asker, other] = [await newSession(wirelab.origin), await newSession(wirelab.origin)];
    const [askerCapture, otherCapture] = [await CaptureClient.open(wirelab.origin, asker), await CaptureClient.open(wirelab.origin, other)];
    try {
      const stream = await openStream(asker, `127.0.0.1:${starter.port}`);
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      // Wirelab's policy on what it serves from its origin, though the student's server sent none
      expect(stream.response.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self'/);
      await stream.until(/retry: 3000\n\n/);
      expect((await createUser('ann')).status).toBe(201);
      await stream.until(/event: user\.created\ndata: .*"ann"/);
      stream.close();

      const outbound = () =>
        decodedConnections(askerCapture).find((c) => (c.connection as { outbound?: boolean }).outbound && c.connection.local === `127.0.0.1:${starter.port}`);
      // the browser's request gone, Wirelab's connection to the starter closes too
      await askerCapture.waitFor(() => {
        const found = outbound();
        return found !== undefined && askerCapture.messages.some((m) => m.type === 'closed' && m.conn === found.connection.id);
      });
      const { connection, exchanges } = outbound()!;
      expect(exchanges[0].request).toMatchObject({ method: 'GET', target: '/api/v1/events' });
      expect(exchanges[0].response).toMatchObject({ status: 200 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect([...otherCapture.connections().map((c) => c.id), ...otherCapture.chunks().map((c) => c.conn)]).not.toContain(connection.id);
    } finally {
      await Promise.all([askerCapture.close(), otherCapture.close()]);
    }
  });

  it('forwards Last-Event-ID: the starter replays what came after it', async () => {
    const session = await newSession(wirelab.origin);
    expect((await createUser('bob')).status).toBe(201);
    expect((await createUser('eve')).status).toBe(201);
    const first = await openStream(session, `127.0.0.1:${starter.port}`, '/api/v1/events', '0');
    await first.until(/"eve"/);
    const ids = [...first.body().matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    first.close();
    const resumed = await openStream(session, `127.0.0.1:${starter.port}`, '/api/v1/events', String(ids.at(-2)));
    await resumed.until(/"eve"/);
    expect(resumed.body()).not.toMatch(/"bob"/);
    resumed.close();
  });

  it('refuses what is not an event stream (the student’s 404 page), and its own refusals, as problems in both languages', async () => {
    const session = await newSession(wirelab.origin);
    const missing = await problemOf(await openStream(session, `127.0.0.1:${starter.port}`, '/nope'), 502);
    expect(missing.type).toMatch(/not-event-stream$/);
    expect(missing.localized.en).toMatch(/^Your server answered 404 with Content-Type .*text\/event-stream/);

    expect((await problemOf(await openStream(session, '192.0.2.1:80'), 403)).type).toMatch(/not-your-address$/);
    expect((await problemOf(await openStream(session, '127.0.0.1:1'), 502)).localized.en).toMatch(/^Connection refused/);
    expect((await problemOf(await openStream(session, 'nonsense'), 400)).type).toMatch(/bad-target$/);
    expect((await problemOf(await openStream(session, `127.0.0.1:${starter.port}`, 'no-slash'), 400)).type).toMatch(/bad-check-request$/);
    expect((await problemOf(await openStream(null, `127.0.0.1:${starter.port}`), 403)).type).toMatch(/session-required$/);
  });

  it('holds one of the student’s 4 connections per stream: the fifth is refused', async () => {
    const session = await newSession(wirelab.origin);
    const held = await Promise.all([1, 2, 3, 4].map(() => openStream(session, `127.0.0.1:${starter.port}`)));
    for (const stream of held) expect(stream.response.statusCode).toBe(200);
    const fifth = await problemOf(await openStream(session, `127.0.0.1:${starter.port}`), 429);
    expect(fifth.type).toMatch(/too-many-connections$/);
    for (const stream of held) stream.close();
  });
});
