import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from './redis-server.ts';

describe('the test Redis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  it('answers on its own loopback port and is gone after stop()', async () => {
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
    const second = await startRedisServer();
    expect(second.port).not.toBe(redis.port);
    await second.stop();
    const gone = new Redis(second.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await expect(gone.connect()).rejects.toThrow();
    gone.disconnect();
  });
});
