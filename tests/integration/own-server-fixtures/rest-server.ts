// A users resource written by hand on node:http, correct by RFC 9110 but in the ways the REST
// suite once failed: 204 for PUT, 200 with a body for DELETE, weak ETags (and If-Match compared
// strongly, so a weak tag never matches), string ids. Each way is a switch; each test turns one on.
// One fault too: `no-location`, a 201 without the Location of what it created (RFC 9110 §15.3.2).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface RestFixtureOptions {
  putAnswer?: 200 | 204;
  deleteAnswer?: 204 | 200;
  etags?: 'strong' | 'weak';
  ids?: 'number' | 'uuid';
  fault?: 'no-location';
}

interface User {
  id: number | string;
  name: string;
  email: string;
  status: string;
  version: number;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function problem(response: ServerResponse, status: number, title: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify({ type: 'about:blank', title, status }));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The user's fields from a JSON body, or the problem to answer with. */
async function userFields(request: IncomingMessage, response: ServerResponse): Promise<{ name: string; email: string; status?: string } | null> {
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
    problem(response, 415, 'The body must be application/json');
    return null;
  }
  let body: { name?: unknown; email?: unknown; status?: unknown };
  try {
    body = JSON.parse(await readBody(request));
  } catch {
    problem(response, 400, 'The body is not JSON');
    return null;
  }
  if (typeof body.name !== 'string' || !body.name.trim() || typeof body.email !== 'string' || !EMAIL.test(body.email)) {
    problem(response, 422, 'A name and an email are required');
    return null;
  }
  return { name: body.name, email: body.email, status: typeof body.status === 'string' ? body.status : undefined };
}

export async function startRestFixture(options: RestFixtureOptions = {}): Promise<{ port: number; users: Map<string, User>; close(): Promise<void> }> {
  const users = new Map<string, User>();
  let nextId = 1;
  const etagOf = (user: User) => `${options.etags === 'weak' ? 'W/' : ''}"v${user.version}"`;
  const tags = (header: string | undefined) => (header ?? '').split(',').map((tag) => tag.trim());
  const sendUser = (response: ServerResponse, status: number, user: User, extra: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', etag: etagOf(user), ...extra });
    response.end(JSON.stringify(user));
  };

  async function onUser(request: IncomingMessage, response: ServerResponse, key: string): Promise<void> {
    const user = users.get(key);
    if (!user) return problem(response, 404, 'No such user');
    if (request.method === 'GET') {
      // If-None-Match compares weakly (§13.1.2)
      const strip = (tag: string) => tag.replace(/^W\//, '');
      if (tags(request.headers['if-none-match']).some((tag) => strip(tag) === strip(etagOf(user)))) {
        response.writeHead(304, { etag: etagOf(user) });
        return void response.end();
      }
      return sendUser(response, 200, user);
    }
    if (request.method === 'PUT') {
      // If-Match compares strongly (§13.1.1): a weak tag never matches, "*" matches any
      const ifMatch = request.headers['if-match'];
      if (ifMatch !== undefined && !tags(ifMatch).some((tag) => tag === '*' || (!tag.startsWith('W/') && tag === etagOf(user)))) {
        await readBody(request);
        return problem(response, 412, 'The user changed since that version');
      }
      const fields = await userFields(request, response);
      if (!fields) return;
      Object.assign(user, { name: fields.name, email: fields.email, status: fields.status ?? user.status, version: user.version + 1 });
      if (options.putAnswer === 204) {
        response.writeHead(204, { etag: etagOf(user) });
        return void response.end();
      }
      return sendUser(response, 200, user);
    }
    if (request.method === 'DELETE') {
      users.delete(key);
      if (options.deleteAnswer === 200) return sendUser(response, 200, { ...user, status: 'deleted' });
      response.writeHead(204);
      return void response.end();
    }
    response.writeHead(405, { allow: 'GET, PUT, DELETE' });
    response.end();
  }

  async function onCollection(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = [...users.values()];
      const items = all.slice((page - 1) * limit, page * limit);
      const next = page * limit < all.length ? { link: `</api/v1/users?page=${page + 1}&limit=${limit}>; rel="next"` } : {};
      response.writeHead(200, { 'content-type': 'application/json', ...next });
      return void response.end(JSON.stringify({ items }));
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'GET, POST' });
      return void response.end();
    }
    const fields = await userFields(request, response);
    if (!fields) return;
    if ([...users.values()].some((user) => user.email === fields.email)) return problem(response, 409, 'The email is taken');
    const id = options.ids === 'uuid' ? randomUUID() : nextId++;
    const user: User = { id, name: fields.name, email: fields.email, status: 'active', version: 1 };
    users.set(String(id), user);
    sendUser(response, 201, user, options.fault === 'no-location' ? {} : { location: `/api/v1/users/${id}` });
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    const member = /^\/api\/v1\/users\/([^/]+)$/.exec(url.pathname);
    const handled =
      url.pathname === '/api/v1/users' ? onCollection(request, response, url) : member ? onUser(request, response, decodeURIComponent(member[1])) : null;
    if (!handled) return problem(response, 404, 'Nothing here');
    handled.catch(() => problem(response, 500, 'The fixture broke'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  // one user before the suite's own, so `?limit=1` has a next page whatever the suite deleted
  const ada: User = { id: options.ids === 'uuid' ? randomUUID() : 0, name: 'Ada', email: 'ada@example.com', status: 'active', version: 1 };
  users.set(String(ada.id), ada);
  return {
    port: (server.address() as AddressInfo).port,
    users,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
