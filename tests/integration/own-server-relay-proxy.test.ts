// Issue 36: behind a reverse proxy on Wirelab's machine every student arrives from loopback.
// With TRUST_PROXY the student is X-Forwarded-For's address, and a loopback client without one is
// not taken for this machine's user; OWN_SERVERS_DENY_PORTS closes ports to every relay. A plain
// loopback client of a Wirelab without those settings still reaches its own loopback server.
import type { Bilingual } from '../../shared/bilingual.ts';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OWN_SERVER_MQTT_RELAY_PATH, readRelayFact, relayQuery, type RelayFact } from '../../contracts/own-server/relays.ts';
import { parseTrustProxy } from '../../server/listener/trust-proxy.ts';
import { newSession } from './capture-client.ts';
import { postOnFreshConnection } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';

let proxied: RunningServer;
let plain: RunningServer;
let student: Server;
let studentPort: number;
let deniedPort: number;

beforeAll(async () => {
  student = createServer((_request, response) => response.end('mine'));
  await new Promise<void>((resolve) => student.listen(0, '127.0.0.1', resolve));
  studentPort = (student.address() as { port: number }).port;
  const other = createServer((_request, response) => response.end('not to be reached'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  deniedPort = (other.address() as { port: number }).port;
  other.close();
  proxied = await startServer({ ownServers: true, trustProxy: parseTrustProxy('127.0.0.1') });
  plain = await startServer({ ownServers: true, ownServersDenyPorts: [deniedPort] });
});
afterAll(async () => {
  await new Promise<void>((resolve) => student.close(() => resolve()));
  await Promise.all([proxied?.close(), plain?.close()]);
});

async function relayHttp(
  server: RunningServer,
  target: string,
  forwardedFor?: string,
): Promise<{ status: number; type?: string; localized?: Bilingual; body?: string }> {
  const session = await newSession(server.origin);
  const response = await postOnFreshConnection(
    `${server.origin}/_wirelab/own-server/http`,
    JSON.stringify({ target, method: 'GET', path: '/', headers: [], body: null }),
    { 'content-type': 'application/json', cookie: `wirelab_session=${session}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
  );
  const json = (await response.json()) as { type?: string; localized?: Bilingual; body?: string };
  return { status: response.status, ...json };
}

async function mqttRelayFact(server: RunningServer, target: string, forwardedFor: string): Promise<RelayFact | null> {
  const session = await newSession(server.origin);
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${OWN_SERVER_MQTT_RELAY_PATH}${relayQuery(target)}`, ['mqtt'], {
    headers: { cookie: `wirelab_session=${session}`, 'x-forwarded-for': forwardedFor },
  });
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve(readRelayFact(code, reason.toString()))));
}

describe('TRUST_PROXY: the student behind a reverse proxy on this machine', () => {
  it('is X-Forwarded-For’s address: a loopback target is another machine’s, for the HTTP relay and the MQTT relay alike', async () => {
    const refused = await relayHttp(proxied, `127.0.0.1:${studentPort}`, '192.0.2.7');
    expect(refused.status).toBe(403);
    expect(refused.type).toMatch(/not-your-address$/);
    expect(refused.localized?.en).toContain('192.0.2.7');
    expect(await mqttRelayFact(proxied, `127.0.0.1:${studentPort}`, '192.0.2.7')).toEqual({
      fact: 'not-your-address',
      target: '127.0.0.1',
      student: '192.0.2.7',
    });
  });

  it('a loopback client without X-Forwarded-For is not this machine’s user: refused, saying why', async () => {
    const refused = await relayHttp(proxied, `127.0.0.1:${studentPort}`);
    expect(refused.status).toBe(403);
    expect(refused.type).toMatch(/loopback-behind-proxy$/);
    expect(refused.localized?.ru).toMatch(/TRUST_PROXY/);
  });
});

describe('without a proxy setting: a self-learner on loopback', () => {
  it('reaches their own loopback server; X-Forwarded-For from an untrusted peer changes nothing', async () => {
    expect(await relayHttp(plain, `127.0.0.1:${studentPort}`)).toMatchObject({ status: 200, body: Buffer.from('mine').toString('base64') });
    expect(await relayHttp(plain, `127.0.0.1:${studentPort}`, '192.0.2.7')).toMatchObject({ status: 200 });
  });

  it('never reaches a port of OWN_SERVERS_DENY_PORTS, and is told so in both languages', async () => {
    const refused = await relayHttp(plain, `127.0.0.1:${deniedPort}`);
    expect(refused.status).toBe(403);
    expect(refused.type).toMatch(/denied-port$/);
    expect(refused.localized?.en).toMatch(new RegExp(`port ${deniedPort}.*OWN_SERVERS_DENY_PORTS`));
    expect(refused.localized?.ru).toMatch(/OWN_SERVERS_DENY_PORTS/);
    expect(await mqttRelayFact(plain, `localhost:${deniedPort}`, '')).toEqual({ fact: 'denied-port', port: deniedPort, why: 'listed' });
  });
});
