import { useSyncExternalStore } from 'react';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { sessionReady } from '../../kit/session.ts';

// The editor learns the schema the way every GraphQL tool does: by asking the server
// (introspection). One request per page, shared by all graphql cells; it is real traffic and
// shows in the inspector as the operation "WirelabSchema".

export const GRAPHQL_ENDPOINT = '/graphql';

/**
 * Smaller than graphql's getIntrospectionQuery(): the server refuses documents nested deeper
 * than 8 (limits.ts beside its plugin), and the standard query unwraps type references 9 levels.
 * Three levels cover `[X!]!` on fields, two on arguments; our schema needs no more.
 */
export const SCHEMA_QUERY = /* GraphQL */ `query WirelabSchema {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types {
      kind name description
      fields(includeDeprecated: true) { name description isDeprecated deprecationReason args { ...ArgumentValue } type { ...TypeRef } }
      inputFields { name description defaultValue type { ...TypeRef } }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    directives { name description locations args { ...ArgumentValue } }
  }
}
fragment ArgumentValue on __InputValue { name description defaultValue type { kind name ofType { kind name ofType { kind name } } } }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

export type SchemaState = { status: 'loading' } | { status: 'ready'; schema: GraphQLSchema } | { status: 'error'; message: string };

let state: SchemaState = { status: 'loading' };
let started = false;
const listeners = new Set<() => void>();

function setState(next: SchemaState): void {
  state = next;
  for (const listener of listeners) listener();
}

export async function fetchSchema(): Promise<GraphQLSchema> {
  await sessionReady();
  const response = await fetch(GRAPHQL_ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: SCHEMA_QUERY, operationName: 'WirelabSchema' }),
    credentials: 'same-origin',
  });
  const body = (await response.json()) as { data?: IntrospectionQuery; errors?: Array<{ message: string }> };
  if (!body.data) throw new Error(body.errors?.map((error) => error.message).join('; ') || `HTTP ${response.status}`);
  return buildClientSchema(body.data);
}

/** Starts the one introspection request of this page (again after a failure). */
export function loadSchema(): void {
  if (started && state.status !== 'error') return;
  started = true;
  setState({ status: 'loading' });
  fetchSchema().then(
    (schema) => setState({ status: 'ready', schema }),
    (error: unknown) => setState({ status: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
}

export function currentSchema(): GraphQLSchema | null {
  return state.status === 'ready' ? state.schema : null;
}

export function subscribeSchema(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSchema(): SchemaState {
  return useSyncExternalStore(subscribeSchema, () => state);
}
