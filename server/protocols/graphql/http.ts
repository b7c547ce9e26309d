import type { FastifyReply } from 'fastify';
import { GRAPHQL_RESPONSE_TYPE } from './errors.ts';
import type { Bilingual } from './messages.ts';

export const LEGACY_RESPONSE_TYPE = 'application/json';

/**
 * The media type of the response (GraphQL over HTTP §"Accept"): the newer
 * `application/graphql-response+json` when the client names it (and prefers it at least as much
 * as `application/json`), else `application/json`; no Accept counts as `application/json`.
 * null: the client accepts neither (406).
 */
export function responseMediaType(accept: string | undefined): string | null {
  if (accept === undefined || accept.trim() === '') return LEGACY_RESPONSE_TYPE;
  let graphqlResponse = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const qParameter = parameters.find((p) => p.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (type === GRAPHQL_RESPONSE_TYPE) graphqlResponse = Math.max(graphqlResponse, q);
    else if (type === LEGACY_RESPONSE_TYPE || type === 'application/*' || type === '*/*') json = Math.max(json, q);
  }
  if (graphqlResponse > 0 && graphqlResponse >= json) return GRAPHQL_RESPONSE_TYPE;
  if (json > 0) return LEGACY_RESPONSE_TYPE;
  return null;
}

/** `x-wirelab-batching: off` switches batched loading off for one request; anything else keeps it on. */
export function batchingRequested(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim().toLowerCase() !== 'off';
}

/** Answers a request that never reached GraphQL execution, in the shape of a GraphQL response. */
export function sendRequestError(reply: FastifyReply, status: number, code: string, text: Bilingual, details: Record<string, unknown> = {}): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message: text.en, extensions: { code, ...details, localized: text } }] });
}

/** Weak comparison of an If-None-Match header with a strong ETag (RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
