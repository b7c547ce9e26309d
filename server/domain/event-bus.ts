import type { DomainEventType } from './event-types.ts';
import type { Comment, Post, User } from './types.ts';

export { DOMAIN_EVENT_TYPES, type DomainEventType } from './event-types.ts';

export interface DomainEvent {
  /**
   * Monotonic across the whole process (across every instance when the bus is relayed), so a
   * replay can resume after any id it saw.
   */
  id: number;
  type: DomainEventType;
  sandboxId: string;
  /** ISO 8601 */
  at: string;
  /** The entity after the change; `{ id }` for deletions and for a reset (the sandbox id). */
  data: User | Post | Comment | { id: number } | { id: string };
}

export type DomainEventListener = (event: DomainEvent) => void;

/** An event as made, before whoever numbers the events of the deployment gave it its id. */
export type UnnumberedEvent = Omit<DomainEvent, 'id'>;

/**
 * What numbers and spreads the events of a bus shared by several instances (server/scale/
 * event-relay.ts, on Redis). `send` takes an event made here; the relay hands every event of the
 * deployment, this instance's included, back to `EventBus.deliver` in id order.
 */
export interface EventRelay {
  send(event: UnnumberedEvent): void;
}

export interface SubscribeOptions {
  /** Only events of this sandbox; absent: every sandbox. */
  sandboxId?: string;
  /**
   * Only events made by this process, not those other instances relayed through Redis: for a
   * mirror into something already shared between instances (the MQTT broker on Redis), which
   * would otherwise get every event once per instance.
   */
  localOnly?: boolean;
}

/** Events kept for replay per sandbox: one sandbox's burst never pushes another's events out. */
export const RECENT_EVENTS_KEPT = 1000;
/**
 * Events kept for replay on the whole server, every sandbox together (a few hundred bytes each):
 * past it, the sandbox keeping the most gives up its oldest, so a flood in one sandbox costs that
 * sandbox its history, not a quiet one.
 */
export const RECENT_EVENTS_KEPT_TOTAL = 20_000;

export interface ReplayBufferLimits {
  perSandbox: number;
  total: number;
}

/** One sandbox's recent events, and the newest of its events that has been dropped from them. */
interface SandboxEvents {
  events: DomainEvent[];
  /** id of the newest event of this sandbox no longer kept (0: none dropped) */
  droppedThrough: number;
}

// Shared by every bus of the process: two domains in one process (tests) never reuse an id.
let lastEventId = 0;

/**
 * The domain's event bus: every change of the domain goes through `emit`. Alone (one process)
 * it numbers events itself and delivers them at once. Relayed (`relayThrough`, several instances
 * on Redis) it hands them to the relay, which numbers them for the whole deployment and brings
 * every instance's events back through `deliver`.
 */
export class EventBus {
  private readonly listeners = new Set<{ listener: DomainEventListener; sandboxId?: string; localOnly: boolean }>();
  private readonly recent = new Map<string, SandboxEvents>();
  private keptTotal = 0;
  private newestId = 0;
  /** Events up to this id never reached this bus (it joined later, or the relay lost some). */
  private missedThroughId = 0;
  private relay: EventRelay | null = null;
  private readonly limits: ReplayBufferLimits;

  /** `keep`: events kept per sandbox (a number), or both limits. */
  constructor(keep: number | Partial<ReplayBufferLimits> = {}) {
    const given = typeof keep === 'number' ? { perSandbox: keep } : keep;
    this.limits = { perSandbox: RECENT_EVENTS_KEPT, total: RECENT_EVENTS_KEPT_TOTAL, ...given };
  }

  subscribe(listener: DomainEventListener, options: SubscribeOptions = {}): () => void {
    const entry = { listener, sandboxId: options.sandboxId, localOnly: options.localOnly === true };
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Recent events after `afterId` (oldest first), of one sandbox (its last `perSandbox`) or of all. */
  since(afterId: number, sandboxId?: string): DomainEvent[] {
    if (sandboxId !== undefined) return (this.recent.get(sandboxId)?.events ?? []).filter((e) => e.id > afterId);
    const all: DomainEvent[] = [];
    for (const { events } of this.recent.values()) for (const e of events) if (e.id > afterId) all.push(e);
    return all.sort((a, b) => a.id - b.id);
  }

  /**
   * The id of the newest event of this sandbox that is no longer kept (0: none was dropped): a
   * client that saw less than it may have missed some of the sandbox's events.
   */
  droppedThrough(sandboxId: string): number {
    return this.recent.get(sandboxId)?.droppedThrough ?? 0;
  }

  /**
   * Events up to this id never reached this bus, whatever their sandbox (0: none): relayed, it
   * joined the deployment after them, or the relay lost some while Redis was unreachable.
   */
  get missedThrough(): number {
    return this.missedThroughId;
  }

  /** The id of the newest event emitted (relayed: received) so far (0 before the first). */
  get lastId(): number {
    return this.newestId;
  }

  /** Events kept for replay, every sandbox together. */
  get keptCount(): number {
    return this.keptTotal;
  }

  /** A deleted sandbox's history goes with it. */
  forget(sandboxId: string): void {
    const buffer = this.recent.get(sandboxId);
    if (!buffer) return;
    this.keptTotal -= buffer.events.length;
    this.recent.delete(sandboxId);
  }

  /**
   * Announces a change. Alone: numbers the event, delivers it to every listener before returning,
   * and returns it. Relayed: hands it to the relay and returns null; the event reaches the
   * listeners (with its id) when the relay brings it back, as every instance's events do.
   * The domain uses nothing of the returned event.
   */
  emit(type: DomainEventType, sandboxId: string, data: DomainEvent['data']): DomainEvent | null {
    const at = new Date().toISOString();
    if (this.relay) {
      this.relay.send({ type, sandboxId, at, data });
      return null;
    }
    const event: DomainEvent = { id: ++lastEventId, type, sandboxId, at, data };
    this.fanOut(event, true);
    return event;
  }

  /**
   * From now on events are numbered and spread by `relay`. `newestId`: the newest id the
   * deployment had issued when this bus joined it; events up to it never reach this bus.
   */
  relayThrough(relay: EventRelay, newestId: number): void {
    this.relay = relay;
    this.newestId = Math.max(this.newestId, newestId);
    this.missed(newestId);
  }

  /**
   * An event the relay numbered (made here when `madeHere`, else on another instance): kept for
   * replay and given to the listeners (localOnly ones only when made here). Ids must come in
   * increasing order; an older one is refused (returns false).
   */
  deliver(event: DomainEvent, madeHere: boolean): boolean {
    if (event.id <= this.newestId) return false;
    this.fanOut(event, madeHere);
    return true;
  }

  /** Events up to `throughId` never reached this bus (see `missedThrough`). */
  missed(throughId: number): void {
    this.missedThroughId = Math.max(this.missedThroughId, throughId);
  }

  private fanOut(event: DomainEvent, madeHere: boolean): void {
    this.newestId = event.id;
    this.keep(event);
    for (const { listener, sandboxId: only, localOnly } of [...this.listeners]) {
      if (only !== undefined && only !== event.sandboxId) continue;
      if (localOnly && !madeHere) continue;
      try {
        listener(event);
      } catch (error) {
        // A broken subscriber (say, a closed socket) must not undo a change that already happened.
        process.emitWarning(`domain event listener failed: ${String(error)}`, 'WirelabEventListenerWarning');
      }
    }
  }

  private keep(event: DomainEvent): void {
    let buffer = this.recent.get(event.sandboxId);
    if (!buffer) this.recent.set(event.sandboxId, (buffer = { events: [], droppedThrough: 0 }));
    buffer.events.push(event);
    this.keptTotal += 1;
    if (buffer.events.length > this.limits.perSandbox) this.dropOldest(buffer);
    if (this.keptTotal > this.limits.total) {
      let fullest = buffer;
      for (const other of this.recent.values()) if (other.events.length > fullest.events.length) fullest = other;
      this.dropOldest(fullest);
    }
  }

  private dropOldest(buffer: SandboxEvents): void {
    const dropped = buffer.events.shift();
    if (!dropped) return;
    buffer.droppedThrough = dropped.id;
    this.keptTotal -= 1;
  }
}
