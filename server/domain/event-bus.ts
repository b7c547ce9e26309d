import type { DomainEventType } from './event-types.ts';
import type { Comment, Post, User } from './types.ts';

export { DOMAIN_EVENT_TYPES, type DomainEventType } from './event-types.ts';

export interface DomainEvent {
  /** Monotonic across the whole process, so a replay can resume after any id it saw. */
  id: number;
  type: DomainEventType;
  sandboxId: string;
  /** ISO 8601 */
  at: string;
  /** The entity after the change; `{ id }` for deletions and for a reset (the sandbox id). */
  data: User | Post | Comment | { id: number } | { id: string };
}

export type DomainEventListener = (event: DomainEvent) => void;

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

/** The one in-process event bus: every change of the domain goes through `emit`. */
export class EventBus {
  private readonly listeners = new Set<{ listener: DomainEventListener; sandboxId?: string }>();
  private readonly recent = new Map<string, SandboxEvents>();
  private keptTotal = 0;
  private newestId = 0;
  private readonly limits: ReplayBufferLimits;

  /** `keep`: events kept per sandbox (a number), or both limits. */
  constructor(keep: number | Partial<ReplayBufferLimits> = {}) {
    const given = typeof keep === 'number' ? { perSandbox: keep } : keep;
    this.limits = { perSandbox: RECENT_EVENTS_KEPT, total: RECENT_EVENTS_KEPT_TOTAL, ...given };
  }

  subscribe(listener: DomainEventListener, options: SubscribeOptions = {}): () => void {
    const entry = { listener, sandboxId: options.sandboxId };
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

  /** The id of the newest event emitted so far (0 before the first). */
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

  emit(type: DomainEventType, sandboxId: string, data: DomainEvent['data']): DomainEvent {
    const event: DomainEvent = { id: ++lastEventId, type, sandboxId, at: new Date().toISOString(), data };
    this.newestId = event.id;
    this.keep(event);
    for (const { listener, sandboxId: only } of [...this.listeners]) {
      if (only !== undefined && only !== sandboxId) continue;
      try {
        listener(event);
      } catch (error) {
        // A broken subscriber (say, a closed socket) must not undo a change that already happened.
        process.emitWarning(`domain event listener failed: ${String(error)}`, 'WirelabEventListenerWarning');
      }
    }
    return event;
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
