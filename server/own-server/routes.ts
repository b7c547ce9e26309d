// `POST /_wirelab/own-server/checks`: the web page's "check my server". The student is the
// address their request came from (`request.ip`: behind HAProxy, the PROXY protocol's), the suite
// runs while the request is open, and when the browser's request closes first (the page closed,
// the fetch aborted) the suite is stopped and every connection it holds is destroyed.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Localized } from '../../contracts/own-server/check-result.ts';
import { sendProblem } from '../protocols/shared/http-answers.ts';
import { refusals } from './address-guard.ts';
import { OutboundTap, parseTarget } from './connection.ts';
import { CHECK_REQUEST_BODY_LIMIT, checkRequestSchema, strictBodies, OWN_SERVER_CHECKS_PATH, routeMessages as text, type CheckRequest } from './route-schema.ts';
import { badTarget, createOwnServerChecker, type OwnServerChecker } from './runner.ts';
import { wirelabItselfTest } from './wirelab-itself.ts';

export interface OwnServerRouteOptions {
  /** false: `OWN_SERVERS=off`, every request is answered 403. */
  enabled: boolean;
  /** The runner; tests may give their own. One per process: one suite at a time per student. */
  checker?: OwnServerChecker;
}

const problem = (request: FastifyRequest, reply: FastifyReply, status: number, slug: string, title: string, message: Localized, headers?: Record<string, string>) =>
  sendProblem(request, reply, status, slug, title, message, headers);

export default async function ownServerRoutes(app: FastifyInstance, options: OwnServerRouteOptions): Promise<void> {
  // The listening address is read at each run: Wirelab's own port is known only once it listens.
  const check = options.checker ?? createOwnServerChecker({ enabled: options.enabled, isWirelab: wirelabItselfTest(() => app.server.address()) });

  // Refusals before the body is read: the feature off for the class, then no session.
  app.addHook('onRequest', async (request, reply) => {
    if (!options.enabled) return problem(request, reply, 403, 'own-servers-off', 'Forbidden', refusals.off().localized);
    // A script without a session would make the server a scanner of its own loopback ports for anyone; a page has one.
    if (!request.sessionId) return problem(request, reply, 403, 'session-required', 'Forbidden', text.sessionRequired());
  });

  app.setValidatorCompiler(strictBodies);
  // JSON only: Fastify would otherwise hand a text/plain body to the schema as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const first = error.validation[0];
      const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
      return problem(request, reply, 400, 'bad-check-request', 'Bad Request', text.badBody(`body${first?.instancePath ?? ''} ${first?.message ?? ''}${extra ? `: ${extra}` : ''}`.trim()));
    }
    if (error.statusCode === 415) return problem(request, reply, 415, 'unsupported-media-type', 'Unsupported Media Type', text.notJson(String(request.headers['content-type'] ?? '')));
    if (error.statusCode === 413) return problem(request, reply, 413, 'body-too-large', 'Content Too Large', text.tooLarge(CHECK_REQUEST_BODY_LIMIT));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return problem(request, reply, 400, 'bad-check-request', 'Bad Request', text.badBody(error.message));
    request.log.error({ err: error }, 'own-server check failed');
    return problem(request, reply, 500, 'internal', 'Internal Server Error', text.internal());
  });

  app.post<{ Body: CheckRequest }>(
    OWN_SERVER_CHECKS_PATH,
    { schema: { body: checkRequestSchema, hide: true }, bodyLimit: CHECK_REQUEST_BODY_LIMIT },
    async (request, reply) => {
      const { protocol } = request.body;
      const target = request.body.target.trim();
      if (!parseTarget(target)) return problem(request, reply, 400, 'bad-target', 'Bad Request', badTarget(target));
      const stop = new AbortController();
      // 'close' before the answer was written: the browser went away (a closed tab, an aborted
      // fetch, HAProxy passing on the client's FIN). The answer's own 'close' comes after finishing.
      const pageGone = () => {
        if (!reply.raw.writableFinished) stop.abort();
      };
      reply.raw.once('close', pageGone);
      try {
        // The suite's connections go through the byte tap into this session's captures only.
        const captures = app.captures;
        const sessionId = request.sessionId!;
        const tap = captures ? new OutboundTap((transport) => captures.trackOutbound(sessionId, request.ip, transport)) : undefined;
        const report = await check(protocol, target, request.ip, stop.signal, tap);
        if (report.reason === 'busy') {
          return problem(request, reply, 429, 'check-already-running', 'Too Many Requests', report.refusal!);
        }
        // A refused or unreachable target is a report too (reachable: false, its reason): the
        // request was fine, the page shows the refusal where the results would be.
        reply.header('cache-control', 'no-store');
        return report;
      } finally {
        reply.raw.off('close', pageGone);
      }
    },
  );

  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: OWN_SERVER_CHECKS_PATH,
    schema: { hide: true },
    handler: (request, reply) => problem(request, reply, 405, 'method-not-allowed', 'Method Not Allowed', text.methodNotAllowed(request.method), { allow: 'POST' }),
  });
}
