// The capture store's `waitForExchange`: who waits for which request, settled whenever listeners
// are told of new captures, or with null at its timeout.
import type { HttpExchange } from '../../wire/types.ts';
import type { InspectedExchange, WaitForExchange } from './capture-types.ts';

interface Waiter {
  query: WaitForExchange;
  resolve: (exchange: HttpExchange | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class ExchangeWaiters {
  private readonly waiters = new Set<Waiter>();

  /** `exchanges`: the store's, newest last (asked only while someone waits) */
  constructor(private readonly exchanges: () => InspectedExchange[]) {}

  /**
   * Resolves with the first exchange of that method and target whose request's first byte came
   * at or after `after`, once its response is complete; with null after `timeoutMs`.
   */
  wait(query: WaitForExchange): Promise<HttpExchange | null> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        query: { ...query, method: query.method.toUpperCase(), target: originForm(query.target) },
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(null);
        }, query.timeoutMs),
      };
      this.waiters.add(waiter);
      this.settle();
    });
  }

  settle(): void {
    if (this.waiters.size === 0) return;
    const exchanges = this.exchanges();
    for (const waiter of this.waiters) {
      const { method, target, after } = waiter.query;
      const first = exchanges.find(
        (exchange) => exchange.request.method === method && exchange.request.target === target && exchange.request.firstByteAt >= after,
      );
      if (!first?.response?.complete) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(first);
    }
  }
}

function originForm(target: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target;
  const url = new URL(target);
  return `${url.pathname}${url.search}`;
}
