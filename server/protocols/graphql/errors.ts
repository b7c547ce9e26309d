import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { graphql } from './graphql-runtime.ts';
import { ConflictError, DomainError, InvalidCursorError, NotFoundError, ValidationError, WritesFrozenError, type FieldError } from '../../domain/index.ts';
import { bilingual, type Bilingual } from './messages.ts';

/**
 * Codes of errors that reject the whole request before execution: with
 * `application/graphql-response+json` they are answered with 400 (GraphQL over HTTP).
 */
export const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'TOO_MANY_TOKENS',
]);

/** Codes answered with their own HTTP status whatever the media type: the request was not a well-formed GraphQL request. */
const HTTP_STATUS_OF_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  BATCH_TOO_LARGE: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_ACCEPTABLE: 406,
  METHOD_NOT_ALLOWED: 405,
};

export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json';

/** An error this server raises on purpose, with a code, details and a Russian translation. */
export function wirelabError(code: string, text: Bilingual, details: Record<string, unknown> = {}): GraphQLError {
  return new graphql.GraphQLError(text.en, { extensions: { code, ...details, localized: text } });
}

/** snake_case field paths of the domain (`author_id`) as the schema spells them (`authorId`). */
function schemaFieldName(field: string): string {
  if (field === 'limit') return 'first';
  if (field === 'cursor') return 'after';
  return field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function fieldsOf(errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({ field: schemaFieldName(e.field), message: e.message }));
}

interface Classified {
  message: string;
  code: string;
  details: Record<string, unknown>;
}

interface ErrorWithCode extends Error {
  code?: string;
  statusCode?: number;
  errors?: unknown[];
}

const DEPTH_MESSAGE = /query depth \((\d+|Infinity)\) exceeds the query depth limit of (\d+)/;

/** Gives an error its `extensions.code` (and details); `null` keeps it as it is. */
function classify(error: GraphQLError): Classified | null {
  if (typeof error.extensions?.code === 'string') return null;
  const original = error.originalError as ErrorWithCode | undefined;

  if (original instanceof DomainError) {
    if (original instanceof NotFoundError)
      return { message: original.message, code: 'NOT_FOUND', details: { entity: original.entity, id: String(original.id) } };
    if (original instanceof ValidationError) return { message: original.message, code: 'BAD_USER_INPUT', details: { fields: fieldsOf(original.errors) } };
    if (original instanceof ConflictError) {
      return { message: original.message, code: 'CONFLICT', details: { fields: [{ field: schemaFieldName(original.field), message: original.message }] } };
    }
    if (original instanceof WritesFrozenError) return { message: original.message, code: 'WRITES_FROZEN', details: { localized: original.reason } };
    if (original instanceof InvalidCursorError) {
      return { message: original.message, code: 'BAD_USER_INPUT', details: { fields: [{ field: 'after', message: original.message }] } };
    }
  }
  if (original?.code === 'MER_ERR_GQL_QUERY_DEPTH') {
    const [, depth, limit] = DEPTH_MESSAGE.exec(original.message) ?? [];
    const text = bilingual(
      `The operation is nested ${depth} levels deep, more than the limit of ${limit}.`,
      `Глубина вложенности операции — ${depth}, а допускается не больше ${limit}.`,
    );
    return { message: text.en, code: 'QUERY_TOO_DEEP', details: { depth: Number(depth), limit: Number(limit), localized: text } };
  }
  if (original?.code === 'MER_ERR_METHOD_NOT_ALLOWED') {
    const text = bilingual(
      'Only queries may be sent with GET; send mutations with POST.',
      'Через GET можно отправлять только запросы (query); мутации отправляйте через POST.',
    );
    return { message: text.en, code: 'METHOD_NOT_ALLOWED', details: { localized: text } };
  }
  // Variable coercion (graphql-js): the request's variables do not fit their declared types.
  if (error.message.startsWith('Variable "$') && !error.path) return { message: error.message, code: 'BAD_USER_INPUT', details: {} };
  if (original && typeof original.statusCode === 'number' && original.statusCode >= 400 && original.statusCode < 500) {
    // Fastify's body parsing and schema checks: the HTTP request itself was wrong.
    const code = original.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : original.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return { message: original.message, code, details: {} };
  }
  if (!original) {
    if (error.message.startsWith('Syntax Error: Document contains more')) return { message: error.message, code: 'TOO_MANY_TOKENS', details: {} };
    if (error.message.startsWith('Syntax Error')) return { message: error.message, code: 'GRAPHQL_PARSE_FAILED', details: {} };
    // Without a path it came from validation; with one, from execution (e.g. a null in a non-null field).
    if (!error.path) return { message: error.message, code: 'GRAPHQL_VALIDATION_FAILED', details: {} };
  }
  return null;
}

/** Mercurius wraps parse and validation failures in one error that carries the real ones. */
function flatten(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const original = error.originalError as ErrorWithCode | undefined;
    const inner = original?.errors;
    if (original?.code !== 'MER_ERR_GQL_VALIDATION' || !Array.isArray(inner)) return [error];
    return inner.map((e) => (e instanceof graphql.GraphQLError ? e : new graphql.GraphQLError((e as Error).message, { originalError: e as Error })));
  });
}

export interface FormattedErrors {
  errors: GraphQLFormattedError[];
  /** the most specific HTTP status an error demands, if any (405, 413, 415, 400) */
  forcedStatus: number | null;
  /** true when nothing was executed: every error rejects the request as a whole */
  requestError: boolean;
  /** errors we did not raise on purpose (logged, their message hidden) */
  unexpected: Error[];
}

/** Codes, field details and hidden internals for a list of GraphQL errors. */
export function formatErrors(errors: readonly GraphQLError[]): FormattedErrors {
  let forcedStatus: number | null = null;
  let requestError = true;
  const unexpected: Error[] = [];
  const formatted = flatten(errors).map((error) => {
    const classified = classify(error);
    let json = error.toJSON();
    if (classified) json = { ...json, message: classified.message, extensions: { ...json.extensions, code: classified.code, ...classified.details } };
    let code = json.extensions?.code;
    if (typeof code !== 'string') {
      const original = error.originalError ?? error;
      unexpected.push(original);
      code = 'INTERNAL_SERVER_ERROR';
      // A non-null field that came back null is our bug, but its message teaches; other failures stay private.
      const message = error.originalError ? 'Internal server error' : json.message;
      json = { ...json, message, extensions: { code } };
    }
    const status = HTTP_STATUS_OF_CODE[code as string];
    if (status !== undefined && (forcedStatus === null || status > forcedStatus)) forcedStatus = status;
    if (!REQUEST_ERROR_CODES.has(code as string) && status === undefined) requestError = false;
    return json;
  });
  return { errors: formatted, forcedStatus, requestError, unexpected };
}

/**
 * The HTTP status of a GraphQL response with errors (GraphQL over HTTP): a request that was
 * not well formed gets its 4xx; a request rejected before execution gets 400 only when the
 * client accepts `application/graphql-response+json` (with plain `application/json` every
 * well-formed request gets 200); once execution started, 200.
 */
export function statusOf(result: { hasData: boolean; formatted: FormattedErrors; mediaType: string }): number {
  if (result.formatted.forcedStatus !== null) return result.formatted.forcedStatus;
  if (result.hasData || !result.formatted.requestError) return 200;
  return result.mediaType === GRAPHQL_RESPONSE_TYPE ? 400 : 200;
}

export type { ExecutionResult };
