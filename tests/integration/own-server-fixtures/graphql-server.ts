// A small GraphQL server over HTTP (graphql-js on node:http) that keeps GraphQL over HTTP as the
// suite checks it (POST and GET, operationName, a syntax error as 400 with the GraphQL media type,
// a mutation over GET refused with 405) and limits depth the way servers that refuse inside
// execution do: a too-deep query answers "data": null with an error. GraphQL §7.1.2 allows that
// (an error that prevented a valid response), and nothing of the query ran. No subscriptions: the
// suite's graphql-transport-ws checks are not offered. Faults to switch on: `mutation-over-get`
// (a mutation sent with GET runs, which GraphQL over HTTP forbids), and four that each break one
// MUST of graphql-http's audits: `null-params-crash` (a 500 on "variables": null and the like),
// `charset-refused` (415 unless Content-Type is exactly application/json), `extensions-refused`
// (400 on an "extensions" entry), `text-plain` (every answer text/plain); and six that each break
// one of the rules in checks/graphql-http-rules.ts: `accept-required` (406 to a POST without
// Accept), `empty-errors` ("errors": [] beside data that ran), `graphql-type-always-400` (every
// answer with the GraphQL media type is 400, data or not), `validation-200` (a validation error is
// 200 with the GraphQL media type too), `get-query-only` (a GET may carry only query: 400 for
// variables, extensions or operationName) and `unknown-property-refused` (400 on a POST property
// the server does not know).
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buildSchema, execute, getOperationAST, GraphQLError, Kind, parse, validate, type DocumentNode, type SelectionSetNode } from 'graphql';

const schema = buildSchema(`
  type Post { title: String!, author: User! }
  type User { id: ID!, name: String!, email: String!, posts(first: Int): [Post!]! }
  type UserConnection { nodes: [User!]! }
  input CreateUserInput { name: String!, email: String! }
  type Query { user(id: ID!): User, users(first: Int): UserConnection! }
  type Mutation { createUser(input: CreateUserInput!): User!, deleteUser(id: ID!): Boolean! }
`);

const MAX_DEPTH = 8;
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

export type GraphqlFault =
  | ''
  | 'mutation-over-get'
  | 'null-params-crash'
  | 'charset-refused'
  | 'extensions-refused'
  | 'text-plain'
  | 'accept-required'
  | 'empty-errors'
  | 'graphql-type-always-400'
  | 'validation-200'
  | 'get-query-only'
  | 'unknown-property-refused';

const KNOWN_PROPERTIES = new Set(['query', 'variables', 'operationName', 'extensions']);

function depthOf(selections: SelectionSetNode | undefined): number {
  if (!selections) return 0;
  return 1 + Math.max(0, ...selections.selections.map((node) => (node.kind === Kind.FIELD ? depthOf(node.selectionSet) : 0)));
}

interface Params {
  query?: unknown;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: unknown;
}

/** The request's GraphQL parameters: from the URL for GET, from the JSON body for POST; null when the body is not JSON. */
function paramsOf(method: string, url: URL, body: string): Params | null {
  if (method === 'GET') {
    // the URL's extensions is not used here; the spec only asks that it be accepted
    const variables = url.searchParams.get('variables');
    return {
      query: url.searchParams.get('query'),
      variables: variables ? JSON.parse(variables) : undefined,
      operationName: url.searchParams.get('operationName') ?? undefined,
    };
  }
  try {
    return JSON.parse(body) as Params;
  } catch {
    return null;
  }
}

export async function startGraphqlFixture(fault: GraphqlFault = ''): Promise<{ port: number; close(): Promise<void> }> {
  const users = new Map<string, { id: string; name: string; email: string }>();
  let nextId = 1;
  const userById = (id: string) => {
    const user = users.get(id);
    return user && { ...user, posts: () => [{ title: 'Hello', author: userById(id) }] };
  };
  const root = {
    user: ({ id }: { id: string }) => userById(id) ?? null,
    users: ({ first }: { first?: number }) => ({ nodes: [...users.keys()].slice(0, first ?? 10).map(userById) }),
    createUser: ({ input }: { input: { name: string; email: string } }) => {
      const id = String(nextId++);
      users.set(id, { id, ...input });
      return userById(id);
    },
    deleteUser: ({ id }: { id: string }) => users.delete(id),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const graphqlType = String(request.headers.accept ?? '').includes(GRAPHQL_RESPONSE_JSON);
      // with the GraphQL media type a request error is a 4xx; with application/json it stays 200
      const refusedStatus = graphqlType && fault !== 'validation-200' ? 400 : 200;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const type = fault === 'text-plain' ? 'text/plain' : graphqlType ? GRAPHQL_RESPONSE_JSON : 'application/json';
        response.writeHead(fault === 'graphql-type-always-400' && graphqlType ? 400 : status, { 'content-type': type, ...headers });
        response.end(JSON.stringify(body));
      };
      const method = request.method ?? '';
      if (method !== 'GET' && method !== 'POST') return send(405, { errors: [{ message: 'GET or POST' }] }, { allow: 'GET, POST' });
      if (method === 'POST' && fault === 'accept-required' && request.headers.accept === undefined)
        return send(406, { errors: [{ message: 'Say what you accept' }] });
      const url = new URL(request.url ?? '/', 'http://fixture.invalid');
      if (method === 'GET' && fault === 'get-query-only' && [...url.searchParams.keys()].some((name) => name !== 'query'))
        return send(400, { errors: [{ message: 'A GET carries only query' }] });
      const params = paramsOf(method, url, Buffer.concat(chunks).toString('utf8'));
      if (method === 'POST' && fault === 'charset-refused' && request.headers['content-type'] !== 'application/json')
        return send(415, { errors: [{ message: 'JSON only' }] });
      if (!params) return send(400, { errors: [{ message: 'The body is not JSON' }] });
      if (fault === 'unknown-property-refused' && Object.keys(params).some((name) => !KNOWN_PROPERTIES.has(name)))
        return send(400, { errors: [{ message: 'unknown request property' }] });
      if (fault === 'extensions-refused' && 'extensions' in params) return send(400, { errors: [{ message: 'unknown parameter extensions' }] });
      if (fault === 'null-params-crash' && [params.operationName, params.variables, params.extensions].includes(null as never)) {
        return send(500, { errors: [{ message: 'Cannot convert undefined or null to object' }] });
      }
      let document: DocumentNode;
      try {
        document = parse(String(params.query));
      } catch (error) {
        return send(refusedStatus, { errors: [(error as GraphQLError).toJSON()] });
      }
      if (method === 'GET' && getOperationAST(document, params.operationName)?.operation === 'mutation' && fault !== 'mutation-over-get')
        return send(405, { errors: [{ message: 'A mutation goes over POST' }] }, { allow: 'POST' });
      const tooDeep = document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && depthOf(definition.selectionSet) > MAX_DEPTH);
      if (tooDeep) return send(200, { data: null, errors: [{ message: `The query is deeper than ${MAX_DEPTH} levels.` }] });
      const invalid = validate(schema, document);
      if (invalid.length > 0) return send(refusedStatus, { errors: invalid.map((error) => error.toJSON()) });
      const result = await execute({ schema, document, rootValue: root, variableValues: params.variables, operationName: params.operationName });
      send(200, fault === 'empty-errors' ? { errors: [], ...result } : result);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
