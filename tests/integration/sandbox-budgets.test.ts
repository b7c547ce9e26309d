// Sandboxes under one abusive client: a flood of writes in one sandbox never forces a gap on
// another sandbox's resume, and new sandboxes are rate-limited per address on every protocol.
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

const OTHER_ADDRESS = '127.0.0.2';
const name = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

function send(server: RunningServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers, localAddress: options.from, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('a flood of writes in one sandbox while another resumes', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      rateLimit: false,
      clientLimits: { rates: { rest: { perAddress: 100_000 }, graphql: { perAddress: 100_000 }, writes: { perAddress: 100_000 } } },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('1 080 GraphQL creates in one sandbox leave the other sandbox’s long-poll and SSE resume without a gap', async () => {
    const quiet = name('quiet');
    const busy = name('busy');
    const created = await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': quiet },
      body: JSON.stringify({ name: 'Quiet Student', email: 'quiet@example.com' }),
    });
    expect(created.status).toBe(201);
    const seen = server.app.domain.events.lastId - 1;

    // The burst of the issue: 1 080 creates, in 108 POSTs of 10 aliased mutations.
    for (let post = 0; post < 108; post++) {
      const aliases = Array.from(
        { length: 10 },
        (_, i) => `u${i}: createUser(input: { name: "Flood ${post}-${i}", email: "flood-${post}-${i}@example.com" }) { id }`,
      ).join(' ');
      const response = await fetch(`${server.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': busy },
        body: JSON.stringify({ query: `mutation { ${aliases} }` }),
      });
      const answer = (await response.json()) as { errors?: unknown };
      expect(answer.errors).toBeUndefined();
    }
    expect(server.app.domain.events.since(0, busy).length).toBe(1000);

    const poll = await fetch(`${server.origin}/api/v1/poll?since=${seen}&timeout=0`, { headers: { 'x-wirelab-sandbox': quiet } });
    expect(poll.status).toBe(200);
    const body = (await poll.json()) as { events: Array<{ type: string }>; gap?: unknown };
    expect(body.gap).toBeUndefined();
    expect(body.events.map((e) => e.type)).toEqual(['user.created']);

    const controller = new AbortController();
    const stream = await fetch(`${server.origin}/api/v1/events`, {
      headers: { 'x-wirelab-sandbox': quiet, 'last-event-id': String(seen) },
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('\n\n', text.indexOf('event:'))) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).not.toContain('stream.gap');
    expect(text).toContain('event: user.created');
  });
});

describe('new sandboxes per address', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ clientLimits: { rates: { sandboxes: { perAddress: 3 } } } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('are rate-limited on REST, GraphQL and gRPC alike; existing sandboxes and other addresses are served', async () => {
    const existing = name('mine');
    for (const box of [existing, name('b'), name('c')]) {
      expect((await send(server, '/api/v1/users/1', { headers: { 'x-wirelab-sandbox': box } })).status).toBe(200);
    }
    const rest = await send(server, '/api/v1/users/1', { headers: { 'x-wirelab-sandbox': name('d') } });
    expect(rest.status).toBe(429);
    expect(JSON.parse(rest.body).type).toContain('too-many-sandboxes');
    expect(Number(rest.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const graphql = await send(server, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `wirelab_session=${randomBytes(16).toString('base64url')}` },
      body: JSON.stringify({ query: '{ user(id: 1) { name } }' }),
    });
    expect(graphql.status).toBe(429);
    const error = JSON.parse(graphql.body).errors[0];
    expect(error.extensions.code).toBe('TOO_MANY_SANDBOXES');
    expect(error.extensions.localized.ru).toContain('песочниц');

    const grpc = await send(server, '/wirelab.users.v1.UserService/GetUser', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': name('e') },
      body: JSON.stringify({ id: 1 }),
    });
    expect(grpc.status).toBe(429);
    expect(JSON.parse(grpc.body).code).toBe('resource_exhausted');

    // A sandbox that exists costs nothing; a call that creates none (LabService) is not counted.
    expect((await send(server, '/api/v1/users/1', { headers: { 'x-wirelab-sandbox': existing } })).status).toBe(200);
    const echo = await send(server, '/wirelab.lab.v1.LabService/Echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': name('f') },
      body: JSON.stringify({ message: 'hi' }),
    });
    expect(echo.status).toBe(200);
    expect((await send(server, '/api/v1/users/1', { headers: { 'x-wirelab-sandbox': name('g') }, from: OTHER_ADDRESS })).status).toBe(200);
  });
});
