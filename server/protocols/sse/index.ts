import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bilingual } from '../../../shared/bilingual.ts';
import { ConnectionQuota, quotaKey } from '../../limits/connection-quota.ts';
import { quotaRefusalText } from '../../limits/messages.ts';
import { formatEvent, formatRetry } from '../../../wire/sse/encode-sse.ts';
import { accepts, messages, sendProblem, single, unknownParameters } from '../../answers/http-answers.ts';
import {
  DEFAULT_HEARTBEAT_S,
  EVENTS_PATH,
  GAP_EVENT,
  MAX_HEARTBEAT_S,
  MAX_STREAMS_PER_SESSION,
  MIN_HEARTBEAT_S,
  RETRY_MS,
  SHUTDOWN_EVENT,
  SHUTDOWN_RETRY_MS,
} from './limits.ts';
import { planReplay } from '../../domain/event-replay.ts';
import { eventsRouteDocs } from './openapi-docs.ts';
import { EventStream } from './event-stream.ts';

export { EVENTS_PATH } from './limits.ts';

const QUERY = ['heartbeat', 'lastEventId'] as const;
const EVENT_ID = /^\d{1,15}$/;

/**
 * Server-Sent Events at /api/v1/events (README.md beside this file): the session's sandbox's
 * domain events as named events with the bus's ids, resumable with Last-Event-ID. Registered
 * outside the REST plugin, so its rate limit and hooks never touch a long-lived stream.
 */
async function ssePlugin(app: FastifyInstance): Promise<void> {
  const quota = new ConnectionQuota(MAX_STREAMS_PER_SESSION, { budget: app.clientBudget, kind: 'sse' });
  const open = new Set<EventStream>();
  let closing = false;

  app.route({
    method: 'GET',
    url: EVENTS_PATH,
    // A HEAD would be held open with nothing to say.
    exposeHeadRoute: false,
    config: { openapi: eventsRouteDocs },
    handler: (request, reply) => {
      if (closing) return sendProblem(request, reply, 503, 'shutting-down', 'Service Unavailable', messages.shuttingDown(), { 'retry-after': '5' });
      const accept = request.headers.accept;
      if (!accepts(accept, ['*/*', 'text/*', 'text/event-stream'])) {
        return sendProblem(request, reply, 406, 'not-acceptable', 'Not Acceptable', messages.notAcceptable('text/event-stream', accept ?? ''));
      }
      const query = readStreamQuery(request);
      if ('problem' in query) return sendProblem(request, reply, 400, query.problem.type, 'Bad Request', query.problem.text);

      const admission = quota.take(quotaKey(request.sessionId, request.sandboxId, request.ip), request.ip);
      if (admission.refused) {
        const what = { en: 'event streams', ru: 'потоков событий' };
        const text = quotaRefusalText(what, admission.refused, messages.tooMany(what, MAX_STREAMS_PER_SESSION));
        return sendProblem(request, reply, 429, 'too-many-streams', 'Too Many Requests', text, { 'retry-after': String(RETRY_MS / 1000) });
      }

      const stream = openStream(app, request, reply, query);
      open.add(stream);
      reply.raw.once('close', () => {
        admission.release();
        open.delete(stream);
      });
    },
  });

  app.route({
    method: ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
    url: EVENTS_PATH,
    // Only 405s: no operation of the OpenAPI document.
    schema: { hide: true },
    handler: (request, reply) =>
      sendProblem(request, reply, 405, 'method-not-allowed', 'Method Not Allowed', messages.methodNotAllowed(EVENTS_PATH, request.method), { allow: 'GET' }),
  });

  // Open streams would keep close() waiting: a last event says why, and asks for a later retry.
  app.addHook('preClose', async () => {
    closing = true;
    const last = formatEvent({
      event: SHUTDOWN_EVENT,
      retry: SHUTDOWN_RETRY_MS,
      data: JSON.stringify({
        message: {
          en: `The server is shutting down; the browser reconnects in ${SHUTDOWN_RETRY_MS / 1000} s and resumes with Last-Event-ID.`,
          ru: `Сервер выключается; браузер переподключится через ${SHUTDOWN_RETRY_MS / 1000} с и продолжит с Last-Event-ID.`,
        },
      }),
    });
    for (const stream of open) stream.end(last);
  });
}

/** The stream's query: its heartbeat and where to resume (Last-Event-ID), or the 400 it deserves. */
function readStreamQuery(request: FastifyRequest): StreamQuery {
  const unknown = unknownParameters(request.query, QUERY);
  if (unknown.length > 0) return { problem: { type: 'bad-request', text: messages.unknownParameter(unknown, QUERY) } };
  const heartbeatRaw = single(request.query, 'heartbeat');
  let heartbeatS = DEFAULT_HEARTBEAT_S;
  if (heartbeatRaw !== undefined) {
    heartbeatS = heartbeatRaw !== null && /^\d{1,3}$/.test(heartbeatRaw) ? Number(heartbeatRaw) : NaN;
    if (!(heartbeatS >= MIN_HEARTBEAT_S && heartbeatS <= MAX_HEARTBEAT_S)) {
      const text = messages.wholeNumber('heartbeat', String(heartbeatRaw), MIN_HEARTBEAT_S, MAX_HEARTBEAT_S, { en: 'seconds', ru: 'секунд' });
      return { problem: { type: 'bad-request', text } };
    }
  }
  // EventSource sends the header on its own reconnects; the query is for a first connect by hand.
  const header = request.headers['last-event-id'];
  const fromQuery = single(request.query, 'lastEventId');
  const resumeRaw = typeof header === 'string' && header.trim() !== '' ? header.trim() : fromQuery === undefined || fromQuery === '' ? undefined : fromQuery;
  if (resumeRaw !== undefined && (resumeRaw === null || !EVENT_ID.test(resumeRaw))) {
    return { problem: { type: 'bad-last-event-id', text: messages.badEventId(String(resumeRaw)) } };
  }
  return { heartbeatS, ...(resumeRaw === undefined ? {} : { resumeAfter: Number(resumeRaw) }) };
}

type StreamQuery = { heartbeatS: number; resumeAfter?: number } | { problem: { type: string; text: Bilingual } };

/** Hijacks the response into an event stream: the events missed since `resumeAfter`, then the live feed of the sandbox. */
function openStream(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, query: { heartbeatS: number; resumeAfter?: number }): EventStream {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    // Every proxy and cache on the way must pass each event on at once, not store the response.
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  const stream = new EventStream(response, query.heartbeatS * 1000);
  // Synchronously from here to the writes: no event can slip between the replay and the live feed.
  const unsubscribe = app.domain.events.subscribe((event) => stream.sendEvent(event), { sandboxId: request.sandboxId });
  response.once('close', () => {
    stream.stop();
    unsubscribe();
  });
  stream.write(formatRetry(RETRY_MS));
  if (query.resumeAfter !== undefined) {
    const plan = planReplay(app.domain.events, query.resumeAfter, request.sandboxId);
    if (plan.gap) stream.write(formatEvent({ event: GAP_EVENT, data: JSON.stringify(plan.gap) }));
    for (const event of plan.events) stream.sendEvent(event);
  }
  return stream;
}

export default fp(ssePlugin, { name: 'wirelab-sse', dependencies: ['wirelab-domain', 'wirelab-session', 'wirelab-limits'] });
