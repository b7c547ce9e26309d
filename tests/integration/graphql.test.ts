import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promisify } from 'node:util';
import http2 from 'node:http2';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHQL_LIMITS, STORAGE_QUERIES_HEADER } from '../../server/protocols/graphql/index.ts';
import { startServer, type RunningServer } from './start-server.ts';

// GraphQL at /graphql over real sockets: HTTP/1.1 and h2c on the same port, GET and POST,
// errors with codes, the N+1 counts, every limit, and subscriptions over WebSocket from a
// separate process (graphql-ws' own client) and from a raw `ws` speaking the legacy protocol.
let server: RunningServer;

beforeAll(async () => {
  // The connection-limit test fills every server-wide slot from this one address.
  server = await startServer({ rateLimit: { max: 10_000, timeWindowMs: 10_000 }, clientLimits: { connections: { graphqlWs: { perAddress: 1000 } } } });
});
afterAll(async () => {
  await server?.close();
});

let sandboxCounter = 0;
function newSandbox(): string {
  return `gql-it-${process.pid}-${++sandboxCounter}`;
}

interface GraphqlAnswer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; locations?: Array<{ line: number; column: number }>; path?: Array<string | number>; extensions: Record<string, any> }>;
    extensions?: { wirelab?: { batching: boolean; storageQueries: number; resolverCalls: number } };
  };
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<GraphqlAnswer> {
  const response = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

async function get(params: Record<string, string>, headers: Record<string, string> = {}): Promise<GraphqlAnswer> {
  const response = await fetch(`${server.origin}/graphql?${new URLSearchParams(params)}`, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

function codesOf(answer: GraphqlAnswer): string[] {
  return (answer.body.errors ?? []).map((e) => e.extensions.code);
}

/** Someone else asking at the same time: every limit test checks they are still served. */
async function expectOthersServed(): Promise<void> {
  const answer = await post({ query: '{ user(id: 1) { name } }' });
  expect(answer.status).toBe(200);
  expect(answer.body.data).toEqual({ user: { name: 'Ada Lovelace' } });
}

describe('queries over HTTP/1.1', () => {
  it('answers a POST with variables, fragments, aliases and directives', async () => {
    const answer = await post({
      query: `query Pair($a: ID!, $b: ID!, $withEmail: Boolean!) {
        first: user(id: $a) { ...Card }
        second: user(id: $b) { ...Card roles }
      }
      fragment Card on User { name email @include(if: $withEmail) status @skip(if: true) }`,
      variables: { a: '1', b: 4, withEmail: true },
      operationName: 'Pair',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body.data).toEqual({
      first: { name: 'Ada Lovelace', email: 'ada@example.com' },
      second: { name: 'Андрей Ершов', email: 'ershov@example.com', roles: ['AUTHOR'] },
    });
    expect(answer.body.errors).toBeUndefined();
  });

  it('pages users with a filter and a cursor', async () => {
    const query =
      'query($after: String) { users(filter: { role: REVIEWER }, orderBy: [{ field: NAME }], first: 2, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }';
    const first = await post({ query });
    expect(first.body.data!.users.nodes.map((u: { name: string }) => u.name)).toEqual(['Alan Turing', 'Barbara Liskov']);
    expect(first.body.data!.users.pageInfo.hasNextPage).toBe(true);
    const second = await post({ query, variables: { after: first.body.data!.users.pageInfo.endCursor } });
    expect(second.body.data!.users.nodes.map((u: { name: string }) => u.name)).toEqual(['Edsger Dijkstra', 'Grace Hopper']);
  });

  it('answers a GET query, with an ETag that a revalidation turns into 304', async () => {
    const params = { query: 'query One($id: ID!) { post(id: $id) { title author { name } } }', variables: JSON.stringify({ id: '2' }) };
    const answer = await get(params);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ post: { title: 'On Computable Numbers', author: { name: 'Alan Turing' } } });
    const etag = answer.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(answer.headers.get('cache-control')).toBe('private, no-cache');
    const again = await fetch(`${server.origin}/graphql?${new URLSearchParams(params)}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('refuses a mutation over GET with 405 and Allow: POST, and changes nothing', async () => {
    const sandbox = newSandbox();
    const answer = await get({ query: 'mutation { deleteUser(id: 1) }' }, { 'x-wirelab-sandbox': sandbox });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(codesOf(answer)).toEqual(['METHOD_NOT_ALLOWED']);
    const still = await fetch(`${server.origin}/api/v1/users/1`, { headers: { 'x-wirelab-sandbox': sandbox } });
    expect(still.status).toBe(200);
  });

  it('answers application/graphql-response+json when the client asks for it', async () => {
    const answer = await post({ query: '{ user(id: 2) { name } }' }, { accept: 'application/graphql-response+json, application/json;q=0.9' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });
});

describe('queries over h2c', () => {
  it('answers POST and GET on an HTTP/2 connection with prior knowledge', async () => {
    const session = http2.connect(server.origin);
    try {
      const request = (headers: http2.OutgoingHttpHeaders, body?: string) =>
        new Promise<{ status: number; body: any }>((resolve, reject) => {
          const stream = session.request(headers);
          let status = 0;
          let text = '';
          stream.on('response', (h) => (status = Number(h[':status'])));
          stream.setEncoding('utf8');
          stream.on('data', (chunk: string) => (text += chunk));
          stream.on('end', () => resolve({ status, body: JSON.parse(text) }));
          stream.on('error', reject);
          stream.end(body);
        });
      const posted = await request(
        { ':method': 'POST', ':path': '/graphql', 'content-type': 'application/json' },
        JSON.stringify({ query: 'query($id: ID!) { user(id: $id) { name posts(first: 1) { title } } }', variables: { id: 3 } }),
      );
      expect(posted.status).toBe(200);
      expect(posted.body.data).toEqual({ user: { name: 'Grace Hopper', posts: [{ title: 'The first bug' }] } });
      const got = await request({ ':method': 'GET', ':path': `/graphql?${new URLSearchParams({ query: '{ a: user(id: 5) { name } }' })}` });
      expect(got.status).toBe(200);
      expect(got.body.data).toEqual({ a: { name: 'Сергей Лебедев' } });
      const malformed = await request({ ':method': 'POST', ':path': '/graphql', 'content-type': 'application/json' }, '{"query":');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    } finally {
      session.close();
    }
  });
});

describe('curl, an outside client', () => {
  const run = promisify(execFile);

  it('GET with --data-urlencode over HTTP/1.1 and POST with --http2-prior-knowledge', async () => {
    const got = await run('curl', ['-s', '-G', `${server.origin}/graphql`, '--data-urlencode', 'query={ user(id: 7) { name } }']);
    expect(JSON.parse(got.stdout).data).toEqual({ user: { name: 'Edsger Dijkstra' } });
    const posted = await run('curl', [
      '-s',
      '--http2-prior-knowledge',
      '-w',
      '\n%{http_version} %{http_code}',
      '-H',
      'content-type: application/json',
      '-H',
      'x-wirelab-batching: off',
      '--data-binary',
      JSON.stringify({ query: '{ users(first: 5) { nodes { posts { id } } } }' }),
      `${server.origin}/graphql`,
    ]);
    const [body, status] = posted.stdout.split('\n');
    expect(status).toBe('2 200');
    expect(JSON.parse(body).extensions.wirelab).toEqual({ batching: false, storageQueries: 6, resolverCalls: 6 });
  });
});

describe('mutations share the sandbox with REST', () => {
  it('a post created over GraphQL is there over REST, in that sandbox only', async () => {
    const sandbox = newSandbox();
    const headers = { 'x-wirelab-sandbox': sandbox };
    const created = await post(
      {
        query: 'mutation($input: CreatePostInput!) { createPost(input: $input) { id title author { name } } }',
        variables: { input: { authorId: '3', title: 'Debugging, literally', content: 'A moth in relay 70.' } },
      },
      headers,
    );
    expect(created.status).toBe(200);
    expect(created.body.data!.createPost).toEqual({ id: '21', title: 'Debugging, literally', author: { name: 'Grace Hopper' } });
    const rest = await fetch(`${server.origin}/api/v1/posts/21`, { headers });
    expect(rest.status).toBe(200);
    expect(await rest.json()).toMatchObject({ id: 21, author_id: 3, title: 'Debugging, literally' });
    expect((await fetch(`${server.origin}/api/v1/posts/21`, { headers: { 'x-wirelab-sandbox': newSandbox() } })).status).toBe(404);
  });

  it('createUser, updateUser (a merge patch), addComment and deleteUser', async () => {
    const headers = { 'x-wirelab-sandbox': newSandbox() };
    const created = await post(
      {
        query:
          'mutation { createUser(input: { name: "Kathleen Booth", email: "kathleen@example.com", metadata: [{ key: "team", value: "assembly" }] }) { id status roles } }',
      },
      headers,
    );
    expect(created.body.data!.createUser).toEqual({ id: '13', status: 'ACTIVE', roles: ['READER'] });
    const updated = await post(
      {
        query:
          'mutation { updateUser(id: 13, input: { status: INACTIVE, metadata: [{ key: "city", value: "London" }] }) { name status metadata { key value } version } }',
      },
      headers,
    );
    expect(updated.body.data!.updateUser).toEqual({
      name: 'Kathleen Booth',
      status: 'INACTIVE',
      metadata: [
        { key: 'team', value: 'assembly' },
        { key: 'city', value: 'London' },
      ],
      version: 2,
    });
    const comment = await post(
      { query: 'mutation { addComment(postId: 1, input: { authorId: 13, content: "Lovely notes" }) { id post { title } author { name } } }' },
      headers,
    );
    expect(comment.body.data!.addComment).toEqual({ id: '16', post: { title: 'Notes on the Analytical Engine' }, author: { name: 'Kathleen Booth' } });
    const deleted = await post({ query: 'mutation { deleteUser(id: "13") }' }, headers);
    expect(deleted.body.data).toEqual({ deleteUser: '13' });
    expect((await fetch(`${server.origin}/api/v1/users/13`, { headers })).status).toBe(404);
  });
});

describe('errors', () => {
  it('NOT_FOUND, BAD_USER_INPUT with fields and CONFLICT, each with locations and path', async () => {
    const headers = { 'x-wirelab-sandbox': newSandbox() };
    const missing = await post({ query: 'mutation {\n  updateUser(id: 999, input: { name: "X" }) { id }\n}' }, headers);
    expect(missing.status).toBe(200);
    expect(missing.body.data).toBeNull();
    expect(missing.body.errors).toEqual([
      {
        message: 'user 999 does not exist',
        locations: [{ line: 2, column: 3 }],
        path: ['updateUser'],
        extensions: { code: 'NOT_FOUND', entity: 'user', id: '999' },
      },
    ]);

    const invalid = await post({ query: 'mutation { createUser(input: { name: " ", email: "nope", phone: "12" }) { id } }' }, headers);
    expect(invalid.body.errors![0]).toMatchObject({ path: ['createUser'], locations: [{ line: 1, column: 12 }], extensions: { code: 'BAD_USER_INPUT' } });
    expect(invalid.body.errors![0].extensions.fields.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'name', 'phone']);

    const taken = await post({ query: 'mutation { createUser(input: { name: "Ada Again", email: "ADA@example.com" }) { id } }' }, headers);
    expect(taken.body.errors![0]).toMatchObject({ path: ['createUser'], extensions: { code: 'CONFLICT', fields: [{ field: 'email' }] } });

    const wrongAuthor = await post({ query: 'mutation { createPost(input: { authorId: 404, title: "t", content: "c" }) { id } }' }, headers);
    expect(wrongAuthor.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'authorId' }] });
  });

  it('a field error nulls up to the nearest nullable field; its path reaches into lists', async () => {
    const partial = await post({ query: '{ ok: user(id: 1) { name } bad: user(id: 2) { posts(first: 0) { title } } }' });
    expect(partial.status).toBe(200);
    expect(partial.body.data).toEqual({ ok: { name: 'Ada Lovelace' }, bad: null });
    expect(partial.body.errors![0]).toMatchObject({ path: ['bad', 'posts'], extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'first' }] } });
    // users, nodes and posts are all non-null: the error climbs to the root.
    const whole = await post({ query: '{ users(first: 2) { nodes { posts(first: 0) { title } } } }' });
    expect(whole.status).toBe(200);
    expect(whole.body.data).toBeNull();
    expect(whole.body.errors![0].path).toEqual(['users', 'nodes', 0, 'posts']);
  });

  it('a query that does not validate: 200 with application/json, 400 with application/graphql-response+json', async () => {
    const query = '{\n  user(id: 1) { nickname }\n}';
    const legacy = await post({ query });
    expect(legacy.status).toBe(200);
    expect(legacy.body).not.toHaveProperty('data');
    expect(legacy.body.errors![0]).toMatchObject({ locations: [{ line: 2, column: 17 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const modern = await post({ query }, { accept: 'application/graphql-response+json' });
    expect(modern.status).toBe(400);
    expect(modern.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(codesOf(modern)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('a syntax error, a bad variable, malformed JSON, a missing query, a wrong media type', async () => {
    const syntax = await post({ query: '{ user(id: 1) { name }' }, { accept: 'application/graphql-response+json' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors![0]).toMatchObject({ locations: [{ line: 1, column: 23 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } });

    const variable = await post({ query: 'query($id: ID!) { user(id: $id) { name } }', variables: { id: { nested: true } } });
    expect(codesOf(variable)).toEqual(['BAD_USER_INPUT']);

    const malformed = await post('{"query": "{ user(id: 1) { name } }"');
    expect(malformed.status).toBe(400);
    expect(codesOf(malformed)).toEqual(['BAD_REQUEST']);

    expect((await post({ variables: {} })).status).toBe(400);
    expect((await get({})).status).toBe(400);

    const text = await fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ user(id: 1) { name } }' });
    expect(text.status).toBe(415);

    const html = await post({ query: '{ user(id: 1) { name } }' }, { accept: 'text/html' });
    expect(html.status).toBe(406);
    expect(codesOf(html)).toEqual(['NOT_ACCEPTABLE']);

    const put = await fetch(`${server.origin}/graphql`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
  });

  it('a GET whose operation cannot be chosen is a request error, like over POST', async () => {
    const twoOperations = 'query A { user(id: 1) { name } } query B { user(id: 2) { name } }';
    const choices: Array<Record<string, string>> = [{ query: twoOperations }, { query: twoOperations, operationName: 'C' }];
    for (const params of choices) {
      const viaGet = await get(params, { accept: 'application/graphql-response+json' });
      expect(viaGet.status).toBe(400);
      expect(codesOf(viaGet)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(codesOf(await post(params))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    expect((await get({ query: twoOperations, operationName: 'B' })).body.data).toEqual({ user: { name: 'Alan Turing' } });
  });

  it('a cursor this server did not issue', async () => {
    const answer = await post({ query: '{ users(after: "zzz") { nodes { id } } }' });
    expect(answer.body.errors![0]).toMatchObject({ path: ['users'], extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'after' }] } });
    const long = await post({
      query: 'query($s: String) { posts(search: $s) { nodes { id } } }',
      variables: { s: 'x'.repeat(GRAPHQL_LIMITS.maxSearchLength + 1) },
    });
    expect(long.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'search' }] });
  });

  it('answers the schema to introspection', async () => {
    const answer = await post({ query: '{ __schema { queryType { name } subscriptionType { fields { name } } } __type(name: "User") { fields { name } } }' });
    expect(answer.body.data!.__schema).toEqual({
      queryType: { name: 'Query' },
      subscriptionType: { fields: [{ name: 'postAdded' }, { name: 'userChanged' }] },
    });
    expect(answer.body.data!.__type.fields.map((f: { name: string }) => f.name)).toContain('posts');
  });
});

describe('N+1, counted', () => {
  const usersWithPosts = (n: number) => `{ users(first: ${n}) { nodes { name posts { title } } } }`;

  it.each([3, 7, 12])('users { posts }: 1 + N storage queries without batching, 2 with (N = %i)', async (n) => {
    const off = await post({ query: usersWithPosts(n) }, { 'x-wirelab-batching': 'off' });
    const on = await post({ query: usersWithPosts(n) });
    expect(off.body.data).toEqual(on.body.data);
    expect(on.body.data!.users.nodes).toHaveLength(n);
    expect(off.body.extensions!.wirelab).toEqual({ batching: false, storageQueries: 1 + n, resolverCalls: 1 + n });
    expect(on.body.extensions!.wirelab).toEqual({ batching: true, storageQueries: 2, resolverCalls: 1 + n });
  });

  it('three levels: 1 + users + posts without batching, 3 with', async () => {
    const query = '{ users(first: 4) { nodes { posts { title comments { content } } } } }';
    const on = await post({ query });
    const off = await post({ query }, { 'x-wirelab-batching': 'off' });
    expect(off.body.data).toEqual(on.body.data);
    const posts = on.body.data!.users.nodes.flatMap((u: { posts: unknown[] }) => u.posts).length;
    expect(posts).toBe(3 + 4 + 3 + 2);
    expect(on.body.extensions!.wirelab!.storageQueries).toBe(3);
    expect(off.body.extensions!.wirelab!.storageQueries).toBe(1 + 4 + posts);
  });

  it('a loader asks once for an author many posts share', async () => {
    const query = '{ posts(authorId: 2, first: 4) { nodes { author { name } } } }';
    const on = await post({ query });
    const off = await post({ query }, { 'x-wirelab-batching': 'off' });
    expect(on.body.data!.posts.nodes).toEqual(Array(4).fill({ author: { name: 'Alan Turing' } }));
    expect(on.body.extensions!.wirelab!.storageQueries).toBe(2);
    expect(off.body.extensions!.wirelab!.storageQueries).toBe(5);
  });
});

describe('limits', () => {
  const deep = (levels: number): string => {
    let selection = 'title';
    for (let i = 0; i < levels; i++) selection = `author { posts(first: 1) { ${selection} } }`;
    return `{ post(id: 1) { ${selection} } }`;
  };

  it('every limit is refused at validation, with its code and no storage query, while others are served', async () => {
    const aliases = Array.from({ length: GRAPHQL_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: user(id: 1) { id }`).join(' ');
    const cases: Array<[string, Promise<GraphqlAnswer>]> = [
      ['QUERY_TOO_DEEP', post({ query: deep(4) }, { accept: 'application/graphql-response+json' })],
      [
        'QUERY_TOO_COMPLEX',
        post({ query: '{ users(first: 100) { nodes { posts(first: 100) { title } } } }' }, { accept: 'application/graphql-response+json' }),
      ],
      ['TOO_MANY_ALIASES', post({ query: `{ ${aliases} }` }, { accept: 'application/graphql-response+json' })],
      ['TOO_MANY_TOKENS', post({ query: `{ ${'__typename '.repeat(GRAPHQL_LIMITS.maxTokens)} }` }, { accept: 'application/graphql-response+json' })],
    ];
    const [answers] = await Promise.all([Promise.all(cases.map(([, answer]) => answer)), expectOthersServed()]);
    answers.forEach((answer, i) => {
      expect(answer.status, cases[i][0]).toBe(400);
      expect(codesOf(answer), cases[i][0]).toEqual([cases[i][0]]);
      expect(answer.body).not.toHaveProperty('data');
      expect(answer.body.extensions?.wirelab).toMatchObject({ storageQueries: 0, resolverCalls: 0 });
    });
    expect(answers[1].body.errors![0].extensions).toMatchObject({ cost: 10201, limit: GRAPHQL_LIMITS.maxCost });
    expect(answers[0].body.errors![0].extensions).toMatchObject({ limit: GRAPHQL_LIMITS.maxDepth });
    expect(answers[0].body.errors![0].extensions.localized.ru).toMatch(/вложенности/);
    await expectOthersServed();
  });

  it('a query at the depth limit is answered', async () => {
    const answer = await post({ query: deep(3) });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('a variable counts as the largest first: it could carry', async () => {
    const answer = await post({ query: 'query($n: Int) { users(first: $n) { nodes { posts(first: $n) { title } } } }', variables: { n: 2 } });
    expect(codesOf(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    const withDefault = await post({ query: 'query($n: Int = 2) { users(first: $n) { nodes { posts(first: $n) { title } } } }', variables: { n: 2 } });
    expect(withDefault.body.errors).toBeUndefined();
  });

  it('batches: several operations in one POST, refused past the batch size', async () => {
    const ok = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ user(id: 1) { name } }' }, { query: 'query($id: ID!) { user(id: $id) { name } }', variables: { id: 2 } }]),
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Array<{ data: unknown }>).map((r) => r.data)).toEqual([{ user: { name: 'Ada Lovelace' } }, { user: { name: 'Alan Turing' } }]);
    const tooMany = await post(Array.from({ length: GRAPHQL_LIMITS.maxBatchSize + 1 }, () => ({ query: '{ user(id: 1) { name } }' })));
    expect(tooMany.status).toBe(400);
    expect(codesOf(tooMany)).toEqual(['BATCH_TOO_LARGE']);
    await expectOthersServed();
  });

  it('a batch reports the SQL statements of all its operations together, in a header', async () => {
    const userWithPosts = (id: number) => ({ query: `{ user(id: ${id}) { name posts { title } } }` });
    const oneByOne = await Promise.all([1, 2, 3].map((id) => post(userWithPosts(id))));
    const batch = await post([1, 2, 3].map(userWithPosts));
    expect(batch.status).toBe(200);
    const results = batch.body as unknown as Array<{ data: unknown; extensions?: unknown }>;
    expect(results.map((result) => result.data)).toEqual(oneByOne.map((answer) => answer.body.data));
    // The operations share one meter: none reports its own, the response the whole batch's.
    expect(results.every((result) => result.extensions === undefined)).toBe(true);
    const separately = oneByOne.reduce((sum, answer) => sum + answer.body.extensions!.wirelab!.storageQueries, 0);
    // One by one: a user and their posts, two statements each. Batched: the three users, and
    // then one posts statement for all three authors, since the shared loader collects them.
    expect(separately).toBe(6);
    expect(Number(batch.headers.get(STORAGE_QUERIES_HEADER))).toBe(4);
    // A single operation keeps its report in extensions and gets no header.
    expect(oneByOne[0].headers.get(STORAGE_QUERIES_HEADER)).toBeNull();
  });

  it('every operation of a batch is held to the limits on its own: one too complex, the others run', async () => {
    const batch = await post([
      { query: '{ user(id: 1) { name } }' },
      { query: '{ users(first: 100) { nodes { posts(first: 100) { title } } } }' },
      { query: '{ user(id: 2) { name } }' },
    ]);
    expect(batch.status).toBe(200);
    const [first, tooComplex, third] = batch.body as unknown as GraphqlAnswer['body'][];
    expect(first.data).toEqual({ user: { name: 'Ada Lovelace' } });
    expect(third.data).toEqual({ user: { name: 'Alan Turing' } });
    expect(tooComplex).not.toHaveProperty('data');
    expect(tooComplex.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: GRAPHQL_LIMITS.maxCost });
    const empty = await post([]);
    expect(empty.status).toBe(400);
    expect(codesOf(empty)).toEqual(['BATCH_TOO_LARGE']);
    expect(empty.body.errors![0].extensions).toMatchObject({ limit: GRAPHQL_LIMITS.maxBatchSize, size: 0 });
    expect(empty.body.errors![0].extensions.localized.ru).toMatch(/пакет/);
  });

  it('a body over the limit gets 413', async () => {
    const answer = await post({ query: `{ user(id: 1) { name } } # ${'x'.repeat(GRAPHQL_LIMITS.bodyBytes)}` });
    expect(answer.status).toBe(413);
    expect(codesOf(answer)).toEqual(['PAYLOAD_TOO_LARGE']);
    await expectOthersServed();
  });
});

// ---- subscriptions

describe('a batch against the rate limit', () => {
  let small: RunningServer;
  beforeAll(async () => {
    small = await startServer({ clientLimits: { rates: { graphql: { perAddress: 4, windowMs: 600_000 } } } });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('counts as many GraphQL requests as it has operations', async () => {
    const send = (operations: number) =>
      fetch(`${small.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: operations }, () => ({ query: '{ user(id: 1) { name } }' }))),
      });
    expect((await send(3)).status).toBe(200);
    // 3 of 4 spent: a batch of two is one request too many, though it is one HTTP request.
    const refused = await send(2);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as GraphqlAnswer['body']).errors![0].extensions.code).toBe('RATE_LIMITED');
  });
});

const wsUrl = () => `${server.origin.replace('http', 'ws')}/graphql`;

/** Resolves when the server has a live subscription in `sandboxId`: no sleeping, no guessing. */
function subscriptionStarted(sandboxId: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const tracker = server.app.graphqlSubscriptions;
    const timer = setTimeout(() => {
      tracker.off('started', onStarted);
      reject(new Error(`no subscription started in ${sandboxId}`));
    }, timeoutMs);
    const onStarted = (_field: string, started: string) => {
      if (started !== sandboxId) return;
      clearTimeout(timer);
      tracker.off('started', onStarted);
      resolve();
    };
    tracker.on('started', onStarted);
  });
}

function subscriptionEnded(sandboxId: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const tracker = server.app.graphqlSubscriptions;
    const timer = setTimeout(() => reject(new Error(`no subscription ended in ${sandboxId}`)), timeoutMs);
    const onEnded = (_field: string, ended: string) => {
      if (ended !== sandboxId) return;
      clearTimeout(timer);
      tracker.off('ended', onEnded);
      resolve();
    };
    tracker.on('ended', onEnded);
  });
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

/** The graphql-ws client in its own process; its stdout lines, one message each. */
function subscriber(args: string[]) {
  const script = fileURLToPath(new URL('./graphql-clients/subscribe.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--url', wsUrl(), ...args], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async next(timeoutMs = 15_000): Promise<any> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no message from the subscriber; stderr: ${stderr}`)), timeoutMs);
      });
      try {
        const line = await Promise.race([lines.next(), timeout]);
        if (line.done) throw new Error(`the subscriber exited; stderr: ${stderr}`);
        return JSON.parse(line.value);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function restPost(sandbox: string, authorId: number, title: string): Promise<number> {
  const response = await fetch(`${server.origin}/api/v1/posts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': sandbox },
    body: JSON.stringify({ author_id: authorId, title, content: 'Posted over REST.' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

describe('subscriptions over WebSocket (graphql-transport-ws, graphql-ws client in another process)', () => {
  it('a post created over REST arrives on postAdded(authorId), in that sandbox only', async () => {
    const sandbox = newSandbox();
    const started = subscriptionStarted(sandbox);
    const client = subscriber([
      '--header',
      `x-wirelab-sandbox: ${sandbox}`,
      '--query',
      'subscription($author: ID) { postAdded(authorId: $author) { id title author { name } } }',
      '--variables',
      JSON.stringify({ author: '2' }),
    ]);
    expect(await client.next()).toEqual({ connected: true });
    await started;

    await restPost(newSandbox(), 2, 'Another sandbox');
    await restPost(sandbox, 3, 'Another author');
    const id = await restPost(sandbox, 2, 'Intelligent machinery');
    expect(await client.next()).toEqual({ next: { data: { postAdded: { id: String(id), title: 'Intelligent machinery', author: { name: 'Alan Turing' } } } } });
  });

  it('the sandbox may be named in connection_init; userChanged sees REST changes', async () => {
    const sandbox = newSandbox();
    const started = subscriptionStarted(sandbox);
    const client = subscriber([
      '--init',
      JSON.stringify({ 'x-wirelab-sandbox': sandbox }),
      '--query',
      'subscription { userChanged { kind id user { name status } } }',
      '--count',
      '2',
    ]);
    await started;
    const patched = await fetch(`${server.origin}/api/v1/users/9`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': sandbox },
      body: JSON.stringify({ status: 'active' }),
    });
    expect(patched.status).toBe(200);
    expect((await fetch(`${server.origin}/api/v1/users/9`, { method: 'DELETE', headers: { 'x-wirelab-sandbox': sandbox } })).status).toBe(204);
    expect(await client.next()).toEqual({ connected: true });
    expect(await client.next()).toEqual({ next: { data: { userChanged: { kind: 'UPDATED', id: '9', user: { name: 'Dennis Ritchie', status: 'ACTIVE' } } } } });
    expect(await client.next()).toEqual({ next: { data: { userChanged: { kind: 'DELETED', id: '9', user: null } } } });
  });

  it('a subscription that does not validate gets an error with its code', async () => {
    const client = subscriber(['--query', 'subscription { postAdded { nickname } }']);
    expect(await client.next()).toEqual({ connected: true });
    const message = await client.next();
    expect(message.error[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('a subscription over a limit is refused with the same code as over HTTP', async () => {
    const client = subscriber(['--query', 'subscription { postAdded { author { posts { author { posts { author { posts { author { name } } } } } } } } }']);
    expect(await client.next()).toEqual({ connected: true });
    expect((await client.next()).error[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_DEEP', limit: GRAPHQL_LIMITS.maxDepth } });
  });
});

/** A raw `ws` client: the messages it got, and a way to wait for the next one that matches. */
function rawClient(protocol: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(wsUrl(), protocol, { headers });
  const received: any[] = [];
  const waiters: Array<{ match: (m: any) => boolean; resolve: (m: any) => void }> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiters.findIndex((w) => w.match(message));
    if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(message);
    else received.push(message);
  });
  return {
    socket,
    opened: new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    }),
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    next(match: (m: any) => boolean, timeoutMs = 15_000): Promise<any> {
      const index = received.findIndex(match);
      if (index >= 0) return Promise.resolve(received.splice(index, 1)[0]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching message; got ${JSON.stringify(received)}`)), timeoutMs);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

describe('the legacy graphql-ws subprotocol (raw ws)', () => {
  it('connection_init → connection_ack, start → data, stop ends the subscription', async () => {
    const sandbox = newSandbox();
    const client = rawClient('graphql-ws', { 'x-wirelab-sandbox': sandbox });
    await client.opened;
    expect(client.socket.protocol).toBe('graphql-ws');
    client.send({ type: 'connection_init', payload: {} });
    expect(await client.next((m) => m.type === 'connection_ack')).toMatchObject({ type: 'connection_ack' });
    const started = subscriptionStarted(sandbox);
    client.send({ id: '1', type: 'start', payload: { query: 'subscription { postAdded { title } }' } });
    await started;
    await restPost(sandbox, 1, 'Sketch of the Analytical Engine');
    expect(await client.next((m) => m.type === 'data')).toEqual({
      type: 'data',
      id: '1',
      payload: { data: { postAdded: { title: 'Sketch of the Analytical Engine' } } },
    });
    const ended = subscriptionEnded(sandbox);
    client.send({ id: '1', type: 'stop' });
    await ended;
    client.socket.close();
  });

  it('refuses more live subscriptions on one connection than the limit', async () => {
    const sandbox = newSandbox();
    const client = rawClient('graphql-transport-ws', { 'x-wirelab-sandbox': sandbox });
    await client.opened;
    client.send({ type: 'connection_init' });
    await client.next((m) => m.type === 'connection_ack');
    for (let i = 0; i < GRAPHQL_LIMITS.maxSubscriptionsPerConnection; i++) {
      const started = subscriptionStarted(sandbox);
      client.send({ id: `s${i}`, type: 'subscribe', payload: { query: 'subscription { userChanged { id } }' } });
      await started;
    }
    client.send({ id: 'one-too-many', type: 'subscribe', payload: { query: 'subscription { userChanged { id } }' } });
    const refused = await client.next((m) => m.id === 'one-too-many');
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }] });
    const closed = new Promise((resolve) => client.socket.once('close', resolve));
    client.socket.close();
    await closed;
    await expectOthersServed();
  });

  it('closes a connection that never sends connection_init with 4408', async () => {
    const client = rawClient('graphql-transport-ws');
    await client.opened;
    const [code, reason] = await new Promise<[number, string]>((resolve) => client.socket.once('close', (closeCode, why) => resolve([closeCode, String(why)])));
    expect(code).toBe(4408);
    expect(reason).toBe('Connection initialisation timeout');
  });

  it('refuses connections past the limit with 1013 and serves everyone else', async () => {
    const connections = server.app.graphqlConnections;
    const openNow = connections.live;
    const clients = [];
    for (let i = openNow; i < GRAPHQL_LIMITS.maxConnections; i++) {
      const client = rawClient('graphql-transport-ws');
      clients.push(client);
      await client.opened;
      client.send({ type: 'connection_init' });
      await client.next((m) => m.type === 'connection_ack');
    }
    expect(connections.live).toBe(GRAPHQL_LIMITS.maxConnections);
    const refused = rawClient('graphql-transport-ws');
    const code = await new Promise<number>((resolve) => refused.socket.once('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(1013);
    await expectOthersServed();

    const allClosed = new Promise<void>((resolve) => {
      const onClosed = () => {
        if (connections.live > openNow) return;
        connections.off('closed', onClosed);
        resolve();
      };
      connections.on('closed', onClosed);
    });
    for (const client of clients) client.socket.close();
    await allClosed;
    const again = rawClient('graphql-transport-ws');
    await again.opened;
    again.send({ type: 'connection_init' });
    expect(await again.next((m) => m.type === 'connection_ack')).toMatchObject({ type: 'connection_ack' });
    again.socket.close();
  });

  it('closes a connection that speaks no GraphQL subprotocol with 1002', async () => {
    const socket = new WebSocket(wsUrl());
    const code = await new Promise<number>((resolve) => socket.once('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(1002);
  });
});
