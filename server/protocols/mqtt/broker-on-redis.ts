import type { EventEmitter } from 'node:events';
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
  /** where mqemitter-redis re-emits its connections' errors */
  state: EventEmitter;
  subConn: Redis;
  pubConn: Redis;
  closing: boolean;
  close(done?: () => void): unknown;
  /** mqemitter's own close: no connection touched */
  _close(done: () => void): unknown;
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

  /**
   * mqemitter-redis closes by sending QUIT on both connections and waiting for them to end. A
   * connection waiting to reconnect (Redis unreachable) keeps its QUIT queued and never ends
   * (ioredis' disconnect() then clears its timer and emits nothing), so the broker's close and the
   * app's would wait until Fastify gives up, 10 s later. With Redis unreachable there is nobody to
   * say goodbye to: both are dropped and the emitter closes at once.
   */
  override close(done: () => void = () => undefined): unknown {
    if (this.closing || (this.subConn.status === 'ready' && this.pubConn.status === 'ready')) return super.close(done);
    this.closing = true;
    for (const connection of [this.subConn, this.pubConn]) connection.disconnect();
    return this._close(done);
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
 * mqemitter-redis and aedes-persistence-redis on connections of `app.scale`, every key and
 * channel under `<keyPrefix>mqtt:`. `maxSessionDelivery`: the most messages any session may have
 * queued (aedes-persistence-redis hands a returning client no more than this).
 */
export function sharedBrokerParts(scale: ScaleContext, options: { maxSessionDelivery: number }): SharedBrokerParts {
  const prefix = scale.key('mqtt:');
  const mq = new PrefixedRedisEmitter(prefix, { subConn: scale.connection('mqtt-sub'), pubConn: scale.connection('mqtt-pub') });
  // mqemitter-redis emits every error of its two connections again on `state`, which has no
  // listener: Redis going away (a restart) would end the whole server with that 'error' event.
  // The connections' own listener (app.scale) already logs it; ioredis reconnects by itself.
  mq.state.on('error', () => undefined);
  // aedes-persistence-redis 12 sends some commands without waiting for them (`putWill` and
  // `delWill` send LREM and RPUSH and go on): app.scale's connections settle such a reply.
  const db = scale.connection('mqtt-store', { keyPrefix: prefix });
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
