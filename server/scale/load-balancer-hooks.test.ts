import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../tests/integration/start-server.ts';
import { startRedisServer, type RunningRedis } from '../../tests/integration/redis-server.ts';
import { buildApp } from '../app.ts';
import { Agent, request } from 'node:http';
import { INSTANCE_HEADER } from './load-balancer-hooks.ts';

/** node:http, not fetch: the Connection header as the server sent it (a keep-alive client, as browsers are). */
function get(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const agent = new Agent({ keepAlive: true });
    const req = request(new URL(path, origin), { headers, agent }, (response) => {
      response.resume();
      response.once('end', () => agent.destroy());
      resolve({ status: response.statusCode!, headers: response.headers });
    });
    req.once('error', reject);
    req.end();
  });
}

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

  it('closes the connection that hands out a new session, and only that one', async () => {
    const single = await startServer();
    const scaled = await startServer({ scale: { redisUrl: redis.url, keyPrefix: 'ih:', instanceId: 'wirelab-c' } });
    try {
      // One process: nothing to be pinned to, keep-alive as ever.
      const alone = await get(single.origin, '/_wirelab/session');
      expect(alone.headers['set-cookie']).toBeDefined();
      expect(alone.headers.connection).toBe('keep-alive');

      const issued = await get(scaled.origin, '/_wirelab/session');
      const cookie = (issued.headers['set-cookie'] as string[])[0]!.split(';')[0]!;
      expect(cookie).toMatch(/^wirelab_session=/);
      expect(issued.headers.connection).toBe('close');
      // With the cookie, no new session: the connection stays.
      const again = await get(scaled.origin, '/_wirelab/session', { cookie });
      expect(again.headers['set-cookie']).toBeUndefined();
      expect(again.headers.connection).toBe('keep-alive');
    } finally {
      await single.close();
      await scaled.close();
    }
  });

  it('refuses an instance name that cannot be a header value', async () => {
    await expect(buildApp({ dataFile: ':memory:', scale: { redisUrl: redis.url, instanceId: 'a b' } })).rejects.toThrow(/INSTANCE_ID must be/);
  });
});
