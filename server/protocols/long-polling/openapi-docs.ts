import type { FastifyContextConfig } from 'fastify';
import { json, problemResponse } from '../rest/schemas.ts';
import { DEFAULT_HOLD_S, MAX_EVENTS_PER_ANSWER, MAX_HELD_PER_SESSION, MAX_HOLD_S } from './limits.ts';

const gap = {
  type: 'object',
  description: 'Present when events after your cursor may be lost: it is older than what the server keeps, or from before a restart',
  required: ['reason', 'after', 'oldestKept', 'message'],
  properties: {
    reason: { type: 'string', enum: ['too-old', 'unknown-id', 'not-received'] },
    after: { type: 'integer' },
    oldestKept: { type: ['integer', 'null'], description: 'The oldest event of the sandbox still kept' },
    message: { type: 'object', required: ['en', 'ru'], properties: { en: { type: 'string' }, ru: { type: 'string' } } },
  },
};

const pollAnswer = {
  type: 'object',
  required: ['events', 'cursor', 'held_ms', 'more'],
  properties: {
    events: {
      type: 'array',
      maxItems: MAX_EVENTS_PER_ANSWER,
      items: {
        type: 'object',
        required: ['id', 'type', 'at', 'data'],
        properties: {
          id: { type: 'integer' },
          type: { type: 'string', examples: ['user.created'] },
          at: { type: 'string', format: 'date-time' },
          data: { type: 'object', description: 'The entity after the change; { id } for a deletion' },
        },
      },
    },
    cursor: { type: 'integer', description: 'Send it as `since` in your next poll' },
    held_ms: { type: 'integer', description: 'How long the server held this request before answering' },
    more: { type: 'boolean', description: 'More events are waiting: the next poll gets them at once' },
    gap,
  },
};

/** GET /api/v1/poll in /api/openapi.json: the route checks its query itself (problem+json in both languages), so this only describes it. */
export const pollRouteDocs: FastifyContextConfig['openapi'] = {
  operationId: 'pollEvents',
  summary: 'Wait for the sandbox’s next domain events (long polling)',
  description: `Answers at once when your sandbox has events after \`since\`; otherwise holds the request until one happens (200) or \`timeout\` runs out (204). At most ${MAX_HELD_PER_SESSION} polls held per session.`,
  tags: ['events'],
  querystring: {
    type: 'object',
    required: ['since'],
    properties: {
      since: {
        type: 'string',
        pattern: '^(\\d{1,15}|now)$',
        description: '0 for everything the server still keeps, "now" for only what comes next, then the `cursor` of each answer',
      },
      timeout: { type: 'integer', minimum: 0, maximum: MAX_HOLD_S, default: DEFAULT_HOLD_S, description: 'Seconds to hold the request; 0 answers at once' },
    },
  },
  response: {
    200: json('Events after your cursor, and the next cursor', pollAnswer),
    204: { description: 'Nothing happened while the request was held: poll again with the same cursor' },
    400: problemResponse('An unknown query parameter, a bad cursor, or a timeout out of range'),
    406: problemResponse('Accept excludes application/json'),
    429: problemResponse(`More than ${MAX_HELD_PER_SESSION} polls of this session held, or of this address: see Retry-After`),
    503: problemResponse('The server is shutting down: see Retry-After'),
  },
};
