import { graphql } from './graphql-runtime.ts';
import type { DocumentNode } from 'graphql';
import { GRAPHQL_LIMITS } from './limits.ts';

/**
 * How many writes a POST body asks for: the top-level fields of the mutation each operation runs
 * (`a: createUser(…) b: createUser(…)` is two), across a batch. What does not parse, or names no
 * mutation, counts 0: mercurius answers it with its own error.
 */
export function mutationFieldCount(operations: readonly unknown[]): number {
  let count = 0;
  for (const operation of operations) {
    const { query, operationName } = (operation ?? {}) as { query?: unknown; operationName?: unknown };
    // Cheap first: no mutation keyword, no write (a query's field named "mutation…" is only a false alarm).
    if (typeof query !== 'string' || !query.includes('mutation')) continue;
    let document: DocumentNode;
    try {
      document = graphql.parse(query, { maxTokens: GRAPHQL_LIMITS.maxTokens });
    } catch {
      continue;
    }
    const chosen = graphql.getOperationAST(document, typeof operationName === 'string' && operationName !== '' ? operationName : undefined);
    if (chosen?.operation === 'mutation') count += chosen.selectionSet.selections.length;
  }
  return count;
}
