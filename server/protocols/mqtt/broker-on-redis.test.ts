import { afterEach, describe, expect, it } from 'vitest';
import { Redis, type RedisOptions } from 'ioredis';
import { escapeRedisGlob, sharedBrokerParts } from './broker-on-redis.ts';
import { settleEveryReply, type ScaleContext } from '../../scale/scale-plugin.ts';

describe('escapeRedisGlob', () => {
  it('escapes the characters a Redis pattern reads as glob syntax', () => {
    expect(escapeRedisGlob('rooms/[1]/#')).toBe('rooms/\\[1\\]/#');
    expect(escapeRedisGlob('a*b?/c\\d/+')).toBe('a\\*b\\?/c\\\\d/+');
  });

  it('leaves MQTT wildcards and ordinary text alone', () => {
    expect(escapeRedisGlob('$sandbox/s-1/orders/+/#')).toBe('$sandbox/s-1/orders/+/#');
  });
});

describe('the broker store on a Redis that cannot be reached', () => {
  const connections: Redis[] = [];
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => void unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', record);
    for (const connection of connections.splice(0)) connection.disconnect();
  });

  it('forgetting a will fails for its caller and leaves no rejection that would end the server', async () => {
    process.on('unhandledRejection', record);
    // Never connected and no offline queue: every command fails at once, as after ioredis gives up.
    const unreachable = (_role: string, options: RedisOptions = {}): Redis => {
      // as app.scale gives it: every reply settled
      const connection = settleEveryReply(new Redis('redis://127.0.0.1:9', { ...options, lazyConnect: true, enableOfflineQueue: false }));
      connection.on('error', () => undefined);
      connections.push(connection);
      return connection;
    };
    const scale = {
      instanceId: 'i-test',
      keyPrefix: 'test:',
      redisUrl: 'redis://127.0.0.1:9',
      key: (name: string) => `test:${name}`,
      connection: unreachable,
    } satisfies ScaleContext;
    const { persistence } = sharedBrokerParts(scale, { maxSessionDelivery: 10 });
    const delWill = (persistence as unknown as { delWill(client: { id: string; brokerId: string }): Promise<unknown> }).delWill.bind(persistence);

    await expect(delWill({ id: 'worker', brokerId: 'b-1' })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
