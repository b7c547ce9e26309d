// Budgets per client address: a client that picks a fresh cookie (or sandbox) for every request
// or connection still meets its address's budget, and another address is still served.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from './start-server.ts';

/** Linux routes all of 127.0.0.0/8 to loopback: a second client address without a second machine. */
const OTHER_ADDRESS = '127.0.0.2';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    // The per-session REST limit is far away: only the address budget can refuse here.
    rateLimit: { max: 10_000, timeWindowMs: 10_000 },
    clientLimits: {
      connections: {
        sse: { perAddress: 3 },
        longPoll: { perAddress: 2 },
        engineIo: { perAddress: 2 },
        websocket: { perAddress: 2 },
        graphqlWs: { perAddress: 2 },
        mqtt: { perAddress: 2 },
      },
      rates: { rest: { perAddress: 5 }, graphql: { perAddress: 4 }, grpc: { perAddress: 3 } },
    },
  });
});

afterAll(async () => {
  await server.close();
});

function freshCookie(): string {
  return `wirelab_session=${randomBytes(16).toString('base64url')}`;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  response: IncomingMessage;
}

/** One HTTP/1.1 request from a chosen local address; `hold` resolves at the head and leaves the body open. */
function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string; hold?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers, localAddress: options.from, agent: false },
      (response) => {
        if (options.hold && response.statusCode === 200) return resolve({ status: 200, headers: response.headers, body: '', response });
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body, response }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function closeCodeOf(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

describe('budgets per client address', () => {
  it('SSE: fresh cookies from one address get 429 past its budget; another address is served', async () => {
    const held: Answer[] = [];
    for (let i = 0; i < 3; i++) {
      const stream = await send('/api/v1/events', { headers: { cookie: freshCookie() }, hold: true });
      expect(stream.status).toBe(200);
      held.push(stream);
    }
    const refused = await send('/api/v1/events', { headers: { cookie: freshCookie() } });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['retry-after']).toBeDefined();
    const problem = JSON.parse(refused.body);
    expect(problem.localized.en).toContain('network address');
    expect(problem.localized.ru).toContain('сетевого адреса');

    const other = await send('/api/v1/events', { headers: { cookie: freshCookie() }, from: OTHER_ADDRESS, hold: true });
    expect(other.status).toBe(200);
    for (const stream of [...held, other]) stream.response.destroy();
    await expect.poll(() => server.app.clientBudget.openCount('sse')).toBe(0);
  });

  it('long polling: held polls past the address budget get 429', async () => {
    const polls = [0, 1].map(() => send('/api/v1/poll?since=0&timeout=2', { headers: { cookie: freshCookie() } }));
    await expect.poll(() => server.app.clientBudget.openCount('longPoll', '127.0.0.1')).toBe(2);
    const refused = await send('/api/v1/poll?since=0&timeout=2', { headers: { cookie: freshCookie() } });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await Promise.all(polls)).map((p) => p.status)).toEqual([204, 204]);
  });

  it('Engine.IO: handshakes past the address budget are refused, whatever the cookie', async () => {
    const handshake = (from?: string) => send('/socket.io/?EIO=4&transport=polling', { headers: { cookie: freshCookie() }, from });
    expect((await handshake()).status).toBe(200);
    expect((await handshake()).status).toBe(200);
    const refused = await handshake();
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('network address');
    expect((await handshake(OTHER_ADDRESS)).status).toBe(200);
  });

  it('raw WebSockets: the third /ws/echo from one address is closed with 1013', async () => {
    const open = async () => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws/echo`, { headers: { cookie: freshCookie() } });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      return socket;
    };
    const first = await open();
    const second = await open();
    const third = await open();
    expect(await closeCodeOf(third)).toBe(1013);
    const other = new WebSocket(`ws://127.0.0.1:${server.port}/ws/echo`, { headers: { cookie: freshCookie() }, localAddress: OTHER_ADDRESS });
    await new Promise((resolve, reject) => other.once('open', resolve).once('error', reject));
    other.send('hello');
    expect(String((await new Promise((resolve) => other.once('message', resolve))) as Buffer)).toBe('hello');
    for (const socket of [first, second, other]) socket.close();
  });

  it('GraphQL over WebSocket: one address cannot take every server-wide slot (1013 past its budget)', async () => {
    const open = (localAddress?: string) =>
      new WebSocket(`ws://127.0.0.1:${server.port}/graphql`, 'graphql-transport-ws', { headers: { cookie: freshCookie() }, localAddress });
    const mine = [open(), open()];
    await Promise.all(mine.map((socket) => new Promise((resolve) => socket.once('open', resolve))));
    await expect.poll(() => server.app.clientBudget.openCount('graphqlWs', '127.0.0.1')).toBe(2);
    expect(await closeCodeOf(open())).toBe(1013);
    const other = open(OTHER_ADDRESS);
    await new Promise((resolve) => other.once('open', resolve));
    other.send(JSON.stringify({ type: 'connection_init' }));
    const ack = await new Promise<string>((resolve) => other.once('message', (data) => resolve(String(data))));
    expect(JSON.parse(ack).type).toBe('connection_ack');
    for (const socket of [...mine, other]) socket.close();
  });

  it('MQTT: connections past the address budget get CONNACK 3, whatever the sandbox', async () => {
    const connect = (id: string) =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${server.port}`, { reconnectPeriod: 0, username: `sandbox:budget-${id}`, clientId: `c-${id}` });
    const clients = [await connect('a'), await connect('b')];
    const refused = await connect('c').then(
      (client) => (client.end(true), null),
      (error: { code?: number }) => error.code,
    );
    expect(refused).toBe(3);
    await Promise.all(clients.map((client) => client.endAsync()));
  });

  it('REST: requests past the address budget get 429 + Retry-After even with a fresh cookie each', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send('/api/v1/users/1', { headers: { cookie: freshCookie() } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await send('/api/v1/users/1', { headers: { cookie: freshCookie() } });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await send('/api/v1/users/1', { headers: { cookie: freshCookie() }, from: OTHER_ADDRESS })).status).toBe(200);
  });

  it('GraphQL over HTTP: requests past the address budget get 429 with RATE_LIMITED', async () => {
    const query = (from?: string) =>
      send('/graphql', {
        method: 'POST',
        headers: { cookie: freshCookie(), 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ user(id: 1) { name } }' }),
        from,
      });
    for (let i = 0; i < 4; i++) expect((await query()).status).toBe(200);
    const refused = await query();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await query(OTHER_ADDRESS)).status).toBe(200);
  });

  it('gRPC (Connect): calls past the address budget get resource_exhausted (429)', async () => {
    const call = (from?: string) =>
      send('/wirelab.users.v1.UserService/GetUser', {
        method: 'POST',
        headers: { cookie: freshCookie(), 'content-type': 'application/json' },
        body: JSON.stringify({ id: 1 }),
        from,
      });
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).code).toBe('resource_exhausted');
    expect((await call(OTHER_ADDRESS)).status).toBe(200);
  });
});

describe('gRPC request bytes per client address', () => {
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer({ clientLimits: { rates: { grpcBytes: { perAddress: 300_000 } } } });
  });
  afterAll(async () => {
    await own.close();
  });

  it('big Connect bodies past the address byte budget get resource_exhausted (429) with Retry-After; small calls elsewhere pass', async () => {
    const echo = (message: string, from?: string) =>
      new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
        const body = JSON.stringify({ message });
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: own.port,
            method: 'POST',
            path: '/wirelab.lab.v1.LabService/Echo',
            localAddress: from,
            agent: false,
            headers: { cookie: freshCookie(), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode!, body: text, retryAfter: response.headers['retry-after'] as string | undefined }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const big = 'x'.repeat(120_000);
    expect((await echo(big)).status).toBe(200);
    expect((await echo(big)).status).toBe(200);
    const refused = await echo(big);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'resource_exhausted' });
    expect(JSON.parse(refused.body).message).toContain('request bytes');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await echo(big, OTHER_ADDRESS)).status).toBe(200);

    // gRPC-Web: a trailers-only answer with grpc-status 8, the body never read.
    const json = Buffer.from(JSON.stringify({ message: big }));
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), json]);
    framed.writeUInt32BE(json.length, 1);
    const grpcWeb = await new Promise<{ status: number; headers: IncomingMessage['headers'] }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: own.port,
          method: 'POST',
          path: '/wirelab.lab.v1.LabService/Echo',
          agent: false,
          headers: { 'content-type': 'application/grpc-web+json', 'x-grpc-web': '1', 'content-length': framed.length },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers }));
        },
      );
      req.on('error', reject);
      req.end(framed);
    });
    expect(grpcWeb.status).toBe(200);
    expect(grpcWeb.headers['grpc-status']).toBe('8');
    expect(decodeURIComponent(String(grpcWeb.headers['grpc-message']))).toContain('request bytes');
  });
});

describe('changes per client address', () => {
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer({ rateLimit: false, clientLimits: { rates: { writes: { perAddress: 4 } } } });
  });
  afterAll(async () => {
    await own.close();
  });

  const post = (path: string, body: unknown, from?: string) =>
    new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: own.port,
          method: 'POST',
          path,
          localAddress: from,
          agent: false,
          headers: { 'x-wirelab-sandbox': 'writes', 'content-type': 'application/json' },
        },
        (response) => {
          let answer = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (answer += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body: answer, retryAfter: response.headers['retry-after'] as string | undefined }));
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  const email = () => `w-${randomBytes(4).toString('hex')}@example.com`;
  const createUsers = (count: number, from?: string) =>
    post(
      '/graphql',
      { query: `mutation { ${Array.from({ length: count }, (_, i) => `u${i}: createUser(input: { name: "W", email: "${email()}" }) { id }`).join(' ')} }` },
      from,
    );

  it('count every mutation field, REST write and gRPC Create/Update/Delete; past the budget each protocol refuses', async () => {
    // Reads are not changes.
    expect((await post('/graphql', { query: '{ user(id: 1) { name } }' })).status).toBe(200);
    expect((await createUsers(3)).status).toBe(200);
    // One change left, two asked for in one document: refused whole.
    const graphql = await createUsers(2);
    expect(graphql.status).toBe(429);
    expect(JSON.parse(graphql.body).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(graphql.retryAfter).toBeDefined();
    expect((await post('/api/v1/users', { name: 'R', email: email() })).status).toBe(201);
    const rest = await post('/api/v1/users', { name: 'R', email: email() });
    expect(rest.status).toBe(429);
    expect(rest.retryAfter).toBeDefined();
    const grpc = await post('/wirelab.users.v1.UserService/CreateUser', { name: 'G', email: email() });
    expect(grpc.status).toBe(429);
    expect(JSON.parse(grpc.body).code).toBe('resource_exhausted');
    expect((await post('/wirelab.users.v1.UserService/GetUser', { id: 1 })).status).toBe(200);
    expect((await createUsers(2, OTHER_ADDRESS)).status).toBe(200);
  });
});
