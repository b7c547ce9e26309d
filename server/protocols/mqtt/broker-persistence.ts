import type { Readable } from 'node:stream';
import { Level } from 'level';
import AsyncLevelPersistence from 'aedes-persistence-level/asyncPersistence.js';

/** The part of aedes' persistence API this plugin wraps or calls itself. */
export interface BrokerPersistence {
  outgoingEnqueueCombi(subs: Array<{ clientId: string }>, packet: unknown): Promise<unknown>;
  /** the sent message a PUBACK (or, at a clean CONNECT, a queued PUBLISH) names, removed from the session's queue */
  outgoingClearMessageId(client: { id: string; clean?: boolean }, packet: { cmd?: string; messageId?: number }): Promise<unknown>;
  outgoingStream(client: { id: string }): Readable;
  /** forgets a client's will (at its CONNECT, and once a dead broker's will is published) */
  delWill(client: { id: string; brokerId?: string }): Promise<unknown>;
  destroy(): Promise<void>;
  /** A session's queue length without reading it, where the store can (Redis); absent: counted by reading. */
  countQueued?(clientId: string, max: number): Promise<number>;
}

/**
 * The broker's durable store: LevelDB in `dir` (subscriptions of persistent sessions, their
 * queued QoS 1/2 messages, retained messages, wills, QoS 2 messages awaiting PUBREL).
 */
export async function levelPersistence(dir: string): Promise<BrokerPersistence> {
  const db = new Level<string, Buffer>(dir);
  // Opened here, before aedes reads it: the store would otherwise find a locked folder from inside
  // a deferred iterator and crash with "Iterator is not open" (another Wirelab using the same DATA_DIR).
  try {
    await db.open();
  } catch (error) {
    throw levelOpenError(dir, error);
  }
  return new AsyncLevelPersistence(db) as unknown as BrokerPersistence;
}

/** What a start-up failure to open the broker's folder means, in words a teacher can act on. */
export function levelOpenError(dir: string, error: unknown): Error {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  if (cause?.code === 'LEVEL_LOCKED') {
    return new Error(
      `the data folder is in use by another Wirelab (${dir} is locked): stop the other one, or give this one its own folder with DATA_DIR=… / ` +
        `папка данных занята другим Wirelab (${dir} заблокирована): остановите другой или дайте этому свою папку через DATA_DIR=…`,
      { cause: error },
    );
  }
  return new Error(`the MQTT broker's folder ${dir} could not be opened: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

/**
 * Bounds the messages kept for each persistent session: a message for a session that already
 * holds `max` (a number, or one per broker client id) is not stored for it (the newest are dropped, as mosquitto's max_queued_messages).
 * A session's messages are counted and stored one after the other in this process: aedes acknowledges
 * a QoS 1 PUBLISH before it stores it, so a client's next PUBLISH is stored while the last one still
 * is, and on Redis each takes a few round trips. Instances sharing a store count apart, so
 * publishes through several of them at once may pass `max` by those few.
 */
export function limitQueuedMessages(persistence: BrokerPersistence, max: number | ((clientId: string) => number), onDropped: (clientId: string) => void): void {
  const enqueue = persistence.outgoingEnqueueCombi.bind(persistence);
  const maxOf = typeof max === 'number' ? () => max : max;
  /** The last enqueue of each session still under way. */
  const tails = new Map<string, Promise<unknown>>();
  const bounded = async (subs: Array<{ clientId: string }>, packet: unknown) => {
    const counts = await Promise.all(subs.map((sub) => queuedCount(persistence, sub.clientId, maxOf(sub.clientId))));
    const kept = subs.filter((sub, i) => {
      if (counts[i]! < maxOf(sub.clientId)) return true;
      onDropped(sub.clientId);
      return false;
    });
    return enqueue(kept, packet);
  };
  persistence.outgoingEnqueueCombi = (subs, packet) => {
    if (!subs || subs.length === 0) return enqueue(subs, packet);
    const ids = subs.map((sub) => sub.clientId);
    const before = ids.map((id) => tails.get(id)).filter((tail) => tail !== undefined);
    const run = Promise.allSettled(before).then(() => bounded(subs, packet));
    for (const id of ids) tails.set(id, run);
    const forget = () => {
      for (const id of ids) if (tails.get(id) === run) tails.delete(id);
    };
    run.then(forget, forget);
    return run;
  };
}

/**
 * A will the store failed to forget is logged, not thrown. aedes 1.2 forgets a connecting client's
 * old will with `delWill(client).finally(…)` and keeps no handler on what that returns: a store
 * that fails then (Redis unreachable past ioredis' retries, a store closing as the app shuts down)
 * would end the whole server with an unhandled rejection. The CONNECT goes on either way, as aedes
 * means it to.
 */
export function forgetWillsWithoutThrowing(persistence: BrokerPersistence, onFailure: (error: unknown) => void): void {
  const delWill = persistence.delWill.bind(persistence);
  persistence.delWill = (client) =>
    delWill(client).catch((error: unknown) => {
      onFailure(error);
      return undefined;
    });
}

/** Messages queued for a session (or sent and not yet acknowledged), counted up to `max`. */
export async function queuedCount(persistence: BrokerPersistence, clientId: string, max: number): Promise<number> {
  if (persistence.countQueued) return persistence.countQueued(clientId, max);
  let count = 0;
  for await (const _packet of persistence.outgoingStream({ id: clientId })) {
    if (++count >= max) break;
  }
  return count;
}

const NOTHING_CLEARED: Promise<undefined> = Promise.resolve(undefined);

/**
 * A clean session's PUBACK is not looked up in the store. aedes keeps a sent QoS 1 message in the
 * store only for a persistent session, yet asks the store to clear every PUBACK: on LevelDB a read
 * (on the thread pool) for each subscriber of each message, on Redis a round trip, to find nothing.
 * What aedes asks at a clean CONNECT — to clear what a persistent session of that client id left
 * queued, one PUBLISH at a time — still goes to the store, and so does every persistent session's PUBACK.
 */
export function skipCleanSessionAcks(persistence: BrokerPersistence): void {
  const clear = persistence.outgoingClearMessageId.bind(persistence);
  persistence.outgoingClearMessageId = (client, packet) => (client.clean === true && packet.cmd === 'puback' ? NOTHING_CLEARED : clear(client, packet));
}
