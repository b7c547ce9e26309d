import type { FastifyInstance } from 'fastify';
import type { User, UserFilter, UserSortField } from '../../domain/index.ts';
import { collectionTag, cursorLink, entityTag, pageLinks, parseSort, sendRepresentation } from './http-semantics.ts';
import { pagingMode, type PagingQuery } from './list-response.ts';
import { userV2 } from './representations.ts';
import { conditionalReadHeadersSchema, idParamsSchema, json, noContent, problems, userListQuerySchema } from './schemas.ts';

interface UserListQuery extends PagingQuery, UserFilter {
  sort?: string;
}

const linksSchema = { type: 'object', additionalProperties: { type: 'string' }, description: 'Related URLs by relation name' } as const;

/**
 * /v2/users: the same users in a second representation, to show API versioning in the URL —
 * v1 clients keep working while v2 clients get an envelope, camelCase and a structured name.
 */
export function userV2Routes(app: FastifyInstance, prefix: string): void {
  const { domain } = app;
  const tags = ['users v2'];
  const self = (user: User) => `${prefix}/v2/users/${user.id}`;

  app.get<{ Querystring: UserListQuery }>(
    '/v2/users',
    {
      schema: {
        tags,
        operationId: 'listUsersV2',
        summary: 'List users (v2)',
        description: 'The same query parameters as v1; paging metadata and links move from headers into the envelope.',
        querystring: userListQuerySchema,
        headers: conditionalReadHeadersSchema,
        response: {
          200: json('A page of users', {
            type: 'object',
            required: ['data', 'meta', 'links'],
            properties: {
              data: { type: 'array', items: { $ref: 'UserV2#' } },
              meta: {
                type: 'object',
                properties: { page: { type: 'integer' }, limit: { type: 'integer' }, total: { type: 'integer' }, nextCursor: { type: ['string', 'null'] } },
              },
              links: linksSchema,
            },
          }),
          304: noContent('Not Modified'),
          ...problems(400, 406, 429),
        },
      },
    },
    async (request, reply) => {
      const { status, role, q, sort, limit, page, cursor } = request.query;
      const options = { filter: { status, role, q }, sort: parseSort<UserSortField>(sort), limit };
      let body: unknown;
      if (pagingMode(request.query) === 'cursor') {
        const result = domain.users.listByCursor(request.sandboxId, { ...options, cursor });
        const pageLimit = limit ?? 10;
        body = {
          data: result.items.map(userV2),
          meta: { limit: pageLimit, nextCursor: result.next_cursor },
          links: { self: request.url, ...(result.next_cursor ? { next: cursorLink(request, result.next_cursor, pageLimit) } : {}) },
        };
      } else {
        const result = domain.users.list(request.sandboxId, { ...options, page });
        body = {
          data: result.items.map(userV2),
          meta: { page: result.page, limit: result.limit, total: result.total },
          links: { self: request.url, ...pageLinks(request, result.page, result.limit, result.total) },
        };
      }
      return sendRepresentation(request, reply, body, collectionTag(body));
    },
  );

  app.get<{ Params: { id: number } }>(
    '/v2/users/:id',
    {
      schema: {
        tags,
        operationId: 'getUserV2',
        summary: 'Get a user (v2)',
        description: 'The same user as GET /v1/users/{id}, in version 2: an envelope (data, meta.version, links), camelCase, the name split in two.',
        params: idParamsSchema,
        headers: conditionalReadHeadersSchema,
        response: {
          200: json('The user', {
            type: 'object',
            required: ['data', 'links'],
            properties: { data: { $ref: 'UserV2#' }, meta: { type: 'object', properties: { version: { type: 'integer' } } }, links: linksSchema },
          }),
          304: noContent('Not Modified'),
          ...problems(400, 404, 406, 429),
        },
      },
    },
    async (request, reply) => {
      const user = domain.users.get(request.sandboxId, request.params.id);
      const body = { data: userV2(user), meta: { version: user.version }, links: { self: self(user), posts: `${prefix}/v1/users/${user.id}/posts` } };
      return sendRepresentation(request, reply, body, entityTag('u', user.id, user.version, body));
    },
  );
}
