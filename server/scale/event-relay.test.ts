import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';
import { EventBus, type DomainEvent } from '../domain/index.ts';
import { startRedisServer, type RunningRedis } from '../../tests/integration/redis-server.ts';
import { EVENTS_CHANNEL, EVENTS_LAST_ID_KEY, parseRelayedEvent, RedisEventRelay } from './event-relay.ts';

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

function recordingLog(lines: LogLine[]): FastifyBaseLogger {
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, message, fields });
  return { warn: at('warn'), info: at('info'), error: at('error'), debug: at('debug') } as unknown as FastifyBaseLogger;
}

interface Instance {
  bus: EventBus;
  relay: RedisEventRelay;
  heard: DomainEvent[];
  log: LogLine[];
}

describe('RedisEventRelay', () => {
  let redis: RunningRedis;
  const connections: Redis[] = [];
  const relays: RedisEventRelay[] = [];
  let prefix = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    for (const relay of relays.splice(0)) relay.stop();
    await Promise.all(connections.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
  });
  afterAll(() => redis?.stop());

  function connect(options: RedisOptions = {}): Redis {
    const connection = new Redis(redis.url, options);
    connection.on('error', () => {});
    connections.push(connection);
    return connection;
  }

  async function instance(keyPrefix: string, instanceId: string): Promise<Instance> {
    const bus = new EventBus();
    const log: LogLine[] = [];
    const relay = new RedisEventRelay(
      bus,
      connect(RedisEventRelay.PUBLISHER_OPTIONS),
      connect(),
      { key: (name) => keyPrefix + name, instanceId },
      recordingLog(log),
    );
    relays.push(relay);
    await relay.start();
    const heard: DomainEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    return { bus, relay, heard, log };
  }

  const freshPrefix = () => `relay-test-${++prefix}:`;

  it('numbers the events of every instance from one counter; each instance hears all, in the same order', async () => {
    const keyPrefix = freshPrefix();
    const a = await instance(keyPrefix, 'a');
    const b = await instance(keyPrefix, 'b');
    for (let i = 0; i < 20; i++) (i % 3 === 0 ? b : a).bus.emit('user.created', `s${i % 2}`, { id: i });
    await expect.poll(() => [a.heard.length, b.heard.length]).toEqual([20, 20]);
    const ids = a.heard.map((e) => e.id);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(b.heard).toEqual(a.heard);
    // Each instance's own events in the order it made them.
    expect(a.heard.filter((e) => (e.data as { id: number }).id % 3 !== 0).map((e) => (e.data as { id: number }).id)).toEqual(
      Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 3 !== 0),
    );
    expect(b.bus.since(0, 's1').map((e) => e.id)).toEqual(a.heard.filter((e) => e.sandboxId === 's1').map((e) => e.id));
  });

  it('tells localOnly listeners only of events made by their own instance', async () => {
    const keyPrefix = freshPrefix();
    const a = await instance(keyPrefix, 'a');
    const b = await instance(keyPrefix, 'b');
    const mirroredByA: number[] = [];
    a.bus.subscribe((event) => mirroredByA.push((event.data as { id: number }).id), { localOnly: true });
    a.bus.emit('user.created', 's', { id: 1 });
    b.bus.emit('user.created', 's', { id: 2 });
    a.bus.emit('user.created', 's', { id: 3 });
    await expect.poll(() => a.heard.length).toBe(3);
    expect(mirroredByA).toEqual([1, 3]);
  });

  it('starts from the deployment’s newest id: an instance that joins later counts what came before as missed', async () => {
    const keyPrefix = freshPrefix();
    const a = await instance(keyPrefix, 'a');
    a.bus.emit('user.created', 's', { id: 1 });
    a.bus.emit('user.created', 's', { id: 2 });
    await expect.poll(() => a.heard.length).toBe(2);
    const late = await instance(keyPrefix, 'late');
    expect(late.bus.lastId).toBe(2);
    expect(late.bus.missedThrough).toBe(2);
    a.bus.emit('user.created', 's', { id: 3 });
    await expect.poll(() => late.heard.map((e) => e.id)).toEqual([3]);
  });

  it('never hands out an id again after Redis lost its counter', async () => {
    const keyPrefix = freshPrefix();
    const a = await instance(keyPrefix, 'a');
    for (let i = 0; i < 3; i++) a.bus.emit('user.created', 's', { id: i });
    await expect.poll(() => a.bus.lastId).toBe(3);
    const admin = connect();
    await admin.del(keyPrefix + EVENTS_LAST_ID_KEY);
    a.bus.emit('user.updated', 's', { id: 0 });
    await expect.poll(() => a.heard.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(await admin.get(keyPrefix + EVENTS_LAST_ID_KEY)).toBe('4');
  });

  it('delivers an event Redis published twice once, and marks ids it never heard as missed', async () => {
    const keyPrefix = freshPrefix();
    const a = await instance(keyPrefix, 'a');
    const admin = connect();
    const channel = keyPrefix + EVENTS_CHANNEL;
    const event = (id: number, seq: number) => JSON.stringify({ id, origin: 'elsewhere', seq, type: 'user.created', sandboxId: 's', at: 'now', data: { id } });
    await admin.publish(channel, event(1, 1));
    await admin.publish(channel, event(2, 1)); // the same event (seq 1) numbered again
    await admin.publish(channel, 'not an event');
    await admin.publish(channel, event(6, 2)); // 3..5 never heard
    await expect.poll(() => a.heard.map((e) => e.id)).toEqual([1, 6]);
    expect(a.bus.missedThrough).toBe(5);
    expect(a.log.map((line) => line.message)).toEqual([
      expect.stringMatching(/^not a domain event/),
      expect.stringMatching(/missed while the Redis subscription was down/),
    ]);
    expect(a.log[1]!.fields).toEqual({ from: 3, through: 5 });
  });

  it('keeps events made while Redis is down, in order, and publishes them when it is back', async () => {
    const own = await startRedisServer();
    const port = own.port;
    let current = own;
    try {
      const keyPrefix = freshPrefix();
      const bus = new EventBus();
      const log: LogLine[] = [];
      const connectOwn = (options: RedisOptions = {}): Redis => {
        const connection = new Redis(own.url, { ...options, retryStrategy: () => 50 });
        connection.on('error', () => {});
        connections.push(connection);
        return connection;
      };
      const relay = new RedisEventRelay(
        bus,
        connectOwn(RedisEventRelay.PUBLISHER_OPTIONS),
        connectOwn(),
        { key: (name) => keyPrefix + name, instanceId: 'a' },
        recordingLog(log),
      );
      relays.push(relay);
      await relay.start();
      const heard: number[] = [];
      bus.subscribe((event) => heard.push((event.data as { id: number }).id));
      bus.emit('user.created', 's', { id: 1 });
      await expect.poll(() => heard).toEqual([1]);

      await current.stop();
      bus.emit('user.created', 's', { id: 2 });
      bus.emit('user.created', 's', { id: 3 });
      expect(relay.waitingCount).toBe(2);
      await expect.poll(() => log.map((line) => line.message)).toContainEqual(expect.stringMatching(/^Redis unreachable: domain events made here wait/));
      expect(heard).toEqual([1]);

      // The same port, a Redis that lost everything (no persistence): the counter is gone too.
      current = await startRedisServer({ port });
      await expect.poll(() => heard).toEqual([1, 2, 3]);
      expect(bus.since(0, 's').map((e) => e.id)).toEqual([1, 2, 3]);
      expect(relay.waitingCount).toBe(0);
      await expect.poll(() => log.map((line) => line.message)).toContainEqual(expect.stringMatching(/^Redis answers again/));
    } finally {
      await current.stop();
    }
  });
});

describe('parseRelayedEvent', () => {
  it('takes only what the publishing script writes', () => {
    const good = { id: 3, origin: 'a', seq: 1, type: 'post.deleted', sandboxId: 's', at: 'now', data: { id: 9 } };
    expect(parseRelayedEvent(JSON.stringify(good))).toEqual(good);
    for (const bad of [
      '',
      '[]',
      'null',
      '{"id":1}',
      JSON.stringify({ ...good, id: 0 }),
      JSON.stringify({ ...good, type: 'rm -rf' }),
      JSON.stringify({ ...good, data: null }),
    ]) {
      expect(parseRelayedEvent(bad)).toBeNull();
    }
  });
});
