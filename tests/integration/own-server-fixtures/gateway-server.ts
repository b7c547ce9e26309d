// A REST gateway for users.proto's google.api.http routes written by hand on node:http, with an
// in-memory UserService behind it: correct as grpc-gateway answers, or with one of the mistakes a
// student's hand-written gateway makes, switched on by `fault`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export type GatewayFault =
  | ''
  /** names as in the .proto (created_at), enums as numbers: json.dumps of the fields, not proto3 JSON */
  | 'proto-names'
  /** every error of the service answered 500, whatever its gRPC code */
  | 'errors-500'
  /** the error as text, not a google.rpc.Status */
  | 'error-text'
  /** reads only ?max_users, not the JSON name maxUsers */
  | 'query-proto-name-only'
  /** REST habits: 201 for a created user, 204 without a body for a deletion */
  | 'rest-statuses';

interface StoredUser {
  id: number;
  name: string;
  email: string;
  status: number;
  roles: number[];
  createdAt: string;
}

const STATUS_NAMES = ['USER_STATUS_UNSPECIFIED', 'USER_STATUS_ACTIVE', 'USER_STATUS_INACTIVE', 'USER_STATUS_BANNED'];
const ROLE_NAMES = ['ROLE_UNSPECIFIED', 'ROLE_ADMIN', 'ROLE_AUTHOR', 'ROLE_REVIEWER', 'ROLE_READER'];
const HTTP_OF_CODE: Record<number, number> = { 3: 400, 5: 404, 6: 409, 12: 501 };

class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startGatewayFixture(fault: GatewayFault): Promise<{ port: number; close(): Promise<void> }> {
  const users = new Map<number, StoredUser>();
  let nextId = 1;

  const userJson = (user: StoredUser) =>
    fault === 'proto-names'
      ? { id: user.id, name: user.name, email: user.email, status: user.status, roles: user.roles, created_at: user.createdAt }
      : {
          id: user.id,
          name: user.name,
          email: user.email,
          status: STATUS_NAMES[user.status],
          roles: user.roles.map((role) => ROLE_NAMES[role]),
          createdAt: user.createdAt,
        };

  const find = (id: number) => {
    const user = users.get(id);
    if (!user) throw new GrpcError(5, 'no such user');
    return user;
  };

  function createUser(body: Record<string, unknown>): StoredUser {
    const { name, email } = body as { name?: unknown; email?: unknown };
    if (typeof name !== 'string' || !name.trim() || typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw new GrpcError(3, 'name must not be empty and email must look like x@y.z');
    if ([...users.values()].some((user) => user.email === email)) throw new GrpcError(6, 'this email is taken');
    const status = STATUS_NAMES.indexOf(String(body.status ?? 'USER_STATUS_ACTIVE'));
    const roles = Array.isArray(body.roles) ? body.roles.map((role) => ROLE_NAMES.indexOf(String(role))) : [4];
    const user = { id: nextId++, name, email, status: Math.max(status, 0), roles, createdAt: new Date().toISOString() };
    users.set(user.id, user);
    return user;
  }

  function send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }

  function sendError(response: ServerResponse, error: GrpcError): void {
    const status = fault === 'errors-500' ? 500 : (HTTP_OF_CODE[error.code] ?? 500);
    if (fault === 'error-text') {
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(error.message);
      return;
    }
    send(response, status, { code: error.code, message: error.message, details: [] });
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    const idMatch = /^\/v1\/users\/(\d+)$/.exec(url.pathname);
    const id = idMatch ? Number(idMatch[1]) : null;
    if (url.pathname === '/v1/users' && request.method === 'POST') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      } catch {
        throw new GrpcError(3, 'the body is not JSON');
      }
      return send(response, fault === 'rest-statuses' ? 201 : 200, { user: userJson(createUser(body)) });
    }
    if (url.pathname === '/v1/users' && request.method === 'GET') {
      const limit = Number(url.searchParams.get('max_users') ?? (fault === 'query-proto-name-only' ? 0 : url.searchParams.get('maxUsers')) ?? 0);
      const listed = [...users.values()].slice(0, limit || undefined);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(listed.map((user, index) => `${JSON.stringify({ result: { user: userJson(user), position: index + 1 } })}\n`).join(''));
      return;
    }
    if (id !== null && request.method === 'GET') return send(response, 200, { user: userJson(find(id)) });
    if (id !== null && request.method === 'PATCH') {
      const user = find(id);
      const body = JSON.parse(await readBody(request)) as { name?: string };
      if (body.name) user.name = body.name;
      return send(response, 200, { user: userJson(user) });
    }
    if (id !== null && request.method === 'DELETE') {
      find(id);
      users.delete(id);
      if (fault === 'rest-statuses') {
        response.writeHead(204);
        response.end();
        return;
      }
      return send(response, 200, {});
    }
    throw new GrpcError(5, 'Not Found');
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => sendError(response, error instanceof GrpcError ? error : new GrpcError(13, String(error))));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
