import type { Bilingual } from '../../../../shared/bilingual.ts';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { SHARED_SANDBOX } from '../../../session/session-id.ts';
import { ConnectionQuota, quotaKey } from '../../../limits/connection-quota.ts';
import { sendProblem } from '../../../answers/http-answers.ts';
import { formatComment, formatEvent } from '../../../../wire/sse/encode-sse.ts';
import { SHUTDOWN_EVENT } from '../../../../contracts/sse/events.ts';
import { ChangeBudget } from './change-budget.ts';
import type { LabRegistry } from './lab-registry.ts';
import { PipelineLab, type ConsumerRole } from './pipeline-lab.ts';
import { directNotification, encodeNotification, notificationTopic, qos1PublishBytes } from './notification.ts';
import { CONSUMER_NAME, MAX_BODY_DEPTH, NOTIFIER, PIPELINE_PATH, RETRY_AFTER_S, type PipelineLimits } from './limits.ts';
import { pipelineMessages as text } from './messages.ts';
import { pipelineRouteDocs } from './openapi-docs.ts';
import { bodyProblem, consumerChangeSchema, CONSUMER_KEYS, directCallSchema, NOTIFICATION_KEYS, strictValidatorCompiler, tooDeep } from './schemas.ts';

export interface RouteContext {
  registry: LabRegistry;
  limits: PipelineLimits;
  /** the broker's packet limit (remaining length): the direct call's notification must fit one */
  maxPacketBytes: number;
  /** false once the server closes, or while it has no TCP port for the consumers */
  available(): 'ok' | 'closing' | 'not-listening';
}

type Problem = (
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  slug: string,
  title: string,
  message: Bilingual,
  headers?: Record<string, string>,
) => FastifyReply;
const problem: Problem = (request, reply, status, slug, title, message, headers) => sendProblem(request, reply, status, slug, title, message, headers);

interface ConsumerChange {
  role?: ConsumerRole;
  running?: boolean;
  delayMs?: number;
}

/** The lab's HTTP routes (README.md beside this file, "HTTP"): bodies checked by their JSON schemas. */
export async function registerLabRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { registry, limits } = context;
  // The lab's event streams are SSE streams: they count in the address's SSE budget too.
  const streams = new ConnectionQuota(limits.maxStreamsPerSession, { budget: app.clientBudget, kind: 'sse' });
  const changes = new ChangeBudget(limits.maxChanges.count, limits.maxChanges.windowMs);
  // An open stream would keep close() waiting for ever: a last event says why, and asks for a later retry.
  const openStreams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    const last = formatEvent({
      event: SHUTDOWN_EVENT,
      retry: RETRY_AFTER_S * 1000,
      data: JSON.stringify({ message: text.streamEndsForShutdown(RETRY_AFTER_S) }),
    });
    for (const response of openStreams) response.end(last);
  });
  const overBudget = (request: FastifyRequest, reply: FastifyReply): FastifyReply | null => {
    const wait = changes.take(quotaKey(request.sessionId, request.sandboxId, request.ip));
    if (wait === null) return null;
    return problem(
      request,
      reply,
      429,
      'too-many-changes',
      'Too Many Requests',
      text.tooManyChanges(limits.maxChanges.count, limits.maxChanges.windowMs / 1000),
      { 'retry-after': String(wait) },
    );
  };
  /** The request's lab, or the 429 that refused it (the address's lab budget). */
  const labFor = (request: FastifyRequest, reply: FastifyReply): PipelineLab | FastifyReply => {
    const admission = registry.admit(request.sandboxId, request.ip);
    if (admission.lab) return admission.lab;
    return problem(request, reply, 429, 'too-many-labs', 'Too Many Requests', text.tooManyLabs(admission.max, admission.retryAfterS), {
      'retry-after': String(admission.retryAfterS),
    });
  };

  await app.register(async (scope) => {
    checkedBodies(scope, limits.maxDelayMs);

    scope.addHook('onRequest', async (request, reply) => {
      const available = context.available();
      if (available === 'closing')
        return problem(request, reply, 503, 'shutting-down', 'Service Unavailable', text.shuttingDown(), { 'retry-after': String(RETRY_AFTER_S) });
      if (available === 'not-listening') return problem(request, reply, 503, 'not-listening', 'Service Unavailable', text.notListening());
      // No cookie, no sandbox header: the shared sandbox, everyone's. Its lab would let anyone stop the worker for all.
      if (request.sandboxId === SHARED_SANDBOX) return problem(request, reply, 403, 'session-required', 'Forbidden', text.sessionRequired());
      reply.header('cache-control', 'no-store');
    });

    scope.get(PIPELINE_PATH, { config: { openapi: pipelineRouteDocs.state } }, async (request, reply) => {
      const lab = labFor(request, reply);
      return isLab(lab) ? lab.state() : lab;
    });

    consumerRoutes(scope, { labFor, overBudget, maxDelayMs: limits.maxDelayMs, maxConsumers: limits.maxConsumers });
    notificationRoute(scope, labFor, context.maxPacketBytes);

    labEventsRoute(scope, { streams, maxStreams: limits.maxStreamsPerSession, labFor, open: openStreams });

    for (const path of [PIPELINE_PATH, `${PIPELINE_PATH}/events`]) {
      scope.route({
        method: ['POST', 'PUT', 'PATCH', 'DELETE'],
        url: path,
        schema: { hide: true },
        handler: (request, reply) =>
          problem(request, reply, 405, 'method-not-allowed', 'Method Not Allowed', text.methodNotAllowed(path, request.method), { allow: 'GET' }),
      });
    }
  });
}

type LabFor = (request: FastifyRequest, reply: FastifyReply) => PipelineLab | FastifyReply;

/** What the consumer routes check before a change: the change budget, the lab, the limits. */
interface ConsumerGuards {
  labFor: LabFor;
  /** the 429 of the change budget, or null */
  overBudget(request: FastifyRequest, reply: FastifyReply): FastifyReply | null;
  maxDelayMs: number;
  maxConsumers: number;
}

/** PUT and DELETE …/consumers/:name: a consumer added, changed (running, delay) or removed. */
function consumerRoutes(scope: FastifyInstance, guards: ConsumerGuards): void {
  scope.put<{ Params: { name: string }; Body: ConsumerChange | undefined }>(
    `${PIPELINE_PATH}/consumers/:name`,
    { schema: { body: consumerChangeSchema(guards.maxDelayMs) }, config: { openapi: pipelineRouteDocs.putConsumer } },
    async (request, reply) => {
      const { name } = request.params;
      if (!CONSUMER_NAME.test(name)) return problem(request, reply, 422, 'invalid-consumer', 'Unprocessable Content', text.badName(name.slice(0, 40)));
      const fields = request.body ?? {};
      const refused = guards.overBudget(request, reply);
      if (refused) return refused;
      const lab = guards.labFor(request, reply);
      if (!isLab(lab)) return lab;
      const existing = lab.roleOf(name);
      const role = fields.role ?? existing ?? 'subscriber';
      if (name === NOTIFIER && role !== 'subscriber') return problem(request, reply, 409, 'notifier-is-a-subscriber', 'Conflict', text.notifierRole());
      if (existing && existing !== role) return problem(request, reply, 409, 'role-fixed', 'Conflict', text.roleFixed(name, existing));
      if (!existing && lab.consumerCount >= guards.maxConsumers) {
        return problem(request, reply, 409, 'too-many-consumers', 'Conflict', text.tooManyConsumers(guards.maxConsumers));
      }
      lab.upsert(name, role, { running: fields.running, delayMs: fields.delayMs });
      reply.code(existing ? 200 : 201);
      return lab.state();
    },
  );

  scope.delete<{ Params: { name: string } }>(
    `${PIPELINE_PATH}/consumers/:name`,
    { config: { openapi: pipelineRouteDocs.deleteConsumer } },
    async (request, reply) => {
      const { name } = request.params;
      const refused = guards.overBudget(request, reply);
      if (refused) return refused;
      const lab = guards.labFor(request, reply);
      if (!isLab(lab)) return lab;
      if (name === NOTIFIER) return problem(request, reply, 409, 'notifier-stays', 'Conflict', text.notifierStays());
      if (!lab.has(name)) return problem(request, reply, 404, 'no-such-consumer', 'Not Found', text.noSuchConsumer(name.slice(0, 40)));
      await lab.remove(name);
      return reply.code(204).send();
    },
  );
}

/** POST …/notifications: the direct call, where the caller waits while the worker works, and fails at once while it is down. */
function notificationRoute(scope: FastifyInstance, labFor: LabFor, maxPacketBytes: number): void {
  scope.post<{ Body: { order: number | string; text?: string } }>(
    `${PIPELINE_PATH}/notifications`,
    { schema: { body: directCallSchema }, config: { openapi: pipelineRouteDocs.notify } },
    async (request, reply) => {
      if (request.body === undefined) return problem(request, reply, 422, 'invalid-order', 'Unprocessable Content', text.orderRequired());
      // Checked before anything is published: a PUBLISH past the broker's limit would close the notifier's connection.
      if (encodeNotification(directNotification(request.body, NOTIFIER), maxPacketBytes) === null) {
        const bytes = qos1PublishBytes(notificationTopic(NOTIFIER), Buffer.byteLength(JSON.stringify(directNotification(request.body, NOTIFIER))));
        return problem(request, reply, 413, 'order-too-large', 'Content Too Large', text.orderTooLarge(bytes, maxPacketBytes));
      }
      const lab = labFor(request, reply);
      if (!isLab(lab)) return lab;
      const started = Date.now();
      const result = await lab.callNotifier(request.body);
      if (result === 'reconnecting') {
        return problem(request, reply, 503, 'worker-reconnecting', 'Service Unavailable', text.workerReconnecting(), {
          'retry-after': String(RETRY_AFTER_S),
        });
      }
      if (!result) {
        return problem(request, reply, 503, 'worker-down', 'Service Unavailable', text.workerDown(Date.now() - started), {
          'retry-after': String(RETRY_AFTER_S),
        });
      }
      reply.code(201).header('location', `${PIPELINE_PATH}/notifications`);
      return { notification: result.notification, waitedMs: result.waitedMs };
    },
  );
}

const isLab = (value: PipelineLab | FastifyReply): value is PipelineLab => value instanceof PipelineLab;

/** GET …/events: the lab's state whenever it changes (consumers, backlogs growing and draining), as an SSE stream. */
function labEventsRoute(
  scope: FastifyInstance,
  { streams, maxStreams, labFor, open }: { streams: ConnectionQuota; maxStreams: number; labFor: LabFor; open: Set<ServerResponse> },
): void {
  scope.get(`${PIPELINE_PATH}/events`, { config: { openapi: pipelineRouteDocs.events } }, async (request, reply) => {
    const admission = streams.take(quotaKey(request.sessionId, request.sandboxId, request.ip), request.ip);
    if (admission.refused)
      return problem(request, reply, 429, 'too-many-streams', 'Too Many Requests', text.tooManyStreams(maxStreams), {
        'retry-after': String(RETRY_AFTER_S),
      });
    const lab = labFor(request, reply);
    if (!isLab(lab)) {
      admission.release();
      return lab;
    }
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    const send = (state: unknown) => {
      lab.lastUsed = Date.now();
      response.write(formatEvent({ event: 'state', data: JSON.stringify(state) }));
    };
    const unwatch = lab.watch(send);
    const heartbeat = setInterval(() => response.write(formatComment('keep-alive')), 15_000);
    open.add(response);
    response.once('close', () => {
      open.delete(response);
      clearInterval(heartbeat);
      unwatch();
      admission.release();
    });
    send(await lab.state());
  });
}

/**
 * Bodies are checked before a handler sees them: JSON nested past MAX_BODY_DEPTH is refused before
 * it is parsed (nothing downstream walks a deep value), the route schemas check exact types, and
 * every failure is a problem+json in both languages.
 */
function checkedBodies(scope: FastifyInstance, maxDelayMs: number): void {
  scope.setValidatorCompiler(strictValidatorCompiler);
  // JSON nested past MAX_BODY_DEPTH is refused before it is parsed: nothing downstream walks a deep value.
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const json = body as string;
    if (tooDeep(json)) return done(Object.assign(new Error('too deep'), { statusCode: 422, tooDeep: true }), undefined);
    try {
      done(null, JSON.parse(json));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });

  scope.setErrorHandler((error: Error & { statusCode?: number; validation?: ErrorObject[]; tooDeep?: boolean }, request, reply) => {
    if (error.tooDeep) return problem(request, reply, 422, 'too-deep', 'Unprocessable Content', text.tooDeep(MAX_BODY_DEPTH));
    if (error.validation) {
      const known = request.routeOptions.url?.endsWith('/notifications') ? NOTIFICATION_KEYS : CONSUMER_KEYS;
      const found = bodyProblem(error.validation, request.body, known, maxDelayMs);
      return problem(request, reply, 422, found.slug, 'Unprocessable Content', found.message);
    }
    if (error.statusCode === 413)
      return problem(request, reply, 413, 'body-too-large', 'Content Too Large', text.bodyTooLarge(scope.initialConfig.bodyLimit ?? 1_048_576));
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'pipeline lab failed');
    return problem(
      request,
      reply,
      status,
      status === 500 ? 'internal' : 'bad-request',
      status === 500 ? 'Internal Server Error' : 'Bad Request',
      status === 500 ? text.internal() : text.unreadableBody(error.message),
    );
  });
}
