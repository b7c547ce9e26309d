import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectLogLines, startServer, type RunningServer } from './start-server.ts';
import { startRedisServer, type RunningRedis } from './redis-server.ts';
import { newSession } from './capture-client.ts';
import { Subscriber, WAIT_MS } from './mqtt-helpers.ts';

// An instance whose Redis goes away: restarted by a teacher, or gone while the instance stops.
// Nothing of it may end the server (an 'error' event nobody listens to, a rejection nobody
// handles), and the instance must still stop at once.

let redis: RunningRedis;
const servers: RunningServer[] = [];
/** What would end a server process: recorded here, and vitest reports it too. */
const fatal: unknown[] = [];
const record = (reason: unknown): void => void fatal.push(reason);

beforeAll(async () => {
  redis = await startRedisServer();
  process.on('unhandledRejection', record);
  process.on('uncaughtExceptionMonitor', record);
});
beforeEach(() => {
  fatal.length = 0;
});
afterEach(async () => {
  // Each test leaves Redis running for the next.
  if (redis.process.exitCode === null && redis.process.signalCode === null) return;
  redis = await startRedisServer({ port: redis.port });
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close().catch(() => undefined)));
  process.off('unhandledRejection', record);
  process.off('uncaughtExceptionMonitor', record);
  await redis?.stop();
});

async function instance(logger?: ReturnType<typeof collectLogLines>['logger']): Promise<RunningServer> {
  const server = await startServer({ scale: { redisUrl: redis.url, keyPrefix: `outage-${randomBytes(3).toString('hex')}:` }, logger });
  servers.push(server);
  return server;
}

const fatalText = (): string => fatal.map((reason) => String((reason as Error)?.stack ?? reason)).join('\n---\n');

/** Until the instance has heard that Redis is gone (its connections say so in its log). */
async function toldRedisIsGone(lines: Array<Record<string, unknown>>): Promise<void> {
  await expect.poll(() => lines.some((line) => line.msg === 'redis connection error'), { timeout: WAIT_MS }).toBe(true);
}

describe('an instance whose Redis goes away', () => {
  it('keeps serving through a Redis restart: REST meanwhile, then MQTT and the domain events through Redis again', async () => {
    const log = collectLogLines('warn');
    const server = await instance(log.logger);
    const box = await newSession(server.origin);
    const mqttUrl = `mqtt://127.0.0.1:${server.port}`;
    const users = (init?: RequestInit) => fetch(`${server.origin}/api/v1/users`, { ...init, headers: { cookie: `wirelab_session=${box}`, ...init?.headers } });

    await redis.stop();
    await toldRedisIsGone(log.lines);
    // Redis is away: the broker's bus reports it (an 'error' event with no listener in mqemitter-redis
    // ended the process here), REST still reads the instance's own SQLite.
    expect((await users()).status).toBe(200);
    expect(fatal, fatalText()).toEqual([]);

    redis = await startRedisServer({ port: redis.port });
    // Back: ioredis reconnects and subscribes again by itself; a message and an event go through Redis.
    const events = await Subscriber.connect(mqttUrl, { username: `sandbox:${box}` });
    await events.client.subscribeAsync(['events/#', 'orders/#'], { qos: 1 });
    const publisher = await Subscriber.connect(mqttUrl, { username: `sandbox:${box}` });
    await publisher.client.publishAsync('orders/1', 'after the restart', { qos: 1 });
    const made = await users({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: `ada-${randomBytes(3).toString('hex')}@example.com` }),
    });
    expect(made.status).toBe(201);
    const received = await events.waitForCount(2);
    expect(received.map((message) => message.topic).sort()).toEqual(['events/user/created', 'orders/1']);
    await Promise.all([events.end(), publisher.end()]);
    expect(fatal, fatalText()).toEqual([]);
  });

  it('stops at once while Redis is unreachable, and cleanly', async () => {
    const log = collectLogLines('warn');
    const server = await instance(log.logger);
    await redis.stop();
    await toldRedisIsGone(log.lines);
    // The broker's bus waited for its QUIT to be answered, and Fastify gave up after 10 s with
    // "Plugin did not start in time": close() rejected, the teacher's Ctrl-C hung.
    await expect(server.close()).resolves.toBeUndefined();
    servers.splice(servers.indexOf(server), 1);
    expect(fatal, fatalText()).toEqual([]);
  });

  it('settles a command sent after its connection said QUIT, for a sender that does not wait', async () => {
    const server = await instance();
    const connection = server.app.scale!.connection('late-sender');
    expect(await connection.ping()).toBe('PONG');
    const ended = new Promise((resolve) => connection.once('end', resolve));
    // As a library that closes its connection and sends on it without waiting (mqemitter-redis'
    // QUIT, the Socket.IO adapter's PUBLISH while the app stops): Redis never answers what comes
    // after QUIT, and ioredis fails all of it as the connection closes ("Connection is closed.").
    void connection.quit();
    void connection.publish('outage:nobody', 'late');
    const awaited = connection.get('outage:key');
    await ended;
    // A caller that waits still hears of the failure.
    await expect(awaited).rejects.toThrow(/Connection is closed/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fatal, fatalText()).toEqual([]);
  });
});
