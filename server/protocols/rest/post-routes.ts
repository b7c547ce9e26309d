import type { FastifyInstance } from 'fastify';
import { NotFoundError, type Post, type PostFilter, type PostSortField } from '../../domain/index.ts';
import { checkIfMatch, collectionTag, entityTag, parseSort, sendRepresentation } from './http-semantics.ts';
import { listResponseSchema, pagingMode, sendCursorPage, sendPage, type PagingQuery } from './list-response.ts';
import { PATCH_MEDIA_TYPES } from './limits.ts';
import { commentV1, postV1 } from './representations.ts';
import {
  commentCreationSchema,
  conditionalReadHeadersSchema,
  conditionalWriteHeadersSchema,
  idParamsSchema,
  json,
  noContent,
  postListQuerySchema,
  postPatchSchema,
  postReplacementSchema,
  problems,
} from './schemas.ts';

interface PostListQuery extends PagingQuery, PostFilter {
  sort?: string;
}
interface IdParams {
  id: number;
}

const postTag = (post: Post) => entityTag('p', post.id, post.version, postV1(post));

/** /v1/posts and their comments. */
export function postRoutes(app: FastifyInstance, prefix: string): void {
  const tags = ['posts'];
  postCollectionRoutes(app, prefix, tags);
  postItemRoutes(app, tags);
  commentRoutes(app, prefix);
}

/** GET (a page, filtered and sorted) and POST /v1/posts. */
function postCollectionRoutes(app: FastifyInstance, prefix: string, tags: string[]): void {
  const { domain } = app;

  app.get<{ Querystring: PostListQuery }>(
    '/v1/posts',
    {
      schema: {
        tags,
        operationId: 'listPosts',
        summary: 'List posts',
        description: 'Page pagination by default, cursor pagination with `?cursor=`; `author_id` filters by author.',
        querystring: postListQuerySchema,
        headers: conditionalReadHeadersSchema,
        response: { 200: json('A page of posts', listResponseSchema('Post#')), 304: noContent('Not Modified'), ...problems(400, 406, 429) },
      },
    },
    async (request, reply) => {
      const { author_id, q, sort, limit, page, cursor } = request.query;
      const options = { filter: { author_id, q }, sort: parseSort<PostSortField>(sort), limit };
      if (pagingMode(request.query) === 'cursor') {
        return sendCursorPage(request, reply, domain.posts.listByCursor(request.sandboxId, { ...options, cursor }), limit ?? 10, postV1);
      }
      return sendPage(request, reply, domain.posts.list(request.sandboxId, { ...options, page }), postV1);
    },
  );

  app.post<{ Body: unknown }>(
    '/v1/posts',
    {
      schema: {
        tags,
        operationId: 'createPost',
        summary: 'Create a post',
        description: 'Answers 201 Created with the new post, its URL in Location and its ETag; author_id must name a user of your sandbox.',
        body: postReplacementSchema,
        response: { 201: json('Created', { $ref: 'Post#' }), ...problems(400, 406, 413, 415, 422, 423, 429) },
      },
    },
    async (request, reply) => {
      const post = domain.posts.create(request.sandboxId, request.body);
      reply.code(201).header('location', `${prefix}/v1/posts/${post.id}`);
      return sendRepresentation(request, reply, postV1(post), postTag(post));
    },
  );
}

/** GET, PUT, PATCH and DELETE /v1/posts/:id, with ETags and preconditions. */
function postItemRoutes(app: FastifyInstance, tags: string[]): void {
  const { domain } = app;

  app.get<{ Params: IdParams }>(
    '/v1/posts/:id',
    {
      schema: {
        tags,
        operationId: 'getPost',
        summary: 'Get a post',
        description: 'Send the ETag back in If-None-Match to get 304 Not Modified while the post is unchanged.',
        params: idParamsSchema,
        headers: conditionalReadHeadersSchema,
        response: { 200: json('The post', { $ref: 'Post#' }), 304: noContent('Not Modified'), ...problems(400, 404, 406, 429) },
      },
    },
    async (request, reply) => {
      const post = domain.posts.get(request.sandboxId, request.params.id);
      return sendRepresentation(request, reply, postV1(post), postTag(post));
    },
  );

  app.put<{ Params: IdParams; Body: unknown }>(
    '/v1/posts/:id',
    {
      schema: {
        tags,
        operationId: 'replacePost',
        summary: 'Replace a post',
        description: 'Every writable field is required.',
        params: idParamsSchema,
        headers: conditionalWriteHeadersSchema,
        body: postReplacementSchema,
        response: { 200: json('The replaced post', { $ref: 'Post#' }), ...problems(400, 404, 406, 412, 413, 415, 422, 423, 429) },
      },
    },
    async (request, reply) => {
      checkIfMatch(request, postTag(domain.posts.get(request.sandboxId, request.params.id)));
      const post = domain.posts.replace(request.sandboxId, request.params.id, request.body);
      return sendRepresentation(request, reply, postV1(post), postTag(post));
    },
  );

  app.patch<{ Params: IdParams; Body: unknown }>(
    '/v1/posts/:id',
    {
      schema: {
        tags,
        operationId: 'updatePost',
        summary: 'Update some fields of a post',
        consumes: PATCH_MEDIA_TYPES,
        description: 'A JSON merge patch, as application/merge-patch+json or application/json.',
        params: idParamsSchema,
        headers: conditionalWriteHeadersSchema,
        body: postPatchSchema,
        response: { 200: json('The updated post', { $ref: 'Post#' }), ...problems(400, 404, 406, 412, 413, 415, 422, 423, 429) },
      },
    },
    async (request, reply) => {
      checkIfMatch(request, postTag(domain.posts.get(request.sandboxId, request.params.id)));
      const post = domain.posts.patch(request.sandboxId, request.params.id, request.body);
      return sendRepresentation(request, reply, postV1(post), postTag(post));
    },
  );

  app.delete<{ Params: IdParams }>(
    '/v1/posts/:id',
    {
      schema: {
        tags,
        operationId: 'deletePost',
        summary: 'Delete a post',
        description: 'Answers 204 No Content; the post’s comments go too.',
        params: idParamsSchema,
        headers: conditionalWriteHeadersSchema,
        response: { 204: noContent('Deleted'), ...problems(400, 404, 406, 412, 423, 429) },
      },
    },
    async (request, reply) => {
      checkIfMatch(request, postTag(domain.posts.get(request.sandboxId, request.params.id)));
      domain.posts.delete(request.sandboxId, request.params.id);
      return reply.code(204).send();
    },
  );
}

/** A post's comments: list, add, read one. */
function commentRoutes(app: FastifyInstance, prefix: string): void {
  const { domain } = app;

  app.get<{ Params: IdParams }>(
    '/v1/posts/:id/comments',
    {
      schema: {
        tags: ['comments'],
        operationId: 'listPostComments',
        summary: 'List the comments of a post',
        description: 'Every comment, oldest first.',
        params: idParamsSchema,
        headers: conditionalReadHeadersSchema,
        response: {
          200: json('The comments', { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: 'Comment#' } } } }),
          304: noContent('Not Modified'),
          ...problems(400, 404, 406, 429),
        },
      },
    },
    async (request, reply) => {
      const body = { items: domain.comments.listByPost(request.sandboxId, request.params.id).map(commentV1) };
      return sendRepresentation(request, reply, body, collectionTag(body));
    },
  );

  app.post<{ Params: IdParams; Body: unknown }>(
    '/v1/posts/:id/comments',
    {
      schema: {
        tags: ['comments'],
        operationId: 'createPostComment',
        summary: 'Comment on a post',
        description: 'Answers 201 Created with the new comment and its URL in Location.',
        params: idParamsSchema,
        body: commentCreationSchema,
        response: { 201: json('Created', { $ref: 'Comment#' }), ...problems(400, 404, 406, 413, 415, 422, 423, 429) },
      },
    },
    async (request, reply) => {
      const comment = domain.comments.create(request.sandboxId, request.params.id, request.body);
      reply.code(201).header('location', `${prefix}/v1/posts/${comment.post_id}/comments/${comment.id}`);
      return reply.send(commentV1(comment));
    },
  );

  app.get<{ Params: { id: number; commentId: number } }>(
    '/v1/posts/:id/comments/:commentId',
    {
      schema: {
        tags: ['comments'],
        operationId: 'getPostComment',
        summary: 'Get one comment of a post',
        description: 'A comment of another post is 404 here, as a comment that does not exist.',
        params: {
          type: 'object',
          required: ['id', 'commentId'],
          properties: { id: { type: 'integer', minimum: 1 }, commentId: { type: 'integer', minimum: 1 } },
        },
        response: { 200: json('The comment', { $ref: 'Comment#' }), ...problems(400, 404, 406, 429) },
      },
    },
    async (request, reply) => {
      const comment = domain.comments.get(request.sandboxId, request.params.commentId);
      if (comment.post_id !== request.params.id) throw new NotFoundError('comment', request.params.commentId);
      return sendRepresentation(request, reply, commentV1(comment), entityTag('c', comment.id, 1, commentV1(comment)));
    },
  );
}
