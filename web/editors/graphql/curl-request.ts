import type { HttpRequestText } from '../http/parse-http-request.ts';
import { GRAPHQL_ENDPOINT } from './schema-store.ts';

/**
 * A query or mutation as the plain HTTP request it is (for "Copy as curl"): POST /graphql with a
 * JSON body. Unlike urql, it sends the document as written, without the added __typename.
 */
export function graphqlHttpRequest(
  query: string,
  variables: Record<string, unknown>,
  headers: ReadonlyArray<[string, string]>,
  operationName: string | null,
): HttpRequestText {
  const body = JSON.stringify({ query, ...(Object.keys(variables).length > 0 ? { variables } : {}), ...(operationName ? { operationName } : {}) });
  return {
    method: 'POST',
    target: GRAPHQL_ENDPOINT,
    version: null,
    headers: [
      { name: 'Content-Type', value: 'application/json', line: 0 },
      { name: 'Accept', value: 'application/graphql-response+json', line: 0 },
      ...headers.map(([name, value]) => ({ name, value, line: 0 })),
    ],
    body,
    requestLine: 0,
    bodyLine: null,
  };
}
