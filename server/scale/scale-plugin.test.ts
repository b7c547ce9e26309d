import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../tests/integration/start-server.ts';
import { startRedisServer, type RunningRedis } from '../../tests/integration/redis-server.ts';

describe('app.scale', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  it('is null without scale options: one process, nothing to connect to', async () => {
    const server = await startServer();
    try {
      expect(server.app.scale).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('gives named connections to the shared Redis and closes them with the app', async () => {
    let server: RunningServer | undefined = await startServer({ scale: { redisUrl: redis.url, keyPrefix: 't1:', instanceId: 'a' } });
    const scale = server.app.scale!;
    expect(scale.key('bus')).toBe('t1:bus');
    const connection = scale.connection('probe');
    expect(await connection.ping()).toBe('PONG');
    expect(await connection.client('GETNAME')).toBe('wirelab:a:probe');
    const observer = new Redis(redis.url);
    try {
      expect(await observer.client('LIST')).toContain('name=wirelab:a:probe');
      await server.close();
      server = undefined;
      // The server's QUIT is answered before the connection is gone from Redis' list.
      await expect.poll(async () => observer.client('LIST')).not.toContain('name=wirelab:a:probe');
    } finally {
      await server?.close();
      await observer.quit();
    }
  });

  it('puts a key prefix before every key of a connection that asks for one', async () => {
    const server = await startServer({ scale: { redisUrl: redis.url, keyPrefix: 't2:', instanceId: 'b' } });
    const observer = new Redis(redis.url);
    try {
      const scale = server.app.scale!;
      await scale.connection('store', { keyPrefix: scale.key('lib:') }).set('counter', '1');
      expect(await observer.get('t2:lib:counter')).toBe('1');
      expect(await observer.exists('counter')).toBe(0);
    } finally {
      await server.close();
      await observer.quit();
    }
  });
});
