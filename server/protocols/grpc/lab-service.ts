import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { DurationSchema, durationFromMs, timestampFromMs, timestampNow, type Duration } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { ValidationError } from '../../domain/index.ts';
import { BadRequestSchema, ErrorInfoSchema, QuotaFailureSchema, RetryInfoSchema } from '../../../proto/gen/google/rpc/error_details_pb.ts';
import { LabService } from '../../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import type { CallLog } from './call-log.ts';
import { ERROR_DOMAIN } from './connect-error-of.ts';
import { httpVersionKey, sandboxKey } from './context.ts';
import { principalKey } from './interceptors.ts';
import { sleep } from './async-queue.ts';
import { GRPC_CODE_NAMES } from '../../../shared/grpc-codes.ts';

export const LAB_LIMITS = {
  /** LabService.Slow. @default 60_000 */
  maxSlowMs: 60_000,
  /** LabService.Ticks: enough for the inspector's 10 000-message benchmark. @default 10_000 */
  maxTicks: 10_000,
  /** LabService.Ticks. @default 5000 */
  maxTickIntervalMs: 5000,
  /** LabService.Flaky. @default 10 */
  maxFailures: 10,
  /** Flaky keys kept (all sandboxes); the oldest go first. @default 10_000 */
  flakyKeys: 10_000,
  /** A Flaky key unused this long starts again from zero. @default 600_000 */
  flakyKeyTtlMs: 600_000,
};

/** Canonical gRPC code names, by number (shared/grpc-codes.ts). */
export const CODE_NAMES = GRPC_CODE_NAMES;

/** A duration of fractional milliseconds (performance.now() differences); durationFromMs wants whole ones. */
export function preciseDuration(ms: number): Duration {
  const totalNanos = Math.round(ms * 1_000_000);
  const seconds = Math.floor(totalNanos / 1_000_000_000);
  return create(DurationSchema, { seconds: BigInt(seconds), nanos: totalNanos - seconds * 1_000_000_000 });
}

function detail<D extends DescMessage>(desc: D, value: MessageShape<D>) {
  return { desc, value };
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError([{ field, message }]);
}

/** The google.rpc details a demonstration error carries: ErrorInfo always, and what its code calls for. */
function demoErrorDetails(code: Code, name: string) {
  const details = [];
  details.push(detail(ErrorInfoSchema, create(ErrorInfoSchema, { reason: `DEMO_${name}`, domain: ERROR_DOMAIN, metadata: { requested_code: String(code) } })));
  if (code === Code.InvalidArgument) {
    details.push(
      detail(
        BadRequestSchema,
        create(BadRequestSchema, { fieldViolations: [{ field: 'message', description: 'an example violation: this field was fine, really' }] }),
      ),
    );
  }
  if (code === Code.ResourceExhausted) {
    details.push(
      detail(QuotaFailureSchema, create(QuotaFailureSchema, { violations: [{ subject: 'sandbox', description: 'an example quota of 0 calls per minute' }] })),
    );
  }
  if (code === Code.ResourceExhausted || code === Code.Unavailable) {
    details.push(detail(RetryInfoSchema, create(RetryInfoSchema, { retryDelay: durationFromMs(1000) })));
  }

  return details;
}

/**
 * Flaky's attempt number for a key (its first failures counted, oldest keys forgotten first): a key
 * still to fail is kept, one that succeeds or sat unused past flakyKeyTtlMs starts again from zero.
 */
function countAttempt(flaky: Map<string, { failed: number; touchedAt: number }>, id: string, failures: number): number {
  const now = Date.now();
  let entry = flaky.get(id);
  if (entry && now - entry.touchedAt > LAB_LIMITS.flakyKeyTtlMs) entry = undefined;
  flaky.delete(id);
  const attempt = (entry?.failed ?? 0) + 1;
  if (attempt <= failures) {
    flaky.set(id, { failed: attempt, touchedAt: now });
    if (flaky.size > LAB_LIMITS.flakyKeys) flaky.delete(flaky.keys().next().value!);
  }
  return attempt;
}

/** wirelab.lab.v1.LabService: one demonstration per call (README.md, "LabService"). */
export function labService(callLog: CallLog, startedAt = Date.now()): ServiceImpl<typeof LabService> {
  const flaky = new Map<string, { failed: number; touchedAt: number }>();

  return {
    echo(request, ctx) {
      let echoed = 0;
      const seen: Record<string, string> = {};
      for (const [name, value] of ctx.requestHeader) {
        if (name === 'cookie') continue;
        seen[name] = value;
        if (name.startsWith('x-echo-')) {
          ctx.responseHeader.append(name, value);
          echoed += 1;
        }
      }
      ctx.responseHeader.set('x-wirelab-protocol', ctx.protocolName);
      ctx.responseTrailer.set('x-wirelab-echoed', String(echoed));
      const version = ctx.values.get(httpVersionKey);
      return {
        message: request.message,
        requestMetadata: seen,
        protocol: ctx.protocolName,
        httpVersion: version.startsWith('2') ? 'HTTP/2' : `HTTP/${version}`,
      };
    },

    async slow(request, ctx) {
      if (request.millis > LAB_LIMITS.maxSlowMs) throw invalid('millis', `must be at most ${LAB_LIMITS.maxSlowMs}`);
      const started = performance.now();
      // Rejects with the signal's reason when the deadline passes or the client cancels:
      // the work stops there, and the call ends with DEADLINE_EXCEEDED / CANCELLED.
      await sleep(request.millis, ctx.signal);
      return { sleptMillis: Math.round(performance.now() - started) };
    },

    fail(request) {
      const code = request.code as number;
      if (!Number.isInteger(code) || code < 0 || code >= CODE_NAMES.length) throw invalid('code', `${code} is not a gRPC status code (0..16)`);
      const name = CODE_NAMES[code];
      if (code === 0) return { message: request.message || 'OK: nothing failed' };
      const message = request.message || `failing with ${name}, as asked`;
      const details = request.withDetails ? demoErrorDetails(code as Code, name) : [];
      throw new ConnectError(message, code as Code, undefined, details);
    },

    flaky(request, ctx) {
      if (request.key.length < 1 || request.key.length > 64) throw invalid('key', 'must be 1..64 characters');
      if (request.failures > LAB_LIMITS.maxFailures) throw invalid('failures', `must be at most ${LAB_LIMITS.maxFailures}`);
      const attempt = countAttempt(flaky, `${ctx.values.get(sandboxKey)}\u0000${request.key}`, request.failures);
      if (attempt <= request.failures) {
        throw new ConnectError(`attempt ${attempt} fails (${request.failures} of them will)`, Code.Unavailable, undefined, [
          detail(RetryInfoSchema, create(RetryInfoSchema, { retryDelay: durationFromMs(100) })),
        ]);
      }
      return { attempt };
    },

    async *ticks(request, ctx) {
      if (request.count < 1 || request.count > LAB_LIMITS.maxTicks) throw invalid('count', `must be 1..${LAB_LIMITS.maxTicks}`);
      if (request.intervalMs > LAB_LIMITS.maxTickIntervalMs) throw invalid('interval_ms', `must be at most ${LAB_LIMITS.maxTickIntervalMs}`);
      for (let tick = 1; tick <= request.count; tick++) {
        if (tick > 1 && request.intervalMs > 0) await sleep(request.intervalMs, ctx.signal);
        yield { tick, time: timestampNow() };
      }
    },

    serverStats(_request, ctx) {
      return {
        uptime: durationFromMs(Date.now() - startedAt),
        callsServed: callLog.served,
        subject: ctx.values.get(principalKey)?.subject ?? '',
      };
    },

    recentCalls(request, ctx) {
      if (request.limit > 50) throw invalid('limit', 'must be at most 50');
      const calls = callLog.recent(ctx.values.get(sandboxKey), request.limit || 20);
      return {
        calls: calls.map((call) => ({
          procedure: call.procedure,
          protocol: call.protocol,
          code: call.code as number,
          message: call.message,
          startedAt: timestampFromMs(call.startedAt),
          duration: preciseDuration(call.durationMs),
          messagesReceived: call.received,
          messagesSent: call.sent,
          cancelledByClient: call.cancelledByClient,
          deadline: call.deadlineMs === null ? undefined : preciseDuration(call.deadlineMs),
        })),
      };
    },
  };
}
