// A small GraphQL server over HTTP (graphql-js on node:http) that limits depth the way servers
// that refuse inside execution do: a too-deep query answers "data": null with an error. GraphQL
// §7.1.2 allows that (an error that prevented a valid response), and nothing of the query ran.
// `fault` breaks one MUST of graphql-http's audits: `null-params-crash` (a 500 on "variables":
// null and the like), `charset-refused` (415 unless Content-Type is exactly application/json),
// `extensions-refused` (400 on an "extensions" entry), `text-plain` (every answer text/plain).
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql, Kind, parse, type SelectionSetNode } from 'graphql';

const schema = buildSchema(`
  type Post { title: String!, author: User! }
  type User { id: ID!, name: String!, email: String!, posts(first: Int): [Post!]! }
  input CreateUserInput { name: String!, email: String! }
  type Query { user(id: ID!): User }
  type Mutation { createUser(input: CreateUserInput!): User!, deleteUser(id: ID!): Boolean! }
`);

const MAX_DEPTH = 8;

function depthOf(selections: SelectionSetNode | undefined): number {
  if (!selections) return 0;
  return 1 + Math.max(0, ...selections.selections.map((node) => (node.kind === Kind.FIELD ? depthOf(node.selectionSet) : 0)));
}

export type GraphqlFault = '' | 'null-params-crash' | 'charset-refused' | 'extensions-refused' | 'text-plain';

export async function startGraphqlFixture(fault: GraphqlFault = ''): Promise<{ port: number; close(): Promise<void> }> {
  const users = new Map<string, { id: string; name: string; email: string }>();
  let nextId = 1;
  const userById = (id: string) => {
    const user = users.get(id);
    return user && { ...user, posts: () => [{ title: 'Hello', author: userById(id) }] };
  };
  const root = {
    user: ({ id }: { id: string }) => userById(id) ?? null,
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
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': fault === 'text-plain' ? 'text/plain' : 'application/json' });
        response.end(JSON.stringify(body));
      };
      let body: { query?: string; variables?: Record<string, unknown>; operationName?: unknown; extensions?: unknown };
      if (fault === 'charset-refused' && request.headers['content-type'] !== 'application/json') return send(415, { errors: [{ message: 'JSON only' }] });
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (fault === 'extensions-refused' && 'extensions' in body) return send(400, { errors: [{ message: 'unknown parameter extensions' }] });
        if (fault === 'null-params-crash' && [body.operationName, body.variables, body.extensions].includes(null)) {
          return send(500, { errors: [{ message: 'Cannot convert undefined or null to object' }] });
        }
        const document = parse(String(body.query));
        const tooDeep = document.definitions.some(
          (definition) => definition.kind === Kind.OPERATION_DEFINITION && depthOf(definition.selectionSet) > MAX_DEPTH,
        );
        if (tooDeep) return send(200, { data: null, errors: [{ message: `The query is deeper than ${MAX_DEPTH} levels.` }] });
      } catch {
        return send(400, { errors: [{ message: 'Not a GraphQL request' }] });
      }
      send(200, await graphql({ schema, source: String(body.query), rootValue: root, variableValues: body.variables }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
