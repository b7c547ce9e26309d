import { describe, expect, it } from 'vitest';
import { batchRequestBody, MAX_BATCH_OPERATIONS, parseBatchAnswer } from './graphql-batch.ts';

describe('batchRequestBody', () => {
  it('writes the operations as one JSON array, in order, without empty members', () => {
    const body = batchRequestBody([
      { query: '{ user(id: 1) { name } }' },
      { query: 'query U($id: ID!) { user(id: $id) { name } }', variables: { id: 2 }, operationName: 'U' },
    ]);
    expect(JSON.parse(body)).toEqual([
      { query: '{ user(id: 1) { name } }' },
      { query: 'query U($id: ID!) { user(id: $id) { name } }', variables: { id: 2 }, operationName: 'U' },
    ]);
    expect(body.startsWith('[{"query":')).toBe(true);
  });

  it('refuses an empty batch and one longer than the server takes', () => {
    expect(() => batchRequestBody([])).toThrow(RangeError);
    const many = Array.from({ length: MAX_BATCH_OPERATIONS + 1 }, () => ({ query: '{ __typename }' }));
    expect(() => batchRequestBody(many)).toThrow(/1 to 10 operations, not 11/);
    expect(() => batchRequestBody(many.slice(1))).not.toThrow();
  });
});

describe('parseBatchAnswer', () => {
  it('gives each operation its data and the whole batch its SQL count from the header', () => {
    const answer = parseBatchAnswer([{ data: { user: { name: 'Ada' } } }, { data: { user: { name: 'Alan' } } }], 2, '4');
    expect(answer).toEqual({ data: [{ user: { name: 'Ada' } }, { user: { name: 'Alan' } }], sqlStatements: 4 });
  });

  it('leaves the SQL count out when the header is missing or not a count', () => {
    const results = [{ data: { user: null } }];
    expect(parseBatchAnswer(results, 1, null).sqlStatements).toBeUndefined();
    expect(parseBatchAnswer(results, 1, '').sqlStatements).toBeUndefined();
    expect(parseBatchAnswer(results, 1, '-1').sqlStatements).toBeUndefined();
    expect(parseBatchAnswer(results, 1, '2.5').sqlStatements).toBeUndefined();
    expect(parseBatchAnswer(results, 1, ' 0 ').sqlStatements).toBe(0);
  });

  it('throws the server message of a batch refused as a whole', () => {
    const refused = { errors: [{ message: 'A batch holds 1 to 10 operations; this one has 11.', extensions: { code: 'BATCH_TOO_LARGE' } }] };
    expect(() => parseBatchAnswer(refused, 11, null)).toThrow('A batch holds 1 to 10 operations; this one has 11.');
    expect(() => parseBatchAnswer('nonsense', 1, null)).toThrow(/not answered with an array/);
  });

  it('throws when the results do not match the operations, or one operation failed', () => {
    expect(() => parseBatchAnswer([{ data: {} }], 2, '1')).toThrow('a GraphQL batch of 2 operations got 1 results');
    expect(() => parseBatchAnswer([{ data: {} }, { errors: [{ message: 'too complex' }] }], 2, '1')).toThrow('operation 2: too complex');
    expect(() => parseBatchAnswer([null], 1, '1')).toThrow('operation 1: no data');
  });
});
