// A users resource written by hand on node:http, correct by RFC 9110 but in the ways the REST
// suite once failed: 204 for PUT, 200 with a body for DELETE, weak ETags (and If-Match compared
// strongly, so a weak tag never matches), string ids. Each way is a switch; each test turns one on.
// And faults, one realistic mistake each, a family of the deeper checks apiece (issue 38, item 6):
// `RestFault` says what each breaks.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface RestFixtureOptions {
  putAnswer?: 200 | 204;
  deleteAnswer?: 204 | 200;
  etags?: 'strong' | 'weak';
  ids?: 'number' | 'uuid';
  /** Both allowed: 406 for an Accept without JSON (§12.5.1), OPTIONS not implemented (405 with Allow). */
  negotiation?: 'strict';
  /** Link targets as relative references (`<?page=2&limit=1>`), resolved against the request's URL (RFC 8288 §3.1). */
  links?: 'relative';
  fault?: RestFault;
}

export type RestFault =
  | 'no-location' // a 201 without the Location of what it created (RFC 9110 §15.3.2)
  | 'strict-if-none-match' // If-None-Match compared strongly, its first tag only (§13.1.2 says weakly, any)
  | 'any-tag-304' // any If-None-Match at all answered 304, stale tags too
  | 'bare-304' // a 304 without its ETag (§15.4.5)
  | 'frozen-etag' // the ETag never changes when the user does (§8.8.3)
  | 'if-match-put-only' // DELETE ignores If-Match (§13.1.1)
  | 'no-head' // HEAD answered 405 (§9.1: a server MUST support it)
  | 'wrong-allow' // Allow names GET alone, on the collection too (§10.2.1)
  | 'spa-fallback' // an unknown path answered 200 with a page (§15.5.5)
  | 'accept-500' // an Accept without JSON in it breaks the server (§12.5.1)
  | 'exact-content-type' // "application/json; charset=utf-8" refused: the header compared as a string (§8.3.1)
  | 'empty-as-object' // an empty body read as {} (RFC 8259 §2)
  | 'plain-errors' // errors as application/json (RFC 9457 §3)
  | 'no-prev' // page links without rel="prev" (lesson 2's contract)
  | 'next-repeats' // rel="next" leads to the same page again
  | 'saves-before-validating' // a POST's user stored before its fields are checked: a 422 that keeps it
  | 'member-post-creates' // POST creates whatever the path, /api/v1/users/7 too (§15.5.6 says 405)
  | 'no-delete' // DELETE answers 500: the suite cannot clean up, a later run must not care
  | 'if-none-match-star-as-tag' // "*" in If-None-Match compared as a tag: never matches (§13.1.2)
  | 'if-match-star-as-tag' // "*" in If-Match compared as a tag: every If-Match: * a 412 (§13.1.1)
  | 'if-match-first-tag' // If-Match compares its first tag only (§13.1.1 says any of the list)
  | 'prev-on-first' // page - 1 unguarded: page 1 links to page=0 as prev
  | 'first-zero-based' // rel="first" is page=0, as if pages counted from 0
  | 'next-always' // rel="next" on every page, the last too
  | 'last-floor'; // last = total / limit rounded down: short of the end when the last page is partial

interface User {
  id: number | string;
  name: string;
  email: string;
  status: string;
  version: number;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function problem(response: ServerResponse, status: number, title: string, fault?: RestFault): void {
  response.writeHead(status, { 'content-type': fault === 'plain-errors' ? 'application/json' : 'application/problem+json' });
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
async function userFields(
  request: IncomingMessage,
  response: ServerResponse,
  fault?: RestFault,
): Promise<{ name: string; email: string; status?: string } | null> {
  const contentType = String(request.headers['content-type'] ?? '');
  if (fault === 'exact-content-type' ? contentType !== 'application/json' : !contentType.startsWith('application/json')) {
    problem(response, 415, 'The body must be application/json', fault);
    return null;
  }
  let body: { name?: unknown; email?: unknown; status?: unknown };
  try {
    const text = await readBody(request);
    body = JSON.parse(fault === 'empty-as-object' && text === '' ? '{}' : text);
  } catch {
    problem(response, 400, 'The body is not JSON', fault);
    return null;
  }
  if (typeof body.name !== 'string' || !body.name.trim() || typeof body.email !== 'string' || !EMAIL.test(body.email)) {
    problem(response, 422, 'A name and an email are required', fault);
    return null;
  }
  return { name: body.name, email: body.email, status: typeof body.status === 'string' ? body.status : undefined };
}

export async function startRestFixture(options: RestFixtureOptions = {}): Promise<{ port: number; users: Map<string, User>; close(): Promise<void> }> {
  const users = new Map<string, User>();
  const fault = options.fault;
  let nextId = 1;
  const etagOf = (user: User) => `${options.etags === 'weak' ? 'W/' : ''}"v${fault === 'frozen-etag' ? 1 : user.version}"`;
  const tags = (header: string | undefined) => (header ?? '').split(',').map((tag) => tag.trim());
  const fail = (response: ServerResponse, status: number, title: string) => problem(response, status, title, fault);
  const sendUser = (response: ServerResponse, status: number, user: User, extra: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', etag: etagOf(user), ...extra });
    response.end(JSON.stringify(user));
  };
  const notAllowed = (response: ServerResponse, allow: string) => {
    response.writeHead(405, { allow: fault === 'wrong-allow' ? 'GET' : allow });
    response.end();
  };

  /** If-None-Match compares weakly (§13.1.2), any tag of the list. */
  function notModified(request: IncomingMessage, user: User): boolean {
    const header = request.headers['if-none-match'];
    if (header === undefined) return false;
    if (fault === 'any-tag-304') return true;
    if (fault === 'strict-if-none-match') return tags(header)[0] === etagOf(user);
    const strip = (tag: string) => tag.replace(/^W\//, '');
    return tags(header).some((tag) => (tag === '*' && fault !== 'if-none-match-star-as-tag') || strip(tag) === strip(etagOf(user)));
  }

  /** If-Match compares strongly (§13.1.1): a weak tag never matches, "*" matches any. */
  const preconditionFails = (request: IncomingMessage, user: User) => {
    const ifMatch = request.headers['if-match'];
    const listed = fault === 'if-match-first-tag' ? tags(ifMatch).slice(0, 1) : tags(ifMatch);
    const star = (tag: string) => tag === '*' && fault !== 'if-match-star-as-tag';
    return ifMatch !== undefined && !listed.some((tag) => star(tag) || (!tag.startsWith('W/') && tag === etagOf(user)));
  };

  async function replace(request: IncomingMessage, response: ServerResponse, user: User): Promise<void> {
    if (preconditionFails(request, user)) {
      await readBody(request);
      return fail(response, 412, 'The user changed since that version');
    }
    const fields = await userFields(request, response, fault);
    if (!fields) return;
    Object.assign(user, { name: fields.name, email: fields.email, status: fields.status ?? user.status, version: user.version + 1 });
    if (options.putAnswer === 204) {
      response.writeHead(204, { etag: etagOf(user) });
      return void response.end();
    }
    return sendUser(response, 200, user);
  }

  async function onUser(request: IncomingMessage, response: ServerResponse, key: string): Promise<void> {
    const user = users.get(key);
    if (!user) return fail(response, 404, 'No such user');
    // node:http sends no body for HEAD whatever is written: HEAD is GET's answer without it
    if (request.method === 'GET' || (request.method === 'HEAD' && fault !== 'no-head')) {
      if (notModified(request, user)) {
        response.writeHead(304, fault === 'bare-304' ? {} : { etag: etagOf(user) });
        return void response.end();
      }
      if (options.negotiation === 'strict' && !/json|\*\/\*/.test(request.headers.accept ?? '*/*')) return fail(response, 406, 'Only JSON here');
      if (fault === 'accept-500' && !/json|\*\/\*/.test(request.headers.accept ?? '*/*')) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        return void response.end('TypeError: no serializer for application/xml');
      }
      return sendUser(response, 200, user);
    }
    if (request.method === 'PUT') return replace(request, response, user);
    if (request.method === 'DELETE') {
      if (fault === 'no-delete') return fail(response, 500, 'Deleting broke');
      if (fault !== 'if-match-put-only' && preconditionFails(request, user)) return fail(response, 412, 'The user changed since that version');
      users.delete(key);
      if (options.deleteAnswer === 200) return sendUser(response, 200, { ...user, status: 'deleted' });
      response.writeHead(204);
      return void response.end();
    }
    notAllowed(response, 'GET, HEAD, PUT, DELETE');
  }

  function list(response: ServerResponse, url: URL): void {
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = [...users.values()];
    const items = all.slice((page - 1) * limit, page * limit);
    const base = options.links === 'relative' ? '' : '/api/v1/users';
    const at = (n: number) => `<${base}?page=${fault === 'next-repeats' ? page : n}&limit=${limit}>`;
    const last = Math.max(1, fault === 'last-floor' ? Math.floor(all.length / limit) : Math.ceil(all.length / limit));
    const links = [
      `${at(fault === 'first-zero-based' ? 0 : 1)}; rel="first"`,
      `${at(last)}; rel="last"`,
      ...(page * limit < all.length || fault === 'next-always' ? [`${at(page + 1)}; rel="next"`] : []),
      ...((page > 1 || fault === 'prev-on-first') && fault !== 'no-prev' ? [`${at(page - 1)}; rel="prev"`] : []),
    ];
    response.writeHead(200, { 'content-type': 'application/json', link: links.join(', ') });
    response.end(JSON.stringify({ items }));
  }

  function store(name: string, email: string): User {
    const id = options.ids === 'uuid' ? randomUUID() : nextId++;
    const user: User = { id, name, email, status: 'active', version: 1 };
    users.set(String(id), user);
    return user;
  }

  async function saveThenValidate(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: { name?: unknown; email?: unknown } | null = null;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return fail(response, 400, 'The body is not JSON');
    }
    const [name, email] = [String(body?.name ?? ''), String(body?.email ?? '')];
    if ([...users.values()].some((user) => user.email === email)) return fail(response, 409, 'The email is taken');
    const user = store(name, email);
    if (!name.trim() || !EMAIL.test(email)) return fail(response, 422, 'A name and an email are required');
    sendUser(response, 201, user, { location: `/api/v1/users/${user.id}` });
  }

  async function onCollection(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method === 'GET' || (request.method === 'HEAD' && fault !== 'no-head')) return list(response, url);
    if (request.method === 'OPTIONS' && options.negotiation !== 'strict') {
      response.writeHead(204, { allow: fault === 'wrong-allow' ? 'GET' : 'GET, HEAD, POST, OPTIONS' });
      return void response.end();
    }
    if (request.method !== 'POST') return notAllowed(response, 'GET, HEAD, POST, OPTIONS');
    if (fault === 'saves-before-validating') return saveThenValidate(request, response);
    const fields = await userFields(request, response, fault);
    if (!fields) return;
    if ([...users.values()].some((user) => user.email === fields.email)) return fail(response, 409, 'The email is taken');
    const user = store(fields.name, fields.email);
    sendUser(response, 201, user, fault === 'no-location' ? {} : { location: `/api/v1/users/${user.id}` });
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    const member = /^\/api\/v1\/users\/([^/]+)$/.exec(url.pathname);
    const collection = url.pathname === '/api/v1/users' || (member && request.method === 'POST' && fault === 'member-post-creates');
    const handled = collection ? onCollection(request, response, url) : member ? onUser(request, response, decodeURIComponent(member[1])) : null;
    if (handled) return void handled.catch(() => fail(response, 500, 'The fixture broke'));
    if (fault !== 'spa-fallback') return fail(response, 404, 'Nothing here');
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>App</title><div id="root"></div>');
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
