// `POST /_wirelab/own-server/checks`: the web page's "check my server". The student is the
// address their request came from (`request.ip`: behind HAProxy, the PROXY protocol's), the suite
// runs while the request is open, and when the browser's request closes first (the page closed,
// the fetch aborted) the suite is stopped and every connection it holds is destroyed.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import type { OwnServerExerciseVerdict } from '../../contracts/exercise-checks/own-server-fixed.ts';
import { sendProblem } from '../answers/http-answers.ts';
import { createAddressGuard, provenClient, refusals, type GuardPolicy } from './address-guard.ts';
import type { IncomingMessage } from 'node:http';
import { ConnectionBudget, OutboundTap, parseTarget } from './connection.ts';
import {
  nonLatin1Character,
  OWN_SERVER_HTTP_PATH,
  RELAY_FRAMING_HEADERS,
  RELAY_LIMITS,
  RELAYED_METHODS,
  RelayFailure,
  relayHttp,
  relayRequestSchema,
} from './http-relay.ts';
import type { OwnServerHttpRequest } from '../../contracts/own-server/http-relay.ts';
import {
  CHECK_REQUEST_BODY_LIMIT,
  checkRequestSchema,
  strictBodies,
  OWN_SERVER_CHECKS_PATH,
  routeMessages as text,
  type CheckRequest,
} from './route-schema.ts';
import { badTarget, createOwnServerChecker, type OwnServerChecker } from './runner.ts';
import { wirelabItselfTest, type ChecksArrivingBack } from './wirelab-itself.ts';
import { grpcRelayRoute, OWN_SERVER_RUNNER_PATH } from './grpc-relay.ts';
import { serveWebSocketRelay } from './websocket-relay.ts';
import { serveMqttRelay } from './mqtt-relay.ts';
import { isEventStream, openEventStream, RELAYED_CSP } from './sse-relay.ts';
import { OWN_SERVER_SSE_RELAY_PATH, RELAY_PATH_PATTERN, relayFactText } from '../../contracts/own-server/relays.ts';

export interface OwnServerRouteOptions {
  /** false: `OWN_SERVERS=off`, every request is answered 403. */
  enabled: boolean;
  /** the ports no outbound connection reaches, and whether a loopback client is this machine's user (TRUST_PROXY) */
  policy?: GuardPolicy;
  /** an upgrade's client as request.ip names it (X-Forwarded-For behind a trusted proxy); absent: the TCP peer */
  clientOf?: (req: IncomingMessage) => string;
  /** What Wirelab's own listener saw arrive (server/app.ts): a run that came back through a forwarder is Wirelab's. */
  arrivingBack?: ChecksArrivingBack;
  /** The runner; tests may give their own. One per process: one suite at a time per student. */
  checker?: OwnServerChecker;
  /**
   * A suite this route ran has ended and its report goes to the page that asked (not after the
   * page went away): the classroom keeps a class member's summary (server/classroom/board/server-checks.ts).
   * Awaited, so the board has it when the page does; never fails the answer.
   */
  suiteEnded?(report: CheckReport, request: FastifyRequest): Promise<unknown> | undefined;
  /**
   * The same moment, for lesson 15's verdict: the run is kept for the page's own session
   * (run-history.ts, wired in server/app.ts) and what it means for the exercise is answered to the
   * page as `exercise`; null or absent: not the page's run (a curl token alone), nothing kept.
   */
  runEnded?(report: CheckReport, request: FastifyRequest): OwnServerExerciseVerdict | null;
}

const problem = (
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  slug: string,
  title: string,
  message: Bilingual,
  headers?: Record<string, string>,
) => sendProblem(request, reply, status, slug, title, message, headers);

export default async function ownServerRoutes(app: FastifyInstance, options: OwnServerRouteOptions): Promise<void> {
  // The listening address is read at each run: Wirelab's own port is known only once it listens.
  // One budget for the process: a student's checks and their HTTP cells share their four connections.
  const budget = new ConnectionBudget();
  // The consoles' relays (WebSocket, MQTT): upgrades routed by the one-port server, same budget.
  const { enabled, policy, clientOf } = options;
  serveWebSocketRelay(app, { enabled, policy, clientOf, budget, captures: app.captures });
  serveMqttRelay(app, { enabled, policy, clientOf, budget, captures: app.captures });
  const check =
    options.checker ??
    createOwnServerChecker({
      enabled,
      policy,
      budget,
      isWirelab: wirelabItselfTest(() => app.server.address()),
      arrivingBack: options.arrivingBack,
    });
  // Records a request's connections in the byte tap for the session that asked, and nobody else's.
  const tapFor = (request: FastifyRequest): OutboundTap | undefined => {
    const captures = app.captures;
    const sessionId = request.sessionId;
    return captures && sessionId ? new OutboundTap((transport) => captures.trackOutbound(sessionId, request.ip, transport)) : undefined;
  };
  const relaying = (request: FastifyRequest) => request.url.startsWith(OWN_SERVER_HTTP_PATH);

  refuseBeforeTheBody(app, options.enabled);
  answerBadRequests(app, relaying);
  checksRoute(app, options, check, tapFor);

  // A lesson's HTTP cell aimed at "my server": the cell's request, sent by Wirelab, the answer as it came.
  httpRelayRoute(app, { enabled, policy, budget, tapFor });

  // A lesson's gRPC cell aimed at "my server": the runner's channel, its calls made to the student's server.
  grpcRelayRoute(app, {
    enabled,
    policy,
    budget,
    tapFor: (sessionId, address) => {
      const captures = app.captures;
      return captures ? new OutboundTap((transport) => captures.trackOutbound(sessionId, address, transport)) : undefined;
    },
  });

  // The SSE console aimed at "my server": the student's event stream, passed through as it comes.
  eventStreamRelayRoute(app, { enabled, policy, budget, tapFor });

  methodNotAllowedRoutes(app);
}

/** Refusals before the body is read: the feature off for the class, then no session. */
function refuseBeforeTheBody(app: FastifyInstance, enabled: boolean): void {
  app.addHook('onRequest', async (request, reply) => {
    // The gRPC cells' channel is a WebSocket: a 403 would reach the page as a bare close (1006);
    // it refuses in its own words (no session: 1008; the feature off: every call, by the guard).
    if (request.url.startsWith(OWN_SERVER_RUNNER_PATH)) return;
    if (!enabled) return problem(request, reply, 403, 'own-servers-off', 'Forbidden', refusals.off().localized);
    // A script without a session would make the server a scanner of its own loopback ports for anyone; a page has one.
    if (!request.sessionId) return problem(request, reply, 403, 'session-required', 'Forbidden', text.sessionRequired());
  });
}

/** A bad body, a wrong media type or a body too large: problem+json in both languages, never a stack. */
function answerBadRequests(app: FastifyInstance, relaying: (request: FastifyRequest) => boolean): void {
  app.setValidatorCompiler(strictBodies);
  // JSON only: Fastify would otherwise hand a text/plain body to the schema as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const first = error.validation[0];
      const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
      const detail = `body${first?.instancePath ?? ''} ${first?.message ?? ''}${extra ? `: ${extra}` : ''}`.trim();
      return problem(request, reply, 400, 'bad-check-request', 'Bad Request', relaying(request) ? text.badRelayBody(detail) : text.badBody(detail));
    }
    if (error.statusCode === 415)
      return problem(request, reply, 415, 'unsupported-media-type', 'Unsupported Media Type', text.notJson(String(request.headers['content-type'] ?? '')));
    if (error.statusCode === 413)
      return problem(
        request,
        reply,
        413,
        'body-too-large',
        'Content Too Large',
        relaying(request) ? text.relayTooLarge(RELAY_LIMITS.bodyBytes) : text.tooLarge(CHECK_REQUEST_BODY_LIMIT),
      );
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return problem(request, reply, 400, 'bad-check-request', 'Bad Request', text.badBody(error.message));
    request.log.error({ err: error }, 'own-server check failed');
    return problem(request, reply, 500, 'internal', 'Internal Server Error', text.internal());
  });
}

/** `POST /_wirelab/own-server/checks`: runs the suite while the page waits, stopped when the page goes away. */
function checksRoute(
  app: FastifyInstance,
  options: OwnServerRouteOptions,
  check: OwnServerChecker,
  tapFor: (request: FastifyRequest) => OutboundTap | undefined,
): void {
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
        const report = await check(protocol, target, provenClient(request.socket), stop.signal, tapFor(request));
        if (report.reason === 'busy') {
          return problem(request, reply, 429, 'check-already-running', 'Too Many Requests', report.refusal!);
        }
        // A refused or unreachable target is a report too (reachable: false, its reason): the
        // request was fine, the page shows the refusal where the results would be.
        reply.header('cache-control', 'no-store');
        if (stop.signal.aborted) return report;
        await Promise.resolve(options.suiteEnded?.(report, request)).catch((error: unknown) =>
          request.log.warn({ err: error }, 'own-server: suiteEnded failed'),
        );
        const exercise = exerciseOf(options, report, request);
        // the connections' ids are this process's capture channel's
        const instance = app.captures && tapFor(request) ? { captureInstance: app.captures.instance } : {};
        return { ...report, ...instance, ...(exercise ? { exercise } : {}) };
      } finally {
        reply.raw.off('close', pageGone);
      }
    },
  );
}

/** Both POST-only paths answer other methods 405 with Allow. */
function methodNotAllowedRoutes(app: FastifyInstance): void {
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: OWN_SERVER_HTTP_PATH,
    schema: { hide: true },
    handler: (request, reply) =>
      problem(request, reply, 405, 'method-not-allowed', 'Method Not Allowed', text.relayMethodNotAllowed(request.method), { allow: 'POST' }),
  });

  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: OWN_SERVER_CHECKS_PATH,
    schema: { hide: true },
    handler: (request, reply) =>
      problem(request, reply, 405, 'method-not-allowed', 'Method Not Allowed', text.methodNotAllowed(request.method), { allow: 'POST' }),
  });
}

/** Lesson 15's verdict on a run (runEnded); a failure to keep it is logged, never the student's answer's. */
function exerciseOf(options: OwnServerRouteOptions, report: CheckReport, request: FastifyRequest): OwnServerExerciseVerdict | null {
  try {
    return options.runEnded?.(report, request) ?? null;
  } catch (error) {
    request.log.warn({ err: error }, 'own-server: the run could not be kept for the lesson');
    return null;
  }
}

const RELAY_TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  429: 'Too Many Requests',
  499: 'Client Closed Request',
  502: 'Bad Gateway',
  504: 'Gateway Timeout',
};

/** A relayed request that got no answer: its problem+json, the fact in both languages. */
function relayProblem(request: FastifyRequest, reply: FastifyReply, error: RelayFailure) {
  return problem(request, reply, error.status, error.slug, RELAY_TITLES[error.status] ?? 'Bad Gateway', error.localized);
}

/** `POST /_wirelab/own-server/http`: a lesson's HTTP cell's request, sent by Wirelab to the student's server, the answer as it came. */
function httpRelayRoute(
  app: FastifyInstance,
  relay: { enabled: boolean; policy?: GuardPolicy; budget: ConnectionBudget; tapFor: (request: FastifyRequest) => OutboundTap | undefined },
): void {
  const { enabled, policy, budget, tapFor } = relay;
  app.post<{ Body: OwnServerHttpRequest }>(
    OWN_SERVER_HTTP_PATH,
    { schema: { body: relayRequestSchema, hide: true }, bodyLimit: RELAY_LIMITS.routeBodyBytes },
    async (request, reply) => {
      const target = parseTarget(request.body.target.trim());
      if (!target) return problem(request, reply, 400, 'bad-target', 'Bad Request', badTarget(request.body.target.trim()));
      const method = request.body.method.toUpperCase();
      if (!(RELAYED_METHODS as readonly string[]).includes(method))
        return problem(request, reply, 400, 'method-not-relayed', 'Bad Request', text.methodNotRelayed(request.body.method, RELAYED_METHODS));
      for (const [name, value] of request.body.headers) {
        const character = nonLatin1Character(value);
        if (character) return problem(request, reply, 400, 'header-not-latin1', 'Bad Request', text.headerNotLatin1(name, character));
      }
      const framing = request.body.headers.find(([name]) => RELAY_FRAMING_HEADERS.includes(name.toLowerCase()));
      if (framing) return problem(request, reply, 400, 'framing-header', 'Bad Request', text.framingHeader(framing[0]));
      if (request.body.body !== null && Buffer.byteLength(request.body.body) > RELAY_LIMITS.bodyBytes) {
        return problem(request, reply, 413, 'body-too-large', 'Content Too Large', text.relayTooLarge(RELAY_LIMITS.bodyBytes));
      }
      const stop = new AbortController();
      const pageGone = () => {
        if (!reply.raw.writableFinished) stop.abort();
      };
      reply.raw.once('close', pageGone);
      try {
        const guard = createAddressGuard({ ...policy, studentAddress: provenClient(request.socket), enabled });
        const answer = await relayHttp(target, request.body, { guard, budget, stop: stop.signal, tap: tapFor(request) });
        reply.header('cache-control', 'no-store');
        return answer;
      } catch (error) {
        if (!(error instanceof RelayFailure)) throw error;
        return relayProblem(request, reply, error);
      } finally {
        reply.raw.off('close', pageGone);
      }
    },
  );
}

/** `GET /_wirelab/own-server/sse-relay`: the SSE console's stream from the student's server, passed through as it comes. */
function eventStreamRelayRoute(
  app: FastifyInstance,
  relay: { enabled: boolean; policy?: GuardPolicy; budget: ConnectionBudget; tapFor: (request: FastifyRequest) => OutboundTap | undefined },
): void {
  app.get<{ Querystring: { target?: string; path?: string } }>(OWN_SERVER_SSE_RELAY_PATH, { schema: { hide: true } }, async (request, reply) => {
    const targetText = (request.query.target ?? '').trim();
    const target = parseTarget(targetText);
    if (!target) return problem(request, reply, 400, 'bad-target', 'Bad Request', badTarget(targetText));
    const path = request.query.path ?? '';
    if (!RELAY_PATH_PATTERN.test(path))
      return problem(request, reply, 400, 'bad-check-request', 'Bad Request', relayFactText({ fact: 'bad-request', field: 'path', value: path.slice(0, 60) }));
    const stop = new AbortController();
    // the page closed or its fetch/EventSource stopped: the connection to the student's server goes too
    reply.raw.once('close', () => stop.abort());
    const lastEventId = request.headers['last-event-id'];
    let stream: Awaited<ReturnType<typeof openEventStream>>;
    try {
      const guard = createAddressGuard({ ...relay.policy, studentAddress: provenClient(request.socket), enabled: relay.enabled });
      stream = await openEventStream(target, path, typeof lastEventId === 'string' ? lastEventId : undefined, {
        guard,
        budget: relay.budget,
        stop: stop.signal,
        tap: relay.tapFor(request),
      });
    } catch (error) {
      if (!(error instanceof RelayFailure)) throw error;
      return relayProblem(request, reply, error);
    }
    const type = stream.headers['content-type'];
    if (!isEventStream(type)) {
      stream.destroy();
      return problem(request, reply, 502, 'not-event-stream', 'Bad Gateway', text.notEventStream(stream.statusCode ?? 0, type ?? ''));
    }
    reply.hijack();
    reply.raw.writeHead(stream.statusCode ?? 502, {
      'content-type': type!,
      'cache-control': 'no-store',
      'content-security-policy': RELAYED_CSP,
    });
    reply.raw.flushHeaders();
    stream.on('data', (chunk: Buffer) => reply.raw.write(chunk));
    stream.once('end', () => reply.raw.end());
    // reset, or cut at the byte cap: the browser sees its stream break, as it would on a direct one
    stream.once('error', () => reply.raw.destroy());
  });
}
