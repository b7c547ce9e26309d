import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../tests/integration/start-server.ts';
import { startRedisServer, type RunningRedis } from '../../tests/integration/redis-server.ts';
import { buildApp } from '../app.ts';
import { INSTANCE_HEADER } from './instance-header.ts';

describe('x-wirelab-instance', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  it('is absent from a single process', async () => {
    const server = await startServer();
    try {
      const response = await fetch(`${server.origin}/api/v1/users/1`);
      expect(response.status).toBe(200);
      expect(response.headers.has(INSTANCE_HEADER)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('names the scaled-out instance on plain responses, 404s and event streams', async () => {
    const server = await startServer({ scale: { redisUrl: redis.url, keyPrefix: 'ih:', instanceId: 'wirelab-b' } });
    try {
      expect((await fetch(`${server.origin}/api/v1/users/1`)).headers.get(INSTANCE_HEADER)).toBe('wirelab-b');
      expect((await fetch(`${server.origin}/nowhere`)).headers.get(INSTANCE_HEADER)).toBe('wirelab-b');
      const controller = new AbortController();
      const stream = await fetch(`${server.origin}/api/v1/events`, { signal: controller.signal });
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.headers.get(INSTANCE_HEADER)).toBe('wirelab-b');
      controller.abort();
    } finally {
      await server.close();
    }
  });

  it('refuses an instance name that cannot be a header value', async () => {
    await expect(buildApp({ dataFile: ':memory:', scale: { redisUrl: redis.url, instanceId: 'a b' } })).rejects.toThrow(/INSTANCE_ID must be/);
  });
});
