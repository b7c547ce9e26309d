import type { FastifyInstance } from 'fastify';
import type { PostSortField, UserFilter, UserSortField } from '../../domain/index.ts';
import { checkIfMatch, entityTag, parseSort, sendRepresentation } from './http-semantics.ts';
import { listResponseSchema, pagingMode, sendCursorPage, sendPage, type PagingQuery } from './list-response.ts';
import { PATCH_MEDIA_TYPES } from './limits.ts';
import { postV1, userV1 } from './representations.ts';
import {
  conditionalReadHeadersSchema,
  conditionalWriteHeadersSchema,
  idParamsSchema,
  json,
  noContent,
  authorPostsQuerySchema,
  problems,
  userCreationSchema,
  userListQuerySchema,
  userPatchSchema,
  userReplacementSchema,
} from './schemas.ts';

interface UserListQuery extends PagingQuery, UserFilter {
  sort?: string;
}
interface IdParams {
  id: number;
}

const userTag = (user: Parameters<typeof userV1>[0]) => entityTag('u', user.id, user.version, userV1(user));

/** /v1/users: the version 1 user resource (see README.md beside this file): the collection, each user, their posts. */
export function userRoutes(app: FastifyInstance, prefix: string): void {
  const { domain } = app;
  const tags = ['users'];

  app.get<{ Querystring: UserListQuery }>(
    '/v1/users',
    {
      schema: {
        tags,
        operationId: 'listUsers',
        summary: 'List users',
        description:
          'Page pagination by default (`?page=2&limit=5`: items, page, limit, total and a Link header), or cursor pagination with `?cursor=` (items and next_cursor). Filters combine with AND.',
        querystring: userListQuerySchema,
        headers: conditionalReadHeadersSchema,
        response: {
          200: json('A page of users', listResponseSchema('User#')),
          304: noContent('Not Modified: your copy is current'),
          ...problems(400, 406, 429),
        },
      },
    },
    async (request, reply) => {
      const { status, role, q, sort, limit, page, cursor } = request.query;
      const options = { filter: { status, role, q }, sort: parseSort<UserSortField>(sort), limit };
      if (pagingMode(request.query) === 'cursor') {
        const result = domain.users.listByCursor(request.sandboxId, { ...options, cursor });
        return sendCursorPage(request, reply, result, limit ?? 10, userV1);
      }
      return sendPage(request, reply, domain.users.list(request.sandboxId, { ...options, page }), userV1);
    },
  );

  app.post<{ Body: unknown }>(
    '/v1/users',
    {
      schema: {
        tags,
        operationId: 'createUser',
        summary: 'Create a user',
        description: 'Answers 201 Created with the new user, its URL in Location and its ETag.',
        body: userCreationSchema,
        response: { 201: json('Created', { $ref: 'User#' }), ...problems(400, 406, 409, 413, 415, 422, 423, 429) },
      },
    },
    async (request, reply) => {
      const user = domain.users.create(request.sandboxId, request.body);
      reply.code(201).header('location', `${prefix}/v1/users/${user.id}`);
      return sendRepresentation(request, reply, userV1(user), userTag(user));
    },
  );

  userItemRoutes(app);
  userPostsRoute(app);
}

/** /v1/users/:id: one user, read, replaced, patched and deleted under its ETag (If-Match, If-None-Match). */
function userItemRoutes(app: FastifyInstance): void {
  const { domain } = app;
  const tags = ['users'];

  app.get<{ Params: IdParams }>(
    '/v1/users/:id',
    {
      schema: {
        tags,
        operationId: 'getUser',
        summary: 'Get a user',
        description: 'Send the ETag back in If-None-Match to get 304 Not Modified while the user is unchanged.',
        params: idParamsSchema,
        headers: conditionalReadHeadersSchema,
        response: { 200: json('The user', { $ref: 'User#' }), 304: noContent('Not Modified: your copy is current'), ...problems(400, 404, 406, 429) },
      },
    },
    async (request, reply) => {
      const user = domain.users.get(request.sandboxId, request.params.id);
      return sendRepresentation(request, reply, userV1(user), userTag(user));
    },
  );

  app.put<{ Params: IdParams; Body: unknown }>(
    '/v1/users/:id',
    {
      schema: {
        tags,
        operationId: 'replaceUser',
        summary: 'Replace a user',
        description: 'A full replacement: every writable field is required (compare PATCH). If-Match makes it safe against lost updates.',
        params: idParamsSchema,
        headers: conditionalWriteHeadersSchema,
        body: userReplacementSchema,
        response: { 200: json('The replaced user', { $ref: 'User#' }), ...problems(400, 404, 406, 409, 412, 413, 415, 422, 423, 429) },
      },
    },
    async (request, reply) => {
      checkIfMatch(request, userTag(domain.users.get(request.sandboxId, request.params.id)));
      const user = domain.users.replace(request.sandboxId, request.params.id, request.body);
      return sendRepresentation(request, reply, userV1(user), userTag(user));
    },
  );

  app.patch<{ Params: IdParams; Body: unknown }>(
    '/v1/users/:id',
    {
      schema: {
        tags,
        operationId: 'updateUser',
        summary: 'Update some fields of a user',
        consumes: PATCH_MEDIA_TYPES,
        description:
          'A JSON merge patch (RFC 7396), sent as application/merge-patch+json or application/json: only the fields sent change; a metadata key set to null is removed.',
        params: idParamsSchema,
        headers: conditionalWriteHeadersSchema,
        body: userPatchSchema,
        response: { 200: json('The updated user', { $ref: 'User#' }), ...problems(400, 404, 406, 409, 412, 413, 415, 422, 423, 429) },
      },
    },
    async (request, reply) => {
      checkIfMatch(request, userTag(domain.users.get(request.sandboxId, request.params.id)));
      const user = domain.users.patch(request.sandboxId, request.params.id, request.body);
      return sendRepresentation(request, reply, userV1(user), userTag(user));
    },
  );

  app.delete<{ Params: IdParams }>(
    '/v1/users/:id',
    {
      schema: {
        tags,
        operationId: 'deleteUser',
        summary: 'Delete a user',
        description: 'Answers 204 No Content. The user’s posts and comments go too.',
        params: idParamsSchema,
        headers: conditionalWriteHeadersSchema,
        response: { 204: noContent('Deleted'), ...problems(400, 404, 406, 412, 423, 429) },
      },
    },
    async (request, reply) => {
      checkIfMatch(request, userTag(domain.users.get(request.sandboxId, request.params.id)));
      domain.users.delete(request.sandboxId, request.params.id);
      return reply.code(204).send();
    },
  );
}

/** /v1/users/:id/posts: one author's posts, paged as GET /v1/posts. */
function userPostsRoute(app: FastifyInstance): void {
  const { domain } = app;
  app.get<{ Params: IdParams; Querystring: PagingQuery & { sort?: string; q?: string } }>(
    '/v1/users/:id/posts',
    {
      schema: {
        tags: ['users'],
        operationId: 'listUserPosts',
        summary: 'List the posts of a user',
        description: 'The same paging as GET /v1/posts, limited to one author.',
        params: idParamsSchema,
        querystring: authorPostsQuerySchema,
        headers: conditionalReadHeadersSchema,
        response: { 200: json('A page of posts', listResponseSchema('Post#')), 304: noContent('Not Modified'), ...problems(400, 404, 406, 429) },
      },
    },
    async (request, reply) => {
      domain.users.get(request.sandboxId, request.params.id);
      const { q, sort, limit, page, cursor } = request.query;
      const options = { filter: { author_id: request.params.id, q }, sort: parseSort<PostSortField>(sort), limit };
      if (pagingMode(request.query) === 'cursor') {
        return sendCursorPage(request, reply, domain.posts.listByCursor(request.sandboxId, { ...options, cursor }), limit ?? 10, postV1);
      }
      return sendPage(request, reply, domain.posts.list(request.sandboxId, { ...options, page }), postV1);
    },
  );
}
