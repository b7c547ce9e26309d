// The shared captures' routes (contracts/shared-capture/PROTOCOL.md): share a pcapng, read it by
// its id, delete it. Every refusal is problem+json in both languages.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  APP_REQUESTS_LEFT_OUT_HEADER,
  EXPIRES_AT_HEADER,
  MAX_APP_REQUESTS_LEFT_OUT,
  OWNER_HEADER,
  PCAPNG_MEDIA_TYPE,
  SHARED_CAPTURE_EXPIRIES,
  SHARED_CAPTURE_EXPIRY_NAMES,
  SHARED_CAPTURES_PATH,
  type SharedCaptureCreated,
  type SharedCaptureExpiry,
} from '../../contracts/shared-capture/shared-capture.ts';
import { sendProblem as problem } from '../answers/http-answers.ts';
import type { BlankerSettings, BlankingThread } from './blanking.ts';
import { shareMessages as text } from './messages.ts';
import type { SharedCaptureStore, ShareRefusal } from './shared-capture-store.ts';

export interface SharedCaptureRouteOptions {
  store: SharedCaptureStore;
  /** how the page of this session has its captures blanked (the capture channel's own settings) */
  blankingFor(session: string): BlankerSettings;
  /** where the upload is read and blanked, off the event loop */
  thread: BlankingThread;
}

const shareSchema = {
  querystring: {
    type: 'object',
    properties: {
      expires: { type: 'string', enum: SHARED_CAPTURE_EXPIRY_NAMES },
      // what the sharer's view hid and the share left out: the page of the link says so
      appRequestsLeftOut: { type: 'integer', minimum: 0, maximum: MAX_APP_REQUESTS_LEFT_OUT, default: 0 },
    },
    required: ['expires'],
    additionalProperties: false,
  },
} as const;

const idSchema = {
  params: {
    type: 'object',
    properties: { id: { type: 'string', maxLength: 64 } },
    required: ['id'],
  },
} as const;

function refuse(request: FastifyRequest, reply: FastifyReply, refusal: ShareRefusal): FastifyReply {
  if (refusal.kind === 'too-large') return problem(request, reply, 413, 'capture-too-large', 'Content Too Large', text.refused(refusal));
  const retryAfter = String(Math.ceil(refusal.retryAfterMs / 1000));
  return problem(request, reply, 429, 'too-many-shared-captures', 'Too Many Requests', text.refused(refusal), { 'retry-after': retryAfter });
}

export default async function sharedCaptureRoutes(app: FastifyInstance, { store, blankingFor, thread }: SharedCaptureRouteOptions): Promise<void> {
  const bodyLimit = store.limits.captureBytes;
  for (const type of [PCAPNG_MEDIA_TYPE, 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
  }
  answerBadRequests(app, bodyLimit);

  app.post<{ Querystring: { expires: SharedCaptureExpiry; appRequestsLeftOut: number } }>(SHARED_CAPTURES_PATH, {
    schema: shareSchema,
    bodyLimit,
    // refused before the body is read: its announced size against the limits
    onRequest: async (request, reply) => {
      if (!request.sessionId) return problem(request, reply, 403, 'session-required', 'Forbidden', text.sessionRequired());
      const refusal = store.refusal(request.ip, Number(request.headers['content-length'] ?? 0) || 0);
      if (refusal) return refuse(request, reply, refusal);
    },
    handler: async (request, reply) => {
      const session = request.sessionId!;
      if (!Buffer.isBuffer(request.body)) {
        return problem(request, reply, 415, 'unsupported-media-type', 'Unsupported Media Type', text.notPcapng(String(request.headers['content-type'] ?? '')));
      }
      const blanked = await thread.blank({ file: request.body, settings: blankingFor(session) });
      if (!blanked.ok) return problem(request, reply, 422, 'not-a-capture', 'Unprocessable Content', text.unreadable(blanked.problem.code));
      const kept = store.add({
        pcapng: blanked.pcapng,
        connections: blanked.connections,
        owner: session,
        address: request.ip,
        expiresInMs: SHARED_CAPTURE_EXPIRIES[request.query.expires],
        appRequestsLeftOut: request.query.appRequestsLeftOut,
      });
      if ('kind' in kept) return refuse(request, reply, kept);
      const path = `${SHARED_CAPTURES_PATH}/${kept.id}`;
      const created: SharedCaptureCreated = {
        id: kept.id,
        path,
        expiresAt: kept.expiresAt,
        bytes: blanked.pcapng.byteLength,
        connections: blanked.connections,
      };
      return reply.code(201).header('location', path).header('cache-control', 'no-store').send(created);
    },
  });

  app.get<{ Params: { id: string } }>(`${SHARED_CAPTURES_PATH}/:id`, { schema: idSchema }, async (request, reply) => {
    const capture = store.get(request.params.id);
    if (!capture) return problem(request, reply, 404, 'no-such-capture', 'Not Found', text.notFound());
    return reply
      .type(PCAPNG_MEDIA_TYPE)
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="wirelab-shared-${capture.id}.pcapng"`)
      .header(EXPIRES_AT_HEADER, String(capture.expiresAt))
      .header(OWNER_HEADER, String(store.isOwner(capture, request.sessionId)))
      .header(APP_REQUESTS_LEFT_OUT_HEADER, String(capture.appRequestsLeftOut))
      .send(Buffer.from(capture.pcapng.buffer, capture.pcapng.byteOffset, capture.pcapng.byteLength));
  });

  app.delete<{ Params: { id: string } }>(`${SHARED_CAPTURES_PATH}/:id`, { schema: idSchema }, async (request, reply) => {
    const outcome = store.delete(request.params.id, request.sessionId);
    if (outcome === 'not-found') return problem(request, reply, 404, 'no-such-capture', 'Not Found', text.notFound());
    if (outcome === 'not-owner') return problem(request, reply, 403, 'not-the-owner', 'Forbidden', text.notOwner());
    return reply.code(204).send();
  });
}

/** A bad query, a wrong media type or a body too large: problem+json in both languages, never a stack. */
function answerBadRequests(app: FastifyInstance, captureBytes: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const bad = error.validation.some(
        (issue) => issue.instancePath === '/expires' || (issue.params as { missingProperty?: string }).missingProperty === 'expires',
      );
      return problem(request, reply, 400, 'bad-share-request', 'Bad Request', bad ? text.badExpiry() : text.badRequest(error.message));
    }
    if (error.statusCode === 413) return refuse(request, reply, { kind: 'too-large', limit: captureBytes });
    if (error.statusCode === 415)
      return problem(request, reply, 415, 'unsupported-media-type', 'Unsupported Media Type', text.notPcapng(String(request.headers['content-type'] ?? '')));
    return reply.send(error);
  });
}
