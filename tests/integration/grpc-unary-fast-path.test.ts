// The fast path for unary native gRPC (server/protocols/grpc/unary-grpc-call.ts) answers a POST
// over HTTP/2 whose body is one uncompressed envelope; connect-es answers everything else — a
// request with `grpc-encoding: gzip` among them, which is how these tests send each call to
// connect-es for comparison. The same call sent both ways must get the same answer: status,
// headers (but the date), the message, the trailers (but the measured duration). A body that is
// not one uncompressed envelope is read by the fast path, then replayed to connect-es.
import http2 from 'node:http2';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create, toBinary } from '@bufbuild/protobuf';
import { GetUserRequestSchema } from '../../proto/gen/wirelab/users/v1/users_pb.ts';
import { recordedSlowCall } from './recent-calls.ts';
import { startServer, type RunningServer } from './start-server.ts';

interface GrpcAnswer {
  headers: Record<string, unknown>;
  trailers: Record<string, unknown>;
  /** the envelopes of the body, each message decompressed */
  messages: Array<{ flags: number; data: Buffer }>;
}

function envelope(data: Uint8Array, flags = 0): Buffer {
  const bytes = Buffer.alloc(5 + data.byteLength);
  bytes[0] = flags;
  bytes.writeUInt32BE(data.byteLength, 1);
  bytes.set(data, 5);
  return bytes;
}

function envelopesOf(body: Buffer): Array<{ flags: number; data: Buffer }> {
  const out: Array<{ flags: number; data: Buffer }> = [];
  for (let at = 0; at + 5 <= body.byteLength; ) {
    const length = body.readUInt32BE(at + 1);
    const data = body.subarray(at + 5, at + 5 + length);
    out.push({ flags: body[at], data: body[at] & 1 ? gunzipSync(data) : data });
    at += 5 + length;
  }
  return out;
}

/** One native gRPC call over h2c; `signal` resets the stream (CANCEL). */
function grpcCall(origin: string, path: string, body: Buffer, headers: Record<string, string>, onStarted?: (cancel: () => void) => void): Promise<GrpcAnswer> {
  const session = http2.connect(origin);
  return new Promise<GrpcAnswer>((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': path, te: 'trailers', ...headers });
    let responseHeaders: Record<string, unknown> = {};
    let trailers: Record<string, unknown> = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (responseHeaders = { ...h }));
    stream.on('trailers', (h) => (trailers = { ...h }));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => resolve({ headers: responseHeaders, trailers, messages: envelopesOf(Buffer.concat(chunks)) }));
    stream.end(body);
    onStarted?.(() => stream.close(http2.constants.NGHTTP2_CANCEL));
  }).finally(() => session.close());
}

const GET_USER = '/wirelab.users.v1.UserService/GetUser';
const ECHO = '/wirelab.lab.v1.LabService/Echo';
const SLOW = '/wirelab.lab.v1.LabService/Slow';
const PROTO = { 'content-type': 'application/grpc' };
const JSON_TYPE = { 'content-type': 'application/grpc+json' };
/** Neither side compresses its answer unless a case asks for it. */
const NO_ANSWER_COMPRESSION = { 'grpc-accept-encoding': 'identity' };
/** A message text of about 100 kB (Cyrillic and ASCII): past IN_TURNS_MIN_BYTES. */
const BIG = 'лобби x'.repeat(10_000);

/** What may differ between two answers to the same call: the date, the measured duration, what Echo saw of the request's own compression. */
function comparable(answer: GrpcAnswer): {
  headers: Record<string, unknown>;
  trailers: Record<string, unknown>;
  messages: Array<{ flags: number; data: string }>;
} {
  const { date: _date, ...headers } = answer.headers;
  const trailers = { ...answer.trailers };
  if (trailers['x-wirelab-duration-ms'] !== undefined) trailers['x-wirelab-duration-ms'] = '<ms>';
  const messages = answer.messages.map(({ flags, data }) => {
    // Bytes as one string: element by element, a big Buffer takes seconds to compare.
    if (!String(headers['content-type']).includes('json')) return { flags, data: data.toString('base64') };
    const json = JSON.parse(data.toString('utf8'));
    if (json.requestMetadata) delete json.requestMetadata['grpc-encoding'];
    return { flags, data: JSON.stringify(json) };
  });
  return { headers, trailers, messages };
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const binaryGetUser = (id: number) => Buffer.from(toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: id } })));

describe('unary native gRPC with one uncompressed envelope: the fast path answers as connect-es does', () => {
  const cases: Array<[string, string, Uint8Array, Record<string, string>]> = [
    ['GetUser, application/grpc', GET_USER, binaryGetUser(1), { ...PROTO, ...NO_ANSWER_COMPRESSION }],
    ['GetUser, application/grpc+proto', GET_USER, binaryGetUser(1), { 'content-type': 'application/grpc+proto', ...NO_ANSWER_COMPRESSION }],
    ['GetUser, application/grpc+json', GET_USER, Buffer.from(JSON.stringify({ id: 1 })), { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION }],
    ['NOT_FOUND with grpc-status-details-bin, binary', GET_USER, binaryGetUser(987654), { ...PROTO, ...NO_ANSWER_COMPRESSION }],
    ['NOT_FOUND with grpc-status-details-bin, JSON', GET_USER, Buffer.from(JSON.stringify({ id: 987654 })), { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION }],
    ['undecodable binary (INVALID_ARGUMENT, not INTERNAL)', GET_USER, Buffer.from([0xff, 0xff, 0xff, 0x07]), { ...PROTO, ...NO_ANSWER_COMPRESSION }],
    ['malformed JSON', GET_USER, Buffer.from('{"id":'), { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION }],
    ['a malformed grpc-timeout', GET_USER, binaryGetUser(1), { ...PROTO, ...NO_ANSWER_COMPRESSION, 'grpc-timeout': 'soon' }],
    ['a grpc-timeout over the server limit', GET_USER, binaryGetUser(1), { ...PROTO, ...NO_ANSWER_COMPRESSION, 'grpc-timeout': '99999999S' }],
    ['an expired grpc-timeout (0m)', GET_USER, binaryGetUser(1), { ...PROTO, ...NO_ANSWER_COMPRESSION, 'grpc-timeout': '0m' }],
    [
      'UNAUTHENTICATED with its www-authenticate metadata',
      '/wirelab.lab.v1.LabService/ServerStats',
      Buffer.from('{}'),
      { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION },
    ],
    [
      'DEADLINE_EXCEEDED when Slow outlives grpc-timeout',
      SLOW,
      Buffer.from(JSON.stringify({ millis: 1500 })),
      { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION, 'grpc-timeout': '150m' },
    ],
    [
      'metadata echoed as headers and trailers',
      ECHO,
      Buffer.from(JSON.stringify({ message: 'hi' })),
      { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION, 'x-echo-lang': 'ru', 'x-echo-bin': 'AAEC' },
    ],
    [
      'a compressed answer (grpc-accept-encoding: gzip, over 1 KiB)',
      ECHO,
      Buffer.from(JSON.stringify({ message: 'x'.repeat(3000) })),
      { ...JSON_TYPE, 'grpc-accept-encoding': 'gzip' },
    ],
    // From 64 KiB on, the message is parsed and serialized in turns of the event loop (message-turns.ts).
    ['a big message, JSON', ECHO, Buffer.from(JSON.stringify({ message: BIG })), { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION }],
    ['a big message, compressed answer', ECHO, Buffer.from(JSON.stringify({ message: BIG })), { ...JSON_TYPE, 'grpc-accept-encoding': 'gzip' }],
    ['a big malformed JSON', ECHO, Buffer.from(`{"message": "${BIG}`), { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION }],
    ['a big undecodable binary', ECHO, Buffer.concat([Buffer.from([0x0a, 0xff, 0xff, 0x0f]), Buffer.alloc(70_000, 1)]), { ...PROTO, ...NO_ANSWER_COMPRESSION }],
    [
      'a small answer stays uncompressed, grpc-encoding still named',
      ECHO,
      Buffer.from(JSON.stringify({ message: 'x' })),
      { ...JSON_TYPE, 'grpc-accept-encoding': 'gzip' },
    ],
  ];
  for (const [name, path, message, headers] of cases) {
    it(name, async () => {
      const before = { ...server.app.grpc.routes };
      const fast = await grpcCall(server.origin, path, envelope(message), headers);
      expect(server.app.grpc.routes.unaryGrpcFastPath).toBe(before.unaryGrpcFastPath + 1);
      const full = await grpcCall(server.origin, path, envelope(gzipSync(message), 1), { ...headers, 'grpc-encoding': 'gzip' });
      expect(server.app.grpc.routes.unaryGrpcFastPath).toBe(before.unaryGrpcFastPath + 1);
      expect(server.app.grpc.routes.unaryGrpcReplayed).toBe(before.unaryGrpcReplayed);
      expect(comparable(fast)).toEqual(comparable(full));
    });
  }

  it('the cases really reached their statuses', async () => {
    const ok = await grpcCall(server.origin, GET_USER, envelope(binaryGetUser(1)), PROTO);
    expect(ok.trailers['grpc-status']).toBe('0');
    expect(ok.messages).toHaveLength(1);
    // Fastify's own headers (security-headers) come before the call's, as on connect-es's path.
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    const missing = await grpcCall(server.origin, GET_USER, envelope(binaryGetUser(987654)), PROTO);
    expect(missing.trailers['grpc-status']).toBe('5');
    expect(missing.trailers['grpc-status-details-bin']).toBeTruthy();
    const garbage = await grpcCall(server.origin, GET_USER, envelope(Buffer.from([0xff, 0xff, 0xff, 0x07])), PROTO);
    expect(garbage.trailers['grpc-status']).toBe('3');
    const late = await grpcCall(server.origin, SLOW, envelope(Buffer.from(JSON.stringify({ millis: 1500 }))), { ...JSON_TYPE, 'grpc-timeout': '150m' });
    expect(late.trailers['grpc-status']).toBe('4');
    const denied = await grpcCall(server.origin, '/wirelab.lab.v1.LabService/ServerStats', envelope(Buffer.from('{}')), JSON_TYPE);
    expect(denied.trailers['grpc-status']).toBe('16');
    const big = await grpcCall(server.origin, ECHO, envelope(Buffer.from(JSON.stringify({ message: 'x'.repeat(3000) }))), {
      ...JSON_TYPE,
      'grpc-accept-encoding': 'gzip',
    });
    expect(big.headers['grpc-encoding']).toBe('gzip');
    expect(big.messages[0].flags).toBe(1);
  });
});

describe('a body that arrives in pieces', () => {
  it('one envelope sent in several DATA frames, without a length, some time apart: the fast path waits for all of it', async () => {
    const body = envelope(Buffer.from(JSON.stringify({ message: 'y'.repeat(40_000) })));
    const before = { ...server.app.grpc.routes };
    const session = http2.connect(server.origin);
    try {
      const answer = await new Promise<{ status: string; message: string }>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': ECHO, te: 'trailers', ...JSON_TYPE });
        const chunks: Buffer[] = [];
        let status = '';
        stream.on('trailers', (h) => (status = String(h['grpc-status'])));
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('close', () => resolve({ status, message: JSON.parse(envelopesOf(Buffer.concat(chunks))[0].data.toString()).message }));
        stream.write(body.subarray(0, 3));
        setTimeout(() => stream.write(body.subarray(3, 20_000)), 30);
        setTimeout(() => stream.end(body.subarray(20_000)), 60);
      });
      expect(answer).toEqual({ status: '0', message: 'y'.repeat(40_000) });
      expect(server.app.grpc.routes.unaryGrpcFastPath).toBe(before.unaryGrpcFastPath + 1);
    } finally {
      session.close();
    }
  });
});

describe('bodies the fast path reads but does not answer are replayed to connect-es', () => {
  const cases: Array<[string, Buffer, string, RegExp]> = [
    ['a compressed envelope without grpc-encoding (INVALID_ARGUMENT, not INTERNAL)', envelope(gzipSync(binaryGetUser(1)), 1), '3', /compressed envelope/],
    ['two envelopes for a unary method', Buffer.concat([envelope(binaryGetUser(1)), envelope(binaryGetUser(2))]), '12', /extra input message/],
    ['no envelope at all', Buffer.alloc(0), '12', /missing input message/],
    ['a truncated envelope', envelope(binaryGetUser(1)).subarray(0, 6), '3', /premature EOF|protocol error/],
    ['a message over readMaxBytes', envelope(Buffer.alloc(1024 * 1024 + 10)), '8', /readMaxBytes/],
  ];
  for (const [name, body, status, message] of cases) {
    it(name, async () => {
      const before = { ...server.app.grpc.routes };
      const answer = await grpcCall(server.origin, GET_USER, body, PROTO);
      expect(server.app.grpc.routes.unaryGrpcReplayed).toBe(before.unaryGrpcReplayed + 1);
      expect(server.app.grpc.routes.unaryGrpcFastPath).toBe(before.unaryGrpcFastPath);
      expect(answer.trailers['grpc-status'] ?? answer.headers['grpc-status']).toBe(status);
      expect(decodeURIComponent(String(answer.trailers['grpc-message'] ?? answer.headers['grpc-message']))).toMatch(message);
    });
  }
});

describe('the per-address byte budget on the gRPC fast path', () => {
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer({ clientLimits: { rates: { grpcBytes: { perAddress: 300_000 } } } });
  });
  afterAll(async () => {
    await own.close();
  });

  it('a declared length is spent once, replayed or not; past the budget the call is refused RESOURCE_EXHAUSTED before it runs', async () => {
    const echo = (body: Buffer) => grpcCall(own.origin, ECHO, body, { ...JSON_TYPE, 'content-length': String(body.byteLength) });
    const big = envelope(Buffer.from(JSON.stringify({ message: 'x'.repeat(120_000) })));
    const before = { ...own.app.grpc.routes };
    // Two envelopes (240 kB): replayed to connect-es, which must not spend the same bytes again.
    const twice = await echo(Buffer.concat([big, big]));
    expect(own.app.grpc.routes.unaryGrpcReplayed).toBe(before.unaryGrpcReplayed + 1);
    expect(twice.trailers['grpc-status']).toBe('12');
    // 240 kB + 40 kB: within 300 kB.
    const small = await echo(envelope(Buffer.from(JSON.stringify({ message: 'x'.repeat(40_000) }))));
    expect(small.trailers['grpc-status']).toBe('0');
    expect(own.app.grpc.routes.unaryGrpcFastPath).toBe(before.unaryGrpcFastPath + 1);
    const refused = await echo(big);
    expect(refused.headers['grpc-status']).toBe('8');
    expect(decodeURIComponent(String(refused.headers['grpc-message']))).toContain('request bytes');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(own.app.grpc.routes.unaryGrpcFastPath).toBe(before.unaryGrpcFastPath + 1);
  });
});

describe('the gRPC fast path keeps the call semantics', () => {
  it("a client that resets the stream aborts the handler's signal: Slow stops and is recorded as cancelled", async () => {
    const sandbox = `grpc-fast-cancel-${process.pid}`;
    const before = server.app.grpc.routes.unaryGrpcFastPath;
    let cancel = (): void => {};
    const call = grpcCall(
      server.origin,
      SLOW,
      envelope(Buffer.from(JSON.stringify({ millis: 20_000 }))),
      { ...JSON_TYPE, 'x-wirelab-sandbox': sandbox },
      (c) => (cancel = c),
    ).catch((e: Error) => e);
    while (server.app.grpc.routes.unaryGrpcFastPath === before) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    cancel();
    await call;
    const slow = await recordedSlowCall(server.origin, sandbox);
    // Recorded long before the 20 s it asked for: the handler's signal stopped it.
    expect(slow).toMatchObject({ cancelledByClient: true, code: 'CANCELLED' });
  });

  it('graceful shutdown: a unary call still running shutdownTimeoutMs after close() ends UNAVAILABLE', async () => {
    const own = await startServer();
    const before = own.app.grpc.routes.unaryGrpcFastPath;
    const call = grpcCall(own.origin, SLOW, envelope(Buffer.from(JSON.stringify({ millis: 30_000 }))), JSON_TYPE);
    while (own.app.grpc.routes.unaryGrpcFastPath === before) await new Promise((resolve) => setTimeout(resolve, 10));
    const closed = own.close();
    const answer = await call;
    await closed;
    expect(answer.trailers['grpc-status']).toBe('14');
    expect(decodeURIComponent(String(answer.trailers['grpc-message']))).toBe('the server is shutting down');
  });
});

describe('grpc.fastPaths false (what bench/grpc.ts compares the fast paths with): every call through connect-fastify alone', () => {
  let plain: RunningServer;
  beforeAll(async () => {
    plain = await startServer({ grpc: { fastPaths: false } });
  });
  afterAll(async () => {
    await plain.close();
  });

  it('answers unary native gRPC and Connect as the fast paths do, and none of them is taken', async () => {
    const cases: Array<[string, Uint8Array, Record<string, string>]> = [
      [GET_USER, binaryGetUser(1), { ...PROTO, ...NO_ANSWER_COMPRESSION }],
      [GET_USER, Buffer.from(JSON.stringify({ id: 987654 })), { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION }],
      [ECHO, Buffer.from(JSON.stringify({ message: 'hi' })), { ...JSON_TYPE, ...NO_ANSWER_COMPRESSION, 'x-echo-lang': 'ru' }],
    ];
    for (const [path, message, headers] of cases) {
      const fast = await grpcCall(server.origin, path, envelope(message), headers);
      const alone = await grpcCall(plain.origin, path, envelope(message), headers);
      expect(comparable(alone)).toEqual(comparable(fast));
    }
    const connect = async (origin: string) => {
      const response = await fetch(`${origin}${GET_USER}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 1 }),
      });
      return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
    };
    const before = server.app.grpc.routes.unaryFastPath;
    expect(await connect(plain.origin)).toEqual(await connect(server.origin));
    expect(server.app.grpc.routes.unaryFastPath).toBe(before + 1);
    // unaryBodyToPlugin is not a fast path: the plugin's route answers a body handed to it as bytes (plugin-body.ts).
    expect(plain.app.grpc.routes).toMatchObject({ unaryFastPath: 0, unaryGrpcFastPath: 0, unaryGrpcReplayed: 0 });
  });
});
