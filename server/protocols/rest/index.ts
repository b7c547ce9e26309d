import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { acceptsJson } from './http-semantics.ts';
import { rateRefusalText, sandboxRefusalText } from '../../limits/messages.ts';
import { admitSandbox } from '../../limits/sandbox-admission.ts';
import { API_BODY_LIMIT, DEFAULT_RATE_LIMIT, PATCH_MEDIA_TYPES } from './limits.ts';
import { HttpProblem, PROBLEM_TYPE_BASE, problemOf, sendProblem } from './problem.ts';
import { postRoutes } from './post-routes.ts';
import { RouteTable } from './route-table.ts';
import { userRoutes } from './user-routes.ts';
import { userV2Routes } from './user-v2-routes.ts';
import { userHeaderVersionRoutes } from './user-header-version-routes.ts';

export { API_BODY_LIMIT, DEFAULT_RATE_LIMIT };
/** The REST API's OpenAPI document and its page, a plugin of its own (registered after every route). */
export { default as openApiPlugin } from './openapi.ts';

export interface RestPluginOptions {
  /** Requests per session per window; false turns the limit off (benchmarks). @default DEFAULT_RATE_LIMIT */
  rateLimit?: { max: number; timeWindowMs: number } | false;
}

const JSON_BODY_TYPES = ['application/json'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** Requests that change the data: they also spend the address's `writes` budget (server/limits/). */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A body's Content-Type must be JSON: Fastify would otherwise also accept text/plain. */
function checkBodyType(method: string, contentType: string | undefined): void {
  const allowed = method === 'PATCH' ? PATCH_MEDIA_TYPES : JSON_BODY_TYPES;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (allowed.includes(type)) return;
  throw new HttpProblem(
    415,
    'unsupported-media-type',
    'Unsupported Media Type',
    type ? `Send the body as ${allowed.join(' or ')}, not ${type}.` : `Send the body as JSON, with the header Content-Type: ${allowed[0]}.`,
    method === 'PATCH' ? { 'accept-patch': PATCH_MEDIA_TYPES.join(', ') } : {},
  );
}

/**
 * The REST API (see README.md beside this file). Encapsulated: its error handler, 404/405
 * handler, rate limit and JSON-only rules stay inside its prefix. Needs `openapi.ts` registered
 * on the root first (the shared schemas and the OpenAPI document it serves).
 */
async function restPlugin(app: FastifyInstance, options: RestPluginOptions): Promise<void> {
  const prefix = app.prefix;

  if (options.rateLimit !== false) {
    const { max, timeWindowMs } = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    await app.register(rateLimit, {
      global: true,
      max,
      timeWindow: timeWindowMs,
      // Per browser session; a client without one is counted per sandbox and address.
      keyGenerator: (request) => request.sessionId ?? `${request.sandboxId}|${request.ip}`,
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(
          429,
          'too-many-requests',
          'Too Many Requests',
          `At most ${context.max} requests per ${timeWindowMs / 1000} s: retry in ${context.after}.`,
        ),
    });
  }

  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string', bodyLimit: API_BODY_LIMIT }, app.getDefaultJsonParser('error', 'error'));

  const routeTable = new RouteTable();
  app.addHook('onRoute', (route) => {
    route.bodyLimit = API_BODY_LIMIT;
    routeTable.add(route.method, route.url);
  });

  app.addHook('onRequest', async (request) => {
    if (!acceptsJson(request.headers.accept)) {
      throw new HttpProblem(406, 'not-acceptable', 'Not Acceptable', `This API answers application/json only; Accept was ${request.headers.accept}.`);
    }
    // Beside the per-session limit: a client that picks a fresh cookie for each request meets this one.
    const rate = app.clientBudget.takeRequest('rest', request.ip);
    if (!rate.ok) {
      const { en } = rateRefusalText({ en: 'requests', ru: 'запросов' }, rate.max, rate.windowMs, rate.retryAfterS);
      throw new HttpProblem(429, 'too-many-requests', 'Too Many Requests', en, { 'retry-after': String(rate.retryAfterS) });
    }
    if (WRITE_METHODS.has(request.method)) {
      const writes = app.clientBudget.takeRequest('writes', request.ip);
      if (!writes.ok) {
        const { en } = rateRefusalText({ en: 'changes (POST, PUT, PATCH, DELETE)', ru: 'изменений' }, writes.max, writes.windowMs, writes.retryAfterS);
        throw new HttpProblem(429, 'too-many-requests', 'Too Many Requests', en, { 'retry-after': String(writes.retryAfterS) });
      }
    }
    const sandbox = admitSandbox(app.clientBudget, app.domain, request.sandboxId, request.ip);
    if (!sandbox.ok) {
      const { en } = sandboxRefusalText(sandbox.max, sandbox.windowMs, sandbox.retryAfterS);
      throw new HttpProblem(429, 'too-many-sandboxes', 'Too Many Requests', en, { 'retry-after': String(sandbox.retryAfterS) });
    }
    app.domain.ensureSandbox(request.sandboxId);
    if (!request.is404 && BODY_METHODS.has(request.method)) checkBodyType(request.method, request.headers['content-type']);
  });

  app.setErrorHandler((error, request, reply) => {
    const body = problemOf(error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'REST request failed');
    // Fastify asks to close the connection after a body it could not parse; HTTP/2 forbids that
    // header (RFC 9113 §8.2.2), and a stream that failed does not endanger its connection.
    if (request.raw.httpVersionMajor >= 2) reply.removeHeader('connection');
    return sendProblem(reply, body, error instanceof HttpProblem ? error.headers : {});
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = routeTable.methodsFor(path);
    if (allowed.length === 0) {
      return sendProblem(reply, {
        type: `${PROBLEM_TYPE_BASE}not-found`,
        title: 'Not Found',
        status: 404,
        detail: `There is no ${path} in this API; the OpenAPI document at ${prefix}/openapi.json lists every path.`,
        instance: request.url,
      });
    }
    const allow = [...allowed, 'OPTIONS'].join(', ');
    if (request.method === 'OPTIONS') return reply.code(204).header('allow', allow).send();
    return sendProblem(
      reply,
      {
        type: `${PROBLEM_TYPE_BASE}method-not-allowed`,
        title: 'Method Not Allowed',
        status: 405,
        detail: `${path} does not support ${request.method}; it supports ${allow}.`,
        instance: request.url,
      },
      { allow },
    );
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  userRoutes(app, prefix);
  userV2Routes(app, prefix);
  userHeaderVersionRoutes(app, prefix);
  postRoutes(app, prefix);
}

export default restPlugin;
