// Issue 36: behind a reverse proxy on Wirelab's machine every student arrives from loopback.
// With TRUST_PROXY a loopback client is not taken for this machine's user; OWN_SERVERS_DENY_PORTS
// closes ports to every relay. A plain loopback client of a Wirelab without those settings still
// reaches its own loopback server. Issue 51: X-Forwarded-For never moves the address guard — a
// relay like socat passes the client's own header on, and TRUST_PROXY cannot tell it from nginx's.
import type { Bilingual } from '../../shared/bilingual.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { networkInterfaces } from 'node:os';
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
  it('X-Forwarded-For does not name the guard’s student: the proxy’s client is refused, for the HTTP relay and the MQTT relay alike', async () => {
    const refused = await relayHttp(proxied, `127.0.0.1:${studentPort}`, '192.0.2.7');
    expect(refused.status).toBe(403);
    expect(refused.type).toMatch(/loopback-behind-proxy$/);
    expect(refused.localized?.en).toMatch(/X-Forwarded-For.*PROXY_PROTOCOL_FROM/);
    expect(refused.localized?.ru).toMatch(/X-Forwarded-For.*PROXY_PROTOCOL_FROM/);
    expect(await mqttRelayFact(proxied, `127.0.0.1:${studentPort}`, '192.0.2.7')).toEqual({ fact: 'loopback-behind-proxy', student: '127.0.0.1' });
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

/** This machine's first address on a network (not loopback), else a documentation address nothing answers at. */
function lanAddress(): string {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return '192.0.2.7';
}

async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** socat on loopback relaying every connection to `port` as bytes: it adds no X-Forwarded-For, it passes the client's on. */
async function socatRelay(port: number): Promise<{ port: number; child: ChildProcess }> {
  const listen = await freePort();
  const child = spawn('socat', [`TCP-LISTEN:${listen},bind=127.0.0.1,reuseaddr,fork`, `TCP:127.0.0.1:${port}`], { stdio: 'ignore' });
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(listen, '127.0.0.1', () => resolve(true)).once('error', () => resolve(false));
      socket.once('connect', () => socket.end());
    });
    if (up) return { port: listen, child };
    if (child.exitCode !== null) throw new Error(`socat exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('TRUST_PROXY=127.0.0.1 in front of socat: a forged X-Forwarded-For', () => {
  let socat: { port: number; child: ChildProcess };
  let lan: Server;
  let lanPort: number;
  const forged = lanAddress();

  beforeAll(async () => {
    socat = await socatRelay(proxied.port);
    // a server on another machine's address as the forger names it (this machine's LAN address, listening everywhere)
    lan = createServer((_request, response) => response.end('another machine'));
    await new Promise<void>((resolve) => lan.listen(0, '0.0.0.0', resolve));
    lanPort = (lan.address() as { port: number }).port;
  });
  afterAll(async () => {
    socat?.child.kill();
    await new Promise<void>((resolve) => lan.close(() => resolve()));
  });

  it('cannot move the address guard of "check my server": the check and the HTTP relay refuse the forged address', async () => {
    const session = await newSession(proxied.origin);
    const headers = { 'content-type': 'application/json', cookie: `wirelab_session=${session}`, 'x-forwarded-for': forged };
    const viaSocat = `http://127.0.0.1:${socat.port}`;
    const check = await postOnFreshConnection(
      `${viaSocat}/_wirelab/own-server/checks`,
      JSON.stringify({ protocol: 'rest', target: `${forged}:${lanPort}` }),
      headers,
    );
    const report = (await check.json()) as { reachable: boolean; reason?: string; refusal?: Bilingual; counts?: { passed: number } };
    expect(report).toMatchObject({ reachable: false, reason: 'refused' });
    expect(report.refusal?.en).toContain('X-Forwarded-For');
    const relayed = await postOnFreshConnection(
      `${viaSocat}/_wirelab/own-server/http`,
      JSON.stringify({ target: `${forged}:${lanPort}`, method: 'GET', path: '/', headers: [], body: null }),
      headers,
    );
    const answer = (await relayed.json()) as { type?: string; body?: string };
    expect(relayed.status).toBe(403);
    expect(answer.type).toMatch(/loopback-behind-proxy$/);
    expect(answer.body).toBeUndefined();
  });
});
