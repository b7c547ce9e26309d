// GraphQL batching as the lab's client does it: several operations in one POST, a JSON array of
// requests; the server answers a JSON array of results in the same order (mercurius'
// `allowBatchedQueries`, server/protocols/graphql/README.md). Pure: the caller does the fetch.

/** One GraphQL request, as it would go alone in a POST body. */
export interface GraphqlOperation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

import { MAX_BATCH_OPERATIONS, STORAGE_QUERIES_HEADER } from '../../contracts/graphql-extras/extras.ts';

export { MAX_BATCH_OPERATIONS, STORAGE_QUERIES_HEADER };

/** The body of a batched POST: the operations as a JSON array, in order. */
export function batchRequestBody(operations: readonly GraphqlOperation[]): string {
  if (operations.length === 0 || operations.length > MAX_BATCH_OPERATIONS) {
    throw new RangeError(`a GraphQL batch holds 1 to ${MAX_BATCH_OPERATIONS} operations, not ${operations.length}`);
  }
  return JSON.stringify(
    operations.map(({ query, variables, operationName }) => ({ query, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}) })),
  );
}

export interface BatchAnswer {
  /** each operation's `data`, in the order they were sent */
  data: Array<Record<string, unknown>>;
  /** the statements the whole batch ran, from the header; undefined when the server sent none */
  sqlStatements?: number;
}

interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message?: unknown }>;
}

function firstError(result: unknown): string | undefined {
  const errors = (result as GraphqlResult | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const message = errors[0]?.message;
  return typeof message === 'string' ? message : 'GraphQL error';
}

/**
 * Reads a batched answer: a JSON array with one result per operation sent. A request refused as
 * a whole (too long a batch: one error object, not an array), an array of another length, or an
 * operation that failed throws, with the server's message.
 */
export function parseBatchAnswer(body: unknown, sent: number, storageQueriesHeader: string | null): BatchAnswer {
  if (!Array.isArray(body)) throw new Error(firstError(body) ?? 'a GraphQL batch was not answered with an array');
  if (body.length !== sent) throw new Error(`a GraphQL batch of ${sent} operations got ${body.length} results`);
  const data = body.map((result, index) => {
    const failure = firstError(result);
    if (failure !== undefined) throw new Error(`operation ${index + 1}: ${failure}`);
    const value = (result as GraphqlResult | null)?.data;
    if (typeof value !== 'object' || value === null) throw new Error(`operation ${index + 1}: no data`);
    return value;
  });
  const count = storageQueriesHeader?.trim() ?? '';
  return { data, sqlStatements: /^\d{1,9}$/.test(count) ? Number(count) : undefined };
}
