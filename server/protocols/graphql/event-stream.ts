import type { DomainEvent, EventBus } from '../../domain/index.ts';

/** The error a subscription ends with when its subscriber falls too far behind. */
export class SubscriberTooSlowError extends Error {
  constructor(readonly queued: number) {
    super(`more than ${queued} events were waiting for this subscriber`);
  }
}

/**
 * The domain events of one sandbox as an async iterator, mapped by `select` (undefined skips
 * an event). Subscribes at once, so nothing emitted after this call is missed; `return()`
 * unsubscribes. At most `maxQueued` events wait for a slow consumer: one more ends the
 * iteration with SubscriberTooSlowError rather than letting memory grow.
 */
export function domainEventStream<T>(
  bus: EventBus,
  sandboxId: string,
  select: (event: DomainEvent) => T | undefined,
  maxQueued: number,
  onEnd: () => void = () => {},
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void } | null = null;
  let failure: Error | null = null;
  let ended = false;

  const end = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    onEnd();
  };

  const unsubscribe = bus.subscribe(
    (event) => {
      if (ended) return;
      const value = select(event);
      if (value === undefined) return;
      if (waiting) {
        const { resolve } = waiting;
        waiting = null;
        resolve({ value, done: false });
        return;
      }
      if (queue.length >= maxQueued) {
        failure = new SubscriberTooSlowError(maxQueued);
        queue.length = 0;
        end();
        return;
      }
      queue.push(value);
    },
    { sandboxId },
  );

  return {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift() as T, done: false });
      if (failure) {
        const error = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      end();
      queue.length = 0;
      if (waiting) {
        waiting.resolve({ value: undefined, done: true });
        waiting = null;
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
