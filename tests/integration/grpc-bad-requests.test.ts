import http2 from 'node:http2';
import { fromBinary } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetUserRequestSchema } from '../../proto/gen/wirelab/users/v1/users_pb.ts';
import { startServer, type RunningServer } from './start-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/** A small seeded generator (LCG): the same "random" bodies on every run. */
function seededBytes(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return () => Buffer.from(Array.from({ length: 1 + Math.floor(next() * 48) }, () => Math.floor(next() * 256)));
}

function decodes(bytes: Uint8Array): boolean {
  try {
    fromBinary(GetUserRequestSchema, bytes);
    return true;
  } catch {
    return false;
  }
}

function envelope(payload: Uint8Array, flags = 0): Uint8Array<ArrayBuffer> {
  const head = Buffer.alloc(5);
  head[0] = flags;
  head.writeUInt32BE(payload.byteLength, 1);
  return new Uint8Array(Buffer.concat([head, payload]));
}

/** One native gRPC call over h2c with prior knowledge: its grpc-status and grpc-message. */
async function rawGrpc(path: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: string; message: string }> {
  const session = http2.connect(server.origin);
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
      let status = '';
      let message = '';
      const take = (h: http2.IncomingHttpHeaders) => {
        if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
        if (h['grpc-message'] !== undefined) message = decodeURIComponent(String(h['grpc-message']));
      };
      stream.on('response', take);
      stream.on('trailers', take);
      stream.on('data', () => {});
      stream.on('error', reject);
      stream.on('close', () => resolve({ status, message }));
      stream.end(body);
    });
  } finally {
    session.close();
  }
}

/** A gRPC-Web response body: its trailer envelope's grpc-status. */
function grpcWebStatus(response: Response, body: Buffer): string | undefined {
  const header = response.headers.get('grpc-status');
  if (header) return header;
  let offset = 0;
  while (offset + 5 <= body.length) {
    const length = body.readUInt32BE(offset + 1);
    if (body[offset] & 0x80) return /grpc-status:\s*(\d+)/.exec(body.subarray(offset + 5, offset + 5 + length).toString())?.[1];
    offset += 5 + length;
  }
  return undefined;
}

describe('undecodable request messages are the client’s error', () => {
  it('Connect binary unary: 400 invalid_argument for every undecodable random body, never 500', async () => {
    const random = seededBytes(14);
    let undecodable = 0;
    for (let i = 0; i < 150; i++) {
      const body = random();
      const response = await fetch(`${server.origin}/wirelab.users.v1.UserService/GetUser`, {
        method: 'POST',
        headers: { 'content-type': 'application/proto' },
        body: new Uint8Array(body),
      });
      const answer = (await response.json()) as { code: string };
      expect(response.status, `body ${body.toString('hex')}`).toBeLessThan(500);
      if (decodes(body)) continue; // a valid GetUserRequest by chance: answered by the handler
      undecodable += 1;
      expect({ status: response.status, code: answer.code }, `body ${body.toString('hex')}`).toEqual({ status: 400, code: 'invalid_argument' });
    }
    expect(undecodable).toBeGreaterThan(100);
  });

  it('native gRPC over h2c: INVALID_ARGUMENT', async () => {
    const answer = await rawGrpc('/wirelab.users.v1.UserService/GetUser', envelope(Buffer.from([0xff, 0xff, 0xff])));
    expect(answer.status).toBe('3');
    expect(answer.message).toMatch(/^parse binary/);
  });

  it('native gRPC: a compressed envelope without grpc-encoding is INVALID_ARGUMENT', async () => {
    const answer = await rawGrpc('/wirelab.users.v1.UserService/GetUser', envelope(Buffer.from([8, 1]), 1));
    expect(answer.status).toBe('3');
  });

  it('gRPC-Web: INVALID_ARGUMENT in the trailer', async () => {
    const response = await fetch(`${server.origin}/wirelab.users.v1.UserService/GetUser`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: envelope(Buffer.from([0xff, 0xff, 0xff])),
    });
    expect(grpcWebStatus(response, Buffer.from(await response.arrayBuffer()))).toBe('3');
  });

  it('Connect streaming: invalid_argument in the end-stream message', async () => {
    const response = await fetch(`${server.origin}/wirelab.users.v1.UserService/CreateUsers`, {
      method: 'POST',
      headers: { 'content-type': 'application/connect+proto' },
      body: envelope(Buffer.from([0xff, 0xff, 0xff])),
    });
    const body = Buffer.from(await response.arrayBuffer());
    expect(body[0]).toBe(0x02);
    expect(JSON.parse(body.subarray(5).toString()).error.code).toBe('invalid_argument');
  });
});

describe('a deadline that has already passed', () => {
  const createUser = '/wirelab.users.v1.UserService/CreateUser';
  const listed = async (sandbox: string) => {
    const response = await fetch(`${server.origin}/v1/users`, { headers: { 'x-wirelab-sandbox': sandbox } });
    return (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line).result?.email as string);
  };

  for (const timeout of ['0m', '1u', '1n', '0S']) {
    it(`grpc-timeout: ${timeout} over h2c → DEADLINE_EXCEEDED, and the handler never ran`, async () => {
      const sandbox = `deadline-h2-${timeout}`;
      const email = `late-${timeout}@example.com`;
      const message = Buffer.from([0x0a, 4, ...Buffer.from('Late'), 0x12, email.length, ...Buffer.from(email)]);
      const answer = await rawGrpc(createUser, envelope(message), { 'grpc-timeout': timeout, 'x-wirelab-sandbox': sandbox });
      expect(answer.status).toBe('4');
      expect(await listed(sandbox)).not.toContain(email);
    });

    it(`grpc-timeout: ${timeout} over gRPC-Web → DEADLINE_EXCEEDED`, async () => {
      const response = await fetch(`${server.origin}/wirelab.lab.v1.LabService/Echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/grpc-web+json', 'grpc-timeout': timeout },
        body: envelope(Buffer.from('{"message":"hi"}')),
      });
      expect(grpcWebStatus(response, Buffer.from(await response.arrayBuffer()))).toBe('4');
    });
  }

  it('connect-timeout-ms: 0 → 504 deadline_exceeded, and the handler never ran', async () => {
    const sandbox = 'deadline-connect';
    const response = await fetch(`${server.origin}${createUser}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'connect-timeout-ms': '0', 'x-wirelab-sandbox': sandbox },
      body: JSON.stringify({ name: 'Late', email: 'late@example.com' }),
    });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { code: string }).code).toBe('deadline_exceeded');
    expect(await listed(sandbox)).not.toContain('late@example.com');
  });

  it('a deadline still ahead lets the call run', async () => {
    const response = await fetch(`${server.origin}/wirelab.lab.v1.LabService/Echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'connect-timeout-ms': '30000' },
      body: JSON.stringify({ message: 'hi' }),
    });
    expect(response.status).toBe(200);
  });
});
