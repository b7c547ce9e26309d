import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CursorPage, Page } from '../../domain/index.ts';
import { collectionTag, cursorLink, linkHeader, pageLinks, sendRepresentation } from './http-semantics.ts';
import { HttpProblem } from './problem.ts';

export interface PagingQuery {
  page?: number;
  limit?: number;
  cursor?: string;
}

/** Page pagination unless the client sent a cursor (even an empty one: the first page). */
export function pagingMode(query: PagingQuery): 'page' | 'cursor' {
  if (query.cursor === undefined) return 'page';
  if (query.page !== undefined) {
    throw new HttpProblem(400, 'bad-request', 'Bad Request', 'Use either page (page pagination) or cursor (cursor pagination), not both.');
  }
  return 'cursor';
}

/** `{ items, page, limit, total }` with a Link header to the first, previous, next and last pages. */
export function sendPage<T, R>(request: FastifyRequest, reply: FastifyReply, page: Page<T>, represent: (item: T) => R): FastifyReply {
  const body = { items: page.items.map(represent), page: page.page, limit: page.limit, total: page.total };
  reply.header('link', linkHeader({ ...pageLinks(request, page.page, page.limit, page.total) }));
  return sendRepresentation(request, reply, body, collectionTag(body));
}

/** `{ items, next_cursor }` with a Link rel=next while there is more. */
export function sendCursorPage<T, R>(
  request: FastifyRequest,
  reply: FastifyReply,
  page: CursorPage<T>,
  limit: number,
  represent: (item: T) => R,
): FastifyReply {
  const body = { items: page.items.map(represent), next_cursor: page.next_cursor };
  if (page.next_cursor) reply.header('link', linkHeader({ next: cursorLink(request, page.next_cursor, limit) }));
  return sendRepresentation(request, reply, body, collectionTag(body));
}

export const listResponseSchema = (itemRef: string) => ({
  type: 'object',
  required: ['items'],
  description: 'Page pagination answers items, page, limit and total; cursor pagination answers items and next_cursor',
  properties: {
    items: { type: 'array', items: { $ref: itemRef } },
    page: { type: 'integer' },
    limit: { type: 'integer' },
    total: { type: 'integer', description: 'Items matching the filters, on every page' },
    next_cursor: { type: ['string', 'null'], description: 'Pass as ?cursor= for the next page; null on the last page' },
  },
});
