import { Code, ConnectError, createContextKey, type Interceptor, type StreamRequest, type StreamResponse, type UnaryResponse } from '@connectrpc/connect';
import type { FastifyBaseLogger } from 'fastify';
import { LabService } from '../../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { UserService } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import type { CallLog } from './call-log.ts';
import { connectErrorOf } from './connect-error-of.ts';
import { clientAddressKey, clientPresenceKey, protocolOverrideKey, sandboxKey, type ClientPresence } from './context.ts';
import type { AddressBudget } from '../../limits/address-budget.ts';
import { sandboxRefusalText } from '../../limits/messages.ts';
import { admitSandbox } from '../../limits/sandbox-admission.ts';

/** The protocol of a request, from its Content-Type (interceptors are not told otherwise). */
export function protocolOf(contentType: string | null): 'grpc' | 'grpc-web' | 'connect' {
  if (contentType?.startsWith('application/grpc-web')) return 'grpc-web';
  if (contentType?.startsWith('application/grpc')) return 'grpc';
  return 'connect';
}

/** The deadline a client asked for, from `grpc-timeout` (gRPC, gRPC-Web) or `connect-timeout-ms`. */
export function requestedDeadlineMs(header: Headers): number | null {
  const connect = header.get('connect-timeout-ms');
  if (connect && /^\d{1,10}$/.test(connect)) return Number(connect);
  const grpc = /^(\d{1,8})([HMSmun])$/.exec(header.get('grpc-timeout') ?? '');
  if (!grpc) return null;
  const unitMs = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 }[grpc[2] as 'H'];
  return Number(grpc[1]) * unitMs;
}

/** A client's cancel this close to its deadline (or later) is its deadline timer firing. */
export const DEADLINE_RACE_MS = 50;

/**
 * A deadline under 1 ms (`grpc-timeout: 0m`, `1u`, `1n`, `connect-timeout-ms: 0`) has passed
 * before the call could start: DEADLINE_EXCEEDED without running the handler, as gRPC servers
 * answer (connect-es only starts a timer, which a quick handler beats).
 */
export const expiredDeadlineInterceptor: Interceptor = (next) => (req) => {
  const deadlineMs = requestedDeadlineMs(req.header);
  if (deadlineMs !== null && deadlineMs < 1) {
    return Promise.reject(new ConnectError(`the deadline (${deadlineMs} ms) had passed when the call arrived`, Code.DeadlineExceeded));
  }
  // Not an async function: a call that passes costs no promise of its own here.
  return next(req);
};

/** UserService's methods that change the data (CreateUsers, a stream, counts once per call). */
const WRITE_METHOD = /^(Create|Update|Delete)/;

/**
 * The calls one client address may start per window (server/limits/): past it RESOURCE_EXHAUSTED
 * (HTTP 429 in Connect) before the handler runs, whatever cookie or sandbox each call names.
 */
export function addressRateInterceptor(budget: AddressBudget, domain: { sandboxExists(sandboxId: string): boolean }): Interceptor {
  const refusalOf = (req: Parameters<ReturnType<Interceptor>>[0]): ConnectError | null => {
    const address = req.contextValues.get(clientAddressKey);
    const rate = budget.takeRequest('grpc', address);
    if (!rate.ok) {
      return new ConnectError(
        `too many calls from your network address: at most ${rate.max} per ${rate.windowMs / 1000} s, retry in ${rate.retryAfterS} s`,
        Code.ResourceExhausted,
        { 'retry-after': String(rate.retryAfterS) },
      );
    }
    // Only the services that read and write the domain would create the call's sandbox.
    if (req.service.typeName === UserService.typeName) {
      if (WRITE_METHOD.test(req.method.name)) {
        const writes = budget.takeRequest('writes', address);
        if (!writes.ok) {
          return new ConnectError(
            `too many changes from your network address: at most ${writes.max} per ${writes.windowMs / 1000} s, retry in ${writes.retryAfterS} s`,
            Code.ResourceExhausted,
            { 'retry-after': String(writes.retryAfterS) },
          );
        }
      }
      const sandbox = admitSandbox(budget, domain, req.contextValues.get(sandboxKey), address);
      if (!sandbox.ok) {
        return new ConnectError(sandboxRefusalText(sandbox.max, sandbox.windowMs, sandbox.retryAfterS).en, Code.ResourceExhausted, {
          'retry-after': String(sandbox.retryAfterS),
        });
      }
    }
    return null;
  };
  // Not an async function: a call that passes costs no promise of its own here.
  return (next) => (req) => {
    const refusal = refusalOf(req);
    return refusal ? Promise.reject(refusal) : next(req);
  };
}

/**
 * One call as the logging interceptor follows it. A class, not closures made per call: under tsx
 * (esbuild's keepNames) every named closure gets a `name` property of its own, made on each call
 * (`__name`, about a microsecond each in a CPU profile of a unary call, and a property dictionary
 * for the collector).
 */
class LoggedCallState {
  readonly started = performance.now();
  readonly startedAt = Date.now();
  readonly deadlineMs: number | null;
  readonly sandbox: string;
  readonly presence: ClientPresence;
  received = 0;
  sent = 0;
  finished = false;
  cancelledByClient = false;
  deadlineReached = false;

  constructor(
    private readonly req: Parameters<ReturnType<Interceptor>>[0],
    private readonly callLog: CallLog,
    private readonly log: FastifyBaseLogger,
  ) {
    this.deadlineMs = requestedDeadlineMs(req.header);
    this.sandbox = req.contextValues.get(sandboxKey);
    this.presence = req.contextValues.get(clientPresenceKey);
  }

  /** Not a listener on req.signal: that would make every call create and abort its signal. */
  noticeClientGone(): void {
    const goneAt = this.presence.goneAt;
    if (this.finished || goneAt === null || this.cancelledByClient || this.deadlineReached) return;
    // A client cancels by itself when its deadline passes, and that reset can beat the
    // server's own timer: that is the deadline, not a cancellation.
    const remaining = this.deadlineMs === null ? Infinity : this.deadlineMs - (goneAt - this.started);
    if (remaining > DEADLINE_RACE_MS) this.cancelledByClient = true;
    else this.deadlineReached = true;
  }

  record(error: unknown): void {
    this.noticeClientGone();
    this.finished = true;
    const { req } = this;
    const status = error === undefined ? null : ConnectError.from(error);
    const durationMs = performance.now() - this.started;
    const code = this.deadlineReached && status ? Code.DeadlineExceeded : this.cancelledByClient && status ? Code.Canceled : (status?.code ?? 0);
    this.callLog.add(this.sandbox, {
      procedure: `/${req.service.typeName}/${req.method.name}`,
      protocol: req.contextValues.get(protocolOverrideKey) ?? protocolOf(req.header.get('content-type')),
      code,
      message: status?.rawMessage ?? '',
      startedAt: this.startedAt,
      durationMs,
      received: this.received,
      sent: this.sent,
      cancelledByClient: this.cancelledByClient,
      deadlineMs: this.deadlineMs,
    });
    this.log.debug({ procedure: req.method.name, sandbox: this.sandbox, code, durationMs }, 'grpc call');
  }

  durationText(): string {
    return (performance.now() - this.started).toFixed(1);
  }
}

/**
 * Logging: records every call (procedure, protocol, status, duration, messages each way,
 * deadline, and whether the client cancelled) in the call log that LabService.RecentCalls reads,
 * and adds the trailer `x-wirelab-duration-ms`. Cheap: a few counters per call, no copying.
 */
export function loggingInterceptor(callLog: CallLog, log: FastifyBaseLogger): Interceptor {
  return (next) => async (req) => {
    const call = new LoggedCallState(req, callLog, log);
    if (req.stream) req = countReceived(req, call);
    else call.received = 1;

    let res: UnaryResponse | StreamResponse;
    try {
      res = await next(req);
    } catch (error) {
      call.record(error);
      throw error;
    }
    if (!res.stream) {
      call.sent = 1;
      call.record(undefined);
      res.trailer.set('x-wirelab-duration-ms', call.durationText());
      return res;
    }
    return countSent(res, call);
  };
}

/** A client stream whose messages the call counts as they are read. */
function countReceived(req: StreamRequest, call: LoggedCallState): StreamRequest {
  const input = req.message;
  return {
    ...req,
    message: (async function* countReceived() {
      for await (const message of input) {
        call.received += 1;
        yield message;
      }
    })(),
  };
}

/** A server stream whose messages the call counts, recorded once it ends (or stops early). */
function countSent(res: StreamResponse, call: LoggedCallState): StreamResponse {
  const output = res.message;
  const trailer = res.trailer;
  return {
    ...res,
    message: (async function* countSent() {
      let error: unknown;
      try {
        for await (const message of output) {
          call.sent += 1;
          yield message;
        }
      } catch (e) {
        error = e;
        throw e;
      } finally {
        // A consumer that stops early (the client went away) ends here without an error.
        call.noticeClientGone();
        const stoppedEarly = call.finished
          ? undefined
          : call.deadlineReached
            ? new ConnectError('the deadline passed', Code.DeadlineExceeded)
            : call.cancelledByClient
              ? new ConnectError('cancelled', Code.Canceled)
              : undefined;
        call.record(error ?? stoppedEarly);
        trailer.set('x-wirelab-duration-ms', call.durationText());
      }
    })(),
  } as StreamResponse;
}

/** Domain errors (not found, validation, conflict) as gRPC statuses with rich details. */
export const domainErrorsInterceptor: Interceptor = (next) => async (req) => {
  let res: UnaryResponse | StreamResponse;
  try {
    res = await next(req);
  } catch (error) {
    throw connectErrorOf(error);
  }
  if (!res.stream) return res;
  const output = res.message;
  return {
    ...res,
    message: (async function* mapErrors() {
      try {
        yield* output;
      } catch (error) {
        throw connectErrorOf(error);
      }
    })(),
  } as StreamResponse;
};

export interface Principal {
  subject: string;
  rights: string[];
}

/** Who the auth interceptor let in (for the handler). */
export const principalKey = createContextKey<Principal | null>(null, { description: 'authenticated caller' });

/**
 * The demo tokens (README.md, "Demo tokens"). Printed in the lessons: they protect nothing
 * but a demonstration.
 */
export const DEMO_TOKENS: Record<string, Principal> = {
  'wirelab-student': { subject: 'student', rights: [] },
  'wirelab-teacher': { subject: 'teacher', rights: ['stats'] },
};

/**
 * Auth: `LabService.ServerStats` needs `authorization: Bearer <token>` with the `stats` right.
 * No token or an unknown one: UNAUTHENTICATED (who are you?); a known token without the right:
 * PERMISSION_DENIED (I know you, but no).
 */
export const authInterceptor: Interceptor = (next) => (req) => (req.method === LabService.method.serverStats ? authenticated(req, next) : next(req));

async function authenticated(req: Parameters<ReturnType<Interceptor>>[0], next: Parameters<Interceptor>[0]): ReturnType<ReturnType<Interceptor>> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header.get('authorization') ?? '');
  const principal = match ? DEMO_TOKENS[match[1]] : undefined;
  if (!principal) {
    throw new ConnectError(match ? 'unknown token' : 'send the metadata "authorization: Bearer <token>"', Code.Unauthenticated, {
      'www-authenticate': 'Bearer realm="wirelab"',
    });
  }
  if (!principal.rights.includes('stats')) {
    throw new ConnectError(`"${principal.subject}" may not read server stats (needs the "stats" right)`, Code.PermissionDenied);
  }
  req.contextValues.set(principalKey, principal);
  return next(req);
}
