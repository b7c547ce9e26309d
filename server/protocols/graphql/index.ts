import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import mercurius, { type IResolvers, type MercuriusLoaders } from 'mercurius';
import type { DefinitionNode, DocumentNode, FormattedExecutionResult, GraphQLError, GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { graphql } from './graphql-runtime.ts';
import { isSandboxId, SANDBOX_HEADER } from '../../session/session-id.ts';
import { RequestMeter, type WirelabContext } from './context.ts';
import { BadFrameLog } from '../../listener/bad-frame-log.ts';
import { guardConnections, type GraphqlConnections } from './connection-guard.ts';
import { rateRefusalText, sandboxRefusalText } from '../../limits/messages.ts';
import { admitSandbox } from '../../limits/sandbox-admission.ts';
import { mutationFieldCount } from './write-count.ts';
import { aliasLimitRule, costLimitRule } from './cost-rules.ts';
import { formatErrors, GRAPHQL_RESPONSE_TYPE, statusOf } from './errors.ts';
import {
  batchingRequested,
  getParameterProblem,
  LEGACY_RESPONSE_TYPE,
  matchesIfNoneMatch,
  postParameterProblem,
  responseMediaType,
  sendRequestError,
} from './http.ts';
import { BATCHING_HEADER, FIRST_MAX, GRAPHQL_LIMITS, STORAGE_QUERIES_HEADER } from './limits.ts';
import type { WirelabCostReport } from '../../../contracts/graphql-extras/extras.ts';
import { bilingual } from './messages.ts';
import { checkFirst, RELATIONS, rootResolvers, subscriptionResolvers, type Relation } from './resolvers.ts';
import { SCHEMA } from './schema.ts';

export { BATCHING_HEADER, GRAPHQL_LIMITS, STORAGE_QUERIES_HEADER };
export const GRAPHQL_PATH = '/graphql';

/** Live subscriptions (tests wait for 'started' instead of sleeping; lessons may show the count). */
export class SubscriptionTracker extends EventEmitter<{ started: [field: string, sandboxId: string]; ended: [field: string, sandboxId: string] }> {
  live = 0;
  started(field: string, sandboxId: string): void {
    this.live += 1;
    this.emit('started', field, sandboxId);
  }
  ended(field: string, sandboxId: string): void {
    this.live -= 1;
    this.emit('ended', field, sandboxId);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    graphqlSubscriptions: SubscriptionTracker;
    graphqlConnections: GraphqlConnections;
  }
  interface FastifyRequest {
    /** the media type this GraphQL request will be answered with */
    graphqlMediaType: string;
  }
}

/** Mercurius' own depth count, the one its queryDepth option applies over HTTP. */
const queryDepth = createRequire(import.meta.url)('mercurius/lib/queryDepth.js') as (definitions: readonly DefinitionNode[], limit: number) => Error[];

const VALIDATION_RULES = [
  costLimitRule({ maxCost: GRAPHQL_LIMITS.maxCost, maxAliases: GRAPHQL_LIMITS.maxAliases, firstMax: FIRST_MAX }),
  aliasLimitRule({ maxAliases: GRAPHQL_LIMITS.maxAliases }),
];

/** The meter of each HTTP request's context: a batch's operations share it, and onSend reports its total. */
const metersOfRequests = new WeakMap<FastifyRequest, RequestMeter>();

function contextOf(app: FastifyInstance, request: FastifyRequest): Pick<WirelabContext, 'domain' | 'sandboxId' | 'batching' | 'meter'> {
  const meter = new RequestMeter(app.domain);
  metersOfRequests.set(request, meter);
  return { domain: app.domain, sandboxId: request.sandboxId, batching: batchingRequested(request.headers[BATCHING_HEADER]), meter };
}

function costReport(ctx: Partial<WirelabContext>): WirelabCostReport {
  return { batching: ctx.batching ?? true, storageQueries: ctx.meter?.storageQueries ?? 0, resolverCalls: ctx.meter?.resolverCalls ?? 0 };
}

/**
 * The sandbox a WebSocket client names in its connection_init payload
 * (`{ "x-wirelab-sandbox": id }` or `{ headers: { "x-wirelab-sandbox": id } }`): undefined when
 * it names none, null when the name is not a sandbox id.
 */
export function sandboxFromInit(payload: unknown): string | null | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  const headers = typeof record.headers === 'object' && record.headers !== null ? (record.headers as Record<string, unknown>) : {};
  const named = record[SANDBOX_HEADER] ?? headers[SANDBOX_HEADER];
  if (named === undefined) return undefined;
  return typeof named === 'string' && isSandboxId(named) ? named : null;
}

/** Wraps relation resolvers (batched or not, per request) and counts every resolver call. */
function instrumentResolvers(schema: GraphQLSchema): void {
  for (const [typeName, fields] of Object.entries(RELATIONS)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const [fieldName, relation] of Object.entries(fields as Record<string, Relation<unknown, unknown>>)) {
      const field = type.getFields()[fieldName];
      const batched = field.resolve as GraphQLFieldResolver<unknown, WirelabContext>;
      const resolve: GraphQLFieldResolver<unknown, WirelabContext> = (parent, args, ctx, info) => {
        // Checked per parent, so one bad first: fails its own field and not a whole batch.
        if ('first' in args) checkFirst(args.first);
        if (ctx.batching) return batched(parent, args, ctx, info);
        return relation([{ obj: parent, params: args }], ctx).then(([result]) => result);
      };
      field.resolve = resolve as typeof field.resolve;
    }
  }
  for (const typeName of ['Query', 'Mutation', 'User', 'Post', 'Comment']) {
    for (const field of Object.values((schema.getType(typeName) as GraphQLObjectType).getFields())) {
      const inner = field.resolve as GraphQLFieldResolver<unknown, WirelabContext> | undefined;
      if (!inner) continue;
      const counted: GraphQLFieldResolver<unknown, WirelabContext> = (parent, args, ctx, info) => {
        ctx.meter.resolverCalls += 1;
        return inner(parent, args, ctx, info);
      };
      field.resolve = counted as typeof field.resolve;
    }
  }
}

/**
 * Mercurius picks the operation of a GET without checking that it exists (and then fails on
 * null): a document with several operations and no operationName, or an operationName it does
 * not contain, is answered here as the request error it is.
 */
function checkGetOperation(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const { query, operationName } = request.query as { query: string; operationName?: string };
  let document: DocumentNode;
  try {
    document = graphql.parse(query, { maxTokens: GRAPHQL_LIMITS.maxTokens });
  } catch {
    return undefined; // mercurius reports syntax errors itself
  }
  if (graphql.getOperationAST(document, operationName || undefined)) return undefined;
  const text = operationName
    ? bilingual(`Unknown operation named "${operationName}".`, `В документе нет операции с именем «${operationName}».`)
    : bilingual('Must provide operation name if query contains multiple operations.', 'В документе несколько операций: укажите operationName.');
  return sendRequestError(reply, request.graphqlMediaType === GRAPHQL_RESPONSE_TYPE ? 400 : 200, 'GRAPHQL_VALIDATION_FAILED', text);
}

/** The routes, hooks and parsers of /graphql, in a context of their own. */
async function graphqlRoutes(app: FastifyInstance, options: { tracker: SubscriptionTracker }): Promise<void> {
  app.decorateRequest('graphqlMediaType', LEGACY_RESPONSE_TYPE);
  // Only JSON and application/graphql bodies (GraphQL over HTTP): text/plain gets 415.
  app.removeContentTypeParser('text/plain');

  addHttpHooks(app);
  app.route({
    method: ['PUT', 'PATCH', 'DELETE'],
    url: GRAPHQL_PATH,
    handler: (request, reply) =>
      sendRequestError(
        reply.header('allow', 'GET, POST'),
        405,
        'METHOD_NOT_ALLOWED',
        bilingual(
          `GraphQL is served over GET (queries) and POST, not ${request.method}.`,
          `GraphQL принимает GET (только запросы) и POST, но не ${request.method}.`,
        ),
      ),
  });

  await registerMercurius(app, options.tracker);
  addExecutionHooks(app);
}

/** GraphQL over HTTP around mercurius: the media types, the request's shape before its schema, the limits, the answer's bytes. */
function addHttpHooks(app: FastifyInstance): void {
  refuseBeforeParsing(app);
  checkParameters(app);
  checkOperations(app);
  shapeAnswer(app);
}

/** Before anything is parsed: the media type the client accepts, the rate and sandbox budgets. */
function refuseBeforeParsing(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.ws) return;
    const mediaType = responseMediaType(request.headers.accept);
    if (mediaType === null) {
      return sendRequestError(
        reply,
        406,
        'NOT_ACCEPTABLE',
        bilingual(
          `This endpoint answers ${GRAPHQL_RESPONSE_TYPE} or ${LEGACY_RESPONSE_TYPE}; Accept was ${request.headers.accept}.`,
          `Этот адрес отвечает только в форматах ${GRAPHQL_RESPONSE_TYPE} или ${LEGACY_RESPONSE_TYPE}, а в Accept указано ${request.headers.accept}.`,
        ),
      );
    }
    request.graphqlMediaType = mediaType;
    const rate = app.clientBudget.takeRequest('graphql', request.ip);
    if (!rate.ok) {
      const text = rateRefusalText({ en: 'GraphQL requests', ru: 'GraphQL-запросов' }, rate.max, rate.windowMs, rate.retryAfterS);
      reply.header('retry-after', String(rate.retryAfterS));
      return sendRequestError(reply, 429, 'RATE_LIMITED', text, { retryAfter: rate.retryAfterS });
    }
    const sandbox = admitSandbox(app.clientBudget, app.domain, request.sandboxId, request.ip);
    if (!sandbox.ok) {
      reply.header('retry-after', String(sandbox.retryAfterS));
      const text = sandboxRefusalText(sandbox.max, sandbox.windowMs, sandbox.retryAfterS);
      return sendRequestError(reply, 429, 'TOO_MANY_SANDBOXES', text, { retryAfter: sandbox.retryAfterS });
    }
    app.domain.ensureSandbox(request.sandboxId);
  });
}

/** The request's parameters as GraphQL over HTTP defines them, before the route's schema. */
function checkParameters(app: FastifyInstance): void {
  // Before the route's schema, whose type coercion would accept `{"query": 0}` as "0", and
  // after which `"extensions": null` (absent, says the spec) would fail.
  app.addHook('preValidation', async (request, reply) => {
    if (request.ws) return;
    let problem: ReturnType<typeof postParameterProblem> = null;
    if (request.method === 'GET') problem = getParameterProblem(request.query as Record<string, unknown>);
    else if (request.method === 'POST' && request.body !== undefined) {
      const operations: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
      for (const operation of operations) {
        problem = postParameterProblem(operation);
        if (problem) break;
        const fields = operation as Record<string, unknown>;
        if (fields.extensions === null) delete fields.extensions;
      }
    }
    if (problem) return sendRequestError(reply, 400, 'BAD_REQUEST', problem);
  });
}

/** The operations: a batch's size, its rate and write budgets, a missing query. */
function checkOperations(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.ws || request.validationError || (request.method !== 'GET' && request.method !== 'POST')) return;
    const body = request.body;
    if (Array.isArray(body) && (body.length === 0 || body.length > GRAPHQL_LIMITS.maxBatchSize)) {
      return sendRequestError(
        reply,
        400,
        'BATCH_TOO_LARGE',
        bilingual(
          `A batch holds 1 to ${GRAPHQL_LIMITS.maxBatchSize} operations; this one has ${body.length}.`,
          `В пакете (batch) может быть от 1 до ${GRAPHQL_LIMITS.maxBatchSize} операций, а в этом ${body.length}.`,
        ),
        { limit: GRAPHQL_LIMITS.maxBatchSize, size: body.length },
      );
    }
    if (Array.isArray(body) && body.length > 1) {
      // A batch is as many GraphQL requests as it has operations: batching saves round trips, not budget.
      const rate = app.clientBudget.takeRequest('graphql', request.ip, body.length - 1);
      if (!rate.ok) {
        const text = rateRefusalText({ en: 'GraphQL requests', ru: 'GraphQL-запросов' }, rate.max, rate.windowMs, rate.retryAfterS);
        reply.header('retry-after', String(rate.retryAfterS));
        return sendRequestError(reply, 429, 'RATE_LIMITED', text, { retryAfter: rate.retryAfterS });
      }
    }
    const operations: unknown[] = request.method === 'GET' ? [request.query] : Array.isArray(body) ? body : [body];
    const missing = operations.some((op) => typeof (op as { query?: unknown } | null)?.query !== 'string' || (op as { query: string }).query.trim() === '');
    if (!missing && request.method === 'GET') return checkGetOperation(request, reply);
    const writes = missing ? 0 : mutationFieldCount(operations);
    if (writes > 0) {
      const rate = app.clientBudget.takeRequest('writes', request.ip, writes);
      if (!rate.ok) {
        const text = rateRefusalText({ en: 'changes (mutation fields)', ru: 'изменений (полей мутаций)' }, rate.max, rate.windowMs, rate.retryAfterS);
        reply.header('retry-after', String(rate.retryAfterS));
        return sendRequestError(reply, 429, 'RATE_LIMITED', text, { retryAfter: rate.retryAfterS });
      }
    }
    if (missing) {
      return sendRequestError(
        reply,
        400,
        'BAD_REQUEST',
        bilingual(
          request.method === 'GET' ? 'A GraphQL GET request needs the query parameter ?query=…' : 'A GraphQL request needs a "query" string in its JSON body.',
          request.method === 'GET' ? 'GraphQL-запросу через GET нужен параметр ?query=…' : 'GraphQL-запросу нужна строка "query" в JSON-теле.',
        ),
      );
    }
  });
}

/** The answer's bytes: its media type, the batch's storage queries, a GET's ETag and 304. */
function shapeAnswer(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.ws) return payload;
    // Fastify asks to close the connection after an unparsable body; HTTP/2 forbids that header.
    if (request.raw.httpVersionMajor >= 2) reply.removeHeader('connection');
    const contentType = String(reply.getHeader('content-type') ?? '');
    if (request.graphqlMediaType === GRAPHQL_RESPONSE_TYPE && contentType.startsWith('application/json')) {
      reply.header('content-type', `${GRAPHQL_RESPONSE_TYPE}; charset=utf-8`);
    }
    const meter = metersOfRequests.get(request);
    if (meter && request.method === 'POST' && Array.isArray(request.body)) reply.header(STORAGE_QUERIES_HEADER, String(meter.storageQueries));
    // Queries over GET are cacheable: a strong ETag of the answer, revalidated on every use.
    if (request.method === 'GET' && reply.statusCode === 200 && typeof payload === 'string') {
      const etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 22)}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', `Accept, Cookie, ${SANDBOX_HEADER}, ${BATCHING_HEADER}`);
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
        reply.code(304);
        return '';
      }
    }
    return payload;
  });
}

/** Mercurius with the schema, resolvers, loaders and limits, and Wirelab's error format and cost report. */
async function registerMercurius(app: FastifyInstance, tracker: SubscriptionTracker): Promise<void> {
  const resolvers = { ...rootResolvers, ...subscriptionResolvers(tracker) };
  await app.register(mercurius, {
    schema: SCHEMA,
    resolvers: resolvers as unknown as IResolvers,
    loaders: Object.fromEntries(
      Object.entries(RELATIONS).map(([type, fields]) => [
        type,
        Object.fromEntries(Object.entries(fields).map(([field, relation]) => [field, { loader: relation }])),
      ]),
    ) as unknown as MercuriusLoaders,
    path: GRAPHQL_PATH,
    graphiql: false,
    allowBatchedQueries: true,
    queryDepth: GRAPHQL_LIMITS.maxDepth,
    validationRules: VALIDATION_RULES,
    cache: GRAPHQL_LIMITS.documentCacheSize,
    graphql: { parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens } },
    additionalRouteOptions: {
      bodyLimit: GRAPHQL_LIMITS.bodyBytes,
      // Mercurius' response schema would print error paths' list indexes as strings.
      serializerCompiler: () => (data: unknown) => JSON.stringify(data),
    },
    context: (request) => contextOf(request.server, request),
    errorFormatter: (execution, context) => {
      const ctx = context as unknown as Partial<WirelabContext>;
      const formatted = formatErrors(execution.errors);
      const log = ctx.reply?.log ?? ctx.app?.log;
      for (const error of formatted.unexpected) log?.error({ err: error }, 'GraphQL operation failed');
      const hasData = 'data' in execution && execution.data !== undefined;
      const mediaType = ctx.reply?.request?.graphqlMediaType ?? LEGACY_RESPONSE_TYPE;
      const statusCode = statusOf({ hasData, formatted, mediaType });
      if (statusCode === 405) ctx.reply?.header('allow', 'POST');
      const response: FormattedExecutionResult = hasData
        ? { data: execution.data, errors: formatted.errors }
        : // Rejected before execution: no data entry at all, and a report that nothing ran.
          { errors: formatted.errors, extensions: { wirelab: costReport(ctx) } };
      return { statusCode, response };
    },
    subscription: {
      context: (_socket, request) => ({ ...contextOf(request.server, request), connection: { activeSubscriptions: 0 } }),
      onConnect: ({ payload }) => {
        const named = sandboxFromInit(payload);
        if (named === undefined) return true;
        // mercurius answers a refusal with connection_error "Forbidden" and closes.
        if (named === null) return false;
        return { sandboxId: named };
      },
    },
  });
}

/** Per execution: the resolvers' and statements' count, and the subscription documents checked as HTTP ones are. */
function addExecutionHooks(app: FastifyInstance): void {
  instrumentResolvers(app.graphql.schema);

  app.graphql.addHook('onResolution', async (execution, context) => {
    const ctx = context as unknown as WirelabContext;
    // A batch shares its loaders across operations: its storage queries cannot be split per operation.
    if ((ctx.operationsCount ?? 1) > 1) return;
    execution.extensions = { ...execution.extensions, wirelab: costReport(ctx) };
  });

  // Mercurius neither validates subscription documents nor limits their tokens: the same rules
  // as over HTTP apply here, before mercurius' own depth check (which would hide the details).
  app.graphql.addHook('preSubscriptionParsing', async (schema, source) => {
    const errors: GraphQLError[] = [];
    try {
      const document = graphql.parse(source, { maxTokens: GRAPHQL_LIMITS.maxTokens });
      errors.push(...graphql.validate(schema, document, [...graphql.specifiedRules, ...VALIDATION_RULES]));
      if (errors.length === 0)
        errors.push(...queryDepth(document.definitions, GRAPHQL_LIMITS.maxDepth).map((e) => new graphql.GraphQLError(e.message, { originalError: e })));
    } catch (error) {
      if (!(error instanceof graphql.GraphQLError)) throw error;
      errors.push(error);
    }
    if (errors.length === 0) return;
    // graphql-ws sends one error per failed subscribe: the first one, with its code.
    const [first] = formatErrors(errors).errors;
    throw Object.assign(new Error(first.message), { locations: first.locations, extensions: first.extensions });
  });
}

/**
 * GraphQL at /graphql (README.md beside this file): queries and mutations over GET and POST on
 * HTTP/1.1 and h2c, subscriptions over WebSocket (graphql-transport-ws and the legacy graphql-ws)
 * fed by the domain's event bus. Decorates `app.graphqlSubscriptions` and `app.graphqlConnections`.
 */
async function graphqlPlugin(app: FastifyInstance): Promise<void> {
  const tracker = new SubscriptionTracker();
  app.decorate('graphqlSubscriptions', tracker);
  app.decorate(
    'graphqlConnections',
    guardConnections(app.websocketServer, GRAPHQL_PATH, GRAPHQL_LIMITS, new BadFrameLog(app.log, GRAPHQL_PATH), app.clientBudget),
  );
  await app.register(graphqlRoutes, { tracker });
}

export default fp(graphqlPlugin, { name: 'wirelab-graphql', dependencies: ['wirelab-domain', 'wirelab-session', 'wirelab-limits'] });
