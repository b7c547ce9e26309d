import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// The REST API over real sockets: every status code it teaches, over HTTP/1.1 (fetch) and
// HTTP/2 with prior knowledge (h2c) on the same port.
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ rateLimit: { max: 1000, timeWindowMs: 10_000 } });
});
afterAll(async () => {
  await server?.close();
});

let sandboxCounter = 0;
/** Each test works in a sandbox of its own, named by the header a tool would send. */
function sandbox(): Record<string, string> {
  return { 'x-wirelab-sandbox': `rest-it-${process.pid}-${++sandboxCounter}` };
}

async function call(method: string, path: string, options: { body?: string | object; headers?: Record<string, string> } = {}) {
  const headers = { ...options.headers };
  let body: string | undefined;
  if (typeof options.body === 'object') {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  } else body = options.body;
  const response = await fetch(server.origin + path, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

function expectProblem(response: Awaited<ReturnType<typeof call>>, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, type: expect.stringMatching(/^https:\/\/wirelab\.dev\/problems\//) });
}

describe('REST over HTTP/1.1', () => {
  it('200 with a page, a total and a Link header', async () => {
    const response = await call('GET', '/api/v1/users?limit=5');
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ page: 1, limit: 5, total: 12 });
    expect(response.headers.get('link')).toContain('rel="next"');
  });

  it('201 with Location and ETag, then 304, 412, 200 and 204 along one user’s life', async () => {
    const headers = sandbox();
    const created = await call('POST', '/api/v1/users', { headers, body: { name: 'Kathleen Booth', email: 'kathleen@example.com' } });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    expect(location).toBe('/api/v1/users/13');
    const etag = created.headers.get('etag')!;

    expect((await call('GET', location, { headers: { ...headers, 'if-none-match': etag } })).status).toBe(304);
    const patched = await call('PATCH', location, {
      headers: { ...headers, 'if-match': etag, 'content-type': 'application/merge-patch+json' },
      body: { status: 'inactive' },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).not.toBe(etag);
    expectProblem(
      await call('PUT', location, {
        headers: { ...headers, 'if-match': etag },
        body: { name: 'K', email: 'k@example.com', status: 'active', roles: [], metadata: {}, phone: null },
      }),
      412,
    );
    expect((await call('DELETE', location, { headers })).status).toBe(204);
    expectProblem(await call('GET', location, { headers }), 404);
  });

  it('400 for malformed JSON, 415 for a non-JSON body, 413 over the limit', async () => {
    const headers = sandbox();
    expectProblem(await call('POST', '/api/v1/users', { headers: { ...headers, 'content-type': 'application/json' }, body: '{"name": "Ada",' }), 400);
    expectProblem(await call('POST', '/api/v1/users', { headers: { ...headers, 'content-type': 'text/plain' }, body: 'Ada' }), 415);
    const big = { name: 'Big', email: 'big@example.com', metadata: { blob: 'x'.repeat(70_000) } };
    expectProblem(await call('POST', '/api/v1/users', { headers, body: big }), 413);
  });

  it('405 with Allow, 406 for a non-JSON Accept, 409 for a taken email, 422 with field errors', async () => {
    const headers = sandbox();
    const notAllowed = await call('DELETE', '/api/v1/users', { headers });
    expectProblem(notAllowed, 405);
    expect(notAllowed.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expectProblem(await call('GET', '/api/v1/users/1', { headers: { ...headers, accept: 'text/html' } }), 406);
    expectProblem(await call('POST', '/api/v1/users', { headers, body: { name: 'Ada', email: 'ada@EXAMPLE.com' } }), 409);
    const invalid = await call('POST', '/api/v1/users', { headers, body: { name: 'Ada', email: 'ada-at-example' } });
    expectProblem(invalid, 422);
    expect(invalid.json().errors).toEqual([{ field: 'email', message: expect.any(String) }]);
  });

  it('serves the OpenAPI document', async () => {
    const response = await call('GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.json().paths['/api/v1/users/{id}']).toBeDefined();
  });
});

describe('REST rate limit', () => {
  it('429 with Retry-After once a client is over its limit', async () => {
    const limited = await startServer({ rateLimit: { max: 2, timeWindowMs: 30_000 }, tap: false });
    try {
      const get = () => fetch(`${limited.origin}/api/v1/users/1`);
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(200);
      const refused = await get();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

interface H2Response {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

function h2Request(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: string): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    let responseHeaders: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (responseHeaders = h));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status: Number(responseHeaders[':status']), headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

describe('REST over h2c', () => {
  it('reads, writes and fails the same way over HTTP/2', async () => {
    const session = http2.connect(server.origin);
    session.on('error', () => {});
    try {
      const headers = sandbox();
      const read = await h2Request(session, { ':method': 'GET', ':path': '/api/v1/users/1', ...headers });
      expect(read.status).toBe(200);
      expect(JSON.parse(read.body)).toMatchObject({ id: 1, name: 'Ada Lovelace' });
      expect(read.headers.etag).toMatch(/^"u1-v1-/);
      expect(read.headers.connection).toBeUndefined();

      const notModified = await h2Request(session, { ':method': 'GET', ':path': '/api/v1/users/1', 'if-none-match': read.headers.etag as string, ...headers });
      expect(notModified.status).toBe(304);

      const created = await h2Request(
        session,
        { ':method': 'POST', ':path': '/api/v1/users', 'content-type': 'application/json', ...headers },
        JSON.stringify({ name: 'Мария Ершова', email: 'maria@example.com' }),
      );
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe('/api/v1/users/13');

      // Fastify asks HTTP/1.1 clients to close after a body it could not parse; HTTP/2 must not see that header.
      const malformed = await h2Request(session, { ':method': 'POST', ':path': '/api/v1/users', 'content-type': 'application/json', ...headers }, '{oops');
      expect(malformed.status).toBe(400);
      expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
      // the session survives the failed stream
      expect((await h2Request(session, { ':method': 'GET', ':path': '/api/v1/users/13', ...headers })).status).toBe(200);
    } finally {
      session.close();
    }
  });
});
