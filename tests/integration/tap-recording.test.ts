import { execFile } from 'node:child_process';
import http2 from 'node:http2';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlCommand } from '../../web/editors/http/curl-command.ts';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { CapturedConnection } from '../../wire/types.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const run = promisify(execFile);
let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/** One captured connection, decoded as the inspector decodes it. */
function decoded(capture: CaptureClient, id: string) {
  const connection = capture.connections().find((c) => c.id === id) as unknown as CapturedConnection;
  const closed = capture.messages.find((m) => m.type === 'closed' && m.conn === id);
  const chunks = capture
    .chunks()
    .filter((chunk) => chunk.conn === id)
    .map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
  return decodeConnection(closed ? { ...connection, closedAt: closed.t as number } : connection, chunks);
}

/** An h2c POST of `body` on a fresh connection, as a session's sandbox request; resolves with the status. */
function h2Upload(origin: string, session: string, path: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(origin);
    client.on('error', reject);
    const stream = client.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json', 'x-wirelab-sandbox': session });
    let status = 0;
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('error', reject);
    stream.resume();
    stream.on('close', () => {
      client.close();
      resolve(status);
    });
    stream.end(body);
  });
}

const H2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

describe('the tap over h2c', () => {
  it('records an h2c connection that uploads more than 64 KiB before its request is parsed from its first byte', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const uploads = 5;
    const body = Buffer.from(JSON.stringify({ name: 'x'.repeat(200 * 1024), email: 'big@example.com' }));
    for (let upload = 0; upload < uploads; upload++) {
      // Past the REST API's own body limit: the answer is a 413, but the request had to be read first.
      expect(await h2Upload(server.origin, session, '/api/v1/users', body)).toBe(413);
    }
    const closed = (id: string) => capture.messages.some((m) => m.type === 'closed' && m.conn === id);
    await capture.waitFor(() => capture.connections().filter((c) => c.transport === 'h2c' && closed(c.id)).length === uploads);
    const outcomes = capture
      .connections()
      .filter((c) => c.transport === 'h2c')
      .map((c) => {
        const inbound = capture.bytes(c.id, 'in');
        const firstOffset = Math.min(
          ...capture
            .chunks()
            .filter((chunk) => chunk.conn === c.id && chunk.dir === 'in')
            .map((chunk) => chunk.offset),
        );
        const { messages } = decoded(capture, c.id);
        const headers = (messages ?? []).find((m) => m.dir === 'in' && m.fields?.type === 'HEADERS');
        return [
          `from byte ${firstOffset}`,
          `preface=${inbound.subarray(0, H2_PREFACE.length).toString('latin1') === H2_PREFACE}`,
          `HEADERS ${headers?.fields?.method} ${headers?.fields?.path} on stream ${headers?.fields?.streamId}`,
          `unrecorded=${JSON.stringify((c as { unrecorded?: unknown }).unrecorded)}`,
        ].join(', ');
      });
    expect(outcomes).toEqual(Array(uploads).fill('from byte 0, preface=true, HEADERS POST /api/v1/users on stream 1, unrecorded=undefined'));
    await capture.close();
  });

  it('records the final DATA with END_STREAM of every exchange curl --http2-prior-knowledge makes', async () => {
    // Lesson 1's HTTP/2 step: "copy as curl", then add --http2-prior-knowledge. curl 7.88 closes the
    // connection as soon as it has content-length bytes of body, which raced the session's last frame.
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const command = curlCommand(
      {
        method: 'GET',
        target: '/api/v1/users?limit=2',
        version: null,
        headers: [{ name: 'Accept', value: 'application/json', line: 2 }],
        body: null,
        requestLine: 1,
      } as Parameters<typeof curlCommand>[0],
      server.origin,
      session,
    );
    const attempts = 10;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const { stdout } = await run('sh', ['-c', `${command} --http2-prior-knowledge -s -o /dev/null -w '%{http_version} %{http_code}'`]);
      expect(stdout).toBe('2 200');
    }
    await capture.waitFor(
      () =>
        capture.connections().filter((c) => c.transport === 'h2c' && capture.messages.some((m) => m.type === 'closed' && m.conn === c.id)).length === attempts,
    );
    const outcomes = capture
      .connections()
      .filter((c) => c.transport === 'h2c')
      .map((c) => {
        const { exchanges, messages } = decoded(capture, c.id);
        const endStream = (messages ?? []).some((m) => m.dir === 'out' && m.fields?.type === 'DATA' && m.fields.streamId === 1 && m.fields.endStream === true);
        return `${exchanges.length} exchange ${exchanges[0]?.response?.status} complete=${exchanges[0]?.response?.complete} END_STREAM=${endStream}`;
      });
    expect(outcomes).toEqual(Array(attempts).fill('1 exchange 200 complete=true END_STREAM=true'));
    await capture.close();
  });

  it('marks a connection not recorded from its start when its first 64 KiB name no session, and records it from the request that does', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    // 70 KiB of WINDOW_UPDATEs before any request: nothing in the head names an owner.
    const windowUpdates = Array.from({ length: 5500 }, () => h2Frame(0x8, 0, 0, Buffer.from([0, 0, 0, 1])));
    const headers = h2Frame(
      0x1,
      0x5,
      1,
      hpackLiterals([
        [':method', 'GET'],
        [':scheme', 'http'],
        [':authority', '127.0.0.1'],
        [':path', '/api/v1/users?limit=1'],
        ['x-wirelab-sandbox', session],
      ]),
    );
    const socket = net.connect(server.port, '127.0.0.1');
    // answered when the empty DATA frame with END_STREAM on stream 1 has arrived
    const endOfResponse = h2Frame(0x0, 0x1, 1, Buffer.alloc(0));
    const answered = new Promise<void>((resolve, reject) => {
      let received = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        if (received.includes(endOfResponse)) resolve();
      });
      socket.on('error', reject);
    });
    socket.write(Buffer.concat([Buffer.from(H2_PREFACE, 'latin1'), h2Frame(0x4, 0, 0, Buffer.alloc(0)), ...windowUpdates]));
    socket.write(headers);
    await answered;
    socket.end();
    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'h2c'));
    const connection = capture.connections().find((c) => c.transport === 'h2c') as { id: string; unrecorded?: { in: number; out: number; reason: string } };
    expect(connection.unrecorded?.reason).toBe('pending-limit');
    expect(connection.unrecorded?.in).toBeGreaterThanOrEqual(64 * 1024);
    // the recording starts with the chunk that holds the HEADERS naming the session
    await capture.waitFor(() => capture.chunks().some((chunk) => chunk.conn === connection.id && chunk.dir === 'out'));
    const recorded = capture.chunks().filter((chunk) => chunk.conn === connection.id && chunk.dir === 'in');
    expect(recorded[0].offset).toBe(connection.unrecorded?.in);
    // that HEADERS is there, with the session id blanked byte for byte (the page never gets it)
    expect(capture.bytes(connection.id, 'in').includes(Buffer.from('*'.repeat(session.length)))).toBe(true);
    expect(capture.bytes(connection.id, 'in').includes(Buffer.from(session))).toBe(false);
    await capture.close();
  });
});

describe('the tap over HTTP/1.1', () => {
  it('records a keep-alive connection from the request that names a session, and says what came before', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const anonymous = 'GET /api/v1/users?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const named = `GET /api/v1/users?limit=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nx-wirelab-sandbox: ${session}\r\n\r\n`;
    const socket = net.connect(server.port, '127.0.0.1');
    let received = '';
    const responses = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if ((received.match(/HTTP\/1\.1 200/g) ?? []).length >= count && received.trimEnd().endsWith('}')) {
            socket.off('data', onData);
            resolve();
          }
        };
        const onData = (chunk: Buffer) => {
          received += chunk.toString('latin1');
          check();
        };
        socket.on('data', onData);
      });
    socket.write(anonymous);
    await responses(1);
    const firstAnswerBytes = Buffer.byteLength(received, 'latin1');
    socket.write(named);
    await responses(2);
    socket.end();
    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'http/1.1' && capture.bytes(c.id, 'out').length > 0));
    const connection = capture.connections().find((c) => c.transport === 'http/1.1') as { id: string; unrecorded?: unknown };
    expect(connection.unrecorded).toEqual({ in: Buffer.byteLength(anonymous), out: firstAnswerBytes, reason: 'no-session' });
    expect(capture.bytes(connection.id, 'in').toString('latin1')).toBe(named.replace(session, '*'.repeat(session.length)));
    await capture.close();
  });
});

/** One HTTP/2 frame (RFC 9113 §4.1). */
function h2Frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(stream, 5);
  return Buffer.concat([header, payload]);
}

/** A header block of literals without indexing, no Huffman (RFC 7541 §6.2.2); every string under 127 bytes. */
function hpackLiterals(fields: Array<[string, string]>): Buffer {
  return Buffer.concat(
    fields.flatMap(([name, value]) => [Buffer.from([0x00, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]),
  );
}
