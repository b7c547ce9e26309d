import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// /api/users/:id: the API version chosen by a header (Accept's vendor type or Api-Version), over
// HTTP/1.1 and h2c, with Vary telling caches which request headers chose the body.

let server: RunningServer;
const sandbox = { 'x-wirelab-sandbox': `header-versioning-${process.pid}` };

beforeAll(async () => {
  server = await startServer({ rateLimit: false });
});
afterAll(async () => {
  await server?.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.origin}${path}`, { headers: { ...sandbox, ...headers } });
  return { status: response.status, headers: response.headers, body: await response.json().catch(() => null) };
}

describe('REST: the version in a header (/api/users/:id)', () => {
  it('without a header: version 1, exactly as /api/v1/users/1, with Api-Version and Vary', async () => {
    const plain = await get('/api/users/1');
    const v1 = await get('/api/v1/users/1');
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual(v1.body);
    expect(plain.headers.get('api-version')).toBe('1');
    expect(plain.headers.get('vary')).toMatch(/Accept, Api-Version/);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('Api-Version: 2 gives the v2 envelope (as /api/v2/users/1), still as application/json', async () => {
    const v2 = await get('/api/users/1', { 'api-version': '2' });
    const byUrl = await get('/api/v2/users/1');
    expect(v2.status).toBe(200);
    expect(v2.body.data).toEqual(byUrl.body.data);
    expect(v2.body.data.name).toEqual({ first: 'Ada', last: 'Lovelace' });
    expect(v2.headers.get('api-version')).toBe('2');
    expect(v2.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('Accept: application/vnd.wirelab.v2+json gives v2 and says so in Content-Type', async () => {
    const v2 = await get('/api/users/1', { accept: 'application/vnd.wirelab.v2+json' });
    expect(v2.status).toBe(200);
    expect(v2.headers.get('content-type')).toBe('application/vnd.wirelab.v2+json');
    expect(v2.body.data.createdAt).toBeDefined();
    const v1 = await get('/api/users/1', { accept: 'application/vnd.wirelab.v1+json' });
    expect(v1.headers.get('content-type')).toBe('application/vnd.wirelab.v1+json');
    expect(v1.body.created_at).toBeDefined();
  });

  it('each version has its own ETag, and If-None-Match revalidates within a version', async () => {
    const v1 = await get('/api/users/1');
    const v2 = await get('/api/users/1', { 'api-version': '2' });
    expect(v1.headers.get('etag')).not.toBe(v2.headers.get('etag'));
    expect((await get('/api/users/1', { 'api-version': '2', 'if-none-match': v2.headers.get('etag')! })).status).toBe(304);
    expect((await get('/api/users/1', { 'if-none-match': v2.headers.get('etag')! })).status).toBe(200);
  });

  it('refuses unknown and conflicting versions with problem+json', async () => {
    const unknown = await get('/api/users/1', { 'api-version': '3' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.type).toMatch(/unsupported-api-version$/);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const conflict = await get('/api/users/1', { 'api-version': '1', accept: 'application/vnd.wirelab.v2+json' });
    expect(conflict.status).toBe(400);
    expect(conflict.body.type).toMatch(/conflicting-api-version$/);
    expect((await get('/api/users/1', { accept: 'application/vnd.wirelab.v3+json' })).status).toBe(406);
    expect((await get('/api/users/1', { accept: 'application/vnd.wirelab.v3+json, application/json' })).status).toBe(406);
    expect((await get('/api/users/999999')).status).toBe(404);
  });

  it('works the same over h2c', async () => {
    const session = http2.connect(server.origin);
    try {
      const { headers, body } = await new Promise<{ headers: http2.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const stream = session.request({ ':path': '/api/users/1', 'api-version': '2', ...sandbox });
        let headers: http2.IncomingHttpHeaders = {};
        let body = '';
        stream.on('response', (h) => (headers = h));
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => resolve({ headers, body }));
        stream.on('error', reject);
      });
      expect(headers[':status']).toBe(200);
      expect(headers['api-version']).toBe('2');
      expect(headers.vary).toMatch(/Api-Version/);
      expect(JSON.parse(body).data.name.first).toBe('Ada');
    } finally {
      session.close();
    }
  });
});
