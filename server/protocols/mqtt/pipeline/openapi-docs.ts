import type { FastifyContextConfig } from 'fastify';
import { json, problemResponse } from '../../rest/schemas.ts';
import { CONSUMER_NAME, MAX_BODY_DEPTH, NOTIFIER } from './limits.ts';

// The lab's routes in /api/openapi.json. The routes check their bodies with their own strict
// validator and answer every refusal as problem+json in both languages (routes.ts), so these
// describe them without taking part (config.openapi, server/protocols/rest/openapi.ts).

type RouteDocs = NonNullable<FastifyContextConfig['openapi']>;

const bilingual = { type: ['object', 'null'], required: ['en', 'ru'], properties: { en: { type: 'string' }, ru: { type: 'string' } } };

const consumerState = {
  type: 'object',
  required: ['role', 'clientId', 'running', 'connected', 'busy', 'delayMs', 'processed', 'backlog', 'dropped', 'error', 'notice'],
  properties: {
    role: {
      type: 'string',
      enum: ['subscriber', 'member'],
      description: 'A subscriber has a session of its own; a member reads through the group’s partitions',
    },
    clientId: { type: ['string', 'null'] },
    running: { type: 'boolean' },
    connected: { type: 'boolean' },
    busy: { type: 'boolean' },
    delayMs: { type: 'integer' },
    processed: { type: 'integer' },
    backlog: { type: 'integer', description: 'Messages waiting for this consumer' },
    dropped: { type: 'integer', description: 'Messages the broker did not store because the backlog was full' },
    partitions: { type: 'array', items: { type: 'integer' } },
    error: { ...bilingual, description: 'What is wrong now' },
    notice: { ...bilingual, description: 'What the lab did by itself (reconnected, restarted)' },
  },
};

const labState = {
  type: 'object',
  description: 'The lab of your sandbox: its consumers, the consumer group’s partitions, its limits',
  required: ['sandbox', 'revision', 'consumers', 'group', 'limits'],
  properties: {
    sandbox: { type: 'string' },
    revision: {
      type: 'integer',
      description: 'Grows with each state read: of two states, the higher is the newer (an answer may arrive after the event stream’s newer ones)',
    },
    consumers: { type: 'object', additionalProperties: consumerState },
    group: {
      type: ['object', 'null'],
      properties: {
        name: { type: 'string' },
        partitions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              partition: { type: 'integer' },
              topic: { type: 'string' },
              clientId: { type: 'string' },
              owner: { type: ['string', 'null'] },
              reading: { type: 'boolean' },
              backlog: { type: 'integer' },
            },
          },
        },
        backlog: { type: 'integer' },
      },
    },
    limits: {
      type: 'object',
      properties: { maxConsumers: { type: 'integer' }, maxDelayMs: { type: 'integer' }, maxBacklog: { type: 'integer' }, partitions: { type: 'integer' } },
    },
  },
};

const consumerName = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: CONSUMER_NAME.source, description: `A consumer’s name; \`${NOTIFIER}\` is the notification worker` } },
};

/** What every route of the lab may answer besides its own. */
const everyRoute = {
  403: problemResponse('No browser session and no X-Wirelab-Sandbox: the shared sandbox has no lab'),
  503: problemResponse('The server is shutting down or has no TCP port for the consumers: see Retry-After'),
};
const tooManyLabs = problemResponse('Too many labs awake for this address, or too many changes of this session: see Retry-After');
const tags = ['pipeline lab'];
/** The shared sandbox has no lab: a session or a sandbox header is needed (403 without). */
const security: RouteDocs['security'] = [{ session: [] }, { sandbox: [] }];

export const pipelineRouteDocs = {
  state: {
    operationId: 'getPipelineLab',
    summary: 'Get the lab’s state',
    description: 'Wakes the lab of your sandbox if it sleeps (lesson 13).',
    tags,
    security,
    response: { 200: json('The lab’s state', labState), 429: tooManyLabs, ...everyRoute },
  },
  putConsumer: {
    operationId: 'putPipelineConsumer',
    summary: 'Add, stop, start or slow down a consumer',
    description: 'Each body field is optional: the role (fixed once the consumer exists), running, and the delay per message.',
    tags,
    security,
    params: consumerName,
    response: {
      200: json('The consumer changed: the lab’s state', labState),
      201: json('The consumer added: the lab’s state', labState),
      409: problemResponse('Too many consumers, a role that cannot change, or the notifier as a group member'),
      413: problemResponse('The body is over the limit'),
      422: problemResponse(`A bad name or field, an unknown field, or JSON nested deeper than ${MAX_BODY_DEPTH} levels`),
      429: tooManyLabs,
      ...everyRoute,
    },
  },
  deleteConsumer: {
    operationId: 'deletePipelineConsumer',
    summary: 'Remove a consumer',
    description: 'Its connection closes; the notification worker (`notifier`) cannot be removed, only stopped.',
    tags,
    security,
    params: consumerName,
    response: {
      204: { description: 'Removed' },
      404: problemResponse('No such consumer'),
      409: problemResponse('The notifier stays'),
      429: tooManyLabs,
      ...everyRoute,
    },
  },
  notify: {
    operationId: 'callNotifier',
    summary: 'Call the notification worker directly (REST, not the queue)',
    description: 'The caller waits while the worker works, and fails at once while it is stopped: the lesson’s contrast with the queue.',
    tags,
    security,
    response: {
      201: json('The worker’s notification and how long the call waited', {
        type: 'object',
        required: ['notification', 'waitedMs'],
        properties: {
          notification: { type: 'object', description: 'The notification, as consumers publish it (contracts/pipeline-lab)' },
          waitedMs: { type: 'integer' },
        },
      }),
      413: problemResponse('The order would not fit one MQTT packet: nothing was published'),
      422: problemResponse(`No order, a bad field, or JSON nested deeper than ${MAX_BODY_DEPTH} levels`),
      429: tooManyLabs,
      ...everyRoute,
    },
  },
  events: {
    operationId: 'streamPipelineLab',
    summary: 'Stream the lab’s state whenever it changes (Server-Sent Events)',
    description:
      'What the lab page draws from: the state at once, then after every change (consumers, backlogs growing and draining). It counts in the address’s SSE budget.',
    tags,
    security,
    response: {
      200: {
        description: '`event: state` with the lab’s state as JSON after each change, `: keep-alive` every 15 s',
        content: { 'text/event-stream': { schema: { type: 'string' } } },
      },
      429: problemResponse('Too many event streams of this session, or too many labs awake for this address: see Retry-After'),
      ...everyRoute,
    },
  },
} satisfies Record<string, RouteDocs>;
