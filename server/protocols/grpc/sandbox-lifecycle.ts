import type http2 from 'node:http2';
import { create } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type Interceptor, type ServiceImpl } from '@connectrpc/connect';
import { ErrorInfoSchema, LocalizedMessageSchema, RetryInfoSchema } from '../../../proto/gen/google/rpc/error_details_pb.ts';
import { Health, HealthCheckResponse_ServingStatus as Status } from '../../../proto/gen/grpc/health/v1/health_pb.ts';
import { ServerReflection as ReflectionV1 } from '../../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import { ServerReflection as ReflectionV1alpha } from '../../../proto/gen/grpc/reflection/v1alpha/reflection_pb.ts';
import { LifecycleService } from '../../../proto/gen/wirelab/lab/v1/lifecycle_pb.ts';
import { ValidationError } from '../../domain/index.ts';
import { SHARED_SANDBOX } from '../../session/session-id.ts';
import { sandboxKey } from './context.ts';
import { ERROR_DOMAIN } from './connect-error-of.ts';
import type { HealthStatuses, HealthView } from './health-service.ts';

/** LifecycleService's bounds (README.md, "Limits"). */
export const LIFECYCLE_LIMITS = {
  /** in-flight streams may run this long after GOAWAY when the request says 0. @default 10_000 */
  defaultGraceMs: 10_000,
  /** @default 30_000 */
  maxGraceMs: 30_000,
  /** the sandbox's server is "down" this long when the request says 0. @default 20_000 */
  defaultRestartAfterMs: 20_000,
  /** @default 1000 */
  minRestartAfterMs: 1000,
  /** @default 60_000 */
  maxRestartAfterMs: 60_000,
  /** per-sandbox serving statuses kept (all sandboxes); the oldest go first. @default 10_000 */
  statusOverrides: 10_000,
};

/** Calls a server in shutdown still answers: health reports the drain, reflection describes it. */
const ANSWERED_WHILE_DOWN = new Set([Health.typeName, ReflectionV1.typeName, ReflectionV1alpha.typeName]);

function invalid(field: string, message: string): ValidationError {
  return new ValidationError([{ field, message }]);
}

/**
 * Each sandbox's own view of the gRPC server's lifecycle, so a student can shut "their" server
 * down gracefully while the real one keeps serving everybody else: per-sandbox serving statuses
 * over the server's own (grpc.health.v1 reads them through this), the HTTP/2 connections that
 * carried the sandbox's calls (they get the GOAWAY), and the sandboxes whose server is "down".
 */
export class SandboxLifecycle implements HealthView {
  private readonly sessions = new Map<string, Set<http2.Http2Session>>();
  private readonly overrides = new Map<string, Status>();
  private readonly restartAt = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly server: HealthStatuses) {
    server.subscribe(() => this.notify());
  }

  /** Remembers the HTTP/2 connection a call of this sandbox arrived on (HTTP/1.1 calls have none). */
  track(sandbox: string, raw: object): void {
    if (sandbox === SHARED_SANDBOX || !('stream' in raw)) return;
    const session = (raw as http2.Http2ServerRequest).stream.session;
    if (!session || session.closed || session.destroyed) return;
    let set = this.sessions.get(sandbox);
    if (set?.has(session)) return;
    if (!set) this.sessions.set(sandbox, (set = new Set()));
    set.add(session);
    session.once('close', () => {
      set.delete(session);
      if (set.size === 0 && this.sessions.get(sandbox) === set) this.sessions.delete(sandbox);
    });
  }

  /** The server's status wins when it is not SERVING (the real server is draining); else the sandbox's. */
  get(sandbox: string, service: string): Status | undefined {
    const server = this.server.get(service);
    if (server !== Status.SERVING) return server;
    return this.overrides.get(`${sandbox}\u0000${service}`) ?? server;
  }

  all(sandbox: string): Map<string, Status> {
    return new Map([...this.server.all().keys()].map((service) => [service, this.get(sandbox, service)!]));
  }

  set(sandbox: string, service: string, status: Status): Status {
    const previous = this.get(sandbox, service) ?? Status.SERVICE_UNKNOWN;
    const key = `${sandbox}\u0000${service}`;
    this.overrides.delete(key);
    if (status !== Status.SERVING) {
      this.overrides.set(key, status);
      if (this.overrides.size > LIFECYCLE_LIMITS.statusOverrides) this.overrides.delete(this.overrides.keys().next().value!);
    }
    this.notify();
    return previous;
  }

  /** Milliseconds until the sandbox's server is back, or 0 when it is up. */
  downFor(sandbox: string): number {
    const at = this.restartAt.get(sandbox);
    return at === undefined ? 0 : Math.max(0, at - Date.now());
  }

  /**
   * Graceful shutdown of the sandbox's server: NOT_SERVING first (watchers and load balancers
   * see the drain), then GOAWAY on each of its HTTP/2 connections (Node's close(): open streams
   * finish, no new one is accepted, the connection ends with its last stream), new calls get
   * UNAVAILABLE until the restart. Streams still open after the grace period are cut.
   */
  shutdown(sandbox: string, graceMs: number, restartAfterMs: number): number {
    this.restartAt.set(sandbox, Date.now() + restartAfterMs);
    for (const service of this.server.all().keys()) this.set(sandbox, service, Status.NOT_SERVING);
    const sessions = [...(this.sessions.get(sandbox) ?? [])].filter((s) => !s.closed && !s.destroyed);
    for (const session of sessions) session.close();
    setTimeout(() => {
      for (const session of sessions) if (!session.destroyed) session.destroy();
    }, graceMs).unref();
    setTimeout(() => {
      this.restartAt.delete(sandbox);
      for (const service of this.server.all().keys()) this.set(sandbox, service, Status.SERVING);
    }, restartAfterMs).unref();
    return sessions.length;
  }

  /** The status now, then every change, until the signal aborts. */
  async *watch(sandbox: string, service: string, signal: AbortSignal): AsyncGenerator<Status> {
    let changed = false;
    let wake: (() => void) | null = null;
    const poke = (): void => {
      changed = true;
      wake?.();
    };
    // Subscribe before reading the current status: no change can slip in between.
    this.listeners.add(poke);
    signal.addEventListener('abort', poke, { once: true });
    try {
      let last = this.get(sandbox, service) ?? Status.SERVICE_UNKNOWN;
      yield last;
      while (!signal.aborted) {
        if (!changed) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        changed = false;
        if (signal.aborted) break;
        const now = this.get(sandbox, service) ?? Status.SERVICE_UNKNOWN;
        if (now === last) continue;
        last = now;
        yield now;
      }
    } finally {
      this.listeners.delete(poke);
      signal.removeEventListener('abort', poke);
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The status message in Russian, the standard way: a google.rpc.LocalizedMessage detail. */
function russian(message: string) {
  return { desc: LocalizedMessageSchema, value: create(LocalizedMessageSchema, { locale: 'ru-RU', message }) };
}

/** ErrorInfo.reason of a call refused while the sandbox's server is down (web/editors/grpc links it to the lesson). */
export const SANDBOX_SHUT_DOWN_REASON = 'SANDBOX_SHUT_DOWN';

/** While a sandbox's server is down, its new calls get UNAVAILABLE with RetryInfo (when it is back). */
export function shutdownInterceptor(lifecycle: SandboxLifecycle): Interceptor {
  // Not an async function: a call that passes costs no promise of its own here.
  return (next) => (req) => {
    const downForMs = lifecycle.downFor(req.contextValues.get(sandboxKey));
    if (downForMs > 0 && !ANSWERED_WHILE_DOWN.has(req.service.typeName)) {
      const seconds = Math.ceil(downForMs / 1000);
      // Calls of any lesson fail here, long after the student left lesson 4's cell: the message and
      // the ErrorInfo name the cell that stopped the server, and the editor links to it.
      return Promise.reject(
        new ConnectError(
          `the server is shutting down (this sandbox's, stopped by LifecycleService/GracefulShutdown in the gRPC lesson); it is back in ${seconds} s`,
          Code.Unavailable,
          undefined,
          [
            { desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: durationFromMs(Math.ceil(downForMs)) }) },
            russian(
              `сервер завершает работу (сервер вашей песочницы, его остановил LifecycleService/GracefulShutdown в уроке о gRPC); он вернётся через ${seconds} с`,
            ),
            {
              desc: ErrorInfoSchema,
              value: create(ErrorInfoSchema, {
                reason: SANDBOX_SHUT_DOWN_REASON,
                domain: ERROR_DOMAIN,
                metadata: { lesson: 'grpc', section: 'graceful-shutdown' },
              }),
            },
          ],
        ),
      );
    }
    return next(req);
  };
}

/** The shared sandbox serves every client without a session: nobody may stop it for the others. */
function ownSandbox(sandbox: string): string {
  if (sandbox !== SHARED_SANDBOX) return sandbox;
  throw new ConnectError(
    'not in the shared sandbox, which serves every client without a session: use your own (the wirelab_session cookie or x-wirelab-sandbox)',
    Code.FailedPrecondition,
    undefined,
    [russian('в общей песочнице нельзя: ею пользуются все клиенты без сессии; работайте в своей (cookie wirelab_session или заголовок x-wirelab-sandbox)')],
  );
}

/** wirelab.lab.v1.LifecycleService over the sandboxes' lifecycle. */
export function lifecycleService(lifecycle: SandboxLifecycle): ServiceImpl<typeof LifecycleService> {
  return {
    gracefulShutdown(request, ctx) {
      const sandbox = ownSandbox(ctx.values.get(sandboxKey));
      const graceMs = request.graceMs || LIFECYCLE_LIMITS.defaultGraceMs;
      const restartAfterMs = request.restartAfterMs || Math.max(LIFECYCLE_LIMITS.defaultRestartAfterMs, graceMs);
      if (graceMs > LIFECYCLE_LIMITS.maxGraceMs) throw invalid('grace_ms', `must be at most ${LIFECYCLE_LIMITS.maxGraceMs}`);
      if (restartAfterMs < LIFECYCLE_LIMITS.minRestartAfterMs || restartAfterMs > LIFECYCLE_LIMITS.maxRestartAfterMs) {
        throw invalid('restart_after_ms', `must be ${LIFECYCLE_LIMITS.minRestartAfterMs}..${LIFECYCLE_LIMITS.maxRestartAfterMs}`);
      }
      if (restartAfterMs < graceMs) throw invalid('restart_after_ms', 'must be at least grace_ms');
      const connectionsNotified = lifecycle.shutdown(sandbox, graceMs, restartAfterMs);
      return { connectionsNotified, graceMs, restartAfterMs };
    },

    setServingStatus(request, ctx) {
      if (request.status !== Status.SERVING && request.status !== Status.NOT_SERVING) throw invalid('status', 'must be SERVING or NOT_SERVING');
      const sandbox = ownSandbox(ctx.values.get(sandboxKey));
      if (lifecycle.get(sandbox, request.service) === undefined) throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      const previous = lifecycle.set(sandbox, request.service, request.status);
      return { previous, status: request.status };
    },
  };
}
