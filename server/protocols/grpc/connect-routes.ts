import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DescService } from '@bufbuild/protobuf';
import { createLinkedAbortController, validateUniversalHandlerOptions, type UniversalHandler } from '@connectrpc/connect/protocol';
import { createServiceImplSpec, type ConnectRouter, type ConnectRouterOptions, type ContextValues, type ServiceImpl } from '@connectrpc/connect';
import { compressionBrotli, compressionGzip } from '@connectrpc/connect-node';
import { fastifyConnectPlugin } from '@connectrpc/connect-fastify';
import { IN_TURNS_MIN_BYTES } from './message-turns.ts';
import { unaryFastPaths, type RefuseUnary, type UnaryFastPathStats, type UnaryImplSpec } from './unary-fast-paths.ts';
import { handBufferedBodyToPlugin } from './plugin-body.ts';

export interface ConnectRoutesOptions extends ConnectRouterOptions {
  /** the services and their implementations */
  services: Array<{ service: DescService; implementation: ServiceImpl<DescService> }>;
  /** wraps every connect-es handler (our corrections and budgets) */
  wrapHandler?: (handler: UniversalHandler) => UniversalHandler;
  /** the fast paths' budget check before the body is read (what wrapHandler checks for connect-es): an answer refuses the call */
  refuseUnary?: RefuseUnary;
  contextValues: (request: FastifyRequest, reply: FastifyReply) => ContextValues;
  /** on shutdown, calls still open this long after `preClose` are aborted with shutdownError */
  shutdownTimeoutMs?: number;
  shutdownError?: unknown;
  /** false: every call goes through the plugin (bench/grpc.ts measures the fast paths' gain so). @default true */
  fastPaths?: boolean;
  /** false: the fast paths parse and serialize big messages in one piece (message-turns.ts). @default true */
  messagesInTurns?: boolean;
  /** counts the calls the fast paths answered (tests check that they do) */
  stats?: UnaryFastPathStats;
}

/** The request decoration that carries a call's context values from the preHandler to the plugin's route. */
const CONTEXT_VALUES = Symbol('wirelab grpc context values');
type RequestWithValues = FastifyRequest & { [CONTEXT_VALUES]: ContextValues | null };

/**
 * Connect, gRPC and gRPC-Web routes through `@connectrpc/connect-fastify`'s plugin: its routes,
 * content-type parsers and handlers, with ours wrapped in place (`wrapHandler`) before the plugin
 * turns `router.handlers` into routes. In front of it, one preHandler hook makes each call's
 * context values (the plugin's `contextValues` sees only the request; ours watch the response
 * too) and lets the fast paths answer the commonest unary calls (`unary-fast-paths.ts`); every
 * other request runs the plugin's route. Register inside a scope of its own: the plugin's
 * parsers swallow `application/json`.
 */
export async function connectRoutes(scope: FastifyInstance, options: ConnectRoutesOptions): Promise<void> {
  const {
    services,
    wrapHandler,
    refuseUnary,
    contextValues,
    shutdownTimeoutMs,
    shutdownError,
    fastPaths = true,
    messagesInTurns = true,
    stats,
    ...routerOptions
  } = options;
  const opts: ConnectRouterOptions = { acceptCompression: [compressionGzip, compressionBrotli], ...routerOptions };
  if (shutdownTimeoutMs !== undefined) {
    // The plugin's own shutdownTimeoutMs would make a signal only its handlers see: the fast paths need it too.
    const shutdownController = createLinkedAbortController(opts.shutdownSignal);
    opts.shutdownSignal = shutdownController.signal;
    scope.addHook('preClose', (done) => {
      setTimeout(() => shutdownController.abort(shutdownError), shutdownTimeoutMs);
      done();
    });
  }

  const unarySpecs: UnaryImplSpec[] = services.flatMap(({ service, implementation }) =>
    Object.values(createServiceImplSpec(service, implementation).methods).filter((spec): spec is UnaryImplSpec => spec.kind === 'unary'),
  );
  const routes = (router: ConnectRouter): void => {
    for (const { service, implementation } of services) router.service(service, implementation);
    // The plugin reads router.handlers after this function: the wrapped ones become its routes.
    if (wrapHandler) router.handlers.forEach((handler, i) => (router.handlers[i] = wrapHandler(handler)));
  };

  // The call's context values on its request, for the plugin's contextValues(request). Not a
  // WeakMap keyed by the request: V8's scavenger keeps an ephemeron's value alive while its key
  // is young, so every call's values, and all they reach (the call's context, headers, message),
  // survived the next young-generation collection and were promoted to the old generation
  // (about 1 MB per scavenge under load; README, "What a Connect call costs").
  scope.decorateRequest(CONTEXT_VALUES, null);
  const valuesOf = (request: FastifyRequest): ContextValues => (request as RequestWithValues)[CONTEXT_VALUES]!;
  const handlerOptions = validateUniversalHandlerOptions(opts);
  const fast = fastPaths
    ? unaryFastPaths(unarySpecs, handlerOptions, {
        refuseUnary,
        stats,
        inTurnsFromBytes: messagesInTurns ? IN_TURNS_MIN_BYTES : Number.POSITIVE_INFINITY,
      })
    : null;
  const unaryPaths = new Set(unarySpecs.map((spec) => `/${spec.method.parent.typeName}/${spec.method.name}`));
  // This scope holds the plugin's routes and nothing else: every request here is a call.
  scope.addHook('preHandler', async (request, reply) => {
    const values = contextValues(request, reply);
    (request as RequestWithValues)[CONTEXT_VALUES] = values;
    if (fast) await fast(request, reply, values);
    // What the fast paths left to the plugin (all of it with fastPaths: false).
    if (
      !reply.sent &&
      request.body === undefined &&
      unaryPaths.has(request.routeOptions.url ?? '') &&
      handBufferedBodyToPlugin(request, handlerOptions.readMaxBytes)
    )
      if (stats) stats.unaryBodyToPlugin += 1;
  });
  await scope.register(fastifyConnectPlugin, { ...opts, routes, contextValues: valuesOf });
}
