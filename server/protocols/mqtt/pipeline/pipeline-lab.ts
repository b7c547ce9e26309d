import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Bilingual } from '../../shared/bilingual.ts';
import { assignPartitions } from './partition-assignment.ts';
import { PublishLog, type PublishedOrder } from './publish-log.ts';
import { GROUP_NAME, LAB_CLIENT_PREFIX, NOTIFICATIONS_PREFIX, NOTIFIER, ORDERS_FILTER, PARTITIONS, type PipelineLimits } from './limits.ts';

export type ConsumerRole = 'subscriber' | 'member';

/** What a lab needs from the server around it. */
export interface LabHost {
  sandbox: string;
  /** this server's own port, where the consumers connect as any MQTT client would */
  target(): { host: string; port: number } | null;
  /** QoS 1 messages the broker holds for a lab client id (queued and not yet acknowledged) */
  countBacklog(clientId: string): Promise<number>;
  limits: PipelineLimits;
  warn(message: string, details: Record<string, unknown>): void;
}

export interface ConsumerState {
  role: ConsumerRole;
  clientId: string | null;
  running: boolean;
  connected: boolean;
  busy: boolean;
  delayMs: number;
  processed: number;
  /** subscribers: the broker's messages for this consumer's session; members: the sum over the partitions they read */
  backlog: number;
  /** messages the broker did not store for this consumer because its backlog was full */
  dropped: number;
  partitions?: number[];
  error: Bilingual | null;
}

export interface PartitionState {
  partition: number;
  topic: string;
  clientId: string;
  owner: string | null;
  /** the owner's connection holds the partition's session and its subscription */
  reading: boolean;
  backlog: number;
}

export interface LabState {
  sandbox: string;
  consumers: Record<string, ConsumerState>;
  group: { name: string; partitions: PartitionState[]; backlog: number } | null;
  limits: { maxConsumers: number; maxDelayMs: number; maxBacklog: number; partitions: number };
}

/** The notification a consumer publishes on `notifications/<name>` for each order it handled. */
export interface Notification {
  order: unknown;
  by: string;
  via: 'broker' | 'rest';
  topic?: string;
  group?: string;
  partition?: number;
  /** the order was published while this consumer (or the group's partition) was down */
  whileDown: boolean;
  /** this consumer (or partition) began this very order before and never acknowledged it: the broker sent it again */
  redelivered: boolean;
  /** the DUP flag of the delivery as the broker set it (aedes 1.2.0 leaves it off on a resend after reconnect) */
  dup: boolean;
  /** the broker delivered a retained message (RETAIN set on delivery: only for a new subscription) */
  retained: boolean;
  /** from the broker accepting the order to this consumer finishing it; null if the lab did not see it published */
  queuedMs: number | null;
  /** messages still waiting for this consumer (its partition, for a member) after this one; absent when the broker's store could not be asked (its Redis unreachable) */
  backlog?: number;
  /** every consumer that has finished this very order so far, this one last: two or more is fan-out */
  handledBy: string[];
  /** for a group member: the group's running members when it finished the order */
  members?: number;
}

/** A lab consumer's MQTT client: closed and replaced on each start, so old callbacks can tell. */
interface Connection {
  client: MqttClient;
  open: boolean;
  /** connected and subscribed (the session was present, or its SUBACK came) */
  reading: boolean;
}

/** A consumer's work: one order at a time, each taking the consumer's delay; stop cancels what waits. */
class Consumer {
  delayMs = 0;
  running = false;
  busy = false;
  processed = 0;
  dropped = 0;
  error: Bilingual | null = null;
  connection: Connection | null = null;
  /** orders this consumer began and never acknowledged: seen again, they are redeliveries */
  readonly unfinished = new Set<string>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly sleeping = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly role: ConsumerRole,
  ) {}

  get clientId(): string | null {
    return this.role === 'subscriber' ? `${LAB_CLIENT_PREFIX}${this.name}` : null;
  }

  /** Runs `job` after the jobs before it; it resolves false when the consumer stopped first. */
  work<T>(job: (sleep: (alsoCancelledBy?: Set<() => void>) => Promise<boolean>) => Promise<T>): Promise<T> {
    const next = this.chain.then(() => job((alsoCancelledBy) => this.sleep(alsoCancelledBy)));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The consumer's delay; false when it was stopped meanwhile (the work is abandoned, not acknowledged). */
  sleep(alsoCancelledBy?: Set<() => void>): Promise<boolean> {
    if (!this.running) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (finished: boolean) => {
        clearTimeout(timer);
        this.sleeping.delete(cancel);
        alsoCancelledBy?.delete(cancel);
        resolve(finished && this.running);
      };
      const cancel = () => wake(false);
      const timer = setTimeout(() => wake(true), this.delayMs);
      this.sleeping.add(cancel);
      alsoCancelledBy?.add(cancel);
    });
  }

  cancelWork(): void {
    for (const cancel of [...this.sleeping]) cancel();
  }
}

/** One partition of the consumer group: a persistent session that the partition's current owner holds. */
interface Partition {
  partition: number;
  clientId: string;
  owner: string | null;
  connection: Connection | null;
  /** jobs of this partition in progress, cancelled when the partition moves to another member */
  readonly revoke: Set<() => void>;
  /** orders of this partition begun by some member and never acknowledged */
  readonly unfinished: Set<string>;
}

/**
 * The "order → notification" lab of one sandbox (README.md beside this file). Every consumer is
 * a real MQTT client of the embedded broker, connected over TCP to this server's own port with
 * the user name `sandbox:<id>`, so its packets are captured in the student's inspector.
 */
export class PipelineLab {
  private readonly consumers = new Map<string, Consumer>();
  private partitions: Partition[] | null = null;
  private readonly published = new PublishLog(1000);
  private readonly listeners = new Set<(state: LabState) => void>();
  private pending: NodeJS.Timeout | null = null;
  private closed = false;
  lastUsed = Date.now();

  constructor(private readonly host: LabHost) {
    const notifier = new Consumer(NOTIFIER, 'subscriber');
    this.consumers.set(NOTIFIER, notifier);
    this.start(notifier);
  }

  get sandbox(): string {
    return this.host.sandbox;
  }

  has(name: string): boolean {
    return this.consumers.has(name);
  }

  roleOf(name: string): ConsumerRole | undefined {
    return this.consumers.get(name)?.role;
  }

  get consumerCount(): number {
    return this.consumers.size;
  }

  isRunning(name: string): boolean {
    return this.consumers.get(name)?.running ?? false;
  }

  /** Adds a consumer (running, no delay) or changes one. */
  upsert(name: string, role: ConsumerRole, change: { running?: boolean; delayMs?: number }): void {
    let consumer = this.consumers.get(name);
    if (!consumer) {
      consumer = new Consumer(name, role);
      this.consumers.set(name, consumer);
      if (role === 'member' && !this.partitions) this.declareGroup();
      change = { ...change, running: change.running ?? true };
    }
    if (change.delayMs !== undefined) consumer.delayMs = change.delayMs;
    if (change.running === true && !consumer.running) this.start(consumer);
    if (change.running === false && consumer.running) this.stop(consumer);
    this.changed();
  }

  /** Removes a consumer: a subscriber's session is erased with its queue; a member leaves the group. */
  async remove(name: string): Promise<void> {
    const consumer = this.consumers.get(name);
    if (!consumer) return;
    this.stop(consumer);
    this.consumers.delete(name);
    if (consumer.clientId) await this.eraseSession(consumer.clientId);
    this.changed();
  }

  /**
   * Back to the start ("reset my data"): every consumer but the notifier removed with its session,
   * the group's partitions erased, the notifier running without delay on a fresh session.
   */
  async reset(): Promise<void> {
    for (const name of [...this.consumers.keys()]) if (name !== NOTIFIER) await this.remove(name);
    for (const partition of this.partitions ?? []) await this.eraseSession(partition.clientId);
    this.partitions = null;
    const notifier = this.consumers.get(NOTIFIER)!;
    this.stop(notifier);
    await this.eraseSession(notifier.clientId!);
    Object.assign(notifier, { delayMs: 0, processed: 0, dropped: 0, error: null });
    notifier.unfinished.clear();
    if (!this.closed) this.start(notifier);
    this.changed();
  }

  /** The direct call: the notifier does the work now, while the caller waits. null: it is not running. */
  async callNotifier(order: unknown): Promise<{ notification: Notification; waitedMs: number } | null> {
    const notifier = this.consumers.get(NOTIFIER)!;
    if (!notifier.running) return null;
    const started = Date.now();
    // A direct call runs beside the queue's work, as another request thread of the service would.
    const done = await notifier.sleep();
    if (!done) return null;
    notifier.processed += 1;
    const notification: Notification = { order, by: NOTIFIER, via: 'rest', whileDown: false, redelivered: false, dup: false, retained: false, queuedMs: null, backlog: 0, handledBy: [NOTIFIER] };
    this.notify(notifier.connection, NOTIFIER, notification);
    this.changed();
    return { notification, waitedMs: Date.now() - started };
  }

  /** aedes accepted an order in this sandbox: note who was down, so consumers can tell later. */
  orderPublished(topic: string, payload: string): void {
    const down = new Set<string>();
    for (const consumer of this.consumers.values()) if (consumer.role === 'subscriber' && !consumer.running) down.add(consumer.name);
    for (const partition of this.partitions ?? []) if (!partition.owner) down.add(`partition:${partition.partition}`);
    this.published.record(topic, payload, { at: Date.now(), down, handledBy: [] });
    this.changed();
  }

  /** The broker did not store a message for one of this lab's sessions: its backlog is full. */
  dropped(clientId: string): void {
    for (const consumer of this.consumers.values()) {
      if (consumer.clientId === clientId) consumer.dropped += 1;
    }
    const partition = this.partitions?.find((candidate) => candidate.clientId === clientId);
    const owner = partition?.owner ? this.consumers.get(partition.owner) : undefined;
    if (owner) owner.dropped += 1;
    this.changed();
  }

  watch(listener: (state: LabState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get watchers(): number {
    return this.listeners.size;
  }

  async state(): Promise<LabState> {
    const consumers: Record<string, ConsumerState> = {};
    const partitions: PartitionState[] = [];
    for (const partition of this.partitions ?? []) {
      partitions.push({
        partition: partition.partition,
        topic: `orders/${partition.partition}`,
        clientId: partition.clientId,
        owner: partition.owner,
        reading: partition.connection?.reading === true,
        backlog: await this.host.countBacklog(partition.clientId),
      });
    }
    for (const consumer of this.consumers.values()) {
      const owned = partitions.filter((partition) => partition.owner === consumer.name);
      consumers[consumer.name] = {
        role: consumer.role,
        clientId: consumer.clientId,
        running: consumer.running,
        connected: consumer.role === 'subscriber' ? consumer.connection?.reading === true : owned.length > 0 && owned.every((partition) => partition.reading),
        busy: consumer.busy,
        delayMs: consumer.delayMs,
        processed: consumer.processed,
        backlog: consumer.clientId ? await this.host.countBacklog(consumer.clientId) : owned.reduce((sum, partition) => sum + partition.backlog, 0),
        dropped: consumer.dropped,
        ...(consumer.role === 'member' ? { partitions: owned.map((partition) => partition.partition) } : {}),
        error: consumer.error,
      };
    }
    const limits = this.host.limits;
    return {
      sandbox: this.host.sandbox,
      consumers,
      group: this.partitions ? { name: GROUP_NAME, partitions, backlog: partitions.reduce((sum, partition) => sum + partition.backlog, 0) } : null,
      limits: { maxConsumers: limits.maxConsumers, maxDelayMs: limits.maxDelayMs, maxBacklog: limits.maxBacklog, partitions: PARTITIONS },
    };
  }

  /** Disconnects every consumer; their sessions (and what waits in them) stay in the broker. */
  close(): void {
    this.closed = true;
    if (this.pending) clearTimeout(this.pending);
    for (const consumer of this.consumers.values()) this.stop(consumer);
    for (const partition of this.partitions ?? []) this.release(partition);
    this.listeners.clear();
  }

  /** What is still queued for a client after the message in hand; undefined when the broker's store cannot say (its Redis is unreachable). */
  private async backlogAfter(clientId: string): Promise<number | undefined> {
    try {
      return Math.max(0, (await this.host.countBacklog(clientId)) - 1);
    } catch (error) {
      this.host.warn('pipeline backlog could not be counted', { clientId, err: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  /**
   * A consumer whose work failed stops, as a crashed worker would: its order is not acknowledged
   * (mqtt.js would read nothing more until it is), so the broker gives it again on the next start.
   */
  private workFailed(consumer: Consumer, connection: Connection, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.host.warn('pipeline consumer work failed', { consumer: consumer.name, err: reason });
    // stopped or restarted meanwhile: the order is already back with the broker
    if (this.closed || !connection.open) return;
    this.stop(consumer);
    consumer.error = {
      en: `Handling an order failed (${reason}), and the consumer stopped. Start it again: the broker still holds the order.`,
      ru: `Обработка заказа завершилась ошибкой (${reason}), и потребитель остановлен. Запустите его снова: заказ по-прежнему у брокера.`,
    };
    this.changed();
  }

  /** Tells the watchers soon; changes in one burst are told once. */
  changed(): void {
    if (this.closed || this.pending || this.listeners.size === 0) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      void this.state().then(
        (state) => {
          for (const listener of this.listeners) listener(state);
        },
        () => undefined,
      );
    }, 50);
  }

  private start(consumer: Consumer): void {
    consumer.running = true;
    consumer.error = null;
    if (consumer.role === 'member') return this.rebalance();
    consumer.connection = this.connect(consumer.clientId!, ORDERS_FILTER, (packet, done, connection) => {
      void consumer
        .work(async (sleep) => {
          if (!connection.open) return false;
          const seen = this.published.find(packet.topic, packet.payload.toString());
          const key = messageKey(packet);
          const again = consumer.unfinished.has(key);
          remember(consumer.unfinished, key);
          consumer.busy = true;
          this.changed();
          const finished = await sleep();
          consumer.busy = false;
          if (!finished || !connection.open) return false;
          consumer.unfinished.delete(key);
          consumer.processed += 1;
          const backlog = await this.backlogAfter(consumer.clientId!);
          this.notify(connection, consumer.name, {
            order: orderOf(packet),
            by: consumer.name,
            via: 'broker',
            topic: packet.topic,
            whileDown: seen?.down.has(consumer.name) ?? false,
            redelivered: again,
            dup: packet.dup,
            retained: packet.retain,
            queuedMs: seen ? Date.now() - seen.at : null,
            backlog,
            handledBy: handled(seen, consumer.name),
          });
          return true;
        })
        .then(
          (finished) => {
            // Unfinished work is never acknowledged: the broker keeps the message for the next start.
            if (finished && connection.open) done();
            this.changed();
          },
          (error: unknown) => this.workFailed(consumer, connection, error),
        );
    }, (error) => {
      consumer.error = error;
      consumer.running = false;
      this.changed();
    });
  }

  private stop(consumer: Consumer): void {
    consumer.running = false;
    consumer.busy = false;
    consumer.cancelWork();
    if (consumer.role === 'member') return this.rebalance();
    if (consumer.connection) closeConnection(consumer.connection);
    consumer.connection = null;
  }

  /** The group's partitions exist from its first member on: their sessions keep what the group has not read. */
  private declareGroup(): void {
    this.partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({
      partition,
      clientId: `${LAB_CLIENT_PREFIX}${GROUP_NAME}/p${partition}`,
      owner: null,
      connection: null,
      revoke: new Set<() => void>(),
      unfinished: new Set<string>(),
    }));
  }

  /** Gives each partition to one running member (Kafka's rebalance); a moved partition's work in progress is given up. */
  private rebalance(): void {
    if (!this.partitions) return;
    const running = [...this.consumers.values()].filter((consumer) => consumer.role === 'member' && consumer.running).map((consumer) => consumer.name);
    const owners = assignPartitions(running, PARTITIONS);
    for (const partition of this.partitions) {
      const owner = owners[partition.partition]!;
      if (partition.owner === owner && (owner === null || partition.connection)) continue;
      this.release(partition);
      partition.owner = owner;
      if (owner) this.acquire(partition, owner);
    }
    this.changed();
  }

  private release(partition: Partition): void {
    for (const revoke of [...partition.revoke]) revoke();
    if (partition.connection) closeConnection(partition.connection);
    partition.connection = null;
  }

  private acquire(partition: Partition, ownerName: string): void {
    partition.connection = this.connect(partition.clientId, `orders/${partition.partition}`, (packet, done, connection) => {
      const owner = this.consumers.get(ownerName);
      if (!owner) return;
      void owner
        .work(async (sleep) => {
          if (!connection.open) return false;
          const seen = this.published.find(packet.topic, packet.payload.toString());
          const key = messageKey(packet);
          const again = partition.unfinished.has(key);
          remember(partition.unfinished, key);
          owner.busy = true;
          this.changed();
          const finished = await sleep(partition.revoke);
          owner.busy = false;
          if (!finished || !connection.open) return false;
          partition.unfinished.delete(key);
          owner.processed += 1;
          const backlog = await this.backlogAfter(partition.clientId);
          this.notify(connection, owner.name, {
            order: orderOf(packet),
            by: owner.name,
            via: 'broker',
            topic: packet.topic,
            group: GROUP_NAME,
            partition: partition.partition,
            whileDown: seen?.down.has(`partition:${partition.partition}`) ?? false,
            redelivered: again,
            dup: packet.dup,
            retained: packet.retain,
            queuedMs: seen ? Date.now() - seen.at : null,
            backlog,
            handledBy: handled(seen, owner.name),
            members: [...this.consumers.values()].filter((consumer) => consumer.role === 'member' && consumer.running).length,
          });
          return true;
        })
        .then(
          (finished) => {
            if (finished && connection.open) done();
            this.changed();
          },
          (error: unknown) => this.workFailed(owner, connection, error),
        );
    }, (error) => {
      const owner = this.consumers.get(ownerName);
      if (owner) owner.error = error;
      this.changed();
    });
  }

  /**
   * A persistent session (clean session off) of `clientId` on this server's own port, subscribed
   * at QoS 1 the first time (a session the broker already holds keeps its subscription).
   */
  private connect(
    clientId: string,
    filter: string,
    onMessage: (packet: IPublishPacket, done: () => void, connection: Connection) => void,
    onError: (error: Bilingual) => void,
  ): Connection | null {
    const target = this.host.target();
    if (!target) {
      onError({ en: 'The server is not listening on a TCP port, so the lab cannot connect to its broker.', ru: 'Сервер не слушает TCP-порт, и лабораторной не к чему подключиться.' });
      return null;
    }
    const client = mqtt.connect({
      host: target.host,
      port: target.port,
      protocol: 'mqtt',
      protocolVersion: 4,
      clientId,
      clean: false,
      username: `sandbox:${this.host.sandbox}`,
      // A worker busy with one message reads nothing else, PINGRESP included: no keep-alive, or it would think the broker gone.
      keepalive: 0,
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: 10_000,
    });
    const connection: Connection = { client, open: true, reading: false };
    client.handleMessage = (packet, callback) => {
      // The acknowledgement (PUBACK) leaves only once the work is done: at-least-once delivery.
      onMessage(packet, () => callback(), connection);
    };
    client.on('connect', (connack) => {
      if (connack.sessionPresent) {
        connection.reading = true;
        return this.changed();
      }
      client.subscribe(filter, { qos: 1 }, (error) => {
        if (error) this.host.warn('pipeline consumer could not subscribe', { clientId, err: error.message });
        else connection.reading = true;
        this.changed();
      });
    });
    client.on('error', (error) => {
      if (!connection.open) return;
      const code = (error as { code?: number }).code;
      onError(
        code === 3
          ? { en: 'The broker refused the connection (CONNACK 3): this session has too many MQTT connections open.', ru: 'Брокер отказал в подключении (CONNACK 3): у этой сессии слишком много открытых MQTT-соединений.' }
          : { en: `The consumer’s connection failed: ${error.message}`, ru: `Соединение потребителя оборвалось: ${error.message}` },
      );
    });
    client.on('close', () => {
      connection.reading = false;
      this.changed();
    });
    return connection;
  }

  /** The consumer's push: a notification for the order on `notifications/<name>` (not awaited: the worker's inbound stream waits for it). */
  private notify(connection: Connection | null, name: string, notification: Notification): void {
    if (!connection?.open) return;
    connection.client.publish(`${NOTIFICATIONS_PREFIX}${name}`, JSON.stringify(notification), { qos: 1 }, () => undefined);
  }

  /** Connects once with a clean session, which makes the broker discard the old one and its queue (MQTT 3.1.1 §3.1.2.4). */
  private eraseSession(clientId: string): Promise<void> {
    const target = this.host.target();
    if (!target) return Promise.resolve();
    return new Promise((resolve) => {
      const client = mqtt.connect({ host: target.host, port: target.port, protocol: 'mqtt', protocolVersion: 4, clientId, clean: true, username: `sandbox:${this.host.sandbox}`, keepalive: 0, reconnectPeriod: 0 });
      const finish = () => client.end(true, {}, () => resolve());
      client.once('connect', finish);
      client.once('error', finish);
    });
  }
}

/** Notes that `name` finished the order; who has so far (just `name` for an order the lab never saw published). */
function handled(seen: PublishedOrder | undefined, name: string): string[] {
  if (!seen) return [name];
  if (!seen.handledBy.includes(name)) seen.handledBy.push(name);
  return [...seen.handledBy];
}

/** Orders begun and not finished that a consumer remembers; past it the oldest are forgotten (a removed session's never come back). */
const MAX_UNFINISHED = 1000;

function remember(unfinished: Set<string>, key: string): void {
  unfinished.add(key);
  if (unfinished.size > MAX_UNFINISHED) unfinished.delete(unfinished.values().next().value as string);
}

/** How the lab recognises one message across deliveries. */
function messageKey(packet: IPublishPacket): string {
  return `${packet.topic}\u0000${packet.payload.toString()}`;
}

function closeConnection(connection: Connection): void {
  connection.open = false;
  // Forced: whatever the consumer received and did not finish stays unacknowledged in the broker.
  connection.client.end(true);
}

/** The order as the publisher sent it: its JSON when it is JSON, else the text. */
function orderOf(packet: IPublishPacket): unknown {
  const text = packet.payload.toString();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
