import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Code, ConnectError, createContextValues } from '@connectrpc/connect';
import http2 from 'node:http2';
import { HealthCheckResponse_ServingStatus } from '../../../proto/gen/grpc/health/v1/health_pb.ts';
import { Health } from '../../../proto/gen/grpc/health/v1/health_pb.ts';
import { ServerReflection as ReflectionV1 } from '../../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import { ServerReflection as ReflectionV1alpha } from '../../../proto/gen/grpc/reflection/v1alpha/reflection_pb.ts';
import { LabService } from '../../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { UserService } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { CallLog } from './call-log.ts';
import { budgetRequestBytes, requestBytesRefusal } from './body-budget.ts';
import { connectRoutes, type ConnectRoutesOptions } from './connect-routes.ts';
import type { UnaryFastPathStats } from './unary-fast-paths.ts';
import { clientAddressKey, clientPresenceKey, httpVersionKey, protocolOverrideKey, sandboxKey, watchClient } from './context.ts';
import { HealthStatuses, healthService } from './health-service.ts';
import { addressRateInterceptor, authInterceptor, domainErrorsInterceptor, expiredDeadlineInterceptor, loggingInterceptor } from './interceptors.ts';
import { labService } from './lab-service.ts';
import { LifecycleService } from '../../../proto/gen/wirelab/lab/v1/lifecycle_pb.ts';
import { lifecycleService, SandboxLifecycle, shutdownInterceptor } from './sandbox-lifecycle.ts';
import { reflectionV1, reflectionV1alpha, type ReflectionSource } from './reflection-service.ts';
import { filesByName, registry, SERVED_SERVICES } from './registry.ts';
import { RUNNER_LIMITS, runnerChannel, type RunnerLimits } from './runner/runner-channel.ts';
import { answerUnparsableRequests } from './unparsable-request.ts';
import { answerUnknownMethod } from './unknown-method.ts';
import { transcodingRoutes } from './transcoding/transcoding-routes.ts';
import { userService } from './user-service.ts';

// What the app composes with besides the plugin: the demo's bearer tokens (left readable when a page's
// captures are blanked) and the runners' open channels (closed first on shutdown).
export { DEMO_TOKENS } from './interceptors.ts';
export { OpenRunnerChannels } from './runner/runner-channel.ts';

/** Message and deadline limits of every gRPC/Connect call (README.md, "Limits"). */
export const GRPC_LIMITS = {
  /** one request message. @default 1 MiB */
  readMaxBytes: 1024 * 1024,
  /** one response message. @default 4 MiB */
  writeMaxBytes: 4 * 1024 * 1024,
  /** the longest deadline a client may ask for. @default 5 minutes */
  maxTimeoutMs: 5 * 60_000,
  /** on shutdown, streams still open this long after health turned NOT_SERVING are ended (UNAVAILABLE). @default 2000 */
  shutdownTimeoutMs: 2000,
};

export interface GrpcPluginOptions {
  runner?: Partial<RunnerLimits>;
  /** false: every call goes through connect-fastify's routes, none through the fast paths (bench/grpc.ts compares both). @default true */
  fastPaths?: boolean;
  /** false: the fast paths parse and serialize big messages in one piece, not in turns of the event loop (bench/big-echo.ts and bench/soak.ts compare both). @default true */
  messagesInTurns?: boolean;
}

export interface GrpcState {
  /** grpc.health.v1 statuses (tests and shutdown change them). */
  health: HealthStatuses;
  /** what the logging interceptor recorded */
  callLog: CallLog;
  /** each sandbox's own graceful shutdown and serving statuses */
  lifecycle: SandboxLifecycle;
  /** how many calls the fast paths answered */
  routes: UnaryFastPathStats;
}

declare module 'fastify' {
  interface FastifyInstance {
    grpc: GrpcState;
  }
}

/**
 * An HTTP/2 server may answer before the request is complete (a message over the limit, an
 * early error): the client is then still sending, blocked by flow control, and the stream would
 * stay half-open forever. RST_STREAM NO_ERROR after the full response tells the client to stop
 * (RFC 9113 §8.1), as gRPC servers do.
 */
function releaseUnreadRequest(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  if (request.raw.httpVersionMajor >= 2) {
    const raw = request.raw as unknown as http2.Http2ServerRequest;
    const stream = raw.stream;
    stream.once('finish', () => {
      // 'finish' comes before the trailers are on the wire: a reset now would overtake them.
      // Node has no event for "END_STREAM sent": look again, less and less often (a client that
      // reads its response slowly keeps the trailers queued).
      let waitMs = 1;
      const release = (): void => {
        if (raw.complete || stream.destroyed || stream.closed) return;
        if (!stream.state.localClose) {
          setTimeout(release, waitMs).unref();
          waitMs = Math.min(waitMs * 2, 1000);
          return;
        }
        // A reader still waits on the request (the handler gave up on it), so close() would wait
        // for a readable end that never comes; destroy() resets with NO_ERROR at once.
        stream.destroy();
      };
      release();
    });
  }
  done();
}

/**
 * gRPC, gRPC-Web and Connect for the services of proto/ (README.md beside this file), REST
 * transcoding at /v1/ from their google.api.http annotations, and the runner's WebSocket.
 * Decorates `app.grpc`; its routes, parsers and hooks live in child contexts of their own.
 */
async function grpcPlugin(app: FastifyInstance, options: GrpcPluginOptions): Promise<void> {
  const health = new HealthStatuses(SERVED_SERVICES.map((s) => s.typeName));
  const callLog = new CallLog();
  const lifecycle = new SandboxLifecycle(health);
  const routes: UnaryFastPathStats = { unaryFastPath: 0, unaryGrpcFastPath: 0, unaryGrpcReplayed: 0, unaryBodyToPlugin: 0 };
  app.decorate('grpc', { health, callLog, lifecycle, routes });

  const source: ReflectionSource = { services: SERVED_SERVICES.map((s) => s.typeName), files: filesByName, registry };
  const services = {
    users: userService(app.domain),
    lab: labService(callLog),
  };

  // Outermost first: logging sees the final status, domain errors are mapped before it.
  const interceptors = [
    loggingInterceptor(callLog, app.log),
    expiredDeadlineInterceptor,
    addressRateInterceptor(app.clientBudget, app.domain),
    shutdownInterceptor(lifecycle),
    authInterceptor,
    domainErrorsInterceptor,
  ];
  const contextValues = (request: FastifyRequest, reply: FastifyReply) => {
    lifecycle.track(request.sandboxId, request.raw);
    return createContextValues()
      .set(sandboxKey, request.sandboxId)
      .set(httpVersionKey, request.raw.httpVersion)
      .set(clientAddressKey, request.ip)
      .set(clientPresenceKey, watchClient(reply.raw));
  };

  const budgeted = budgetRequestBytes(app.clientBudget);
  const connectOptions: ConnectRoutesOptions = {
    services: [
      { service: UserService, implementation: services.users },
      { service: LabService, implementation: services.lab },
      { service: LifecycleService, implementation: lifecycleService(lifecycle) },
      { service: Health, implementation: healthService(lifecycle) },
      { service: ReflectionV1, implementation: reflectionV1(source) },
      { service: ReflectionV1alpha, implementation: reflectionV1alpha(source) },
    ] as ConnectRoutesOptions['services'],
    wrapHandler: (handler) => answerUnparsableRequests(budgeted(handler)),
    refuseUnary: requestBytesRefusal(app.clientBudget),
    interceptors,
    contextValues,
    readMaxBytes: GRPC_LIMITS.readMaxBytes,
    writeMaxBytes: GRPC_LIMITS.writeMaxBytes,
    maxTimeoutMs: GRPC_LIMITS.maxTimeoutMs,
    shutdownTimeoutMs: GRPC_LIMITS.shutdownTimeoutMs,
    shutdownError: new ConnectError('the server is shutting down', Code.Unavailable),
    fastPaths: options.fastPaths ?? true,
    messagesInTurns: options.messagesInTurns ?? true,
    stats: routes,
  };
  await app.register(async (scope) => {
    scope.addHook('onRequest', releaseUnreadRequest);
    await scope.register(connectRoutes, connectOptions);
  });

  await app.register(transcodingRoutes, {
    services: [{ service: UserService, implementation: services.users }],
    interceptors,
    contextValues: (request, reply) => contextValues(request, reply).set(protocolOverrideKey, 'http-json'),
    registry,
  });
  // A call to a method nobody serves is answered UNIMPLEMENTED in its protocol's shape, not by the app's 404.
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 && answerUnknownMethod(request, reply, SERVED_SERVICES)) return reply;
  });
  await app.register(runnerChannel, { limits: { ...RUNNER_LIMITS, ...options.runner } });

  // Drain: health turns NOT_SERVING before the HTTP/2 sessions are asked to go away.
  app.addHook('preClose', async () => health.setAll(HealthCheckResponse_ServingStatus.NOT_SERVING));
}

export default fp(grpcPlugin, { name: 'wirelab-grpc', dependencies: ['wirelab-domain', 'wirelab-session', 'wirelab-limits'] });
