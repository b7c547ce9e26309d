// `curl --http2 http://…` offers an h2c upgrade on every request (`Upgrade: h2c`, `HTTP2-Settings`).
// Wirelab takes only WebSocket upgrades; RFC 9110 §7.8 says a server that does not take one serves
// the request as if the header were absent. It used to treat any Upgrade as a WebSocket handshake:
// pages, REST, OpenAPI and Connect got 404, Socket.IO polling and GraphQL GET 400, GraphQL POST 405.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

const run = promisify(execFile);
const PAGE = '<!doctype html><title>the app</title>';

let server: RunningServer;
let webRoot: string;

beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'wirelab-upgrade-'));
  writeFileSync(join(webRoot, 'index.html'), PAGE);
  server = await startServer({ webRoot });
});
afterAll(async () => {
  await server?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

interface CurlAnswer {
  status: number;
  body: string;
  /** the request's header lines as curl sent them (its -v output) */
  sent: string[];
}

/** One request by curl itself; `http2`: with --http2, which offers the h2c upgrade. */
async function curl(path: string, http2: boolean, extra: string[] = []): Promise<CurlAnswer> {
  const args = ['-s', '-v', '-o', '-', '-w', '\n%{http_code}', ...(http2 ? ['--http2'] : []), ...extra, `${server.origin}${path}`];
  const { stdout, stderr } = await run('curl', args);
  const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
  const sent = stderr
    .split('\n')
    .filter((line) => line.startsWith('> '))
    .map((line) => line.slice(2).trim());
  return { status, body: stdout.slice(0, stdout.lastIndexOf('\n')), sent };
}

/** The same request twice: plain, and with --http2 (whose offer must have been sent, and ignored). */
async function bothWays(path: string, extra: string[] = []): Promise<{ plain: CurlAnswer; offered: CurlAnswer }> {
  const plain = await curl(path, false, extra);
  const offered = await curl(path, true, extra);
  expect(offered.sent).toContain('Upgrade: h2c');
  expect(offered.sent.some((line) => line.startsWith('HTTP2-Settings:'))).toBe(true);
  expect(plain.sent).not.toContain('Upgrade: h2c');
  return { plain, offered };
}

const json = ['-H', 'content-type: application/json'];

describe('curl --http2 against the routes lessons use: the same answers as plain curl', () => {
  it.each([
    ['a page of the app', '/en/rest', [] as string[]],
    ['the REST API', '/api/v1/users/1', []],
    ['the OpenAPI document', '/api/openapi.json', []],
    ['a Connect call (JSON)', '/wirelab.users.v1.UserService/GetUser', [...json, '--data', '{"id":1}']],
    ['a GraphQL query over GET', '/graphql?query=%7Buser(id%3A1)%7Bname%7D%7D', []],
    ['a GraphQL query over POST', '/graphql', [...json, '--data', '{"query":"{ user(id: 1) { name } }"}']],
  ])('%s: %s', async (_what, path, extra) => {
    const { plain, offered } = await bothWays(path, extra);
    expect(plain.status).toBe(200);
    expect(offered.status).toBe(plain.status);
    expect(offered.body).toBe(plain.body);
  });

  it('Socket.IO polling: the open packet, a session each', async () => {
    const { plain, offered } = await bothWays('/socket.io/?EIO=4&transport=polling');
    expect(plain.status).toBe(200);
    expect(offered.status).toBe(200);
    for (const answer of [plain, offered]) expect(answer.body).toMatch(/^0\{"sid":"/);
  });

  it('a path nobody serves: the same 404 problem', async () => {
    const { plain, offered } = await bothWays('/nowhere');
    expect(plain.status).toBe(404);
    expect(offered.status).toBe(404);
    expect(offered.body).toBe(plain.body);
  });
});

describe('a request that offers another upgrade, then another request on the same connection', () => {
  it('both are served as HTTP/1.1, the offer ignored', async () => {
    const { stdout, stderr } = await run('curl', [
      '-s',
      '-v',
      '--http2',
      `${server.origin}/api/openapi.json`,
      '-o',
      '/dev/null',
      `${server.origin}/api/v1/users/1`,
    ]);
    expect(stderr).toMatch(/Re-using existing connection|Reusing existing/);
    expect(stdout).toContain('"id":1');
    expect(stderr).not.toMatch(/HTTP\/1\.1 101|HTTP\/2 /);
  });
});
