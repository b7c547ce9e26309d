import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bilingual } from '../../../shared/bilingual.ts';
import type { DomainEvent } from '../../domain/index.ts';
import { accepts, messages, sendProblem, single, unknownParameters } from '../../answers/http-answers.ts';
import { planReplay, type ReplayPlan } from '../../domain/event-replay.ts';
import { ConnectionQuota, quotaKey } from '../../limits/connection-quota.ts';
import { quotaRefusalText } from '../../limits/messages.ts';
import { DEFAULT_HOLD_S, MAX_EVENTS_PER_ANSWER, MAX_HELD_PER_SESSION, MAX_HOLD_S, POLL_PATH, SHUTDOWN_RETRY_AFTER_S } from './limits.ts';
import { pollRouteDocs } from './openapi-docs.ts';

export { POLL_PATH } from './limits.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Polls being held right now (all sandboxes): what a status page, or a test, may watch. */
    heldPolls(): number;
  }
}

const QUERY = ['since', 'timeout'] as const;
const CURSOR = /^\d{1,15}$/;
/** `since=now`: the current cursor, without the events the server keeps. */
const SINCE_NOW = 'now';

/** The body of a 200: the events after `since`, and the cursor to send as the next `since`. */
export interface PollAnswer {
  events: Array<Pick<DomainEvent, 'id' | 'type' | 'at' | 'data'>>;
  cursor: number;
  /** how long the server held this request before answering */
  held_ms: number;
  /** more events are waiting: the next poll gets them at once */
  more: boolean;
  /** present when events may have been lost (the cursor is older than the buffer, or from before a restart) */
  gap?: ReplayPlan['gap'];
}

function heldSince(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}

/**
 * Long polling at /api/v1/poll?since=<cursor>&timeout=<s> (README.md beside this file): answers
 * at once when the sandbox has events after `since`, otherwise holds the request until one
 * happens (200) or the hold time runs out (204). Outside the REST plugin, like SSE.
 */
async function longPollingPlugin(app: FastifyInstance): Promise<void> {
  const quota = new ConnectionQuota(MAX_HELD_PER_SESSION, { budget: app.clientBudget, kind: 'longPoll' });
  // held polls → how to answer them when the server shuts down
  const held = new Set<() => void>();
  let closing = false;
  app.decorate('heldPolls', () => held.size);

  app.route({
    method: 'GET',
    url: POLL_PATH,
    exposeHeadRoute: false,
    config: { openapi: pollRouteDocs },
    handler: (request, reply) => {
      if (closing) {
        return sendProblem(request, reply, 503, 'shutting-down', 'Service Unavailable', messages.shuttingDown(), {
          'retry-after': String(SHUTDOWN_RETRY_AFTER_S),
        });
      }
      const accept = request.headers.accept;
      if (!accepts(accept, ['*/*', 'application/*', 'application/json'])) {
        return sendProblem(request, reply, 406, 'not-acceptable', 'Not Acceptable', messages.notAcceptable('application/json', accept ?? ''));
      }
      const query = readPollQuery(request);
      if ('problem' in query) return sendProblem(request, reply, 400, query.problem.type, 'Bad Request', query.problem.text);
      const { sinceRaw, holdS } = query;
      const sandboxId = request.sandboxId;
      const startedAt = performance.now();

      const timing = (reply: FastifyReply): FastifyReply =>
        reply.header('cache-control', 'no-store').header('server-timing', `hold;dur=${heldSince(startedAt)};desc="held by the server"`);

      // "now": no replay, only the cursor to wait from, at once (a client that wants what comes next).
      if (sinceRaw === SINCE_NOW) {
        const body: PollAnswer = { events: [], cursor: app.domain.events.lastId, held_ms: 0, more: false };
        return timing(reply).code(200).type('application/json').send(body);
      }
      const since = Number(sinceRaw);

      /** Answers with what is after `since` if there is anything to say; false: keep waiting. */
      const answerIfAny = (): boolean => {
        const plan = planReplay(app.domain.events, since, sandboxId);
        if (plan.events.length === 0 && !plan.gap) return false;
        const events = plan.events.slice(0, MAX_EVENTS_PER_ANSWER);
        const body: PollAnswer = {
          events: events.map(({ id, type, at, data }) => ({ id, type, at, data })),
          // After a gap with nothing to replay, "now" is where to go on from.
          cursor: events.at(-1)?.id ?? Math.max(since, app.domain.events.lastId),
          held_ms: heldSince(startedAt),
          more: plan.events.length > events.length,
          ...(plan.gap ? { gap: plan.gap } : {}),
        };
        timing(reply).code(200).type('application/json').send(body);
        return true;
      };

      if (answerIfAny()) return reply;
      if (holdS === 0) return timing(reply).code(204).send();

      const admission = quota.take(quotaKey(request.sessionId, sandboxId, request.ip), request.ip);
      if (admission.refused) {
        const what = { en: 'waiting polls', ru: 'ожидающих запросов' };
        const text = quotaRefusalText(what, admission.refused, messages.tooMany(what, MAX_HELD_PER_SESSION));
        return sendProblem(request, reply, 429, 'too-many-polls', 'Too Many Requests', text, { 'retry-after': '1' });
      }

      holdPoll(app, request, reply, { holdS, answerIfAny, timing, release: admission.release, held });
      return reply;
    },
  });

  app.route({
    method: ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
    url: POLL_PATH,
    // Only 405s: no operation of the OpenAPI document.
    schema: { hide: true },
    handler: (request, reply) =>
      sendProblem(request, reply, 405, 'method-not-allowed', 'Method Not Allowed', messages.methodNotAllowed(POLL_PATH, request.method), { allow: 'GET' }),
  });

  // Held polls would keep close() waiting: each gets a 503 with Retry-After at once.
  app.addHook('preClose', async () => {
    closing = true;
    for (const answer of [...held]) answer();
  });
}

type PollQuery = { sinceRaw: string; holdS: number } | { problem: { type: string; text: Bilingual } };

/** `since` (a cursor or "now") and `timeout` (the hold, in seconds), or the 400 they deserve. */
function readPollQuery(request: FastifyRequest): PollQuery {
  const unknown = unknownParameters(request.query, QUERY);
  if (unknown.length > 0) return { problem: { type: 'bad-request', text: messages.unknownParameter(unknown, QUERY) } };
  const sinceRaw = single(request.query, 'since');
  if (typeof sinceRaw !== 'string' || !(CURSOR.test(sinceRaw) || sinceRaw === SINCE_NOW)) {
    return {
      problem: {
        type: 'bad-cursor',
        text: {
          en: `since must be a cursor: 0 for everything the server still keeps, "now" for only what comes next, then the "cursor" of each answer. Got "${sinceRaw ?? ''}".`,
          ru: `since — это курсор: 0, чтобы получить всё, что сервер ещё хранит, «now» — только то, что случится дальше, а потом — «cursor» из каждого ответа. Получено «${sinceRaw ?? ''}».`,
        },
      },
    };
  }
  const timeoutRaw = single(request.query, 'timeout');
  let holdS = DEFAULT_HOLD_S;
  if (timeoutRaw !== undefined) {
    holdS = typeof timeoutRaw === 'string' && /^\d{1,3}$/.test(timeoutRaw) ? Number(timeoutRaw) : NaN;
    if (!(holdS >= 0 && holdS <= MAX_HOLD_S)) {
      const text = messages.wholeNumber('timeout', String(timeoutRaw), 0, MAX_HOLD_S, { en: 'seconds', ru: 'секунд' });
      return { problem: { type: 'bad-request', text } };
    }
  }
  return { sinceRaw, holdS };
}

interface HeldPoll {
  holdS: number;
  /** answers if there is anything to say; false: keep waiting */
  answerIfAny(): boolean;
  timing(reply: FastifyReply): FastifyReply;
  release(): void;
  /** every held poll's shutdown answer */
  held: Set<() => void>;
}

/** Holds the poll until an event of its sandbox (200), the hold runs out (204), the server shuts down (503) or the client leaves. */
function holdPoll(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, poll: HeldPoll): void {
  let finished = false;
  let pending: NodeJS.Immediate | null = null;
  const finish = (): void => {
    finished = true;
    clearTimeout(timer);
    if (pending) clearImmediate(pending);
    unsubscribe();
    poll.release();
    poll.held.delete(onShutdown);
  };
  const onShutdown = (): void => {
    if (finished) return;
    finish();
    sendProblem(request, reply, 503, 'shutting-down', 'Service Unavailable', messages.shuttingDown(), { 'retry-after': String(SHUTDOWN_RETRY_AFTER_S) });
  };
  // Answer on the next turn, not inside the emitter: changes made together (one request's) go in one answer.
  const unsubscribe = app.domain.events.subscribe(
    () => {
      pending ??= setImmediate(() => {
        pending = null;
        if (finished) return;
        if (poll.answerIfAny()) finish();
      });
    },
    { sandboxId: request.sandboxId },
  );
  const timer = setTimeout(() => {
    if (finished) return;
    finish();
    poll.timing(reply).code(204).send();
  }, poll.holdS * 1000);
  poll.held.add(onShutdown);
  // The client gave up (a dropped poll): stop waiting for it.
  reply.raw.once('close', () => {
    if (!finished) finish();
  });
}

export default fp(longPollingPlugin, { name: 'wirelab-long-polling', dependencies: ['wirelab-domain', 'wirelab-session', 'wirelab-limits'] });
