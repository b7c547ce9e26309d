import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';
import type { ScaleOptions } from './scale-options.ts';

/** What every part that shares work between instances is given (null on `app.scale`: one process). */
export interface ScaleContext {
  readonly instanceId: string;
  readonly keyPrefix: string;
  readonly redisUrl: string;
  /** A key or channel name of this deployment: `key('bus')` → "wirelab:bus". */
  key(name: string): string;
  /**
   * A connection of its own, closed with the app. A connection in subscriber mode can do nothing
   * else, so each part that subscribes asks for its own; `role` names it in Redis' CLIENT LIST.
   * `options`: ioredis' own: `keyPrefix` for a library that names its keys itself (ioredis puts
   * it before every key), the offline queue for a part that must behave otherwise while Redis is
   * unreachable.
   */
  connection(role: string, options?: RedisOptions): Redis;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Redis shared with the other instances of this deployment; null when it runs as one process. */
    scale: ScaleContext | null;
  }
}

async function scalePlugin(app: FastifyInstance, options: { scale?: ScaleOptions }): Promise<void> {
  if (!options.scale) {
    app.decorate('scale', null);
    return;
  }
  const { redisUrl } = options.scale;
  const keyPrefix = options.scale.keyPrefix ?? 'wirelab:';
  const instanceId = options.scale.instanceId ?? `i-${randomBytes(4).toString('hex')}`;
  const connections = new Set<Redis>();
  const connection = (role: string, redisOptions: RedisOptions = {}): Redis => {
    const redis = new Redis(redisUrl, { ...redisOptions, connectionName: `wirelab:${instanceId}:${role}` });
    // ioredis reconnects by itself; an 'error' with no listener would end the process instead.
    redis.on('error', (error) => app.log.warn({ err: error, role }, 'redis connection error'));
    connections.add(redis);
    return redis;
  };
  app.decorate('scale', { instanceId, keyPrefix, redisUrl, key: (name: string) => keyPrefix + name, connection });
  app.addHook('onClose', async () => {
    await Promise.all([...connections].map((redis) => redis.quit().catch(() => redis.disconnect())));
  });
  app.log.info({ instanceId, keyPrefix }, 'scaled out: fan-out and shared state through Redis');
}

/** `app.scale`: Redis connections for the parts that work across instances (README, "Scaling out"). */
export default fp(scalePlugin, { name: 'wirelab-scale' });
