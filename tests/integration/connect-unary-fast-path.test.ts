// The fast path for unary Connect calls (server/protocols/grpc/unary-connect-call.ts) answers a
// POST with a declared Content-Length; connect-es answers everything else, a chunked body among
// them. The same call sent both ways must get the same answer, byte for byte (but for the
// measured duration), and the fast path must keep connect-es's semantics: the handler's
// AbortSignal fires when the client goes away, deadlines, graceful shutdown.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBinary, create, fromBinary } from '@bufbuild/protobuf';
import { GetUserRequestSchema } from '../../proto/gen/wirelab/users/v1/users_pb.ts';
import { EchoRequestSchema, EchoResponseSchema } from '../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { recordedSlowCall } from './recent-calls.ts';
import { startServer, type RunningServer } from './start-server.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP/1.1 POST: with Content-Length (the fast path) or chunked (connect-es). */
function post(
  port: number,
  path: string,
  body: Buffer | string,
  headers: Record<string, string>,
  framing: 'length' | 'chunked',
  signal?: AbortSignal,
): Promise<Answer> {
  const bytes = Buffer.from(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent: false,
        signal,
        headers: { ...headers, ...(framing === 'length' ? { 'content-length': String(bytes.byteLength) } : { 'transfer-encoding': 'chunked' }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

const GET_USER = '/wirelab.users.v1.UserService/GetUser';
const ECHO = '/wirelab.lab.v1.LabService/Echo';
const SLOW = '/wirelab.lab.v1.LabService/Slow';
const JSON_TYPE = { 'content-type': 'application/json' };
/** A message text of about 100 kB (Cyrillic and ASCII): past IN_TURNS_MIN_BYTES. */
const BIG = 'лобби x'.repeat(10_000);

/** What may differ between two answers to the same call: the date, the measured duration, the request's framing as Echo saw it. */
function comparable(answer: Answer): { status: number; headers: Record<string, unknown>; body: string } {
  const { date: _date, ...headers } = answer.headers;
  if (headers['trailer-x-wirelab-duration-ms'] !== undefined) headers['trailer-x-wirelab-duration-ms'] = '<ms>';
  let body = (headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body).toString('base64');
  if (headers['content-encoding'] === 'gzip') headers['content-length'] = '<compressed>';
  if (String(headers['content-type']).startsWith('application/json')) {
    const json = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
    if (json.requestMetadata) {
      delete json.requestMetadata['content-length'];
      delete json.requestMetadata['transfer-encoding'];
    }
    body = JSON.stringify(json);
    headers['content-length'] = '<json>';
  }
  return { status: answer.status, headers, body };
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const binaryGetUser = Buffer.from(toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: 1 } })));
/** Calls the fast path answers, each compared byte for byte with connect-es's answer to the same call. */
const cases: Array<[string, string, Buffer | string, Record<string, string>]> = [
  ['GetUser, JSON', GET_USER, JSON.stringify({ id: 1 }), JSON_TYPE],
  ['GetUser, JSON with a charset', GET_USER, JSON.stringify({ id: 1 }), { 'content-type': 'application/json; charset=utf-8' }],
  ['GetUser, binary', GET_USER, binaryGetUser, { 'content-type': 'application/proto' }],
  ['NOT_FOUND with rich details', GET_USER, JSON.stringify({ id: 987654 }), JSON_TYPE],
  ['malformed JSON', GET_USER, '{"id":', JSON_TYPE],
  ['undecodable binary (INVALID_ARGUMENT, not INTERNAL)', GET_USER, Buffer.from([0xff, 0xff, 0xff, 0x07]), { 'content-type': 'application/proto' }],
  ['an empty binary body', GET_USER, Buffer.alloc(0), { 'content-type': 'application/proto' }],
  ['metadata echoed as headers and trailers', ECHO, JSON.stringify({ message: 'hi' }), { ...JSON_TYPE, 'x-echo-lang': 'ru', 'x-echo-bin': 'AAEC' }],
  ['a compressed answer (Accept-Encoding: gzip, over 1 KiB)', ECHO, JSON.stringify({ message: 'x'.repeat(3000) }), { ...JSON_TYPE, 'accept-encoding': 'gzip' }],
  ['a small answer stays uncompressed', ECHO, JSON.stringify({ message: 'x' }), { ...JSON_TYPE, 'accept-encoding': 'gzip' }],
  ['UNAUTHENTICATED with its www-authenticate header', '/wirelab.lab.v1.LabService/ServerStats', '{}', JSON_TYPE],
  ['a malformed connect-timeout-ms', GET_USER, JSON.stringify({ id: 1 }), { ...JSON_TYPE, 'connect-timeout-ms': 'soon' }],
  ['a deadline over the server limit', GET_USER, JSON.stringify({ id: 1 }), { ...JSON_TYPE, 'connect-timeout-ms': '9999999' }],
  ['an expired deadline (connect-timeout-ms: 0)', GET_USER, JSON.stringify({ id: 1 }), { ...JSON_TYPE, 'connect-timeout-ms': '0' }],
  ['DEADLINE_EXCEEDED when the handler outlives the deadline', SLOW, JSON.stringify({ millis: 1500 }), { ...JSON_TYPE, 'connect-timeout-ms': '150' }],
  // From 64 KiB on, the message is parsed and serialized in turns of the event loop (message-turns.ts).
  ['a big message, JSON', ECHO, JSON.stringify({ message: BIG }), JSON_TYPE],
  ['a big message, compressed answer', ECHO, JSON.stringify({ message: BIG }), { ...JSON_TYPE, 'accept-encoding': 'gzip' }],
  ['a big malformed JSON', ECHO, `{"message": "${BIG}`, JSON_TYPE],
  ['a big JSON with a repeated member name', ECHO, `{"message": "${BIG}", "message": "x"}`, JSON_TYPE],
  ['a big JSON field of the wrong type', ECHO, JSON.stringify({ message: [BIG] }), JSON_TYPE],
  ['a big undecodable binary', ECHO, Buffer.concat([Buffer.from([0x0a, 0xff, 0xff, 0x0f]), Buffer.alloc(70_000, 1)]), { 'content-type': 'application/proto' }],
];

describe('unary Connect with a Content-Length: the fast path answers as connect-es does', () => {
  for (const [name, path, body, headers] of cases) {
    it(name, async () => {
      const before = server.app.grpc.routes.unaryFastPath;
      const fast = await post(server.port, path, body, headers, 'length');
      expect(server.app.grpc.routes.unaryFastPath).toBe(before + 1);
      const full = await post(server.port, path, body, headers, 'chunked');
      expect(server.app.grpc.routes.unaryFastPath).toBe(before + 1);
      expect(comparable(fast)).toEqual(comparable(full));
    });
  }

  it('the deadline case really ran into the deadline, and the compressed case really was compressed', async () => {
    const late = await post(server.port, SLOW, JSON.stringify({ millis: 1500 }), { ...JSON_TYPE, 'connect-timeout-ms': '150' }, 'length');
    expect(late.status).toBe(504);
    expect(JSON.parse(late.body.toString()).code).toBe('deadline_exceeded');
    const big = await post(server.port, ECHO, JSON.stringify({ message: 'x'.repeat(3000) }), { ...JSON_TYPE, 'accept-encoding': 'gzip' }, 'length');
    expect(big.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(big.body).toString()).message).toBe('x'.repeat(3000));
  });

  it('a big binary message is echoed whole (its answer echoes the request framing too, so it is not compared byte for byte)', async () => {
    const before = server.app.grpc.routes.unaryFastPath;
    const body = Buffer.from(toBinary(EchoRequestSchema, create(EchoRequestSchema, { message: BIG })));
    const answer = await post(server.port, ECHO, body, { 'content-type': 'application/proto' }, 'length');
    expect(server.app.grpc.routes.unaryFastPath).toBe(before + 1);
    expect(answer.status).toBe(200);
    expect(fromBinary(EchoResponseSchema, answer.body)).toMatchObject({ message: BIG, protocol: 'connect' });
  });

  it('what the fast path does not take goes to connect-es: GET, compressed requests, streaming types', async () => {
    const before = server.app.grpc.routes.unaryFastPath;
    const get = await fetch(`${server.origin}${GET_USER}?encoding=json&message=${encodeURIComponent(JSON.stringify({ id: 1 }))}`);
    expect(get.status).toBe(200);
    const compressed = await post(server.port, GET_USER, JSON.stringify({ id: 1 }), { ...JSON_TYPE, 'content-encoding': 'gzip' }, 'length');
    expect(compressed.status).toBe(400); // not gzip at all: connect-es's answer
    const stream = await post(server.port, GET_USER, JSON.stringify({ id: 1 }), { 'content-type': 'application/connect+json' }, 'length');
    expect(stream.status).toBe(415);
    expect(server.app.grpc.routes.unaryFastPath).toBe(before);
  });
});

describe("grpc.fastPaths false: a body already in node's buffer is handed to connect-fastify as bytes, answered as one it reads itself", () => {
  let plain: RunningServer;
  beforeAll(async () => {
    plain = await startServer({ grpc: { fastPaths: false } });
  });
  afterAll(async () => {
    await plain.close();
  });

  for (const [name, path, body, headers] of cases) {
    it(name, async () => {
      const before = plain.app.grpc.routes.unaryBodyToPlugin;
      const handed = await post(plain.port, path, body, headers, 'length');
      // A small body arrives with the headers (one write of node's client): it is handed over. A big one may not be whole yet.
      if (Buffer.byteLength(body) < 4096) expect(plain.app.grpc.routes.unaryBodyToPlugin).toBe(before + 1);
      const read = await post(plain.port, path, body, headers, 'chunked');
      const after = plain.app.grpc.routes.unaryBodyToPlugin;
      expect(comparable(handed)).toEqual(comparable(read));
      // and the fast paths' answer is the same again (but for the host Echo saw: another server, another port)
      const otherHost = (answer: Answer) => comparable(answer).body.replaceAll(`127.0.0.1:${server.port}`, `127.0.0.1:${plain.port}`);
      expect(comparable(handed).body).toEqual(otherHost(await post(server.port, path, body, headers, 'length')));
      expect(plain.app.grpc.routes.unaryFastPath).toBe(0);
      expect(after).toBe(plain.app.grpc.routes.unaryBodyToPlugin);
    });
  }

  it('a compressed request is left for connect-es to read and decompress', async () => {
    const before = plain.app.grpc.routes.unaryBodyToPlugin;
    const compressed = await post(plain.port, GET_USER, gzipSync(JSON.stringify({ id: 1 })), { ...JSON_TYPE, 'content-encoding': 'gzip' }, 'length');
    expect(compressed.status).toBe(200);
    expect(JSON.parse(compressed.body.toString()).user.id).toBe(1);
    expect(plain.app.grpc.routes.unaryBodyToPlugin).toBe(before);
  });
});

describe('the fast path keeps the call semantics', () => {
  it("a client that goes away aborts the handler's signal: Slow stops and is recorded as cancelled", async () => {
    const sandbox = `fast-cancel-${process.pid}`;
    const abort = new AbortController();
    const before = server.app.grpc.routes.unaryFastPath;
    const call = post(server.port, SLOW, JSON.stringify({ millis: 20_000 }), { ...JSON_TYPE, 'x-wirelab-sandbox': sandbox }, 'length', abort.signal).catch(
      (e: Error) => e,
    );
    // The call has started once the fast path took it.
    while (server.app.grpc.routes.unaryFastPath === before) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    abort.abort();
    expect(await call).toBeInstanceOf(Error);
    const slow = await recordedSlowCall(server.origin, sandbox);
    // Recorded long before the 20 s it asked for: the handler's signal stopped it.
    expect(slow).toMatchObject({ cancelledByClient: true, code: 'CANCELLED' });
  });

  it('graceful shutdown: a unary call still running shutdownTimeoutMs after close() ends UNAVAILABLE', async () => {
    const own = await startServer();
    const before = own.app.grpc.routes.unaryFastPath;
    const call = post(own.port, SLOW, JSON.stringify({ millis: 30_000 }), JSON_TYPE, 'length');
    while (own.app.grpc.routes.unaryFastPath === before) await new Promise((resolve) => setTimeout(resolve, 10));
    const closed = own.close();
    const answer = await call;
    await closed;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ code: 'unavailable', message: 'the server is shutting down' });
  });
});

describe('big JSON bodies go into buffers used again (server/protocols/grpc/big-bodies.ts)', () => {
  const echoOf = async (message: string, signal?: AbortSignal) => {
    const answer = await post(server.port, ECHO, JSON.stringify({ message }), JSON_TYPE, 'length', signal);
    expect(answer.status).toBe(200);
    return (JSON.parse(answer.body.toString('utf8')) as { message: string }).message;
  };

  it('each call gets its own body whole: a shorter one after a longer, several at once, and after a client went away mid-body', async () => {
    expect(await echoOf('a'.repeat(900_000))).toBe('a'.repeat(900_000));
    // a shorter body in the same buffer: nothing of the one before shows
    expect(await echoOf(`b${BIG}`)).toBe(`b${BIG}`);
    const many = ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map((letter, i) => letter.repeat(70_000 + i * 50_000));
    expect(await Promise.all(many.map((message) => echoOf(message)))).toEqual(many);
    // a client that sends half its declared body and goes away: its buffer goes back, and the next call is whole
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST ${ECHO} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500000\r\n\r\n{"message": "${'z'.repeat(200_000)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    expect(await echoOf(`m${'n'.repeat(499_000)}`)).toBe(`m${'n'.repeat(499_000)}`);
  });
});

describe('a big message does not hold the event loop in one piece', () => {
  /** Resolves once `socket` is connected. */
  const connected = (socket: Socket) => new Promise((resolve) => socket.once('connect', resolve));

  it('a small request that arrives together with a 1 MB echo is answered first', async () => {
    const echoBody = Buffer.from(JSON.stringify({ message: 'x'.repeat(1024 * 1024 - 32) }));
    const echoHead = `POST ${ECHO} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${echoBody.length}\r\n\r\n`;
    const small = 'GET /api/v1/users/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const echoSocket = connect(server.port, '127.0.0.1');
    const smallSocket = connect(server.port, '127.0.0.1');
    await Promise.all([connected(echoSocket), connected(smallSocket)]);
    const answered: string[] = [];
    echoSocket.once('data', () => answered.push('echo'));
    smallSocket.once('data', () => answered.push('small'));
    try {
      // All but the last byte of each request, read by the server while it waits for the rest.
      echoSocket.write(echoHead);
      echoSocket.write(echoBody.subarray(0, -1));
      smallSocket.write(small.slice(0, -1));
      while (echoSocket.writableLength > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The echo's last byte first: the server reads both in one turn, the echo's first. In one
      // piece, the whole echo would be parsed, answered and written before the small request is read.
      echoSocket.write(echoBody.subarray(-1));
      smallSocket.write(small.slice(-1));
      while (answered.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(answered).toEqual(['small', 'echo']);
    } finally {
      echoSocket.destroy();
      smallSocket.destroy();
    }
  });
});
