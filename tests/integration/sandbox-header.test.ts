// The x-wirelab-sandbox header names a sandbox or nothing: a malformed one is refused with a 400,
// never quietly turned into the shared sandbox that every client without a session works in.
import type { Bilingual } from '../../shared/bilingual.ts';
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

describe('a malformed sandbox header', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ rateLimit: false });
  });
  afterAll(async () => {
    await server.close();
  });

  for (const value of ['../etc', 'bad id!', 'a'.repeat(65), 'curl.short']) {
    it(`"${value.slice(0, 20)}" gets a 400 problem in both languages and touches no sandbox`, async () => {
      const before = server.app.domain.events.lastId;
      const response = await fetch(`${server.origin}/api/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': value },
        body: JSON.stringify({ name: 'Lost Student', email: 'lost@example.com' }),
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { type: string; status: number; localized: Bilingual };
      expect(problem).toMatchObject({ type: expect.stringMatching(/bad-sandbox-header$/), status: 400 });
      expect(problem.localized.en).toContain('x-wirelab-sandbox');
      expect(problem.localized.ru).toMatch(/песочниц/);
      expect(server.app.domain.events.lastId).toBe(before);
    });
  }

  it('refuses GraphQL and reads too, while a well-formed name and no header at all still work', async () => {
    const graphql = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': '../etc' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(400);
    expect((await fetch(`${server.origin}/api/v1/users`, { headers: { 'x-wirelab-sandbox': '../etc' } })).status).toBe(400);
    expect((await fetch(`${server.origin}/api/v1/users`, { headers: { 'x-wirelab-sandbox': 'class-a' } })).status).toBe(200);
    expect((await fetch(`${server.origin}/api/v1/users`)).status).toBe(200);
  });
});

describe('a malformed sandbox header on a gRPC call', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ rateLimit: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it('ends the call with INVALID_ARGUMENT and the reason, as gRPC clients read it', async () => {
    const session = http2.connect(server.origin);
    try {
      const answer = await new Promise<{ status: number; grpcStatus: string; message: string }>((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/wirelab.users.v1.UserService/GetUser',
          'content-type': 'application/grpc',
          te: 'trailers',
          'x-wirelab-sandbox': '../etc',
        });
        stream.on('response', (headers) =>
          resolve({
            status: Number(headers[':status']),
            grpcStatus: String(headers['grpc-status']),
            message: decodeURIComponent(String(headers['grpc-message'])),
          }),
        );
        stream.on('error', reject);
        stream.resume();
        stream.end(Buffer.from([0, 0, 0, 0, 2, 8, 1]));
      });
      expect(answer).toMatchObject({ status: 200, grpcStatus: '3' });
      expect(answer.message).toContain('x-wirelab-sandbox must be a sandbox name');
    } finally {
      session.close();
    }
  });
});
