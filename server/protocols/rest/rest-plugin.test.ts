import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { API_BODY_LIMIT } from './index.ts';
import { buildRestTestApp } from './build-rest-test-app.ts';

let app: FastifyInstance;
afterEach(async () => app?.close());

async function start(options?: Parameters<typeof buildRestTestApp>[0]) {
  app = await buildRestTestApp(options);
  return app;
}

const request = (options: InjectOptions) => app.inject(options);
const json = (method: InjectOptions['method'], url: string, body: unknown, headers: Record<string, string> = {}) =>
  request({ method, url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

function expectProblem(response: Awaited<ReturnType<typeof request>>, status: number, slug: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json();
  expect(problem).toMatchObject({ type: `https://wirelab.dev/problems/${slug}`, status, instance: expect.stringMatching(/^\/api\//) });
  expect(problem.title).toEqual(expect.any(String));
  expect(problem.detail).toEqual(expect.any(String));
  return problem;
}

describe('reading users', () => {
  it('pages with a total and a Link header that keeps the filters', async () => {
    await start();
    const response = await request({ url: '/api/v1/users?status=active&page=2&limit=3' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ page: 2, limit: 3, total: 9 });
    expect(body.items).toHaveLength(3);
    expect(body.items[0]).not.toHaveProperty('version');
    const link = response.headers.link as string;
    expect(link).toContain('</api/v1/users?status=active&page=1&limit=3>; rel="first"');
    expect(link).toContain('rel="prev"');
    expect(link).toContain('</api/v1/users?status=active&page=3&limit=3>; rel="next"');
    expect(link).toContain('page=3&limit=3>; rel="last"');
  });

  it('walks all users with cursors following Link rel=next', async () => {
    await start();
    const ids: number[] = [];
    let url: string | null = '/api/v1/users?cursor=&limit=5&sort=-created_at';
    while (url) {
      const response = await request({ url });
      const body = response.json();
      ids.push(...body.items.map((u: { id: number }) => u.id));
      url = body.next_cursor ? /<([^>]+)>; rel="next"/.exec(response.headers.link as string)![1] : null;
      if (!body.next_cursor) expect(response.headers.link).toBeUndefined();
    }
    expect(ids).toHaveLength(12);
    expect(ids[0]).toBe(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('answers 400 for a forged cursor, page with cursor, or a bad query parameter', async () => {
    await start();
    expectProblem(await request({ url: '/api/v1/users?cursor=bm9wZQ' }), 400, 'bad-cursor');
    expectProblem(await request({ url: '/api/v1/users?cursor=&page=1' }), 400, 'bad-request');
    const problem = expectProblem(await request({ url: '/api/v1/users?limit=500' }), 400, 'bad-request');
    expect(problem.errors[0].field).toBe('limit');
    expectProblem(await request({ url: '/api/v1/users?sort=phone' }), 400, 'bad-request');
  });

  it('searches case-insensitively, Cyrillic included, and filters by role', async () => {
    await start();
    const found = (await request({ url: `/api/v1/users?q=${encodeURIComponent('ершов')}` })).json();
    expect(found.items.map((u: { name: string }) => u.name)).toEqual(['Андрей Ершов']);
    const admins = (await request({ url: '/api/v1/users?role=admin' })).json();
    expect(admins.items.map((u: { id: number }) => u.id)).toEqual([1, 5]);
  });

  it('gets one user with an ETag and answers 304 to If-None-Match', async () => {
    await start();
    const first = await request({ url: '/api/v1/users/1' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: 1, name: 'Ada Lovelace', phone: '+44 20 7946 0001' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"u1-v1-[\w-]{8}"$/);
    const again = await request({ url: '/api/v1/users/1', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const list = await request({ url: '/api/v1/users' });
    expect((await request({ url: '/api/v1/users', headers: { 'if-none-match': list.headers.etag as string } })).statusCode).toBe(304);
  });

  it('answers 404 for a missing user and 400 for a non-numeric id', async () => {
    await start();
    expectProblem(await request({ url: '/api/v1/users/999' }), 404, 'not-found');
    expect(expectProblem(await request({ url: '/api/v1/users/abc' }), 400, 'bad-request').errors[0].field).toBe('id');
  });
});

describe('writing users', () => {
  it('creates: 201 with Location and ETag', async () => {
    await start();
    const response = await json('POST', '/api/v1/users', { name: 'Kathleen Booth', email: 'kathleen@example.com' });
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe('/api/v1/users/13');
    expect(response.headers.etag).toMatch(/^"u13-v1-/);
    expect(response.json()).toMatchObject({ id: 13, status: 'active', roles: ['reader'], metadata: {}, phone: null });
    expect((await request({ url: '/api/v1/users/13' })).statusCode).toBe(200);
  });

  it('answers 409 for a taken email, in any case', async () => {
    await start();
    const problem = expectProblem(await json('POST', '/api/v1/users', { name: 'Ada', email: 'ADA@example.com' }), 409, 'conflict');
    expect(problem.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
  });

  it('answers 422 with field errors from the schema and from the domain', async () => {
    await start();
    const missing = expectProblem(await json('POST', '/api/v1/users', { name: 'No Email' }), 422, 'validation');
    expect(missing.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
    const domain = expectProblem(await json('POST', '/api/v1/users', { name: 'Bad', email: 'not-an-email' }), 422, 'validation');
    expect(domain.errors).toEqual([{ field: 'email', message: expect.stringContaining('email address') }]);
    const phone = expectProblem(await json('PATCH', '/api/v1/users/1', { phone: '12' }), 422, 'validation');
    expect(phone.errors[0].field).toBe('phone');
  });

  it('PUT needs every field; PATCH changes only what it sends', async () => {
    await start();
    const partial = expectProblem(await json('PUT', '/api/v1/users/2', { name: 'Alan M. Turing' }), 422, 'validation');
    expect(partial.errors[0].field).toMatch(/^(email|status|roles|metadata|phone)$/);
    const full = { name: 'Alan M. Turing', email: 'alan@example.com', status: 'active', roles: ['author'], metadata: {}, phone: null };
    const replaced = await json('PUT', '/api/v1/users/2', full);
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject(full);
    expect(replaced.headers.etag).toMatch(/^"u2-v2-/);

    const patched = await request({
      method: 'PATCH',
      url: '/api/v1/users/4',
      payload: JSON.stringify({ metadata: { city: null, lab: 'ВЦ' } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Андрей Ершов', metadata: { team: 'compilers', lab: 'ВЦ' } });
  });

  it('guards writes with If-Match: 412 on a stale ETag, success on the current one', async () => {
    await start();
    const stale = (await request({ url: '/api/v1/users/3' })).headers.etag as string;
    await json('PATCH', '/api/v1/users/3', { status: 'inactive' });
    const refused = await json('PATCH', '/api/v1/users/3', { name: 'Amazing Grace' }, { 'if-match': stale });
    expectProblem(refused, 412, 'precondition-failed');
    const current = refused.headers.etag as string;
    expect(current).not.toBe(stale);
    expect((await json('PATCH', '/api/v1/users/3', { name: 'Amazing Grace' }, { 'if-match': current })).statusCode).toBe(200);
    expectProblem(await request({ method: 'DELETE', url: '/api/v1/users/3', headers: { 'if-match': current } }), 412, 'precondition-failed');
  });

  it('deletes: 204, then 404', async () => {
    await start();
    const deleted = await request({ method: 'DELETE', url: '/api/v1/users/12' });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectProblem(await request({ url: '/api/v1/users/12' }), 404, 'not-found');
    expectProblem(await request({ method: 'DELETE', url: '/api/v1/users/12' }), 404, 'not-found');
  });

  it('keeps each sandbox apart', async () => {
    await start();
    await json('PATCH', '/api/v1/users/1', { name: 'Ada King' }, { 'x-wirelab-sandbox': 'alice' });
    expect((await request({ url: '/api/v1/users/1', headers: { 'x-wirelab-sandbox': 'alice' } })).json().name).toBe('Ada King');
    expect((await request({ url: '/api/v1/users/1' })).json().name).toBe('Ada Lovelace');
  });
});

describe('HTTP errors', () => {
  it('405 with Allow for a known path, 204 with Allow for OPTIONS, 404 for an unknown one', async () => {
    await start();
    const problem = await request({ method: 'DELETE', url: '/api/v1/users' });
    expectProblem(problem, 405, 'method-not-allowed');
    expect(problem.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    const options = await request({ method: 'OPTIONS', url: '/api/v1/users/1' });
    expect(options.statusCode).toBe(204);
    expect(options.headers.allow).toBe('DELETE, GET, HEAD, PATCH, PUT, OPTIONS');
    expectProblem(await request({ url: '/api/v1/nothing' }), 404, 'not-found');
  });

  it('406 when Accept excludes JSON; */* and problem+json are fine', async () => {
    await start();
    expectProblem(await request({ url: '/api/v1/users/1', headers: { accept: 'text/html' } }), 406, 'not-acceptable');
    expectProblem(await request({ url: '/api/v1/users/1', headers: { accept: 'application/json;q=0, text/csv' } }), 406, 'not-acceptable');
    expect((await request({ url: '/api/v1/users/1', headers: { accept: 'text/html, */*;q=0.1' } })).statusCode).toBe(200);
  });

  it('415 for a body that is not JSON, with Accept-Patch on PATCH', async () => {
    await start();
    expectProblem(
      await request({ method: 'POST', url: '/api/v1/users', payload: 'name=Ada', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported-media-type',
    );
    expectProblem(
      await request({ method: 'POST', url: '/api/v1/users', payload: 'Ada', headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported-media-type',
    );
    expectProblem(
      await request({ method: 'POST', url: '/api/v1/users', payload: '{}', headers: { 'content-type': 'application/merge-patch+json' } }),
      415,
      'unsupported-media-type',
    );
    const patch = await request({ method: 'PATCH', url: '/api/v1/users/1', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expectProblem(patch, 415, 'unsupported-media-type');
    expect(patch.headers['accept-patch']).toBe('application/json, application/merge-patch+json');
  });

  it('400 for malformed JSON, in either JSON media type', async () => {
    await start();
    expectProblem(
      await request({ method: 'POST', url: '/api/v1/users', payload: '{"name":', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed-json',
    );
    expectProblem(
      await request({ method: 'PATCH', url: '/api/v1/users/1', payload: '{', headers: { 'content-type': 'application/merge-patch+json' } }),
      400,
      'malformed-json',
    );
  });

  it(`413 for a body over ${API_BODY_LIMIT} bytes`, async () => {
    await start();
    const body = { name: 'Big', email: 'big@example.com', metadata: { blob: 'x'.repeat(API_BODY_LIMIT) } };
    expectProblem(await json('POST', '/api/v1/users', body), 413, 'content-too-large');
  });

  it('429 with Retry-After once the session is over its limit', async () => {
    await start({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
    for (let i = 0; i < 3; i++) expect((await request({ url: '/api/v1/users/1' })).statusCode).toBe(200);
    const limited = await request({ url: '/api/v1/users/1' });
    expectProblem(limited, 429, 'too-many-requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // another sandbox is another client
    expect((await request({ url: '/api/v1/users/1', headers: { 'x-wirelab-sandbox': 'bob' } })).statusCode).toBe(200);
  });
});

describe('posts and comments', () => {
  it('lists a user’s posts and creates, patches and deletes a post', async () => {
    await start();
    expect((await request({ url: '/api/v1/users/1/posts' })).json().total).toBe(3);
    expect((await request({ url: '/api/v1/posts?author_id=2' })).json().total).toBe(4);
    expect(expectProblem(await json('POST', '/api/v1/posts', { author_id: 99, title: 'T', content: 'C' }), 422, 'validation').errors[0].field).toBe(
      'author_id',
    );
    const created = await json('POST', '/api/v1/posts', { author_id: 3, title: 'COBOL', content: 'Readable by managers' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/api/v1/posts/21');
    expect((await json('PATCH', '/api/v1/posts/21', { title: 'FLOW-MATIC' })).json()).toMatchObject({ title: 'FLOW-MATIC', content: 'Readable by managers' });
    expect((await request({ method: 'DELETE', url: '/api/v1/posts/21' })).statusCode).toBe(204);
  });

  it('lists and creates comments', async () => {
    await start();
    expect((await request({ url: '/api/v1/posts/1/comments' })).json().items.map((c: { id: number }) => c.id)).toEqual([1, 2]);
    const created = await json('POST', '/api/v1/posts/1/comments', { author_id: 5, content: 'Отлично' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/api/v1/posts/1/comments/16');
    expect((await request({ url: created.headers.location as string })).json()).toMatchObject({ id: 16, post_id: 1, content: 'Отлично' });
    expectProblem(await request({ url: '/api/v1/posts/2/comments/16' }), 404, 'not-found');
    expectProblem(await json('POST', '/api/v1/posts/999/comments', { author_id: 5, content: 'x' }), 404, 'not-found');
  });
});

describe('version 2 and the OpenAPI document', () => {
  it('wraps users in an envelope with camelCase and a split name', async () => {
    await start();
    const one = (await request({ url: '/api/v2/users/4' })).json();
    expect(one).toEqual({
      data: {
        id: 4,
        name: { first: 'Андрей', last: 'Ершов' },
        email: 'ershov@example.com',
        status: 'active',
        roles: ['author'],
        metadata: { team: 'compilers', city: 'Новосибирск' },
        phone: '+7 383 330 0004',
        createdAt: '2025-02-03T07:45:00.000Z',
        updatedAt: '2025-02-03T07:45:00.000Z',
      },
      meta: { version: 1 },
      links: { self: '/api/v2/users/4', posts: '/api/v1/users/4/posts' },
    });
    const list = (await request({ url: '/api/v2/users?limit=5&page=3' })).json();
    expect(list.meta).toEqual({ page: 3, limit: 5, total: 12 });
    expect(list.data.map((u: { id: number }) => u.id)).toEqual([11, 12]);
    expect(list.links).toMatchObject({ first: '/api/v2/users?limit=5&page=1', prev: '/api/v2/users?limit=5&page=2' });
    expect(list.links.next).toBeUndefined();
    const cursor = (await request({ url: '/api/v2/users?cursor=&limit=10' })).json();
    expect(cursor.meta.nextCursor).toEqual(expect.any(String));
  });

  it('documents every route with its schemas', async () => {
    await start();
    const doc = (await request({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/users', '/api/v1/users/{id}', '/api/v2/users/{id}', '/api/v1/posts/{id}/comments']),
    );
    expect(doc.paths['/api/openapi.json']).toBeUndefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['User', 'UserV2', 'Post', 'Comment', 'Problem']));
    const post = doc.paths['/api/v1/users'].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '409', '415', '422', '429']));
    expect(Object.keys(doc.paths['/api/v1/users/{id}'].patch.requestBody.content)).toEqual(['application/json', 'application/merge-patch+json']);
  });
});
