// Issue 36, attack 2: DNS rebinding. A page of rebind.attacker.example whose name now resolves to
// Wirelab's address sends `Host: rebind.attacker.example` (and `Origin: http://rebind.attacker.example`,
// which equals it, so the same-origin check let it through): it got a session and a relay to a
// loopback port. Every request and upgrade naming an unknown host is now refused with 421.
import type { Bilingual } from '../../shared/bilingual.ts';
import { request as httpRequest } from 'node:http';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OWN_SERVER_MQTT_RELAY_PATH, OWN_SERVER_SSE_RELAY_PATH, relayQuery } from '../../contracts/own-server/relays.ts';
import { startServer, type RunningServer } from './start-server.ts';

const REBIND = 'rebind.attacker.example';
let wirelab: RunningServer;

beforeAll(async () => {
  wirelab = await startServer({ ownServers: true, allowedHosts: ['wirelab.example.edu', '.lab.example.edu'] });
});
afterAll(() => wirelab?.close());

/** A request naming `host`, as a browser would after rebinding, with the Origin the page has. */
function get(path: string, host: string, withOrigin = true): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: wirelab.port,
        path,
        setHost: false,
        headers: { host: `${host}:${wirelab.port}`, ...(withOrigin ? { origin: `http://${host}:${wirelab.port}` } : {}) },
        agent: false,
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type'] ?? ''), body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A WebSocket handshake naming `host`: the status it was refused with, or 101. */
function upgrade(path: string, host: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${wirelab.port}${path}`, ['mqtt'], {
      headers: { host: `${host}:${wirelab.port}`, origin: `http://${host}:${wirelab.port}` },
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

describe('a request naming a host Wirelab does not know', () => {
  it.each([
    ['the app’s page', '/'],
    ['a new session', '/_wirelab/session'],
    ['the REST API', '/api/v1/users'],
    ['the SSE relay to a loopback port', `${OWN_SERVER_SSE_RELAY_PATH}${relayQuery('127.0.0.1:6379', '/')}`],
  ])('%s: 421 problem+json in both languages, with or without Origin', async (_what, path) => {
    for (const withOrigin of [true, false]) {
      const answer = await get(path, REBIND, withOrigin);
      expect(answer.status).toBe(421);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(answer.body) as { type: string; localized: Bilingual };
      expect(problem.type).toMatch(/unknown-host$/);
      expect(problem.localized.en).toContain(REBIND);
      expect(problem.localized.ru).toMatch(/не отвечает на имя/);
    }
  });

  it('an upgrade (the MQTT relay, the broker’s /mqtt): 421 before any handshake', async () => {
    expect(await upgrade(`${OWN_SERVER_MQTT_RELAY_PATH}${relayQuery('127.0.0.1:6379')}`, REBIND)).toBe(421);
    expect(await upgrade('/mqtt', REBIND)).toBe(421);
  });

  it('this machine’s addresses and names, localhost, and ALLOWED_HOSTS are served', async () => {
    const machine = hostname().toLowerCase().split('.')[0]!;
    for (const host of ['127.0.0.1', 'localhost', 'app.localhost', machine, `${machine}.local`, 'wirelab.example.edu', 'room1.lab.example.edu']) {
      expect({ host, status: (await get('/_wirelab/session', host)).status }).toEqual({ host, status: 200 });
    }
    expect((await get('/_wirelab/session', 'example.edu')).status).toBe(421);
    expect(await upgrade('/mqtt', 'localhost')).toBe(101);
  });
});
