import type { Bilingual } from '../../../shared/bilingual.ts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { API_BODY_LIMIT } from './limits.ts';
import { ConflictError, InvalidCursorError, NotFoundError, ValidationError, WritesFrozenError, type FieldError } from '../../domain/index.ts';

import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE } from '../../answers/problem.ts';

export { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE };

/** An RFC 9457 problem details object as this API sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
  /** the detail in both languages, where the server has it in both (a frozen write) */
  localized?: Bilingual;
}

/** An HTTP error a handler or hook throws on purpose; the error handler turns it into a problem. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

/** ajv's `/metadata/team` or a missing property → `metadata/team` */
function fieldOf(error: { instancePath?: string; params?: Record<string, unknown> }): string {
  const path = (error.instancePath ?? '').replace(/^\//, '');
  const missing = error.params?.missingProperty;
  if (typeof missing === 'string') return path ? `${path}/${missing}` : missing;
  return path;
}

function problem(request: FastifyRequest, status: number, slug: string, title: string, detail: string, errors?: FieldError[]): Problem {
  return { type: PROBLEM_TYPE_BASE + slug, title, status, detail, instance: request.url, ...(errors ? { errors } : {}) };
}

/** Maps anything thrown while serving a request to the problem the client gets. */
export function problemOf(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof HttpProblem) return problem(request, error.status, error.slug, error.title, error.message, error.errors);
  if (error instanceof NotFoundError) return problem(request, 404, 'not-found', 'Not Found', error.message);
  if (error instanceof ConflictError) {
    return problem(request, 409, 'conflict', 'Conflict', error.message, [{ field: error.field, message: error.message }]);
  }
  if (error instanceof ValidationError) {
    return problem(request, 422, 'validation', 'Unprocessable Content', 'Some fields are invalid: see errors.', error.errors);
  }
  if (error instanceof InvalidCursorError) return problem(request, 400, 'bad-cursor', 'Bad Request', error.message);
  // RFC 4918's 423: this sandbox is locked for now (the teacher froze writes), not the request's fault
  if (error instanceof WritesFrozenError) return { ...problem(request, 423, 'writes-frozen', 'Locked', error.reason.en), localized: error.reason };

  const fastifyError = error as Partial<FastifyError> & { validationContext?: string };
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((e) => ({ field: fieldOf(e), message: e.message ?? 'is invalid' }));
    if (fastifyError.validationContext === 'body') {
      return problem(request, 422, 'validation', 'Unprocessable Content', 'Some fields are invalid: see errors.', errors);
    }
    const where = fastifyError.validationContext === 'params' ? 'path' : 'query';
    return problem(request, 400, 'bad-request', 'Bad Request', `A ${where} parameter is invalid: see errors.`, errors);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(request, 415, 'unsupported-media-type', 'Unsupported Media Type', 'Send the body as JSON with Content-Type: application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(request, 413, 'content-too-large', 'Content Too Large', `The body is over the limit of ${API_BODY_LIMIT} bytes.`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(request, 400, 'malformed-json', 'Bad Request', 'The body is empty, but Content-Type says it is JSON.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(request, 400, 'malformed-json', 'Bad Request', 'The body is not valid JSON.');
  }
  const status = fastifyError.statusCode;
  if (status === 429) {
    return problem(request, 429, 'too-many-requests', 'Too Many Requests', fastifyError.message ?? 'Too many requests: wait and retry.');
  }
  if (status && status >= 400 && status < 500) {
    return problem(request, status, 'bad-request', fastifyError.name ?? 'Bad Request', fastifyError.message ?? '');
  }
  return problem(request, 500, 'internal', 'Internal Server Error', 'The server failed; the error is in its log.');
}

/** Sends a problem as `application/problem+json`, bypassing the route's response serializers. */
export function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}): FastifyReply {
  reply.code(body.status).headers(headers).type(PROBLEM_MEDIA_TYPE);
  return reply.send(JSON.stringify(body));
}
