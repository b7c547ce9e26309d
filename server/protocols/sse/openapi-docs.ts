import type { FastifyContextConfig } from 'fastify';
import { problemResponse } from '../rest/schemas.ts';
import { DEFAULT_HEARTBEAT_S, MAX_HEARTBEAT_S, MAX_STREAMS_PER_SESSION, MIN_HEARTBEAT_S, RETRY_MS } from './limits.ts';

/** GET /api/v1/events in /api/openapi.json: the route checks its query itself (problem+json in both languages), so this only describes it. */
export const eventsRouteDocs: FastifyContextConfig['openapi'] = {
  operationId: 'streamEvents',
  summary: 'Stream the sandbox’s domain events (Server-Sent Events)',
  description: `A text/event-stream that stays open: \`retry: ${RETRY_MS}\` first, then one event per change in your sandbox (\`event: user.created\`, \`id:\`, \`data:\` the entity as JSON), a \`: keep-alive\` comment after each quiet period. Reconnect with \`Last-Event-ID\` to get what you missed; \`stream.gap\` says when some of it is no longer kept. At most ${MAX_STREAMS_PER_SESSION} streams per session.`,
  tags: ['events'],
  querystring: {
    type: 'object',
    properties: {
      heartbeat: {
        type: 'integer',
        minimum: MIN_HEARTBEAT_S,
        maximum: MAX_HEARTBEAT_S,
        default: DEFAULT_HEARTBEAT_S,
        description: 'Seconds of silence before a `: keep-alive` comment',
      },
      lastEventId: { type: 'string', pattern: '^\\d{1,15}$', description: 'Resume after this event id, for a first connection by hand (the header wins)' },
    },
  },
  headers: {
    type: 'object',
    properties: {
      'last-event-id': { type: 'string', pattern: '^\\d{1,15}$', description: 'The id of the last event received: EventSource sends it when it reconnects' },
    },
  },
  response: {
    200: {
      description: 'The event stream, open until the client leaves or the server shuts down',
      content: { 'text/event-stream': { schema: { type: 'string', description: 'Events as the HTML Living Standard (§9.2) frames them' } } },
    },
    400: problemResponse('An unknown query parameter, a heartbeat out of range, or a Last-Event-ID that is not an event id'),
    406: problemResponse('Accept excludes text/event-stream'),
    429: problemResponse(`More than ${MAX_STREAMS_PER_SESSION} streams of this session, or of this address: see Retry-After`),
    503: problemResponse('The server is shutting down: see Retry-After'),
  },
};
