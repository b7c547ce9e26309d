/** What the lab saw of one order when the broker accepted it. */
export interface PublishedOrder {
  at: number;
  /** consumers (and `partition:<n>` of the group) that were down then: the order waits for them */
  down: ReadonlySet<string>;
  /** consumers that finished this order so far, in the order they did */
  handledBy: string[];
}

/**
 * The orders the broker accepted, as the lab saw them go by (`publish` events of aedes), so a
 * consumer can say how long an order waited and whether it arrived while the consumer was down.
 * Keyed by topic and payload; the oldest are forgotten past `max`.
 */
export class PublishLog {
  private readonly orders = new Map<string, PublishedOrder[]>();
  private size = 0;

  constructor(private readonly max: number) {}

  record(topic: string, payload: string, order: PublishedOrder): void {
    const key = `${topic}\u0000${payload}`;
    const list = this.orders.get(key) ?? [];
    list.push(order);
    this.orders.set(key, list);
    if (++this.size > this.max) this.forgetOldest();
  }

  /** The oldest record of this order, or undefined for one the lab never saw (e.g. published before it started). */
  find(topic: string, payload: string): PublishedOrder | undefined {
    return this.orders.get(`${topic}\u0000${payload}`)?.[0];
  }

  private forgetOldest(): void {
    const [key, list] = this.orders.entries().next().value as [string, PublishedOrder[]];
    list.shift();
    if (list.length === 0) this.orders.delete(key);
    this.size -= 1;
  }
}
