import fp from 'fastify-plugin';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ReplyError, type Redis } from 'ioredis';
import { DOMAIN_EVENT_TYPES, type DomainEvent, type EventBus, type EventRelay, type UnnumberedEvent } from '../domain/index.ts';
import type { ScaleContext } from './scale-plugin.ts';

/** The channel every instance publishes its domain events on and hears them from: key('events'). */
export const EVENTS_CHANNEL = 'events';
/** The counter that numbers the events of the whole deployment: key('events:last-id'). */
export const EVENTS_LAST_ID_KEY = 'events:last-id';
/**
 * Events made here that wait for Redis (unreachable) at most; past it the oldest waiting one is
 * dropped and logged. A few hundred bytes each: a few MB.
 * @default 10_000
 */
export const MAX_WAITING_EVENTS = 10_000;
/** Events sent to Redis at once (one round trip). */
const BATCH = 200;

/**
 * Numbers and publishes one event atomically, so the deployment's ids and the order every
 * subscriber receives events in are the same: INCR, then PUBLISH of the event with its id.
 * ARGV[1] is the event's JSON without the id ('{"origin":…}'); the id is spliced in as text, so
 * the event's own JSON (numbers, empty arrays) is never reread by Lua's cjson. ARGV[2], the
 * newest id the sender has seen, is a floor: a Redis that lost the counter (restarted without
 * persistence) never hands out an id a client may already hold.
 */
const PUBLISH_EVENT_SCRIPT = `
local id = redis.call('INCR', KEYS[1])
local floor = tonumber(ARGV[2])
if id <= floor then
  id = floor + 1
  redis.call('SET', KEYS[1], id)
end
redis.call('PUBLISH', KEYS[2], '{"id":' .. string.format('%d', id) .. ',' .. string.sub(ARGV[1], 2))
return id
`;

/** An event as it travels through Redis: who made it, and its place among that instance's events. */
export interface RelayedEvent extends DomainEvent {
  origin: string;
  /** 1, 2, 3… per instance: a command Redis ran twice (resent after a lost reply) is recognized. */
  seq: number;
}

interface RelayRedis extends Redis {
  wirelabPublishEvent(counterKey: string, channel: string, event: string, floor: number): Promise<number>;
}

interface Waiting {
  json: string;
}

/** A well-formed event as published by PUBLISH_EVENT_SCRIPT; null for anything else. */
export function parseRelayedEvent(message: string): RelayedEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Partial<RelayedEvent>;
  const whole = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
  if (!whole(event.id) || !whole(event.seq) || typeof event.origin !== 'string') return null;
  if (!DOMAIN_EVENT_TYPES.includes(event.type as DomainEvent['type']) || typeof event.sandboxId !== 'string' || typeof event.at !== 'string') return null;
  if (typeof event.data !== 'object' || event.data === null) return null;
  return event as RelayedEvent;
}

/**
 * The domain event bus across instances (server/scale/README.md). Every event made on any
 * instance is numbered by one Redis counter and published with its id in the same script, so
 * every instance — the one that made it too — receives every event in id order, feeds it to its
 * replay buffer and to its listeners. While Redis is unreachable, events made here wait in order
 * (at most MAX_WAITING_EVENTS) and go out when it answers again.
 */
export class RedisEventRelay implements EventRelay {
  private readonly waiting: Waiting[] = [];
  private sending = false;
  private sentSeq = 0;
  private readonly newestSeqOf = new Map<string, number>();
  /** The newest id heard on the channel (duplicates included): an id past it + 1 means some were missed. */
  private newestHeard = 0;
  private joinedAfter = 0;
  private subscribed = false;
  private onSubscribed: Array<() => void> = [];
  private unreachableSince: number | null = null;
  private droppedWaiting = 0;
  private closed = false;
  private readonly channel: string;
  private readonly counterKey: string;
  private readonly instanceId: string;

  constructor(
    private readonly bus: EventBus,
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    scale: Pick<ScaleContext, 'key' | 'instanceId'>,
    private readonly log: FastifyBaseLogger,
  ) {
    this.channel = scale.key(EVENTS_CHANNEL);
    this.counterKey = scale.key(EVENTS_LAST_ID_KEY);
    this.instanceId = scale.instanceId;
    publisher.defineCommand('wirelabPublishEvent', { numberOfKeys: 2, lua: PUBLISH_EVENT_SCRIPT });
  }

  /**
   * The publisher's options: commands are never kept by ioredis across a reconnection (it would
   * send them the moment the publisher is back, maybe before our subscription is, and we would
   * miss our own events); the relay keeps them itself and sends them once both are back.
   */
  static readonly PUBLISHER_OPTIONS = { enableOfflineQueue: false, autoResendUnfulfilledCommands: false } as const;

  /** Subscribes, learns the newest id issued so far, and takes over numbering from the bus. */
  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.hear(message);
    });
    this.subscriber.on('close', () => {
      this.subscribed = false;
      this.noteUnreachableIfWaiting();
    });
    this.publisher.on('close', () => this.noteUnreachableIfWaiting());
    // ioredis subscribes again by itself after a reconnection; this tells us when it is done.
    this.subscriber.on('ready', () => void this.subscribe().catch(() => {}));
    await this.subscribe();
    await this.publisherReady();
    // Subscribed first: an event numbered after this GET is certainly heard.
    this.joinedAfter = Number((await this.publisher.get(this.counterKey)) ?? 0);
    this.newestHeard = Math.max(this.newestHeard, this.joinedAfter);
    this.bus.relayThrough(this, this.joinedAfter);
  }

  private async publisherReady(): Promise<void> {
    if (this.publisher.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const ready = (): void => {
        this.publisher.off('end', ended);
        resolve();
      };
      const ended = (): void => {
        this.publisher.off('ready', ready);
        reject(new Error('the Redis connection for domain events ended before it was ready'));
      };
      this.publisher.once('ready', ready);
      this.publisher.once('end', ended);
    });
  }

  /** Events made after this are not sent; those still waiting are logged as lost. */
  stop(): void {
    this.closed = true;
    if (this.waiting.length > 0) this.log.error({ lost: this.waiting.length }, 'closing with domain events still waiting for Redis: lost');
    this.waiting.length = 0;
    for (const resolve of this.onSubscribed.splice(0)) resolve();
  }

  /** How many events made here wait for Redis. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  send(event: UnnumberedEvent): void {
    if (this.closed) return;
    this.waiting.push({ json: JSON.stringify({ origin: this.instanceId, seq: ++this.sentSeq, ...event }) });
    if (this.waiting.length > MAX_WAITING_EVENTS) {
      this.waiting.shift();
      if (this.droppedWaiting++ === 0) this.log.error({ max: MAX_WAITING_EVENTS }, 'Redis unreachable too long: the oldest waiting domain events are dropped');
    }
    if ((this.publisher.status !== 'ready' || !this.subscribed) && this.unreachableSince === null) this.noteUnreachable();
    void this.flush();
  }

  private noteUnreachableIfWaiting(): void {
    if (this.waiting.length > 0 && this.unreachableSince === null && !this.closed) this.noteUnreachable();
  }

  private noteUnreachable(): void {
    this.unreachableSince = Date.now();
    this.log.warn(
      { waiting: this.waiting.length },
      'Redis unreachable: domain events made here wait for it, in order, and reach every client (this instance’s too) once it answers',
    );
  }

  private async subscribe(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
    this.subscribed = true;
    for (const resolve of this.onSubscribed.splice(0)) resolve();
    if (this.waiting.length > 0) void this.flush();
  }

  /** Sends what waits, one batch at a time, so events made here keep their order. */
  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.waiting.length > 0 && !this.closed) {
        // Published while our own subscription is down, an event would never come back to us.
        if (!this.subscribed) {
          if (this.unreachableSince === null) this.noteUnreachable();
          await new Promise<void>((resolve) => this.onSubscribed.push(resolve));
          continue;
        }
        const batch = this.waiting.slice(0, BATCH);
        const redis = this.publisher as RelayRedis;
        const results = await Promise.allSettled(batch.map((item) => redis.wirelabPublishEvent(this.counterKey, this.channel, item.json, this.bus.lastId)));
        const sent = new Set<Waiting>();
        let failure: unknown = null;
        results.forEach((result, index) => {
          if (result.status === 'fulfilled') sent.add(batch[index]!);
          else failure ??= result.reason;
        });
        const still = this.waiting.filter((item) => !sent.has(item));
        this.waiting.splice(0, this.waiting.length, ...still);
        if (failure === null) {
          this.noteReachable();
          continue;
        }
        if (failure instanceof ReplyError) {
          // Redis answered and refused: resending the same event would fail the same way.
          const refused = this.waiting.shift();
          this.log.error({ err: failure, event: refused?.json.slice(0, 200) }, 'Redis refused a domain event: dropped');
          continue;
        }
        if (this.unreachableSince === null) this.noteUnreachable();
        if (this.publisher.status === 'end' || this.closed) return;
        if (this.publisher.status === 'ready') {
          // Back already (the failure was the old connection's): a breath, never a busy loop.
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.publisher.off('ready', done);
            this.publisher.off('end', done);
            resolve();
          };
          this.publisher.once('ready', done);
          this.publisher.once('end', done);
        });
      }
    } finally {
      this.sending = false;
    }
  }

  private noteReachable(): void {
    if (this.unreachableSince === null) return;
    this.log.info(
      { waitedMs: Date.now() - this.unreachableSince, dropped: this.droppedWaiting },
      'Redis answers again: the domain events that waited are published',
    );
    this.unreachableSince = null;
    this.droppedWaiting = 0;
  }

  private hear(message: string): void {
    const event = parseRelayedEvent(message);
    if (!event) {
      this.log.warn({ message: message.slice(0, 200) }, 'not a domain event on the events channel: ignored');
      return;
    }
    // Numbered before we joined: our GET raced with it; the bus counts it as missed already.
    if (event.id <= this.joinedAfter) return;
    if (event.id > this.newestHeard + 1) {
      this.bus.missed(event.id - 1);
      this.log.warn({ from: this.newestHeard + 1, through: event.id - 1 }, 'domain events missed while the Redis subscription was down');
    }
    this.newestHeard = Math.max(this.newestHeard, event.id);
    const newestSeq = this.newestSeqOf.get(event.origin) ?? 0;
    if (event.seq <= newestSeq) return; // the same event again (Redis ran a resent command twice)
    this.newestSeqOf.set(event.origin, event.seq);
    const { origin, seq: _seq, ...domainEvent } = event;
    if (!this.bus.deliver(domainEvent, origin === this.instanceId)) {
      this.log.warn({ id: event.id, newest: this.bus.lastId }, 'a domain event older than the newest one received (did Redis lose its counter?): dropped');
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The domain events' relay through Redis; null when the app runs as one process. */
    eventRelay: RedisEventRelay | null;
  }
}

async function eventRelayPlugin(app: FastifyInstance): Promise<void> {
  const scale = app.scale;
  if (!scale) {
    app.decorate('eventRelay', null);
    return;
  }
  const publisher = scale.connection('events-pub', RedisEventRelay.PUBLISHER_OPTIONS);
  const relay = new RedisEventRelay(app.domain.events, publisher, scale.connection('events-sub'), scale, app.log);
  app.decorate('eventRelay', relay);
  await relay.start();
  app.addHook('onClose', async () => relay.stop());
}

/** With `app.scale`: the domain's events numbered and spread by Redis (server/scale/README.md). */
export default fp(eventRelayPlugin, { name: 'wirelab-event-relay', dependencies: ['wirelab-scale', 'wirelab-domain'] });
