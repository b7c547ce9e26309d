import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/index.ts';
import { formatErrors, statusOf } from './errors.ts';
import { graphql } from './graphql-runtime.ts';

const fieldError = (originalError: Error) => new graphql.GraphQLError(originalError.message, { path: ['createUser'], originalError });

describe('formatErrors', () => {
  it('gives domain errors their codes and camelCase field names', () => {
    const { errors, requestError } = formatErrors([
      fieldError(new NotFoundError('user', 7)),
      fieldError(new ValidationError([{ field: 'author_id', message: 'there is no user 9' }])),
      fieldError(new ConflictError('email', 'taken')),
    ]);
    expect(errors.map((e) => e.extensions)).toEqual([
      { code: 'NOT_FOUND', entity: 'user', id: '7' },
      { code: 'BAD_USER_INPUT', fields: [{ field: 'authorId', message: 'there is no user 9' }] },
      { code: 'CONFLICT', fields: [{ field: 'email', message: 'taken' }] },
    ]);
    expect(requestError).toBe(false);
  });

  it('hides the message of an unexpected failure and reports it', () => {
    const failure = new TypeError('cannot read properties of undefined');
    const { errors, unexpected } = formatErrors([fieldError(failure)]);
    expect(errors[0]).toMatchObject({ message: 'Internal server error', path: ['createUser'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(unexpected).toEqual([failure]);
  });

  it('unwraps mercurius’ validation wrapper into the real errors', () => {
    const wrapper = Object.assign(new Error('Graphql validation error'), {
      code: 'MER_ERR_GQL_VALIDATION',
      errors: [new graphql.GraphQLError('Syntax Error: Expected Name, found <EOF>.'), new graphql.GraphQLError('Cannot query field "x" on type "Query".')],
    });
    const { errors, requestError } = formatErrors([new graphql.GraphQLError(wrapper.message, { originalError: wrapper })]);
    expect(errors.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    expect(requestError).toBe(true);
  });

  it('names the depth from mercurius’ message, in both languages', () => {
    const depth = Object.assign(new Error('`unnamedQuery query depth (11) exceeds the query depth limit of 8`'), { code: 'MER_ERR_GQL_QUERY_DEPTH' });
    const [error] = formatErrors([new graphql.GraphQLError(depth.message, { originalError: depth })]).errors;
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 11, limit: 8 });
    expect(error.extensions?.localized).toMatchObject({ ru: expect.stringContaining('11') });
  });
});

describe('statusOf', () => {
  const requestError = formatErrors([new graphql.GraphQLError('Cannot query field "x" on type "Query".')]);
  const fieldFailure = formatErrors([fieldError(new NotFoundError('user', 1))]);
  const badBody = formatErrors([new graphql.GraphQLError('bad', { originalError: Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }) })]);

  it('follows GraphQL over HTTP', () => {
    expect(statusOf({ hasData: false, formatted: requestError, mediaType: 'application/json' })).toBe(200);
    expect(statusOf({ hasData: false, formatted: requestError, mediaType: 'application/graphql-response+json' })).toBe(400);
    expect(statusOf({ hasData: true, formatted: fieldFailure, mediaType: 'application/graphql-response+json' })).toBe(200);
    expect(statusOf({ hasData: false, formatted: badBody, mediaType: 'application/json' })).toBe(400);
  });
});
