import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Aedes, AedesPublishPacket } from 'aedes';
import { ConnectionQuota, quotaKey } from '../../shared/connection-quota.ts';
import { sendProblem } from '../../shared/http-answers.ts';
import type { Bilingual } from '../../shared/bilingual.ts';
import { queuedCount, type BrokerPersistence } from '../broker-persistence.ts';
import { SANDBOX_TOPIC_ROOT, toBrokerClientId } from '../topics.ts';
import { PipelineLab, type ConsumerRole } from './pipeline-lab.ts';
import { CONSUMER_NAME, DEFAULT_PIPELINE_LIMITS, LAB_CLIENT_PREFIX, NOTIFIER, PIPELINE_PATH, RETRY_AFTER_S, type PipelineLimits } from './limits.ts';
import { pipelineMessages as text } from './messages.ts';
import { ChangeBudget } from './change-budget.ts';

export { DEFAULT_PIPELINE_LIMITS, PIPELINE_PATH, type PipelineLimits } from './limits.ts';

export interface PipelineOptions {
  broker: Aedes;
  /** the broker's store: what it holds for a lab consumer is that consumer's backlog */
  store: BrokerPersistence;
  limits?: Partial<PipelineLimits>;
}

/** What the broker plugin asks the lab about its sessions. */
export interface PipelineHooks {
  /** the queue bound of a broker client id: the lab's backlog cap for its own consumers, else undefined */
  maxQueuedFor(brokerClientId: string): number | undefined;
  /** the broker did not store a message for a session whose queue was full */
  dropped(brokerClientId: string): void;
  /** a client's PUBLISH was authorized: an order for a sandbox's lab, if it is one (topic as the client sent it) */
  accepted(sandbox: string, topic: string, payload: Buffer): void;
}

const CONSUMER_KEYS = ['role', 'running', 'delayMs'];
const NOTIFICATION_KEYS = ['order', 'text'];

/**
 * The "order → notification" lab (README.md beside this file): per sandbox, a notification
 * worker and other consumers that are real MQTT clients of the broker, a direct REST call to
 * the worker beside it, and the lab's state live over Server-Sent Events.
 */
export async function registerPipelineLab(app: FastifyInstance, options: PipelineOptions): Promise<PipelineHooks> {
  const limits: PipelineLimits = { ...DEFAULT_PIPELINE_LIMITS, ...options.limits };
  const labs = new Map<string, PipelineLab>();
  // The lab's event streams are SSE streams: they count in the address's SSE budget too.
  const streams = new ConnectionQuota(limits.maxStreamsPerSession, { budget: app.clientBudget, kind: 'sse' });
  const changes = new ChangeBudget(limits.maxChanges.count, limits.maxChanges.windowMs);
  const overBudget = (request: FastifyRequest, reply: FastifyReply): FastifyReply | null => {
    const wait = changes.take(quotaKey(request.sessionId, request.sandboxId, request.ip));
    if (wait === null) return null;
    return problem(request, reply, 429, 'too-many-changes', 'Too Many Requests', text.tooManyChanges(limits.maxChanges.count, limits.maxChanges.windowMs / 1000), { 'retry-after': String(wait) });
  };
  let closing = false;

  const target = (): { host: string; port: number } | null => {
    const address = app.server.address() as AddressInfo | string | null;
    if (!address || typeof address === 'string') return null;
    const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
    return { host, port: address.port };
  };

  // A little past the cap: a queue that concurrent publishes pushed over it still counts right.
  const countBacklog = (sandbox: string, clientId: string): Promise<number> =>
    queuedCount(options.store, toBrokerClientId(sandbox, clientId), limits.maxBacklog + 50);

  function labOf(sandbox: string): PipelineLab {
    let lab = labs.get(sandbox);
    if (!lab) {
      if (labs.size >= limits.maxOpenLabs) sleepLeastRecentlyUsed();
      lab = new PipelineLab({
        sandbox,
        target,
        countBacklog: (clientId) => countBacklog(sandbox, clientId),
        limits,
        warn: (message, details) => app.log.warn({ sandbox, ...details }, message),
      });
      labs.set(sandbox, lab);
    }
    lab.lastUsed = Date.now();
    return lab;
  }

  function sleepLeastRecentlyUsed(): void {
    const oldest = [...labs.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!oldest) return;
    oldest.close();
    labs.delete(oldest.sandbox);
  }

  // Idle labs disconnect their consumers; the sessions stay in the broker and catch up when the lab wakes.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const lab of labs.values()) {
      if (lab.watchers === 0 && now - lab.lastUsed > limits.idleMs) {
        lab.close();
        labs.delete(lab.sandbox);
      }
    }
  }, Math.min(limits.idleMs, 60_000));
  sweep.unref();

  // A lab's state is read from the broker's store: read it again once the store has changed — an
  // order stored for the sandbox's sessions (`publish` comes after aedes enqueued it), a message
  // a lab consumer acknowledged (`ack` comes after aedes cleared it).
  const sandboxRoot = `${SANDBOX_TOPIC_ROOT}/`;
  options.broker.on('publish', (packet) => {
    if (!packet.topic.startsWith(sandboxRoot)) return;
    labs.get(packet.topic.slice(sandboxRoot.length).split('/', 1)[0]!)?.changed();
  });
  options.broker.on('ack', (_packet, client) => {
    const id = client?.id;
    if (id && labClientId(id) !== null) labs.get(id.split('/', 1)[0]!)?.changed();
  });
  // With several instances an order may be PUBLISHed through another one (a tool's TCP connection
  // is not pinned by the cookie): the broker's bus, shared through Redis, brings it here too, after
  // that instance stored it. This instance's own orders were noted when they were authorized.
  const ordersOfEverySandbox = `${SANDBOX_TOPIC_ROOT}/+/orders/#`;
  const orderFromElsewhere = (packet: AedesPublishPacket & { brokerId?: string }, done: () => void): void => {
    if (packet.brokerId !== options.broker.id) {
      const [sandbox, ...topic] = packet.topic.slice(sandboxRoot.length).split('/');
      const payload = packet.payload;
      labs.get(sandbox!)?.orderPublished(topic.join('/'), Buffer.isBuffer(payload) ? payload.toString() : String(payload));
    }
    done();
  };
  options.broker.subscribe(ordersOfEverySandbox, orderFromElsewhere, () => undefined);

  const problem = (request: FastifyRequest, reply: FastifyReply, status: number, slug: string, title: string, message: Bilingual, headers?: Record<string, string>) =>
    sendProblem(request, reply, status, slug, title, message, headers);

  await app.register(async (scope) => {
    // Bodies Fastify cannot parse get the same problem answers as everything else here.
    scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) request.log.error({ err: error }, 'pipeline lab failed');
      return problem(request, reply, status, status === 500 ? 'internal' : 'bad-request', status === 500 ? 'Internal Server Error' : 'Bad Request', status === 500 ? text.internal() : text.unreadableBody(error.message));
    });

    scope.addHook('onRequest', async (request, reply) => {
      if (closing) return problem(request, reply, 503, 'shutting-down', 'Service Unavailable', text.shuttingDown(), { 'retry-after': String(RETRY_AFTER_S) });
      if (!target()) return problem(request, reply, 503, 'not-listening', 'Service Unavailable', text.notListening());
      reply.header('cache-control', 'no-store');
    });

    scope.get(PIPELINE_PATH, async (request) => labOf(request.sandboxId).state());

    scope.put<{ Params: { name: string } }>(`${PIPELINE_PATH}/consumers/:name`, async (request, reply) => {
      const { name } = request.params;
      if (!CONSUMER_NAME.test(name)) return problem(request, reply, 422, 'invalid-consumer', 'Unprocessable Content', text.badName(name));
      const body = request.body ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) return problem(request, reply, 422, 'invalid-consumer', 'Unprocessable Content', text.notObject());
      const fields = body as Record<string, unknown>;
      const unknown = Object.keys(fields).filter((key) => !CONSUMER_KEYS.includes(key));
      if (unknown.length > 0) return problem(request, reply, 422, 'invalid-consumer', 'Unprocessable Content', text.unknownFields(unknown, CONSUMER_KEYS));
      if (fields.role !== undefined && fields.role !== 'subscriber' && fields.role !== 'member') return problem(request, reply, 422, 'invalid-consumer', 'Unprocessable Content', text.badRole(String(fields.role)));
      if (fields.running !== undefined && typeof fields.running !== 'boolean') return problem(request, reply, 422, 'invalid-consumer', 'Unprocessable Content', text.badRunning());
      const delayMs = fields.delayMs;
      if (delayMs !== undefined && !(Number.isInteger(delayMs) && (delayMs as number) >= 0 && (delayMs as number) <= limits.maxDelayMs)) {
        return problem(request, reply, 422, 'delay-out-of-range', 'Unprocessable Content', text.badDelay(JSON.stringify(delayMs), limits.maxDelayMs));
      }
      const refused = overBudget(request, reply);
      if (refused) return refused;
      const lab = labOf(request.sandboxId);
      const existing = lab.roleOf(name);
      const role = (fields.role as ConsumerRole | undefined) ?? existing ?? 'subscriber';
      if (name === NOTIFIER && role !== 'subscriber') return problem(request, reply, 409, 'notifier-is-a-subscriber', 'Conflict', text.notifierRole());
      if (existing && existing !== role) return problem(request, reply, 409, 'role-fixed', 'Conflict', text.roleFixed(name, existing));
      if (!existing && lab.consumerCount >= limits.maxConsumers) {
        return problem(request, reply, 409, 'too-many-consumers', 'Conflict', text.tooManyConsumers(limits.maxConsumers));
      }
      lab.upsert(name, role, { running: fields.running as boolean | undefined, delayMs: delayMs as number | undefined });
      reply.code(existing ? 200 : 201);
      return lab.state();
    });

    scope.delete<{ Params: { name: string } }>(`${PIPELINE_PATH}/consumers/:name`, async (request, reply) => {
      const { name } = request.params;
      const refused = overBudget(request, reply);
      if (refused) return refused;
      const lab = labOf(request.sandboxId);
      if (name === NOTIFIER) return problem(request, reply, 409, 'notifier-stays', 'Conflict', text.notifierStays());
      if (!lab.has(name)) return problem(request, reply, 404, 'no-such-consumer', 'Not Found', text.noSuchConsumer(name));
      await lab.remove(name);
      return reply.code(204).send();
    });

    // The direct call: the caller waits while the worker works, and fails at once while it is down.
    scope.post(`${PIPELINE_PATH}/notifications`, async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return problem(request, reply, 422, 'invalid-order', 'Unprocessable Content', text.notObject());
      const fields = body as Record<string, unknown>;
      const unknown = Object.keys(fields).filter((key) => !NOTIFICATION_KEYS.includes(key));
      if (unknown.length > 0) return problem(request, reply, 422, 'invalid-order', 'Unprocessable Content', text.unknownFields(unknown, NOTIFICATION_KEYS));
      if (fields.order === undefined || (typeof fields.order !== 'number' && typeof fields.order !== 'string')) {
        return problem(request, reply, 422, 'invalid-order', 'Unprocessable Content', text.orderRequired());
      }
      const lab = labOf(request.sandboxId);
      const started = Date.now();
      const result = await lab.callNotifier(fields);
      if (!result) {
        return problem(request, reply, 503, 'worker-down', 'Service Unavailable', text.workerDown(Date.now() - started), { 'retry-after': String(RETRY_AFTER_S) });
      }
      reply.code(201).header('location', `${PIPELINE_PATH}/notifications`);
      return { notification: result.notification, waitedMs: result.waitedMs };
    });

    // The lab's state whenever it changes: consumers, backlogs growing and draining.
    scope.get(`${PIPELINE_PATH}/events`, async (request, reply) => {
      const admission = streams.take(quotaKey(request.sessionId, request.sandboxId, request.ip), request.ip);
      if (admission.refused) return problem(request, reply, 429, 'too-many-streams', 'Too Many Requests', text.tooManyStreams(limits.maxStreamsPerSession), { 'retry-after': String(RETRY_AFTER_S) });
      const lab = labOf(request.sandboxId);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      const send = (state: unknown) => {
        lab.lastUsed = Date.now();
        response.write(`event: state\ndata: ${JSON.stringify(state)}\n\n`);
      };
      const unwatch = lab.watch(send);
      const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
      response.once('close', () => {
        clearInterval(heartbeat);
        unwatch();
        admission.release();
      });
      send(await lab.state());
    });

    for (const path of [PIPELINE_PATH, `${PIPELINE_PATH}/events`]) {
      scope.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url: path, schema: { hide: true }, handler: (request, reply) => problem(request, reply, 405, 'method-not-allowed', 'Method Not Allowed', text.methodNotAllowed(path, request.method), { allow: 'GET' }) });
    }
  });

  // "Reset my data" resets the sandbox's lab too.
  const unsubscribe = app.domain.events.subscribe((event) => {
    if (event.type !== 'sandbox.reset') return;
    const lab = labs.get(event.sandboxId);
    lab?.reset().catch((error: unknown) => app.log.warn({ err: error, sandbox: event.sandboxId }, 'pipeline lab not reset'));
  });

  app.addHook('preClose', async () => {
    closing = true;
    unsubscribe();
    options.broker.unsubscribe(ordersOfEverySandbox, orderFromElsewhere, () => undefined);
    clearInterval(sweep);
    for (const lab of labs.values()) lab.close();
    labs.clear();
  });

  return {
    maxQueuedFor: (brokerClientId) => (labClientId(brokerClientId) !== null ? limits.maxBacklog : undefined),
    accepted: (sandbox, topic, payload) => {
      if (topic.startsWith('orders/')) labs.get(sandbox)?.orderPublished(topic, payload.toString());
    },
    dropped: (brokerClientId) => {
      const sandbox = brokerClientId.split('/', 1)[0]!;
      const clientId = labClientId(brokerClientId);
      if (clientId !== null) labs.get(sandbox)?.dropped(clientId);
    },
  };
}

/** `pipeline/notifier` of the broker's `<sandbox>/pipeline/notifier`, or null for a client that is not the lab's. */
function labClientId(brokerClientId: string): string | null {
  const slash = brokerClientId.indexOf('/');
  const clientId = slash < 0 ? '' : brokerClientId.slice(slash + 1);
  return clientId.startsWith(LAB_CLIENT_PREFIX) ? clientId : null;
}
