import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { CapturedConnection } from '../../wire/types.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const wsUrl = (path: string) => `${server.origin.replace('http', 'ws')}${path}`;
/** A page on the same host at another port: another origin, but the same site (the cookie goes along). */
const foreignPage = () => `http://127.0.0.1:${server.port === 9 ? 10 : 9}`;

/** The six WebSocket endpoints and the subprotocol each expects. */
const endpoints: Array<[string, string | undefined]> = [
  ['/_wirelab/tap', undefined],
  ['/ws/echo', undefined],
  ['/ws/chat', 'wirelab.chat.v1'],
  ['/graphql', 'graphql-transport-ws'],
  ['/socket.io/?EIO=4&transport=websocket', undefined],
  ['/mqtt', 'mqtt'],
  ['/_wirelab/grpc-runner', undefined],
];

/** Opens a WebSocket: 'open', or the HTTP status that refused the handshake. */
function handshake(path: string, protocol: string | undefined, headers: Record<string, string>): Promise<string | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(path), protocol ? [protocol] : [], { headers });
    socket.once('open', () => {
      socket.terminate();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** Runs a command (asynchronously: the server is in this process) and returns its stdout. */
function runCommand(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err}`))));
  });
}

async function sessionInfo(session?: string): Promise<{ session: string; curlToken: string; curlTokenExpiresAt: number; setCookie: string | null }> {
  const response = await fetch(`${server.origin}/_wirelab/session`, { headers: session ? { cookie: `wirelab_session=${session}` } : {} });
  const setCookie = response.headers.get('set-cookie');
  // the answer never names the session (page scripts cannot read the HttpOnly cookie): its new cookie does
  return { ...(await response.json()), session: /wirelab_session=([^;]+)/.exec(setCookie ?? '')?.[1] ?? '', setCookie };
}

describe('Origin on every WebSocket endpoint', () => {
  it.each(endpoints)('%s: a handshake from a page of another origin is refused with 403, the student’s cookie notwithstanding', async (path, protocol) => {
    const session = await newSession(server.origin);
    expect(await handshake(path, protocol, { cookie: `wirelab_session=${session}`, origin: foreignPage() })).toBe(403);
  });

  it.each(endpoints)('%s: the server’s own page and a client without Origin still connect', async (path, protocol) => {
    const session = await newSession(server.origin);
    expect(await handshake(path, protocol, { cookie: `wirelab_session=${session}`, origin: server.origin })).toBe('open');
    expect(await handshake(path, protocol, { cookie: `wirelab_session=${session}` })).toBe('open');
  });

  it('says why in both languages, before any handshake', async () => {
    const response = await new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve) => {
      const socket = new WebSocket(wsUrl('/_wirelab/tap'), { headers: { origin: 'http://evil.example' } });
      socket.once('unexpected-response', (_request, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      socket.on('error', () => {});
    });
    expect(response.status).toBe(403);
    expect(response.headers['sec-websocket-accept']).toBeUndefined();
    expect(response.body).toContain('http://evil.example');
    expect(response.body).toContain('Странице');
  });

  it('lets a configured origin in (a reverse proxy), and no other', async () => {
    const proxied = await startServer({ allowedOrigins: ['https://wirelab.example.edu'] });
    try {
      const session = await newSession(proxied.origin);
      const open = (origin: string) =>
        new Promise<string | number>((resolve) => {
          const socket = new WebSocket(`${proxied.origin.replace('http', 'ws')}/ws/echo`, { headers: { origin, cookie: `wirelab_session=${session}` } });
          socket.once('open', () => (socket.terminate(), resolve('open')));
          socket.once('unexpected-response', (_q, res) => (res.resume(), resolve(res.statusCode ?? 0)));
          socket.on('error', () => {});
        });
      expect(await open('https://wirelab.example.edu')).toBe('open');
      expect(await open('https://other.example.edu')).toBe(403);
    } finally {
      await proxied.close();
    }
  });
});

describe('HTTP requests of a foreign page', () => {
  it.each([
    ['Engine.IO polling handshake', '/socket.io/?EIO=4&transport=polling'],
    ['SSE stream', '/api/v1/events'],
    ['long poll', '/api/v1/poll?since=0&timeout=1'],
    ['the session endpoint', '/_wirelab/session'],
  ])('%s: refused with 403 problem+json, nothing runs for the student', async (_name, path) => {
    const session = await newSession(server.origin);
    const response = await fetch(`${server.origin}${path}`, { headers: { cookie: `wirelab_session=${session}`, origin: foreignPage() } });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const problem = await response.json();
    expect(problem.localized.ru).toContain(foreignPage());
    // the same request from the server's own page works
    const own = await fetch(`${server.origin}${path}`, { headers: { cookie: `wirelab_session=${session}`, origin: server.origin } });
    expect(own.status).toBeLessThan(300);
    await own.body?.cancel();
  });

  it('a write into the student’s sandbox from a foreign page is refused before it happens', async () => {
    const session = await newSession(server.origin);
    const cookie = `wirelab_session=${session}`;
    const create = (origin: string) =>
      fetch(`${server.origin}/api/v1/users`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Trudy Intruder', email: `trudy-${origin.length}@example.com` }),
      });
    expect((await create(foreignPage())).status).toBe(403);
    const users = (await (await fetch(`${server.origin}/api/v1/users?limit=100`, { headers: { cookie } })).json()) as { data?: Array<{ name: string }> };
    expect(JSON.stringify(users)).not.toContain('Trudy');
  });
});

describe('session ids the server never issued', () => {
  it('a forged id opens no capture channel (1008), and the session endpoint replaces it with an issued one', async () => {
    // of the length ids had before they were signed, and of today's length
    for (const forged of [randomBytes(16).toString('base64url'), randomBytes(33).toString('base64url').slice(0, 44)]) {
      const closed = await new Promise<number>((resolve) => {
        const socket = new WebSocket(wsUrl('/_wirelab/tap'), { headers: { cookie: `wirelab_session=${forged}` } });
        socket.once('close', (code) => resolve(code));
        socket.on('error', () => {});
      });
      expect(closed).toBe(1008);
      const info = await sessionInfo(forged);
      expect(info.session).not.toBe(forged);
      expect(info.setCookie).toContain(`wirelab_session=${info.session}`);
    }
  });

  it('a forged id does not pick a session’s sandbox nor get recorded: its requests work in the shared sandbox', async () => {
    const victim = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, victim);
    // the id of the old format (22 characters) and a random one of the new length
    for (const forged of [randomBytes(16).toString('base64url'), randomBytes(33).toString('base64url').slice(0, 44)]) {
      const response = await fetch(`${server.origin}/api/v1/users/1`, { headers: { cookie: `wirelab_session=${forged}` } });
      expect(response.status).toBe(200);
    }
    const marker = await fetch(`${server.origin}/api/v1/users/2`, { headers: { cookie: `wirelab_session=${victim}` } });
    await marker.body?.cancel();
    await capture.waitFor(() => capture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('/api/v1/users/2')));
    const all = capture
      .chunks()
      .map((c) => Buffer.from(c.data, 'base64').toString('latin1'))
      .join('');
    expect(all).not.toContain('/api/v1/users/1 ');
    await capture.close();
  });
});

describe('the curl token of "copy as curl"', () => {
  it('works in the student’s sandbox and is recorded in their inspector, but opens no capture channel', async () => {
    const session = await newSession(server.origin);
    const { curlToken, curlTokenExpiresAt } = await sessionInfo(session);
    expect(curlToken).not.toContain(session.slice(0, 22));
    expect(curlTokenExpiresAt).toBeGreaterThan(Date.now() + 7 * 3600_000);
    const capture = await CaptureClient.open(server.origin, session);

    const stdout = await runCommand('curl', [
      '-s',
      '-H',
      'content-type: application/json',
      '-H',
      `x-wirelab-sandbox: ${curlToken}`,
      '--data-raw',
      JSON.stringify({ name: 'Curl Token', email: 'curl-token@example.com' }),
      `${server.origin}/api/v1/users`,
    ]);
    expect(JSON.parse(stdout).name).toBe('Curl Token');
    // the browser sees the user in its own sandbox…
    const mine = await (await fetch(`${server.origin}/api/v1/users?limit=100`, { headers: { cookie: `wirelab_session=${session}` } })).text();
    expect(mine).toContain('curl-token@example.com');
    // …and curl's bytes in its inspector
    await capture.waitFor(() => capture.chunks().some((c) => Buffer.from(c.data, 'base64').includes('curl-token@example.com')));

    // The token is no session: as a cookie it opens nothing, in the header neither.
    for (const headers of [{ cookie: `wirelab_session=${curlToken}` }, { 'x-wirelab-sandbox': curlToken }]) {
      const code = await new Promise<number>((resolve) => {
        const socket = new WebSocket(wsUrl('/_wirelab/tap'), { headers });
        socket.once('close', (c) => resolve(c));
        socket.on('error', () => {});
      });
      expect(code).toBe(1008);
    }
    // nor does it get the session's id from the session endpoint (a new session is made instead)
    const asCookie = await sessionInfo(curlToken);
    expect(asCookie.session).not.toBe(session);
    await capture.close();
  });

  it('an expired or altered token is refused with 401 in both languages, not quietly sent to the shared sandbox', async () => {
    const { curlToken } = await sessionInfo(await newSession(server.origin));
    const altered = curlToken.slice(0, 30) + (curlToken[30] === 'A' ? 'B' : 'A') + curlToken.slice(31);
    const response = await fetch(`${server.origin}/api/v1/users/1`, { headers: { 'x-wirelab-sandbox': altered } });
    expect(response.status).toBe(401);
    const problem = await response.json();
    expect(problem.localized.en).toMatch(/copy the command/);
    expect(problem.localized.ru).toMatch(/скопируйте команду/);
  });
});

describe('two sessions on one connection (a proxy reusing its upstream connection)', () => {
  /** A raw TCP connection: send bytes, wait until the answer holds a text. */
  async function rawConnection() {
    const net = await import('node:net');
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    return {
      async exchange(bytes: string, responses: number) {
        const before = (received.match(/HTTP\/1\.1 \d{3}/g) ?? []).length;
        socket.write(bytes);
        const deadline = Date.now() + 5000;
        while ((received.match(/HTTP\/1\.1 \d{3}/g) ?? []).length < before + responses || !/\r\n\r\n[\s\S]*\}$/.test(received)) {
          if (Date.now() > deadline) throw new Error(`no answer: ${received}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      },
      close: () => socket.end(),
    };
  }
  const get = (path: string, session: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wirelab_session=${session}\r\n\r\n`;
  const text = (capture: CaptureClient, conn: string, dir: 'in' | 'out') => capture.bytes(conn, dir).toString('latin1');

  it('HTTP/1.1 keep-alive: each session sees only its own exchanges, the other’s cookie never', async () => {
    const [alice, bob] = [await newSession(server.origin), await newSession(server.origin)];
    const [aliceCapture, bobCapture] = [await CaptureClient.open(server.origin, alice), await CaptureClient.open(server.origin, bob)];
    const connection = await rawConnection();
    await connection.exchange(get('/api/v1/users/1?alice-1', alice), 1);
    await connection.exchange(get('/api/v1/users/2?bob-1', bob), 1);
    // pipelined: both requests in one TCP write
    await connection.exchange(get('/api/v1/users/3?alice-2', alice) + get('/api/v1/users/4?bob-2', bob), 2);
    await aliceCapture.waitFor(() => aliceCapture.chunks().filter((c) => c.dir === 'out').length >= 2);
    await bobCapture.waitFor(() => bobCapture.chunks().filter((c) => c.dir === 'out').length >= 2);
    connection.close();

    const aliceConn = aliceCapture.connections().find((c) => text(aliceCapture, c.id, 'in').includes('alice-1'))!;
    const bobConn = bobCapture.connections().find((c) => text(bobCapture, c.id, 'in').includes('bob-1'))!;
    expect(aliceConn.id).toBe(bobConn.id);
    const aliceIn = text(aliceCapture, aliceConn.id, 'in');
    const aliceOut = text(aliceCapture, aliceConn.id, 'out');
    const bobIn = text(bobCapture, bobConn.id, 'in');
    const bobOut = text(bobCapture, bobConn.id, 'out');
    // a page sees even its own cookie blanked, byte for byte (issue 35: a projected inspector shows nothing to steal)
    const blanked = (request: string) => request.replace(/(Cookie: )([^\r]*)/, (_, name: string, value: string) => name + '*'.repeat(value.length));
    expect(aliceIn).toBe(blanked(get('/api/v1/users/1?alice-1', alice)) + blanked(get('/api/v1/users/3?alice-2', alice)));
    expect(bobIn).toBe(blanked(get('/api/v1/users/2?bob-1', bob)) + blanked(get('/api/v1/users/4?bob-2', bob)));
    expect(aliceIn).not.toContain(bob);
    expect(bobIn).not.toContain(alice);
    // each session gets the responses to its own requests: users 1 and 3, users 2 and 4
    expect([...aliceOut.matchAll(/"id":(\d+)/g)].map((m) => m[1])).toEqual(['1', '3']);
    expect([...bobOut.matchAll(/"id":(\d+)/g)].map((m) => m[1])).toEqual(['2', '4']);
    // and each is told the connection is shared
    const described = (capture: CaptureClient, id: string) =>
      capture.messages
        .filter((m) => m.type === 'connection' && (m.conn as { id: string }).id === id)
        .map((m) => m.conn as { shared?: boolean; unrecorded?: { reason: string } });
    expect(described(aliceCapture, aliceConn.id).at(-1)?.shared).toBe(true);
    expect(described(bobCapture, bobConn.id)[0]).toMatchObject({ shared: true, unrecorded: { reason: 'shared' } });
    await aliceCapture.close();
    await bobCapture.close();
  });

  it('h2c: the first session never sees the second session’s request, and the connection is marked shared', async () => {
    const http2 = await import('node:http2');
    const [alice, bob] = [await newSession(server.origin), await newSession(server.origin)];
    const [aliceCapture, bobCapture] = [await CaptureClient.open(server.origin, alice), await CaptureClient.open(server.origin, bob)];
    const client = http2.connect(server.origin);
    const request = (path: string, session: string) =>
      new Promise<string>((resolve, reject) => {
        const stream = client.request({ ':path': path, cookie: `wirelab_session=${session}` });
        let body = '';
        stream.setEncoding('utf8');
        stream.on('data', (d) => (body += d));
        stream.on('end', () => resolve(body));
        stream.on('error', reject);
      });
    expect(await request('/api/v1/users/1', alice)).toContain('"id":1');
    expect(await request('/api/v1/users/2', bob)).toContain('"id":2');
    expect(await request('/api/v1/users/3', alice)).toContain('"id":3');
    client.close();
    await aliceCapture.waitFor(() => aliceCapture.messages.some((m) => m.type === 'connection' && (m.conn as { shared?: boolean }).shared === true));
    await bobCapture.waitFor(() => bobCapture.messages.some((m) => m.type === 'connection' && (m.conn as { shared?: boolean }).shared === true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // HPACK sends the cookies Huffman-coded: read the requests as the inspector decodes them
    const requestPaths = (capture: CaptureClient) =>
      [...new Map(capture.connections().map((c) => [c.id, c])).values()].flatMap((c) => {
        const chunks = capture
          .chunks()
          .filter((chunk) => chunk.conn === c.id)
          .map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
        const { messages } = decodeConnection(c as unknown as CapturedConnection, chunks);
        return (messages ?? []).filter((m) => m.dir === 'in' && m.fields?.type === 'HEADERS').map((m) => String(m.fields?.path));
      });
    // Alice's first request is recorded; from Bob's on, the connection is no one's
    expect(requestPaths(aliceCapture)).toEqual(['/api/v1/users/1']);
    expect(requestPaths(bobCapture)).toEqual([]);
    expect(bobCapture.chunks()).toEqual([]);
    await aliceCapture.close();
    await bobCapture.close();
  });
});
