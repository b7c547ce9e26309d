// Issue 36, attack 4: what an HTTP cell aimed at "my server" may ask Wirelab to send. A method no
// web server serves (CONNECT made Node wait for a tunnel, 40 s and more) is refused at once, and a
// header value outside Latin-1 ('€' was a 500 with a stack in the log) is a 400 with the reason,
// in both languages; neither opens a connection to the student's server.
import type { Bilingual } from '../../shared/bilingual.ts';
import { createServer as createTcpServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSession } from './capture-client.ts';
import { postOnFreshConnection } from './own-server-starters.ts';
import { collectLogLines, startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;
let silent: Server;
let silentPort: number;
let connections = 0;
const log = collectLogLines('error');

beforeAll(async () => {
  wirelab = await startServer({ ownServers: true, logger: log.logger });
  // a TCP server that accepts and never answers: a relayed request that went out would wait on it
  silent = createTcpServer((socket) => {
    connections += 1;
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  silent.close();
  await wirelab.close();
});

async function relayed(
  method: string,
  headers: Array<[string, string]> = [],
): Promise<{ status: number; problem: { type: string; localized: Bilingual }; ms: number }> {
  const session = await newSession(wirelab.origin);
  const started = performance.now();
  const response = await postOnFreshConnection(
    `${wirelab.origin}/_wirelab/own-server/http`,
    JSON.stringify({ target: `127.0.0.1:${silentPort}`, method, path: '/', headers, body: null }),
    { 'content-type': 'application/json', cookie: `wirelab_session=${session}` },
  );
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return { status: response.status, problem: (await response.json()) as { type: string; localized: Bilingual }, ms: performance.now() - started };
}

describe('an HTTP cell’s request the relay will not send', () => {
  it.each(['CONNECT', 'TRACE', 'SET', 'flushall'])('%s is refused at once, and nothing connects', async (method) => {
    const { status, problem, ms } = await relayed(method);
    expect(status).toBe(400);
    expect(problem.type).toMatch(/method-not-relayed$/);
    expect(problem.localized.en).toContain(method);
    expect(problem.localized.ru).toMatch(/только методы/);
    expect(ms).toBeLessThan(2_000);
    expect(connections).toBe(0);
  });

  it('a header value with “€” is a 400 naming the header and the character, not a 500', async () => {
    const { status, problem } = await relayed('GET', [['X-Price', '10 €']]);
    expect(status).toBe(400);
    expect(problem.type).toMatch(/header-not-latin1$/);
    expect(problem.localized.en).toMatch(/X-Price.*€.*U\+20AC/);
    expect(problem.localized.ru).toMatch(/X-Price.*€/);
    expect(connections).toBe(0);
    expect(log.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});
