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

/**
 * Every command's reply on `redis` is settled even when its sender never waits for it; a caller
 * that awaits still gets the rejection. The libraries given these connections send some commands
 * and go on: the Socket.IO adapter's PUBLISH, UNSUBSCRIBE and PUNSUBSCRIBE, mqemitter-redis' QUIT,
 * aedes-persistence-redis' LREM and RPUSH of a will, ioredis' own SUBSCRIBE again after a
 * reconnection. Such a command fails when Redis stays unreachable past ioredis' retries, or when
 * it is sent after the connection's QUIT while the app shuts down ("Connection is closed.", and
 * the QUIT itself fails with it), and a failure nobody waits for would end the whole server as an
 * unhandled rejection.
 */
export function settleEveryReply(redis: Redis): Redis {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    const reply = send(command, stream) as Promise<unknown>;
    reply.catch(() => undefined);
    return reply;
  };
  return redis;
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
    const redis = settleEveryReply(new Redis(redisUrl, { ...redisOptions, connectionName: `wirelab:${instanceId}:${role}` }));
    // ioredis reconnects by itself; an 'error' with no listener would end the process instead.
    redis.on('error', (error) => app.log.warn({ err: error, role }, 'redis connection error'));
    connections.add(redis);
    return redis;
  };
  app.decorate('scale', { instanceId, keyPrefix, redisUrl, key: (name: string) => keyPrefix + name, connection });
  app.addHook('onClose', async () => {
    // QUIT lets the commands already sent finish. A connection waiting to reconnect would keep
    // QUIT queued behind the others until ioredis gives up on them, seconds later: dropped now.
    await Promise.all([...connections].map((redis) => (redis.status === 'ready' ? redis.quit().catch(() => redis.disconnect()) : redis.disconnect())));
  });
  app.log.info({ instanceId, keyPrefix }, 'scaled out: fan-out and shared state through Redis');
}

/** `app.scale`: Redis connections for the parts that work across instances (README, "Scaling out"). */
export default fp(scalePlugin, { name: 'wirelab-scale' });
