import { execFile } from 'node:child_process';
import http2 from 'node:http2';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
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

/** Sends exact bytes on a fresh TCP connection and returns everything the server answered. */
function rawExchange(port: number, request: string, untilText: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => {
      received.push(chunk);
      if (Buffer.concat(received).includes(untilText)) {
        socket.end();
        resolve(Buffer.concat(received));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed before "${untilText}": ${Buffer.concat(received)}`)));
    socket.setTimeout(5000, () => socket.destroy());
    socket.write(request);
  });
}

function h2Get(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(origin);
    client.on('error', reject);
    const stream = client.request({ ':path': path, ...headers });
    let status = 0;
    let body = '';
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.setEncoding('utf8');
    stream.on('data', (d) => (body += d));
    stream.on('end', () => {
      client.close();
      resolve({ status, body });
    });
    stream.on('error', reject);
  });
}

describe('one port for HTTP/1.1 and h2c', () => {
  it('answers HTTP/1.1 and HTTP/2 with prior knowledge on the same port', async () => {
    const h1 = await fetch(`${server.origin}/_wirelab/session`);
    expect(h1.status).toBe(200);
    const h2 = await h2Get(server.origin, '/_wirelab/session');
    expect(h2.status).toBe(200);
    // the session's public name, never its id (issue 35)
    expect(JSON.parse(h2.body).name).toMatch(/^room\./);
  });

  it('speaks h2c to curl --http2-prior-knowledge and to nghttp', async () => {
    const curl = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_version} %{http_code}',
      '--http2-prior-knowledge',
      `${server.origin}/_wirelab/session`,
    ]);
    expect(curl.stdout).toBe('2 200');
    const nghttp = await run('nghttp', ['-v', `${server.origin}/_wirelab/session`]);
    expect(nghttp.stdout).toMatch(/recv HEADERS frame/);
    expect(nghttp.stdout).toMatch(/:status: 200/);
  });

  it('answers an unknown path with problem+json over both protocols', async () => {
    const h1 = await fetch(`${server.origin}/nowhere`);
    expect(h1.status).toBe(404);
    expect(h1.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const h2 = await h2Get(server.origin, '/nowhere');
    expect(h2.status).toBe(404);
  });

  it('routes a registered WebSocket upgrade path past Fastify, and leaves the rest to Fastify (an Upgrade that is not websocket is served as plain HTTP/1.1: upgrade-ignored.test.ts)', async () => {
    const port = server.app.onePort;
    port.routeUpgrade('/test-upgrade/', (_req, socket) => {
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\nrouted');
    });
    const answer = await rawExchange(
      server.port,
      'GET /test-upgrade/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      'routed',
    );
    expect(answer.toString()).toMatch(/^HTTP\/1\.1 101/);
    // The capture channel is a Fastify WebSocket route and still answers.
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    await capture.close();
  });

  it('sees the client address over h2c as over HTTP/1.1', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    await h2Get(server.origin, '/_wirelab/session', { cookie: `wirelab_session=${session}` });
    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'h2c'));
    const h2 = capture.connections().find((c) => c.transport === 'h2c')!;
    expect(h2.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    await capture.close();
  });
});

describe('the byte tap', () => {
  it('delivers exactly the bytes that crossed the connection, both directions', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const request =
      `GET /_wirelab/session HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wirelab_session=${session}\r\n\r\n` +
      `GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wirelab_session=${session}\r\n\r\n`;
    const answer = await rawExchange(server.port, request, 'Nothing is served');
    await capture.waitFor(() => capture.connections().length > 0 && capture.bytes(capture.connections()[0].id, 'out').length >= answer.length);
    const [conn] = capture.connections();
    // every byte as it crossed, save the cookie's value, which no inspector is sent (issue 35): as many `*`
    const blanked = request.replace(/(Cookie: )([^\r]*)/g, (_line, name: string, value: string) => name + '*'.repeat(value.length));
    expect(capture.bytes(conn.id, 'in').toString()).toBe(blanked);
    expect(capture.bytes(conn.id, 'in').length).toBe(Buffer.byteLength(request));
    const out = capture.bytes(conn.id, 'out');
    // the answer's curl token is a secret too: blanked in place, every other byte as sent
    const curlToken = /"curlToken":"([^"]+)"/.exec(answer.toString('latin1'))?.[1];
    expect(curlToken).toBeDefined();
    expect(out.toString('latin1')).toBe(answer.toString('latin1').replace(curlToken!, '*'.repeat(curlToken!.length)));
    const chunks = capture.chunks();
    expect(chunks.every((c, i) => i === 0 || c.seq > chunks[i - 1].seq)).toBe(true);
    expect(chunks.every((c) => Math.abs(c.t - Date.now()) < 60_000)).toBe(true);
    await capture.close();
  });

  it('captures HTTP/2 from the connection preface on', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    await h2Get(server.origin, '/_wirelab/session', { cookie: `wirelab_session=${session}` });
    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'h2c'));
    const conn = capture.connections().find((c) => c.transport === 'h2c')!;
    await capture.waitFor(() => capture.bytes(conn.id, 'out').length > 0);
    expect(capture.bytes(conn.id, 'in').subarray(0, 24).toString('latin1')).toBe('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    await capture.close();
  });

  it('never shows a session the traffic of another, nor the capture channel itself', async () => {
    const alice = await newSession(server.origin);
    const bob = await newSession(server.origin);
    const aliceCapture = await CaptureClient.open(server.origin, alice);
    const bobCapture = await CaptureClient.open(server.origin, bob);
    await rawExchange(
      server.port,
      `GET /nowhere?alice HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wirelab_session=${alice}\r\nConnection: close\r\n\r\n`,
      'Nothing is served',
    );
    await aliceCapture.waitFor(() => aliceCapture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('alice')));
    // Bob's own request afterwards proves his channel is live while it shows nothing of Alice.
    await rawExchange(
      server.port,
      `GET /nowhere?bob HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wirelab_session=${bob}\r\nConnection: close\r\n\r\n`,
      'Nothing is served',
    );
    await bobCapture.waitFor(() => bobCapture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('bob')));
    const bobSaw = bobCapture
      .chunks()
      .map((c) => Buffer.from(c.data, 'base64').toString())
      .join('');
    expect(bobSaw).not.toContain('alice');
    const everything = [...aliceCapture.chunks(), ...bobCapture.chunks()].map((c) => Buffer.from(c.data, 'base64').toString()).join('');
    expect(everything).not.toContain('/_wirelab/tap');
    await aliceCapture.close();
    await bobCapture.close();
  });

  it('records nothing of a client that names no session', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    await rawExchange(server.port, 'GET /nowhere?anonymous HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'Nothing is served');
    await rawExchange(
      server.port,
      `GET /nowhere?mine HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wirelab_session=${session}\r\nConnection: close\r\n\r\n`,
      'Nothing is served',
    );
    await capture.waitFor(() => capture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('mine')));
    expect(capture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('anonymous'))).toBe(false);
    await capture.close();
  });

  it('lets a tool name a session with the sandbox header, so its bytes reach that browser', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    await run('curl', ['-s', '-H', `x-wirelab-sandbox: ${session}`, `${server.origin}/nowhere?from-curl`]);
    await capture.waitFor(() => capture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('from-curl')));
    await capture.close();
  });

  it('stops recording when the session switches it off, and says so', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    capture.send({ type: 'recording', on: false });
    await capture.waitFor(() => capture.messages.some((m) => m.type === 'recording' && m.on === false));
    await rawExchange(
      server.port,
      `GET /nowhere?hidden HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wirelab_session=${session}\r\nConnection: close\r\n\r\n`,
      'Nothing is served',
    );
    capture.send({ type: 'recording', on: true });
    await rawExchange(
      server.port,
      `GET /nowhere?shown HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wirelab_session=${session}\r\nConnection: close\r\n\r\n`,
      'Nothing is served',
    );
    await capture.waitFor(() => capture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('shown')));
    expect(capture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('hidden'))).toBe(false);
    await capture.close();
  });

  it('refuses the capture channel without a session cookie', async () => {
    const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/_wirelab/tap`);
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(1008);
  });
});

describe('shutdown', () => {
  it('closes while HTTP/2 sessions are open and lets their in-flight streams finish', async () => {
    const own = await startServer();
    const client = http2.connect(own.origin);
    const stream = client.request({ ':path': '/_wirelab/session' });
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (d) => (body += d));
    const ended = new Promise((resolve) => stream.on('end', resolve));
    await new Promise((resolve) => stream.on('response', resolve));
    await own.close();
    await ended;
    expect(JSON.parse(body).name).toMatch(/^room\./);
    client.close();
  });
});
