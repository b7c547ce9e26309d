import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// Clients nobody here wrote: Debian's python3-grpcio (gRPC C-core), buf curl (connect-go, with
// server reflection), nghttp (nghttp2) and curl. .ci/run installs python3-grpcio, nghttp2-client and
// curl; buf is a dev dependency.
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const BUF = fileURLToPath(new URL('../../node_modules/.bin/buf', import.meta.url));
const INTEROP_SCRIPT = fileURLToPath(new URL('./interop/grpc_interop.py', import.meta.url));

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

function sandbox(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}

/** buf curl's exit status is the gRPC code times 8; its error JSON goes to stderr. */
async function bufCurl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(BUF, ['curl', ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('python3-grpcio (gRPC C-core) as the client', () => {
  it('health, hand-encoded calls, all four kinds of calls with reflection-built messages, rich errors and a deadline', async () => {
    const box = sandbox('python');
    const { stdout } = await run(PYTHON, [INTEROP_SCRIPT, `127.0.0.1:${server.port}`, box], { timeout: 60_000 });
    const observed = JSON.parse(stdout);

    expect(observed.health_overall).toBe(1);
    expect(observed.health_users).toBe(1);
    expect(observed.health_unknown).toBe('NOT_FOUND');
    expect(observed.raw_get_user).toEqual({ id: 1, name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(observed.reflection_services).toEqual(expect.arrayContaining(['wirelab.users.v1.UserService', 'grpc.health.v1.Health']));
    expect(observed.reflected_files).toEqual(
      expect.arrayContaining(['wirelab/users/v1/users.proto', 'google/rpc/status.proto', 'google/protobuf/timestamp.proto']),
    );

    expect(observed.created).toMatchObject({
      name: 'Python Interop',
      roles: [2, 3],
      phone: '+31 20 555 0199',
      has_phone: true,
      metadata: { client: 'grpcio' },
      version: 1,
    });
    expect(observed.created.created_at_seconds).toBeGreaterThan(1_700_000_000);
    expect(observed.streamed).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);

    // Client streaming: each user succeeded or failed on its own; bidi: both lines came back.
    expect(observed.client_stream).toEqual({
      created: 2,
      failed: 1,
      outcomes: ['user', 'user', 'error'],
      emails: ['stream-one@example.com', 'stream-two@example.com'],
    });
    expect(observed.bidi).toEqual([
      ['Ada Lovelace', 'hello from python'],
      ['Alan Turing', 'and back'],
    ]);

    expect(observed.not_found.code).toBe('NOT_FOUND');
    expect(observed.not_found.status.code).toBe(5);
    expect(observed.not_found.status.details[0]).toMatchObject({ type: 'google.rpc.ErrorInfo', reason: 'USER_NOT_FOUND' });
    expect(observed.invalid.code).toBe('INVALID_ARGUMENT');
    expect(observed.invalid.status.details[0]).toMatchObject({ type: 'google.rpc.BadRequest', fields: ['email'] });
    expect(observed.deadline).toBe('DEADLINE_EXCEEDED');

    // What Python created is in the REST API of the same sandbox.
    const rest = await fetch(`${server.origin}/api/v1/users/${observed.created.id}`, { headers: { 'x-wirelab-sandbox': box } });
    expect(await rest.json()).toMatchObject({ email: 'python@example.com', roles: ['author', 'reviewer'] });
  }, 90_000);
});

describe('buf curl (connect-go) with server reflection', () => {
  it('a unary call over native gRPC on h2c', async () => {
    const result = await bufCurl(['--protocol', 'grpc', '--http2-prior-knowledge', '-d', '{"id": 2}', `${server.origin}/wirelab.users.v1.UserService/GetUser`]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).user).toMatchObject({ id: 2, name: 'Alan Turing', status: 'USER_STATUS_ACTIVE' });
  });

  it('a server-streaming call over native gRPC', async () => {
    const result = await bufCurl([
      '--protocol',
      'grpc',
      '--http2-prior-knowledge',
      '-H',
      `x-wirelab-sandbox: ${sandbox('buf')}`,
      '-d',
      '{"maxUsers": 4}',
      `${server.origin}/wirelab.users.v1.UserService/ListUsers`,
    ]);
    expect(result.code).toBe(0);
    // One pretty-printed JSON object per message, one after another.
    const positions = [...result.stdout.matchAll(/"position": (\d+)/g)].map((m) => Number(m[1]));
    expect(positions).toEqual([1, 2, 3, 4]);
  });

  it('a NOT_FOUND status: exit code 5 × 8 and the error JSON', async () => {
    const result = await bufCurl([
      '--protocol',
      'grpc',
      '--http2-prior-knowledge',
      '-d',
      '{"id": 9999}',
      `${server.origin}/wirelab.users.v1.UserService/GetUser`,
    ]);
    expect(result.code).toBe(5 * 8);
    expect(JSON.parse(result.stderr)).toMatchObject({ code: 'not_found', details: [{ type: 'google.rpc.ErrorInfo' }, { type: 'google.rpc.ResourceInfo' }] });
  });

  it('Connect and gRPC-Web protocols too', async () => {
    const connect = await bufCurl(['--protocol', 'connect', '-d', '{"message": "connect-go"}', `${server.origin}/wirelab.lab.v1.LabService/Echo`]);
    expect(JSON.parse(connect.stdout)).toMatchObject({ message: 'connect-go', protocol: 'connect' });
    const grpcWeb = await bufCurl(['--protocol', 'grpcweb', '-d', '{"message": "web"}', `${server.origin}/wirelab.lab.v1.LabService/Echo`]);
    expect(JSON.parse(grpcWeb.stdout)).toMatchObject({ message: 'web', protocol: 'grpc-web' });
  });
});

describe('curl speaks Connect: plain HTTP/1.1 and JSON', () => {
  it('a unary POST, a GET of an idempotent method, and an error', async () => {
    const post = await run('curl', [
      '-s',
      '-X',
      'POST',
      '-H',
      'content-type: application/json',
      '-d',
      '{"id": 4}',
      `${server.origin}/wirelab.users.v1.UserService/GetUser`,
    ]);
    expect(JSON.parse(post.stdout).user).toMatchObject({ id: 4, name: 'Андрей Ершов' });

    const message = encodeURIComponent('{"id":5}');
    const get = await run('curl', ['-s', `${server.origin}/wirelab.users.v1.UserService/GetUser?encoding=json&message=${message}`]);
    expect(JSON.parse(get.stdout).user).toMatchObject({ id: 5, name: 'Сергей Лебедев' });

    const missing = await run('curl', [
      '-s',
      '-w',
      '\n%{http_code} %{http_version}',
      '-H',
      'content-type: application/json',
      '-d',
      '{"id": 9999}',
      `${server.origin}/wirelab.users.v1.UserService/GetUser`,
    ]);
    const [body, status] = missing.stdout.split('\n');
    expect(status).toBe('404 1.1');
    expect(JSON.parse(body)).toMatchObject({ code: 'not_found', message: 'user 9999 does not exist' });
  });
});

describe('nghttp (nghttp2) as a raw HTTP/2 client', () => {
  it('a gRPC call by hand over h2c: the frames, the length-prefixed message and the trailers', async () => {
    // GetUserRequest{id: 1} is 08 01; the gRPC envelope puts a compressed flag and a 4-byte length before it.
    const dir = await mkdtemp(join(tmpdir(), 'wirelab-nghttp-'));
    const body = join(dir, 'get-user.bin');
    await writeFile(body, Buffer.from([0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x01]));
    const { stdout } = await run(
      'nghttp',
      ['-v', '-H', 'content-type: application/grpc', '-H', 'te: trailers', '-d', body, `${server.origin}/wirelab.users.v1.UserService/GetUser`],
      { timeout: 30_000, encoding: 'latin1' },
    );
    expect(stdout).toMatch(/send DATA frame <length=7, flags=0x01/);
    expect(stdout).toMatch(/recv \(stream_id=\d+\) :status: 200/);
    expect(stdout).toMatch(/recv \(stream_id=\d+\) content-type: application\/grpc/);
    expect(stdout).toMatch(/recv DATA frame/);
    expect(stdout).toContain('Ada Lovelace');
    // Trailers: a second HEADERS frame with END_STREAM (flags 0x05) carrying grpc-status 0.
    expect(stdout).toMatch(/recv \(stream_id=\d+\) grpc-status: 0/);
    expect(stdout).toMatch(/recv HEADERS frame <length=\d+, flags=0x05/);
  });
});
