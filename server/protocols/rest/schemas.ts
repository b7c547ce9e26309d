import { COMMENT_RULES, MAX_LIMIT, POST_RULES, USER_ROLES, USER_RULES, USER_SORT_FIELDS, POST_SORT_FIELDS, USER_STATUSES } from '../../domain/index.ts';

// JSON schemas of every input and output; Fastify validates and serializes with them and
// @fastify/swagger turns them into the OpenAPI document students read. The domain checks the
// same rules again (it is shared by every protocol), so these describe rather than decide.

const timestamp = { type: 'string', format: 'date-time', description: 'ISO 8601, UTC' } as const;
const phone = {
  type: ['string', 'null'],
  description: `International format, e.g. "+44 20 7946 0001" (pattern ${USER_RULES.phone.source}); null when unknown`,
  examples: ['+44 20 7946 0001'],
} as const;
const name = { type: 'string', minLength: 1, maxLength: USER_RULES.nameMax, examples: ['Ada Lovelace'] } as const;
const email = {
  type: 'string',
  maxLength: USER_RULES.emailMax,
  description: 'Unique in the sandbox, case-insensitively',
  examples: ['ada@example.com'],
} as const;
const status = { type: 'string', enum: USER_STATUSES } as const;
const roles = { type: 'array', items: { type: 'string', enum: USER_ROLES }, uniqueItems: true } as const;
const metadata = {
  type: 'object',
  description: `Free-form string labels, at most ${USER_RULES.metadataMaxEntries}`,
  additionalProperties: { type: 'string', maxLength: USER_RULES.metadataValueMax },
  maxProperties: USER_RULES.metadataMaxEntries,
  examples: [{ team: 'engines' }],
} as const;

export const userSchema = {
  $id: 'User',
  type: 'object',
  description: 'A user (version 1 representation)',
  required: ['id', 'name', 'email', 'status', 'roles', 'metadata', 'phone', 'created_at', 'updated_at'],
  properties: { id: { type: 'integer' }, name, email, status, roles, metadata, phone, created_at: timestamp, updated_at: timestamp },
} as const;

export const userV2Schema = {
  $id: 'UserV2',
  type: 'object',
  description: 'A user (version 2 representation: camelCase, the name split in two)',
  required: ['id', 'name', 'email', 'status', 'roles', 'metadata', 'phone', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'integer' },
    name: {
      type: 'object',
      required: ['first', 'last'],
      properties: { first: { type: 'string' }, last: { type: 'string', description: 'Everything after the first word; may be empty' } },
    },
    email,
    status,
    roles,
    metadata,
    phone,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

export const postSchema = {
  $id: 'Post',
  type: 'object',
  required: ['id', 'author_id', 'title', 'content', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'integer' },
    author_id: { type: 'integer' },
    title: { type: 'string' },
    content: { type: 'string' },
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

export const commentSchema = {
  $id: 'Comment',
  type: 'object',
  required: ['id', 'post_id', 'author_id', 'content', 'created_at'],
  properties: { id: { type: 'integer' }, post_id: { type: 'integer' }, author_id: { type: 'integer' }, content: { type: 'string' }, created_at: timestamp },
} as const;

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'Problem details (RFC 9457), sent as application/problem+json',
  required: ['type', 'title', 'status', 'detail', 'instance'],
  properties: {
    type: { type: 'string', description: 'Identifies the kind of problem', examples: ['https://wirelab.dev/problems/validation'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request URL' },
    errors: {
      type: 'array',
      description: 'Field errors (422 and 409)',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
    localized: {
      type: 'object',
      description: 'The detail in English and Russian, where the server has both (423)',
      required: ['en', 'ru'],
      properties: { en: { type: 'string' }, ru: { type: 'string' } },
    },
  },
} as const;

export const sharedSchemas = [userSchema, userV2Schema, postSchema, commentSchema, problemSchema];

export const userCreationSchema = {
  type: 'object',
  description: 'A new user: name and email are required; status defaults to active, roles to ["reader"], metadata to {}, phone to null',
  required: ['name', 'email'],
  additionalProperties: false,
  properties: { name, email, status, roles, metadata, phone },
} as const;

export const userReplacementSchema = {
  type: 'object',
  description: 'Every writable field: PUT replaces the whole user',
  required: ['name', 'email', 'status', 'roles', 'metadata', 'phone'],
  additionalProperties: false,
  properties: { name, email, status, roles, metadata, phone },
} as const;

export const userPatchSchema = {
  type: 'object',
  description: 'A JSON merge patch (RFC 7396): absent fields stay; a metadata key set to null is removed; phone: null removes the phone',
  additionalProperties: false,
  properties: {
    name,
    email,
    status,
    roles,
    metadata: { ...metadata, additionalProperties: { type: ['string', 'null'], maxLength: USER_RULES.metadataValueMax } },
    phone,
  },
} as const;

const title = { type: 'string', minLength: 1, maxLength: POST_RULES.titleMax } as const;
const content = { type: 'string', minLength: 1, maxLength: POST_RULES.contentMax } as const;
const authorId = { type: 'integer', minimum: 1, description: 'An existing user' } as const;

export const postReplacementSchema = {
  type: 'object',
  required: ['author_id', 'title', 'content'],
  additionalProperties: false,
  properties: { author_id: authorId, title, content },
} as const;

export const postPatchSchema = {
  type: 'object',
  description: 'A JSON merge patch (RFC 7396): absent fields stay',
  additionalProperties: false,
  properties: { author_id: authorId, title, content },
} as const;

export const commentCreationSchema = {
  type: 'object',
  required: ['author_id', 'content'],
  additionalProperties: false,
  properties: { author_id: authorId, content: { type: 'string', minLength: 1, maxLength: COMMENT_RULES.contentMax } },
} as const;

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
} as const;

function sortPattern(fields: readonly string[]): string {
  const one = `-?(${fields.join('|')})`;
  return `^${one}(,${one})*$`;
}

const paging = {
  page: { type: 'integer', minimum: 1, description: 'Page pagination: 1-based page number (the default mode)' },
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 10 },
  cursor: {
    type: 'string',
    maxLength: 1024,
    description: 'Cursor pagination: empty for the first page, then the next_cursor of the previous page. Cannot be combined with page',
  },
} as const;

export const userListQuerySchema = {
  type: 'object',
  properties: {
    ...paging,
    status,
    role: { type: 'string', enum: USER_ROLES },
    q: { type: 'string', maxLength: 100, description: 'Name or email contains this, case-insensitively' },
    sort: {
      type: 'string',
      pattern: sortPattern(USER_SORT_FIELDS),
      description: `Comma-separated fields of ${USER_SORT_FIELDS.join(', ')}; a leading "-" sorts descending; id breaks ties`,
      examples: ['name,-created_at'],
    },
  },
} as const;

export const postListQuerySchema = {
  type: 'object',
  properties: {
    ...paging,
    author_id: { type: 'integer', minimum: 1 },
    q: { type: 'string', maxLength: 100, description: 'Title or content contains this, case-insensitively' },
    sort: {
      type: 'string',
      pattern: sortPattern(POST_SORT_FIELDS),
      description: `Comma-separated fields of ${POST_SORT_FIELDS.join(', ')}; a leading "-" sorts descending; id breaks ties`,
    },
  },
} as const;

const { author_id: _authorId, ...authorPostsQueryProperties } = postListQuerySchema.properties;
/** the posts of one author: the author is in the path */
export const authorPostsQuerySchema = { type: 'object', properties: authorPostsQueryProperties } as const;

export const conditionalReadHeadersSchema = {
  type: 'object',
  properties: { 'if-none-match': { type: 'string', description: 'An ETag from an earlier response: 304 when it still matches' } },
} as const;

export const conditionalWriteHeadersSchema = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'The ETag you last saw: 412 when the resource has changed since' } },
} as const;

export const problemResponses = {
  400: 'Bad request: malformed JSON, a bad query parameter or cursor',
  404: 'No such resource',
  406: 'Accept excludes application/json',
  409: 'Conflict: the email already belongs to another user',
  412: 'If-Match does not match the current ETag',
  413: 'The body is over the limit',
  415: 'Content-Type is not JSON',
  422: 'Some fields are invalid: see errors',
  423: 'Locked: the teacher has frozen the class’s writes while demonstrating (localized has the text in English and Russian)',
  429: 'Too many requests from this session: see Retry-After',
} as const;

type ProblemStatus = keyof typeof problemResponses;

/** Response schemas of the problems a route can answer with. */
export function problems(...statuses: ProblemStatus[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((code) => [code, { description: problemResponses[code], content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } } }]),
  );
}

/** One problem+json answer, for the routes beside the REST API that describe their own (config.openapi, see openapi.ts). */
export function problemResponse(description: string): unknown {
  return { description, content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } } };
}

/** A JSON success response of the given schema. */
export function json(description: string, schema: unknown): unknown {
  return { description, content: { 'application/json': { schema } } };
}

export const noContent = (description: string) => ({ description, type: 'null' });
