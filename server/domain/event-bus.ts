import type { Comment, Post, User } from './types.ts';

/** Every kind of change the domain announces (the AsyncAPI document lists its channels from this). */
export const DOMAIN_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'post.created',
  'post.updated',
  'post.deleted',
  'comment.created',
  'sandbox.reset',
] as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

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
}

export const RECENT_EVENTS_KEPT = 1000;

// Shared by every bus of the process: two domains in one process (tests) never reuse an id.
let lastEventId = 0;

/** The one in-process event bus: every change of the domain goes through `emit`. */
export class EventBus {
  private readonly listeners = new Set<{ listener: DomainEventListener; sandboxId?: string }>();
  private readonly recent: DomainEvent[] = [];

  constructor(private readonly keep: number = RECENT_EVENTS_KEPT) {}

  subscribe(listener: DomainEventListener, options: SubscribeOptions = {}): () => void {
    const entry = { listener, sandboxId: options.sandboxId };
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Recent events after `afterId` (oldest first), of one sandbox or of all; at most the last `keep`. */
  since(afterId: number, sandboxId?: string): DomainEvent[] {
    return this.recent.filter((e) => e.id > afterId && (sandboxId === undefined || e.sandboxId === sandboxId));
  }

  /** The id of the newest event emitted so far (0 before the first). */
  get lastId(): number {
    return this.recent.at(-1)?.id ?? 0;
  }

  emit(type: DomainEventType, sandboxId: string, data: DomainEvent['data']): DomainEvent {
    const event: DomainEvent = { id: ++lastEventId, type, sandboxId, at: new Date().toISOString(), data };
    this.recent.push(event);
    if (this.recent.length > this.keep) this.recent.shift();
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
}
