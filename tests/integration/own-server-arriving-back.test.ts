// Lesson 15 is never earned against Wirelab through a forwarder that hides what it can (issue 51,
// item 1): one that drops the run's `x-wirelab-check-run` header and answers 404 to /_wirelab/, and
// one that passes only MQTT to Wirelab's broker, whose packets carry no header at all. The server
// knows the run from the marks its suites put in what the protocol must carry unchanged (the
// emails of the users it creates, the topics it subscribes and publishes to) arriving at its own
// listener (server/own-server/wirelab-itself.ts). With two instances on one Redis, a forwarder to
// the other instance is caught too: the instances tell each other of their runs through Redis
// (server/own-server/arriving-back-bus.ts).
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../contracts/class-channel/messages.ts';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import { post } from './classroom-client.ts';
import { startRedisServer, type RunningRedis } from './redis-server.ts';
import { startServer, type RunningServer } from './start-server.ts';

const KEY = 'arriving-back-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
const OWN_SERVER_LESSON = 'build-your-own-server';

type RunReport = CheckReport & { exercise?: { passed: boolean; note: { en: string; ru: string } } };

const listening = (server: Server): Promise<Server> => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
const portOf = (server: Server) => (server.address() as AddressInfo).port;

/** Pipes `client` to `port` on loopback, the first bytes first, each side closing the other. */
function pipeTo(port: number, client: Socket, first: Buffer, clientToUpstream: (chunk: Buffer) => Buffer = (chunk) => chunk): void {
  const upstream = connect(port, '127.0.0.1', () => upstream.write(clientToUpstream(first)));
  client.on('data', (chunk: Buffer) => upstream.write(clientToUpstream(chunk)));
  upstream.pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
}

/**
 * The forwarder of issue 51, made harder: 404 to anything under /_wirelab/, and the run's header
 * dropped from every request it passes on to `port` (its lines cut out of the bytes as they come).
 */
function startHeaderStrippingForwarder(port: number): Promise<Server> {
  const strip = (chunk: Buffer) => Buffer.from(chunk.toString('latin1').replace(/\r\nx-wirelab-check-run:[^\r]*/gi, ''), 'latin1');
  const forwarder = createServer((client) => {
    client.on('error', () => undefined);
    client.once('data', (first: Buffer) => {
      if (/^[A-Z]+ \/_wirelab\//.test(first.toString('latin1'))) {
        client.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      pipeTo(port, client, first, strip);
    });
  });
  return listening(forwarder);
}

/** Passes to `port` only connections that begin with an MQTT CONNECT (0x10); anything else is closed, /_wirelab/whoami too. */
function startMqttOnlyForwarder(port: number): Promise<Server> {
  const forwarder = createServer((client) => {
    client.on('error', () => undefined);
    client.once('data', (first: Buffer) => (first[0] === 0x10 ? pipeTo(port, client, first) : client.destroy()));
  });
  return listening(forwarder);
}

describe('a run that comes back to Wirelab through a forwarder that hides it earns nothing (issue 51)', () => {
  let server: RunningServer;
  let code = '';
  let cookie = '';
  let member: Record<string, string> = {};

  const passedOnBoard = async (): Promise<string[]> => {
    const board = (await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json()) as Board;
    return board.members.flatMap((row) => row.results.filter((result) => result.passedMs !== null).map((result) => `${result.lesson}/${result.exercise}`));
  };
  const run = async (protocol: string, target: string): Promise<RunReport> =>
    (await (
      await fetch(`${server.origin}/_wirelab/own-server/checks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ protocol, target }),
      })
    ).json()) as RunReport;
  const claim = async (exercise: string) =>
    (
      (await (await post(server.origin, '/_wirelab/class/progress', { lesson: OWN_SERVER_LESSON, exercise, passed: true }, member)).json()) as {
        verdict: unknown;
      }
    ).verdict;

  beforeAll(async () => {
    server = await startServer({ classroom: { teacherKey: KEY } });
    code = ((await (await post(server.origin, '/_wirelab/class/classes', { title: 'Пересыльщики' }, teacher)).json()) as { code: string }).code;
    cookie = (await fetch(`${server.origin}/_wirelab/session`)).headers.getSetCookie()[0].split(';')[0];
    const joined = await post(server.origin, '/_wirelab/class/join', { code, name: 'Борис' }, { 'content-type': 'application/json', cookie });
    const { memberToken } = (await joined.json()) as { memberToken: string };
    member = { 'content-type': 'application/json', 'x-wirelab-member': memberToken, cookie };
  });
  afterAll(async () => {
    await server?.close();
  });

  it('REST through a forwarder that drops the run’s header and answers 404 to /_wirelab/: Wirelab, no pass, and the note says why', async () => {
    const forwarder = await startHeaderStrippingForwarder(server.port);
    // the student's own server, broken first, as an untouched skeleton is
    const broken = createHttpServer((_request, response) => response.writeHead(500).end());
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const own = await run('rest', `127.0.0.1:${(broken.address() as AddressInfo).port}`);
      expect(own).toMatchObject({ reachable: true, targetIsWirelab: false });
      const forwarded = await run('rest', `127.0.0.1:${portOf(forwarder)}`);
      // every check passes: the answers are Wirelab's
      expect(forwarded.counts).toMatchObject({ failed: 0 });
      expect(forwarded).toMatchObject({ targetIsWirelab: true, wirelabSeen: 'requests-arrived-back', exercise: { passed: false } });
      expect(forwarded.exercise!.note.en).toMatch(/came back to Wirelab itself.*forwarder or a proxy/);
      expect(forwarded.exercise!.note.ru).toMatch(/вернулись в сам Wirelab.*пересыльщик или прокси/);
      expect(await claim('rest-passes')).toEqual({ passed: false, why: 'not-seen' });
      expect(await passedOnBoard()).not.toContain(`${OWN_SERVER_LESSON}/rest-passes`);
    } finally {
      forwarder.close();
      broken.close();
    }
  });

  it('MQTT through a forwarder that passes only MQTT to Wirelab’s broker: its topics arrive, so Wirelab, no pass', async () => {
    const forwarder = await startMqttOnlyForwarder(server.port);
    // a "broker" that accepts and closes: every check fails
    const broken = await listening(createServer((socket) => socket.destroy()));
    try {
      const own = await run('mqtt', `127.0.0.1:${portOf(broken)}`);
      expect(own).toMatchObject({ reachable: true, targetIsWirelab: false });
      expect(own.counts.failed).toBeGreaterThan(0);
      const forwarded = await run('mqtt', `127.0.0.1:${portOf(forwarder)}`);
      expect(forwarded.counts).toMatchObject({ failed: 0 });
      expect(forwarded).toMatchObject({ targetIsWirelab: true, wirelabSeen: 'requests-arrived-back', exercise: { passed: false } });
      expect(forwarded.exercise!.note.en).toMatch(/came back to Wirelab itself/);
      expect(forwarded.exercise!.note.ru).toMatch(/вернулись в сам Wirelab/);
      expect(await claim('mqtt-passes')).toEqual({ passed: false, why: 'not-seen' });
      expect(await passedOnBoard()).not.toContain(`${OWN_SERVER_LESSON}/mqtt-passes`);
    } finally {
      forwarder.close();
      broken.close();
    }
  });
});

describe('two instances on one Redis: a forwarder to the other instance is caught too (issue 51)', () => {
  let redis: RunningRedis;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    const scale = (instanceId: string) => ({ redisUrl: redis.url, keyPrefix: 'arriving-back-test:', instanceId });
    a = await startServer({ scale: scale('a') });
    b = await startServer({ scale: scale('b') });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('a run on one instance through a header-stripping forwarder to the other: Wirelab, its requests came back', async () => {
    const forwarder = await startHeaderStrippingForwarder(b.port);
    try {
      const cookie = (await fetch(`${a.origin}/_wirelab/session`)).headers.getSetCookie()[0].split(';')[0];
      const response = await fetch(`${a.origin}/_wirelab/own-server/checks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ protocol: 'rest', target: `127.0.0.1:${portOf(forwarder)}` }),
      });
      const report = (await response.json()) as RunReport;
      expect(report.counts).toMatchObject({ failed: 0 });
      expect(report).toMatchObject({ targetIsWirelab: true, wirelabSeen: 'requests-arrived-back' });
    } finally {
      forwarder.close();
    }
  });
});
