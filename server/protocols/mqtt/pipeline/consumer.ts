import type { Bilingual } from '../../../../shared/bilingual.ts';
import type { IPublishPacket } from 'mqtt';
import type { BrokerLink } from './broker-link.ts';
import type { PublishedOrder } from './publish-log.ts';
import { LAB_CLIENT_PREFIX } from './limits.ts';
import type { ConsumerRole } from '../../../../contracts/pipeline-lab/state.ts';

export type { ConsumerRole };

/** A consumer's work: one order at a time, each taking the consumer's delay; stop cancels what waits. */
export class Consumer {
  delayMs = 0;
  running = false;
  busy = false;
  processed = 0;
  dropped = 0;
  /** what is wrong now (its connection lost, its work failed), in both languages */
  error: Bilingual | null = null;
  /** what the lab did by itself (reconnected, restarted), until the consumer is started or stopped by hand */
  notice: Bilingual | null = null;
  /** a subscriber's session; members read through their partitions' links */
  link: BrokerLink | null = null;
  /** a restart after a failure, pending (cancelled by a stop by hand) */
  restartTimer: NodeJS.Timeout | null = null;
  /** the next pause before a restart after a failure, doubled each time */
  restartMs = 1_000;
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
export interface Partition {
  partition: number;
  clientId: string;
  owner: string | null;
  link: BrokerLink | null;
  /** jobs of this partition in progress, cancelled when the partition moves to another member */
  readonly revoke: Set<() => void>;
  /** orders of this partition begun by some member and never acknowledged */
  readonly unfinished: Set<string>;
}

/** Notes that `name` finished the order; who has so far (just `name` for an order the lab never saw published). */
export function handled(seen: PublishedOrder | undefined, name: string): string[] {
  if (!seen) return [name];
  if (!seen.handledBy.includes(name)) seen.handledBy.push(name);
  return [...seen.handledBy];
}

/** Orders begun and not finished that a consumer remembers; past it the oldest are forgotten (a removed session's never come back). */
const MAX_UNFINISHED = 1000;

export function remember(unfinished: Set<string>, key: string): void {
  unfinished.add(key);
  if (unfinished.size > MAX_UNFINISHED) unfinished.delete(unfinished.values().next().value as string);
}

/** How the lab recognises one message across deliveries. */
export function messageKey(packet: IPublishPacket): string {
  return `${packet.topic}\u0000${packet.payload.toString()}`;
}
