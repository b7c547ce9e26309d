import { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';
import AsyncRedisPersistence from 'aedes-persistence-redis/asyncPersistence.js';
import type { ScaleContext } from '../../scale/scale-plugin.ts';
import type { BrokerPersistence } from './broker-persistence.ts';

/** The broker's message bus and store when several instances share one Redis (README.md, "Several instances"). */
export interface SharedBrokerParts {
  /** aedes' `mq`: every publish goes through Redis pub/sub, so a subscriber on any instance gets it */
  mq: unknown;
  persistence: BrokerPersistence;
}

/** Redis glob characters (PSUBSCRIBE patterns) that may stand in an MQTT topic as plain text. */
const REDIS_GLOB_SPECIALS = /[\\*?[\]]/g;

/** An MQTT topic filter's text as plain text in a Redis glob pattern (its wildcards are replaced afterwards). */
export function escapeRedisGlob(text: string): string {
  return text.replace(REDIS_GLOB_SPECIALS, '\\$&');
}

type EmitterClass = new (
  channelPrefix: string,
  options: { subConn: Redis; pubConn: Redis },
) => {
  _subTopic(topic: string): string;
  _containsWildcard(topic: string): boolean;
};
const { MQEmitterRedisPrefix } = mqemitterRedis as unknown as { MQEmitterRedisPrefix: EmitterClass };

/**
 * mqemitter-redis with its channels under the deployment's prefix (two deployments on one Redis
 * never hear each other: pub/sub channels ignore the database number). It turns a filter such as
 * `a/[1]/#` into the pattern `a/[1]*`, where `[1]` is a character class: Redis would never match
 * the topic `a/[1]/x` and the subscriber would miss it, so the filter's own text is escaped
 * first. (A pattern that matches too much costs nothing: mqemitter matches every message again.)
 */
class PrefixedRedisEmitter extends MQEmitterRedisPrefix {
  override _subTopic(topic: string): string {
    return this._containsWildcard(topic) ? super._subTopic(escapeRedisGlob(topic)) : topic;
  }
}

/**
 * aedes 1.2.0 pipes the retained messages of a SUBSCRIBE (`.pipe`), which its LevelDB store
 * gives as a stream; aedes-persistence-redis 12 gives an async generator (aedes reads its other
 * generators with `pipeline` and `for await`, which take either).
 */
class RedisPersistence extends AsyncRedisPersistence {
  override createRetainedStreamCombi(patterns: string[]): Readable {
    return Readable.from(super.createRetainedStreamCombi(patterns));
  }
}

/**
 * aedes-persistence-redis 12 sends some commands without waiting for them (`putWill` and
 * `delWill` send LREM and RPUSH and go on). When such a command fails — Redis unreachable for
 * longer than ioredis retries, or the connection closing while the broker shuts down — its
 * rejection has no handler, and Node ends the whole server for it. The named commands of this
 * connection keep rejecting for a caller that awaits them; a rejection no caller took is
 * settled here instead.
 */
export function settleStrayCommands(connection: Redis, commands: ReadonlyArray<'lrem' | 'rpush'>): Redis {
  for (const name of commands) {
    const command = connection[name].bind(connection) as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(connection, name, {
      value: (...args: unknown[]) => {
        const reply = command(...args);
        reply.catch(() => undefined);
        return reply;
      },
    });
  }
  return connection;
}

/**
 * mqemitter-redis and aedes-persistence-redis on connections of `app.scale`, every key and
 * channel under `<keyPrefix>mqtt:`. `maxSessionDelivery`: the most messages any session may have
 * queued (aedes-persistence-redis hands a returning client no more than this).
 */
export function sharedBrokerParts(scale: ScaleContext, options: { maxSessionDelivery: number }): SharedBrokerParts {
  const prefix = scale.key('mqtt:');
  const mq = new PrefixedRedisEmitter(prefix, { subConn: scale.connection('mqtt-sub'), pubConn: scale.connection('mqtt-pub') });
  const db = settleStrayCommands(scale.connection('mqtt-store', { keyPrefix: prefix }), ['lrem', 'rpush']);
  const persistence = new RedisPersistence({
    conn: db,
    maxSessionDelivery: options.maxSessionDelivery,
    // No expiry: a queued message waits for its session as it does in LevelDB, and the queue's
    // bound is counted on the list below, which an expired message would still be part of.
  }) as unknown as BrokerPersistence;
  // One LLEN instead of reading every queued message (aedes-persistence-redis 12: a list of
  // packet keys per client, `outgoing:<client id, URI-encoded>`; mqtt-scale.test.ts guards it).
  persistence.countQueued = async (clientId, max) => Math.min(max, await db.llen(`outgoing:${encodeURIComponent(clientId)}`));
  return { mq, persistence };
}
