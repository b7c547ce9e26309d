import type { IPublishPacket } from 'mqtt';
import { assignPartitions } from './partition-assignment.ts';
import { PublishLog } from './publish-log.ts';
import { BrokerLink, eraseSession, type BrokerTarget, type Connection, type LinkEvent } from './broker-link.ts';
import { Consumer, handled, messageKey, remember, type ConsumerRole, type Partition } from './consumer.ts';
import { directNotification, notificationPayload, notificationTopic, orderOf, type Notification } from './notification.ts';
import { pipelineMessages as text } from './messages.ts';
import { GROUP_NAME, LAB_CLIENT_PREFIX, NOTIFIER, ORDERS_FILTER, PARTITIONS, type PipelineLimits } from './limits.ts';

import type { ConsumerState, LabState, PartitionState } from '../../../../contracts/pipeline-lab/state.ts';

export type { ConsumerRole, ConsumerState, LabState, Notification, PartitionState } from '../../../../contracts/pipeline-lab/state.ts';

/** What a lab needs from the server around it. */
export interface LabHost extends BrokerTarget {
  /** QoS 1 messages the broker holds for a lab client id (queued and not yet acknowledged) */
  countBacklog(clientId: string): Promise<number>;
  limits: PipelineLimits;
  /** the broker's packet limit (remaining length): a notification must fit in one */
  maxPacketBytes: number;
  warn(message: string, details: Record<string, unknown>): void;
}

/**
 * The revision of the last state begun, for every lab of this process: a lab put to sleep and
 * woken again goes on counting, so a page never takes the new lab's states for older ones.
 */
let lastRevision = 0;

/** A consumer restarted after a failure waits this long at most. */
const MAX_RESTART_MS = 30_000;

/** Where a delivery is worked on: a subscriber's own session, or a group partition its owner holds. */
interface Delivery {
  packet: IPublishPacket;
  connection: Connection;
  done: () => void;
  /** the session the message came from: its backlog is told, its begun orders remembered */
  clientId: string;
  unfinished: Set<string>;
  /** the key of `down` in the publish log: the consumer's name, or `partition:<n>` */
  downKey: string;
  revoke?: Set<() => void>;
  partition?: number;
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

  /** Adds a consumer (running, no delay) or changes one. A start or stop by hand clears what the lab did by itself. */
  upsert(name: string, role: ConsumerRole, change: { running?: boolean; delayMs?: number }): void {
    let consumer = this.consumers.get(name);
    if (!consumer) {
      consumer = new Consumer(name, role);
      this.consumers.set(name, consumer);
      if (role === 'member' && !this.partitions) this.declareGroup();
      change = { ...change, running: change.running ?? true };
    }
    if (change.delayMs !== undefined) consumer.delayMs = change.delayMs;
    if (change.running !== undefined) {
      consumer.notice = null;
      consumer.restartMs = 1_000;
    }
    if (change.running === true && !consumer.running) this.start(consumer);
    if (change.running === false && (consumer.running || consumer.restartTimer)) this.stop(consumer);
    this.changed();
  }

  /** Removes a consumer: a subscriber's session is erased with its queue; a member leaves the group. */
  async remove(name: string): Promise<void> {
    const consumer = this.consumers.get(name);
    if (!consumer) return;
    this.stop(consumer);
    this.consumers.delete(name);
    if (consumer.clientId) await eraseSession(this.host, consumer.clientId);
    this.changed();
  }

  /**
   * Back to the start ("reset my data"): every consumer but the notifier removed with its session,
   * the group's partitions erased, the notifier running without delay on a fresh session.
   */
  async reset(): Promise<void> {
    for (const name of [...this.consumers.keys()]) if (name !== NOTIFIER) await this.remove(name);
    for (const partition of this.partitions ?? []) await eraseSession(this.host, partition.clientId);
    this.partitions = null;
    const notifier = this.consumers.get(NOTIFIER)!;
    this.stop(notifier);
    await eraseSession(this.host, notifier.clientId!);
    Object.assign(notifier, { delayMs: 0, processed: 0, dropped: 0, error: null, notice: null, restartMs: 1_000 });
    notifier.unfinished.clear();
    if (!this.closed) this.start(notifier);
    this.changed();
  }

  /**
   * The direct call: the notifier does the work now, while the caller waits. null: it is not
   * running; 'reconnecting': it lost its connection to the broker and waits to try again. The caller has checked that the notification fits the broker's packet limit.
   */
  async callNotifier(order: unknown): Promise<{ notification: Notification; waitedMs: number } | null | 'reconnecting'> {
    const notifier = this.consumers.get(NOTIFIER)!;
    if (!notifier.running) return null;
    // Between a lost connection and the next attempt it could do the job but not push its notification.
    if (!notifier.link?.current?.open) return 'reconnecting';
    const started = Date.now();
    // A direct call runs beside the queue's work, as another request thread of the service would.
    const done = await notifier.sleep();
    if (!done) return null;
    notifier.processed += 1;
    const notification = directNotification(order, NOTIFIER);
    this.notify(notifier.link?.current ?? null, notification, 0);
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

  /**
   * The lab as it is now, read from the lab and the broker's store. Its revision is taken before
   * anything is read: of two states, the one begun later has the higher revision, whichever is
   * finished first (the store is asked asynchronously) and whichever way it reaches the page.
   */
  async state(): Promise<LabState> {
    const revision = ++lastRevision;
    const consumers: Record<string, ConsumerState> = {};
    const partitions: PartitionState[] = [];
    for (const partition of this.partitions ?? []) {
      partitions.push({
        partition: partition.partition,
        topic: `orders/${partition.partition}`,
        clientId: partition.clientId,
        owner: partition.owner,
        reading: partition.link?.reading === true,
        backlog: await this.host.countBacklog(partition.clientId),
      });
    }
    for (const consumer of this.consumers.values()) {
      const owned = partitions.filter((partition) => partition.owner === consumer.name);
      consumers[consumer.name] = {
        role: consumer.role,
        clientId: consumer.clientId,
        running: consumer.running,
        connected: consumer.role === 'subscriber' ? consumer.link?.reading === true : owned.length > 0 && owned.every((partition) => partition.reading),
        busy: consumer.busy,
        delayMs: consumer.delayMs,
        processed: consumer.processed,
        backlog: consumer.clientId ? await this.host.countBacklog(consumer.clientId) : owned.reduce((sum, partition) => sum + partition.backlog, 0),
        dropped: consumer.dropped,
        ...(consumer.role === 'member' ? { partitions: owned.map((partition) => partition.partition) } : {}),
        error: consumer.error,
        notice: consumer.notice,
      };
    }
    const limits = this.host.limits;
    return {
      sandbox: this.host.sandbox,
      revision,
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
   * A consumer whose work failed stops, as a crashed worker would: its order is not acknowledged,
   * so the broker gives it again. Like a supervised service it is started again by itself after a
   * pause (1 s, doubled each failure up to 30 s: an order that fails every time does not spin).
   */
  private workFailed(consumer: Consumer, connection: Connection, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.host.warn('pipeline consumer work failed', { consumer: consumer.name, err: reason });
    // stopped or restarted meanwhile: the order is already back with the broker
    if (this.closed || !connection.open || !this.consumers.has(consumer.name)) return;
    this.stop(consumer);
    const pause = consumer.restartMs;
    consumer.restartMs = Math.min(MAX_RESTART_MS, pause * 2);
    consumer.error = text.workFailed(reason, pause);
    consumer.restartTimer = setTimeout(() => {
      consumer.restartTimer = null;
      if (this.closed || this.consumers.get(consumer.name) !== consumer) return;
      this.start(consumer);
      consumer.notice = text.restarted(reason);
      this.changed();
    }, pause);
    consumer.restartTimer.unref();
    this.changed();
  }

  /** What a consumer's link tells: lost (and when it tries again), reading, or back by itself. */
  private linkEvent(consumer: Consumer, event: LinkEvent): void {
    if (event.kind === 'lost') consumer.error = text.connectionLost(event.reason, event.retryInMs);
    if (event.kind === 'reading' || event.kind === 'recovered') consumer.error = null;
    if (event.kind === 'recovered') consumer.notice = text.reconnected(event.reason);
    this.changed();
  }

  private start(consumer: Consumer): void {
    consumer.running = true;
    consumer.error = null;
    if (consumer.role === 'member') {
      this.rebalance();
      return;
    }
    const clientId = consumer.clientId!;
    consumer.link = new BrokerLink(this.host, {
      clientId,
      filter: ORDERS_FILTER,
      onMessage: (packet, done, connection) =>
        this.consume(consumer, { packet, connection, done, clientId, unfinished: consumer.unfinished, downKey: consumer.name }),
      onEvent: (event) => this.linkEvent(consumer, event),
    });
  }

  private stop(consumer: Consumer): void {
    consumer.running = false;
    consumer.busy = false;
    consumer.cancelWork();
    if (consumer.restartTimer) clearTimeout(consumer.restartTimer);
    consumer.restartTimer = null;
    if (consumer.role === 'member') {
      this.rebalance();
      return;
    }
    consumer.link?.close();
    consumer.link = null;
  }

  /** One delivered order, worked on by `consumer` after the orders before it; acknowledged only when finished. */
  private consume(consumer: Consumer, delivery: Delivery): void {
    const { packet, connection } = delivery;
    void consumer
      .work(async (sleep) => {
        if (!connection.open) return false;
        const seen = this.published.find(packet.topic, packet.payload.toString());
        const key = messageKey(packet);
        const again = delivery.unfinished.has(key);
        remember(delivery.unfinished, key);
        consumer.busy = true;
        this.changed();
        const finished = await sleep(delivery.revoke);
        consumer.busy = false;
        if (!finished || !connection.open) return false;
        delivery.unfinished.delete(key);
        consumer.processed += 1;
        const backlog = await this.backlogAfter(delivery.clientId);
        const member = delivery.partition !== undefined;
        this.notify(
          connection,
          {
            order: orderOf(packet),
            by: consumer.name,
            via: 'broker',
            topic: packet.topic,
            ...(member ? { group: GROUP_NAME, partition: delivery.partition } : {}),
            whileDown: seen?.down.has(delivery.downKey) ?? false,
            redelivered: again,
            dup: packet.dup,
            retained: packet.retain,
            queuedMs: seen ? Date.now() - seen.at : null,
            backlog,
            handledBy: handled(seen, consumer.name),
            ...(member ? { members: [...this.consumers.values()].filter((other) => other.role === 'member' && other.running).length } : {}),
          },
          packet.payload.length,
        );
        return true;
      })
      .then(
        (finished) => {
          // Unfinished work is never acknowledged: the broker keeps the message for the next start.
          if (finished && connection.open) delivery.done();
          this.changed();
        },
        (error: unknown) => this.workFailed(consumer, connection, error),
      );
  }

  /** The group's partitions exist from its first member on: their sessions keep what the group has not read. */
  private declareGroup(): void {
    this.partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({
      partition,
      clientId: `${LAB_CLIENT_PREFIX}${GROUP_NAME}/p${partition}`,
      owner: null,
      link: null,
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
      if (partition.owner === owner && (owner === null || partition.link)) continue;
      this.release(partition);
      partition.owner = owner;
      if (owner) this.acquire(partition, owner);
    }
    this.changed();
  }

  private release(partition: Partition): void {
    for (const revoke of [...partition.revoke]) revoke();
    partition.link?.close();
    partition.link = null;
  }

  private acquire(partition: Partition, ownerName: string): void {
    const clientId = partition.clientId;
    partition.link = new BrokerLink(this.host, {
      clientId,
      filter: `orders/${partition.partition}`,
      onMessage: (packet, done, connection) => {
        const owner = this.consumers.get(ownerName);
        if (!owner) return;
        this.consume(owner, {
          packet,
          connection,
          done,
          clientId,
          unfinished: partition.unfinished,
          downKey: `partition:${partition.partition}`,
          revoke: partition.revoke,
          partition: partition.partition,
        });
      },
      onEvent: (event) => {
        const owner = this.consumers.get(ownerName);
        if (owner) this.linkEvent(owner, event);
      },
    });
  }

  /**
   * The consumer's push: a notification for the order on `notifications/<name>` (not awaited: the
   * worker's inbound stream waits for it). An order too large to go with it in one packet is left
   * out and its size told instead: a PUBLISH past the broker's limit would close the connection.
   */
  private notify(connection: Connection | null, notification: Notification, orderBytes: number): void {
    if (!connection?.open) return;
    const payload = notificationPayload(notification, orderBytes, this.host.maxPacketBytes);
    connection.client.publish(notificationTopic(notification.by), payload, { qos: 1 }, () => undefined);
  }
}
