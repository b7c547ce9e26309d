import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// A call to a method nobody serves, asked by clients nobody here wrote: Debian's python3-grpcio
// (gRPC C-core), nghttp (nghttp2) and curl. gRPC answers it UNIMPLEMENTED (12), not an HTTP 404.
const run = promisify(execFile);

const GRPCIO_CALLS = `
import json, sys, grpc
channel = grpc.insecure_channel(sys.argv[1])
observed = {}
for path in sys.argv[2:]:
    try:
        channel.unary_unary(path)(b"", timeout=10)
        observed[path] = "OK"
    except grpc.RpcError as error:
        observed[path] = [error.code().name, error.details()]
print(json.dumps(observed))
`;

let server: RunningServer;
/** a file holding one empty message, length-prefixed (gRPC's 5-byte envelope) */
let emptyMessage: string;
beforeAll(async () => {
  server = await startServer();
  emptyMessage = join(await mkdtemp(join(tmpdir(), 'wirelab-unknown-')), 'empty.bin');
  await writeFile(emptyMessage, Buffer.from([0, 0, 0, 0, 0]));
});
afterAll(async () => {
  await server?.close();
});

describe('a call to an unknown method', () => {
  it("python3-grpcio: UNIMPLEMENTED with the server's message, for an unknown service and an unknown method of a served one", async () => {
    const { stdout } = await run(
      '/usr/bin/python3',
      ['-c', GRPCIO_CALLS, `127.0.0.1:${server.port}`, '/lab.v1.Nope/Call', '/wirelab.users.v1.UserService/Nope'],
      { timeout: 30_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      '/lab.v1.Nope/Call': ['UNIMPLEMENTED', 'unknown service lab.v1.Nope'],
      '/wirelab.users.v1.UserService/Nope': ['UNIMPLEMENTED', 'unknown method Nope for service wirelab.users.v1.UserService'],
    });
  });

  it('nghttp: a trailers-only answer, HTTP 200 and grpc-status 12 in the one HEADERS frame that ends the stream', async () => {
    const { stdout } = await run(
      'nghttp',
      ['-v', '-H', 'content-type: application/grpc', '-H', 'te: trailers', '-d', emptyMessage, `${server.origin}/lab.v1.Nope/Call`],
      {
        timeout: 30_000,
      },
    );
    expect(stdout).toMatch(/recv \(stream_id=\d+\) :status: 200/);
    expect(stdout).toMatch(/recv \(stream_id=\d+\) grpc-status: 12/);
    expect(stdout).toMatch(/recv \(stream_id=\d+\) grpc-message: unknown service lab\.v1\.Nope/);
    // END_STREAM | END_HEADERS on the response's only HEADERS frame, and no DATA frame.
    expect(stdout).toMatch(/recv HEADERS frame <length=\d+, flags=0x05/);
    expect(stdout).not.toMatch(/recv DATA frame/);
  });

  it('gRPC-Web (curl): HTTP 200, grpc-status 12 in the headers, no body', async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-i',
      '-X',
      'POST',
      '-H',
      'content-type: application/grpc-web+proto',
      '--data-binary',
      `@${emptyMessage}`,
      `${server.origin}/lab.v1.Nope/Call`,
    ]);
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(stdout).toMatch(/^grpc-status: 12\r$/m);
    expect(stdout).toMatch(/^grpc-message: unknown service lab\.v1\.Nope\r$/m);
    expect(stdout).toMatch(/^content-length: 0\r$/m);
  });

  it('Connect unary (curl, POST and GET): HTTP 404 with the Connect error {"code":"unimplemented"}', async () => {
    for (const args of [
      ['-X', 'POST', '-H', 'content-type: application/json', '-d', '{}', `${server.origin}/wirelab.lab.v1.LabService/Nope`],
      [`${server.origin}/wirelab.lab.v1.LabService/Nope?connect=v1&encoding=json&message=%7B%7D`],
    ]) {
      const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code} %{content_type}', ...args]);
      const [body, status] = stdout.split('\n');
      expect(status).toBe('404 application/json');
      expect(JSON.parse(body)).toEqual({ code: 'unimplemented', message: 'unknown method Nope for service wirelab.lab.v1.LabService' });
    }
  });

  it('Connect streaming: HTTP 200 and one end-stream message carrying the error', async () => {
    const response = await fetch(`${server.origin}/lab.v1.Nope/Call`, {
      method: 'POST',
      headers: { 'content-type': 'application/connect+json' },
      body: new Uint8Array([0, 0, 0, 0, 2, 0x7b, 0x7d]),
    });
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes[0]).toBe(0x02);
    expect(bytes.readUInt32BE(1)).toBe(bytes.length - 5);
    expect(JSON.parse(bytes.subarray(5).toString())).toEqual({ error: { code: 'unimplemented', message: 'unknown service lab.v1.Nope' } });
  });

  it("a path that is no RPC, or a media type that is none, still gets the app's 404 problem", async () => {
    const rest = await fetch(`${server.origin}/api/v1/nothing-here`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(rest.status).toBe(404);
    expect(rest.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const form = await fetch(`${server.origin}/lab.v1.Nope/Call`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(form.status).toBe(404);
    expect(form.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
