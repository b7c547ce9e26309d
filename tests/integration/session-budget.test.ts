// New browser sessions per client address: a client asking for a fresh session again and again
// meets its address's budget (429 + Retry-After, in both languages), another address is still
// served, and a browser keeping its cookie is never counted again. Resetting data needs a session.
import type { Bilingual } from '../../shared/bilingual.ts';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

const BUDGET = 3;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ clientLimits: { rates: { sessions: { perAddress: BUDGET } } } });
});
afterAll(async () => {
  await server?.close();
});

function get(
  path: string,
  from: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers, localAddress: from, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('new sessions per client address', () => {
  it('are limited per address, not per cookie; a kept cookie is not counted again', async () => {
    const issued: string[] = [];
    for (let i = 0; i < BUDGET; i++) {
      const answer = await get('/_wirelab/session', '127.0.0.1');
      expect(answer.status).toBe(200);
      issued.push(/wirelab_session=([^;]+)/.exec(String(answer.headers['set-cookie']))![1]);
    }
    const refused = await get('/_wirelab/session', '127.0.0.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(refused.body) as { localized: Bilingual };
    expect(problem.localized.en).toMatch(/at most 3 a minute/);
    expect(problem.localized.ru).toMatch(/не больше 3 в минуту/);

    // a browser that keeps its cookie asks again at no cost
    const again = await get('/_wirelab/session', '127.0.0.1', { cookie: `wirelab_session=${issued[0]}` });
    expect(again.status).toBe(200);
    expect(again.headers['set-cookie']).toBeUndefined();
    // nor does the answer carry the id: page scripts never read it (the cookie is HttpOnly)
    expect(again.body).not.toContain(issued[0]);
    // a made-up cookie is no session: it is a new one, and refused like one
    expect((await get('/_wirelab/session', '127.0.0.1', { cookie: 'wirelab_session=AAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(429);
    // another address is served
    expect((await get('/_wirelab/session', '127.0.0.2')).status).toBe(200);
  });
});

describe('resetting data without a browser session', () => {
  it('is refused with a problem in both languages, and nothing is reset', async () => {
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/_wirelab/session/reset', method: 'POST', agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(answer.body) as { type: string; instance: string; localized: Bilingual };
    expect(problem.type).toMatch(/\/no-session$/);
    expect(problem.instance).toBe('/_wirelab/session/reset');
    expect(problem.localized.en).toMatch(/Only a browser session/);
    expect(problem.localized.ru).toMatch(/Сбросить данные может только сессия браузера/);
  });
});
