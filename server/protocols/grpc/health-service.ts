import { EventEmitter, on } from 'node:events';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { Health, HealthCheckResponse_ServingStatus as Status } from '../../../proto/gen/grpc/health/v1/health_pb.ts';
import { sandboxKey } from './context.ts';

/**
 * The serving status of the server ("") and of each service, as grpc.health.v1 reports it.
 * Everything is SERVING while the server runs; on shutdown (preClose) everything turns
 * NOT_SERVING first, so watchers and load balancers see the drain before connections close.
 */
export class HealthStatuses {
  private readonly statuses = new Map<string, Status>();
  private readonly changes = new EventEmitter();

  constructor(services: string[]) {
    this.changes.setMaxListeners(0);
    for (const name of ['', ...services]) this.statuses.set(name, Status.SERVING);
  }

  get(service: string): Status | undefined {
    return this.statuses.get(service);
  }

  all(): ReadonlyMap<string, Status> {
    return this.statuses;
  }

  set(service: string, status: Status): void {
    if (this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    this.changes.emit('change', service, status);
  }

  /** Calls the listener on every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  setAll(status: Status): void {
    for (const service of this.statuses.keys()) this.set(service, status);
  }

  /** The status now, then every change, until the signal aborts. */
  async *watch(service: string, signal: AbortSignal): AsyncGenerator<Status> {
    // Subscribe before reading the current status: no change can slip in between.
    const changes = on(this.changes, 'change', { signal });
    let last = this.statuses.get(service) ?? Status.SERVICE_UNKNOWN;
    yield last;
    try {
      for await (const [changed, status] of changes as AsyncIterable<[string, Status]>) {
        if (changed !== service || status === last) continue;
        last = status;
        yield status;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }
}

/** The statuses as one sandbox sees them (sandbox-lifecycle.ts: a student's own drain). */
export interface HealthView {
  get(sandbox: string, service: string): Status | undefined;
  all(sandbox: string): ReadonlyMap<string, Status>;
  watch(sandbox: string, service: string, signal: AbortSignal): AsyncGenerator<Status>;
}

/** grpc.health.v1.Health over the statuses, as the caller's sandbox sees them. */
export function healthService(statuses: HealthView): ServiceImpl<typeof Health> {
  return {
    check(request, ctx) {
      const status = statuses.get(ctx.values.get(sandboxKey), request.service);
      if (status === undefined) throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      return { status };
    },
    list(_request, ctx) {
      return { statuses: Object.fromEntries([...statuses.all(ctx.values.get(sandboxKey))].map(([name, status]) => [name, { status }])) };
    },
    async *watch(request, ctx) {
      for await (const status of statuses.watch(ctx.values.get(sandboxKey), request.service, ctx.signal)) yield { status };
      // A watch only ends when the call is aborted: end it with that reason (the server's
      // shutdown is UNAVAILABLE), never with OK, or a client would take it for a normal end.
      ctx.signal.throwIfAborted();
    },
  };
}
