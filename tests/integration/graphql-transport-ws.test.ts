import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLogLines, startServer, type RunningServer } from './start-server.ts';

/** Every line the server logs (pino JSON, level warn and up). */
const { lines: logLines, logger } = collectLogLines('warn');

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ logger });
});
afterAll(async () => {
  await server?.close();
});

const SUBSCRIPTION = 'subscription { userChanged { id } }';

interface Client {
  socket: WebSocket;
  opened: Promise<void>;
  closed: Promise<[number, string]>;
  messages: Array<Record<string, unknown>>;
  send(message: unknown): void;
  next(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function connect(protocol = 'graphql-transport-ws', headers: Record<string, string> = {}): Client {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/graphql`, protocol, { headers });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    socket,
    messages,
    opened: new Promise((resolve, reject) => socket.once('open', () => resolve()).once('error', reject)),
    closed: new Promise((resolve) => socket.once('close', (code, reason) => resolve([code, String(reason)]))),
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async next(predicate) {
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

async function initialised(): Promise<Client> {
  const client = connect();
  await client.opened;
  client.send({ type: 'connection_init' });
  await client.next((m) => m.type === 'connection_ack');
  return client;
}

describe('graphql-transport-ws close codes', () => {
  it('subscribe before connection_init: 4401 Unauthorized', async () => {
    const client = connect();
    await client.opened;
    client.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    expect(await client.closed).toEqual([4401, 'Unauthorized']);
  });

  it('a second connection_init: 4429', async () => {
    const client = await initialised();
    client.send({ type: 'connection_init' });
    expect(await client.closed).toEqual([4429, 'Too many initialisation requests']);
  });

  it('a subscription id already in use: 4409 Subscriber for <id> already exists', async () => {
    const client = await initialised();
    const started = new Promise((resolve) => server.app.graphqlSubscriptions.once('started', resolve));
    client.send({ id: 'same', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    await started;
    client.send({ id: 'same', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    expect(await client.closed).toEqual([4409, 'Subscriber for same already exists']);
  });

  it('an id is free again once its subscription completed', async () => {
    const client = await initialised();
    for (let round = 0; round < 2; round++) {
      const started = new Promise((resolve) => server.app.graphqlSubscriptions.once('started', resolve));
      client.send({ id: 'again', type: 'subscribe', payload: { query: SUBSCRIPTION } });
      await started;
      const ended = new Promise((resolve) => server.app.graphqlSubscriptions.once('ended', resolve));
      client.send({ id: 'again', type: 'complete' });
      await ended;
    }
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  });

  it('a complete sent right after its subscribe ends it: no event for that id afterwards, and nothing stays subscribed', async () => {
    const client = await initialised();
    const liveBefore = server.app.graphqlSubscriptions.live;
    // one frame after the other, before the server could have started the subscription
    client.send({ id: 'early', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    client.send({ id: 'early', type: 'complete' });
    // a subscription started after it, on the same socket, still gets the event
    client.send({ id: 'later', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    await expect.poll(() => server.app.graphqlSubscriptions.live, { timeout: 5000 }).toBeGreaterThan(liveBefore);
    const created = await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Early Complete', email: `early-complete-${Date.now()}@example.com` }),
    });
    expect(created.status).toBe(201);
    await client.next((m) => m.id === 'later' && m.type === 'next');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.messages.filter((m) => m.id === 'early')).toEqual([]);
    client.send({ id: 'later', type: 'complete' });
    await expect.poll(() => server.app.graphqlSubscriptions.live, { timeout: 5000 }).toBe(liveBefore);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  });

  const invalid: Array<[string, (client: Client) => void]> = [
    ['a frame that is not JSON', (c) => c.send('{not json')],
    ['a binary frame', (c) => c.socket.send(Buffer.from(JSON.stringify({ type: 'ping' })))],
    ['a JSON null', (c) => c.send('null')],
    ['a JSON array', (c) => c.send('[1,2]')],
    ['a message without type', (c) => c.send({ id: '1' })],
    ['an unknown type', (c) => c.send({ type: 'start', id: '1', payload: { query: SUBSCRIPTION } })],
    ['a subscribe without an id', (c) => c.send({ type: 'subscribe', payload: { query: SUBSCRIPTION } })],
    ['a subscribe without a query', (c) => c.send({ type: 'subscribe', id: 'x', payload: {} })],
  ];
  for (const [what, sendIt] of invalid) {
    it(`${what} after connection_init: 4400`, async () => {
      const client = await initialised();
      sendIt(client);
      expect((await client.closed)[0]).toBe(4400);
    });
  }

  it('a connection_init the server refuses (an invalid sandbox): 4403 Forbidden', async () => {
    const client = connect();
    await client.opened;
    client.send({ type: 'connection_init', payload: { 'x-wirelab-sandbox': 'not a sandbox!' } });
    expect(await client.closed).toEqual([4403, 'Forbidden']);
  });

  it('ping is answered with pong, and subscriptions still work', async () => {
    const client = await initialised();
    client.send({ type: 'ping' });
    expect(await client.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
    client.socket.close();
  });
});

describe('bad frames in the log', () => {
  it('one warn line without a stack per bad connection, nothing at error level, no throw inside mercurius', async () => {
    const before = logLines.length;
    const bad = await initialised();
    bad.send('null');
    expect((await bad.closed)[0]).toBe(4400);

    // The legacy subprotocol keeps its connection open: many bad frames, still one line.
    const legacy = connect('graphql-ws');
    await legacy.opened;
    for (let i = 0; i < 20; i++) legacy.send('null');
    legacy.send({ type: 'connection_init' });
    await legacy.next((m) => m.type === 'connection_ack'); // frames are answered in order
    expect(legacy.messages.filter((m) => m.type === 'error')).toHaveLength(20);
    legacy.socket.close();
    await legacy.closed;

    const lines = logLines.slice(before);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(2);
    expect(lines.filter((line) => (line.level as number) >= 50)).toEqual([]);
    for (const line of warnings) {
      expect(line.msg).toMatch(/^bad frame on \/graphql from 127\.0\.0\.1/);
      expect(JSON.stringify(line)).not.toMatch(/stack|"err"/);
    }
  });
});
