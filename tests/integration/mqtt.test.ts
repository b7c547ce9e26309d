import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { decodedMessages, refusedWith, sandbox, Subscriber, WAIT_MS } from './mqtt-helpers.ts';
import { queuedCount, type BrokerPersistence } from '../../server/protocols/mqtt/broker-persistence.ts';

// The embedded broker against a real listening server, with mqtt.js over plain TCP on the
// shared port and over WebSocket at /mqtt.

let server: RunningServer;
let dataDir: string;
let tcp: string;
let ws: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wirelab-mqtt-'));
  server = await startServer({ mqtt: { dataDir } });
  tcp = `mqtt://127.0.0.1:${server.port}`;
  ws = `ws://127.0.0.1:${server.port}/mqtt`;
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each([
  ['plain TCP', () => tcp],
  ['WebSocket', () => ws],
])('MQTT over %s', (_name, url) => {
  it('delivers at QoS 0, 1 and 2 with each handshake completed', async () => {
    const box = sandbox('qos');
    const sub = await Subscriber.connect(url(), { username: `sandbox:${box}` });
    const granted = await sub.client.subscribeAsync('orders/#', { qos: 2 });
    expect(granted[0]!.qos).toBe(2);
    const pub = await mqtt.connectAsync(url(), { username: `sandbox:${box}`, reconnectPeriod: 0 });
    // publishAsync resolves at PUBACK (QoS 1) and at PUBCOMP (QoS 2): the broker answered each step.
    await pub.publishAsync('orders/0', 'zero', { qos: 0 });
    await pub.publishAsync('orders/1', 'one', { qos: 1 });
    await pub.publishAsync('orders/2', 'two', { qos: 2 });
    const received = await sub.waitForCount(3);
    expect(received.map((m) => [m.topic, m.payload, m.qos])).toEqual([
      ['orders/0', 'zero', 0],
      ['orders/1', 'one', 1],
      ['orders/2', 'two', 2],
    ]);
    await pub.endAsync();
    await sub.end();
  });

  it('delivers with at most the QoS the subscription was granted', async () => {
    const box = sandbox('downgrade');
    const sub = await Subscriber.connect(url(), { username: `sandbox:${box}` });
    await sub.client.subscribeAsync('a/b', { qos: 1 });
    await sub.client.subscribeAsync('w/+', { qos: 0 });
    const pub = await mqtt.connectAsync(url(), { username: `sandbox:${box}`, reconnectPeriod: 0 });
    await pub.publishAsync('a/b', 'exact', { qos: 2 });
    await pub.publishAsync('w/x', 'wildcard', { qos: 2 });
    const received = await sub.waitForCount(2);
    expect(received.map((m) => [m.payload, m.qos])).toEqual([
      ['exact', 1],
      ['wildcard', 0],
    ]);
    await pub.endAsync();
    await sub.end();
  });

  it('stops delivering a topic after UNSUBSCRIBE', async () => {
    const box = sandbox('unsub');
    const sub = await Subscriber.connect(url(), { username: `sandbox:${box}` });
    await sub.client.subscribeAsync(['left/#', 'kept/#'], { qos: 1 });
    await sub.client.unsubscribeAsync('left/#');
    const pub = await mqtt.connectAsync(url(), { username: `sandbox:${box}`, reconnectPeriod: 0 });
    await pub.publishAsync('left/x', 'not for you any more', { qos: 1 });
    await pub.publishAsync('kept/x', 'still yours', { qos: 1 });
    await sub.waitForCount(1);
    expect(sub.received.map((m) => m.payload)).toEqual(['still yours']);
    await pub.endAsync();
    await sub.end();
  });

  it('gives a new subscriber the retained message', async () => {
    const box = sandbox('retained');
    const pub = await mqtt.connectAsync(url(), { username: `sandbox:${box}`, reconnectPeriod: 0 });
    await pub.publishAsync('sensors/temp', '21.5', { qos: 1, retain: true });
    const sub = await Subscriber.connect(url(), { username: `sandbox:${box}` });
    await sub.client.subscribeAsync('sensors/+', { qos: 1 });
    const [message] = await sub.waitForCount(1);
    expect(message).toEqual({ topic: 'sensors/temp', payload: '21.5', qos: 1, retain: true });
    await pub.endAsync();
    await sub.end();
  });

  it('publishes the last will of a client whose connection drops', async () => {
    const box = sandbox('will');
    const sub = await Subscriber.connect(url(), { username: `sandbox:${box}` });
    await sub.client.subscribeAsync('status/#', { qos: 1 });
    const doomed = await mqtt.connectAsync(url(), {
      username: `sandbox:${box}`,
      reconnectPeriod: 0,
      will: { topic: 'status/worker', payload: Buffer.from('gone'), qos: 1, retain: false },
    });
    doomed.stream.destroy();
    const [message] = await sub.waitForCount(1);
    expect([message!.topic, message!.payload]).toEqual(['status/worker', 'gone']);
    doomed.end(true);
    await sub.end();
  });

  it('keeps QoS 1 and 2 messages for an offline persistent session and delivers them on reconnect', async () => {
    const box = sandbox('persist');
    const options = { username: `sandbox:${box}`, clientId: 'worker', clean: false } as const;
    const first = await mqtt.connectAsync(url(), { ...options, reconnectPeriod: 0 });
    await first.subscribeAsync('jobs/#', { qos: 2 });
    await first.endAsync();

    const pub = await mqtt.connectAsync(url(), { username: `sandbox:${box}`, reconnectPeriod: 0 });
    await pub.publishAsync('jobs/1', 'first', { qos: 1 });
    await pub.publishAsync('jobs/2', 'second', { qos: 2 });
    await pub.publishAsync('jobs/3', 'lost at QoS 0', { qos: 0 });
    await pub.endAsync();

    const back = await Subscriber.connect(url(), options);
    const received = await back.waitForCount(2);
    expect(received.map((m) => [m.topic, m.payload, m.qos])).toEqual([
      ['jobs/1', 'first', 1],
      ['jobs/2', 'second', 2],
    ]);
    await back.end();
  });

  it('a clean session drops what a persistent session of its client id left queued (MQTT-3.1.2-6), its own PUBACKs never read from the store', async () => {
    const box = sandbox('clean-after');
    const persistent = { username: `sandbox:${box}`, clientId: 'worker', clean: false, reconnectPeriod: 0 } as const;
    const first = await mqtt.connectAsync(url(), persistent);
    await first.subscribeAsync('jobs/#', { qos: 1 });
    await first.endAsync();
    const pub = await mqtt.connectAsync(url(), { username: `sandbox:${box}`, reconnectPeriod: 0 });
    await pub.publishAsync('jobs/1', 'left queued', { qos: 1 });
    // aedes sends a QoS 1 PUBACK before it stores the message for offline sessions (handlers/publish.js):
    // the message is the old session's once it is in the store, and only then does a clean CONNECT have it to drop
    const store = (server.app.mqttBroker as unknown as { persistence: BrokerPersistence }).persistence;
    await expect.poll(() => queuedCount(store, `${box}/worker`, 10), { timeout: WAIT_MS }).toBe(1);

    // aedes clears the old queue after CONNACK, then says the client is ready
    const ready = new Promise<void>((resolve) => {
      const onReady = (client: { id: string }) => {
        if (client.id !== `${box}/worker`) return;
        server.app.mqttBroker.off('clientReady', onReady);
        resolve();
      };
      server.app.mqttBroker.on('clientReady', onReady);
    });
    const clean = await Subscriber.connect(url(), { ...persistent, clean: true });
    await ready;
    await clean.client.subscribeAsync('jobs/#', { qos: 1 });
    await pub.publishAsync('jobs/2', 'to the clean session', { qos: 1 });
    expect((await clean.waitForCount(1)).map((m) => m.payload)).toEqual(['to the clean session']);
    await clean.end();

    const back = await Subscriber.connect(url(), persistent);
    await back.client.subscribeAsync('jobs/#', { qos: 1 });
    await pub.publishAsync('jobs/3', 'after', { qos: 1 });
    expect((await back.waitForCount(1)).map((m) => m.payload)).toEqual(['after']);
    await back.end();
    await pub.endAsync();
  });
});

describe('sandboxes', () => {
  it("keep each sandbox's topics and client ids apart; a session cookie picks the sandbox over WebSocket", async () => {
    const session = await newSession(server.origin);
    const mine = await Subscriber.connect(ws, { wsOptions: { headers: { cookie: `wirelab_session=${session}` } }, clientId: 'same' });
    await mine.client.subscribeAsync('#', { qos: 1 });
    const other = await Subscriber.connect(tcp, { username: `sandbox:${sandbox('other')}`, clientId: 'same' });
    await other.client.subscribeAsync('#', { qos: 1 });
    const shared = await mqtt.connectAsync(tcp, { reconnectPeriod: 0 });
    await shared.publishAsync('chat/x', 'for the shared sandbox', { qos: 1 });
    const inMine = await mqtt.connectAsync(tcp, { username: `sandbox:${session}`, reconnectPeriod: 0 });
    await inMine.publishAsync('chat/x', 'for my session', { qos: 1 });
    await mine.waitForCount(1);
    // The same client id in another sandbox did not take the first one's session over.
    expect(mine.client.connected).toBe(true);
    expect(mine.received.map((m) => m.payload)).toEqual(['for my session']);
    expect(other.received).toEqual([]);
    await Promise.all([shared.endAsync(), inMine.endAsync(), mine.end(), other.end()]);
  });

  it('publishes a user created over REST on events/user/created in its sandbox', async () => {
    const box = sandbox('rest');
    const sub = await Subscriber.connect(tcp, { username: `sandbox:${box}` });
    await sub.client.subscribeAsync('events/#', { qos: 1 });
    const response = await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': box },
      body: JSON.stringify({ name: 'Mqtt Student', email: `${box}@example.com` }),
    });
    expect(response.status).toBe(201);
    const user = (await response.json()) as { id: number };
    const [message] = await sub.waitForCount(1);
    expect(message!.topic).toBe('events/user/created');
    const event = JSON.parse(message!.payload) as { type: string; sandboxId: string; data: { id: number } };
    expect(event).toMatchObject({ type: 'user.created', sandboxId: box, data: { id: user.id } });
    await sub.end();
  });

  it('records a plain TCP MQTT connection in the capture of the session its user name names', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const client = await mqtt.connectAsync(tcp, { username: `sandbox:${session}`, reconnectPeriod: 0 });
    await client.publishAsync('t', 'captured', { qos: 1 });
    await client.endAsync();
    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'mqtt'));
    const conn = capture.connections().find((c) => c.transport === 'mqtt')!;
    await capture.waitFor(() => capture.bytes(conn.id, 'out').length >= 8);
    const inbound = capture.bytes(conn.id, 'in');
    expect(inbound[0]).toBe(0x10); // CONNECT, byte for byte as the client sent it
    expect(inbound.includes(Buffer.from('captured'))).toBe(true);
    expect(capture.bytes(conn.id, 'out').subarray(0, 4)).toEqual(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK accepted
    await capture.close();
  });
});

describe('the inspector', () => {
  it.each([
    ['plain TCP', 'mqtt', (session: string) => ({ url: tcp, options: { username: `sandbox:${session}` } })],
    ['WebSocket', 'http/1.1', (session: string) => ({ url: ws, options: { wsOptions: { headers: { cookie: `wirelab_session=${session}` } } } })],
  ] as const)('decodes the captured MQTT packets over %s, QoS 2 handshake included', async (_name, transport, connectTo) => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const { url, options } = connectTo(session);
    const client = await mqtt.connectAsync(url, { ...options, clientId: 'inspected', reconnectPeriod: 0 });
    await client.subscribeAsync('orders/#', { qos: 2 });
    const received = new Promise((resolve) => client.once('message', resolve));
    await client.publishAsync('orders/7', 'exactly once', { qos: 2 });
    await received;
    await client.endAsync();
    await capture.waitFor(() => capture.messages.some((m) => m.type === 'closed'));
    const messages = decodedMessages(capture, transport).filter((m) => m.layer === 'mqtt-packet');
    const types = (dir: 'in' | 'out'): unknown[] => messages.filter((m) => m.dir === dir).map((m) => m.fields?.type);
    // Its PUBLISH and the broker's copy of it each take QoS 2's four steps, interleaved.
    expect(types('in')[0]).toBe('CONNECT');
    expect(types('in').slice().sort()).toEqual(['CONNECT', 'DISCONNECT', 'PUBCOMP', 'PUBLISH', 'PUBREC', 'PUBREL', 'SUBSCRIBE']);
    expect(types('out').slice().sort()).toEqual(['CONNACK', 'PUBCOMP', 'PUBLISH', 'PUBREC', 'PUBREL', 'SUBACK']);
    // (The broker numbers its own copy independently: keep the client's direction of each step.)
    const steps = ['in PUBLISH', 'out PUBREC', 'in PUBREL', 'out PUBCOMP'];
    const handshake = (id: unknown): unknown[] =>
      messages
        .filter((m) => m.fields?.packetId === id && m.group === `packet ${id}`)
        .map((m) => `${m.dir} ${m.fields?.type}`)
        .filter((step) => steps.includes(step));
    const sent = messages.find((m) => m.dir === 'in' && m.fields?.type === 'PUBLISH')!;
    expect(handshake(sent.fields!.packetId)).toEqual(['in PUBLISH', 'out PUBREC', 'in PUBREL', 'out PUBCOMP']);
    const connect = messages.find((m) => m.fields?.type === 'CONNECT')!;
    // The client's own bytes: its id as it sent it, not the broker's namespaced one.
    expect(connect.fields).toMatchObject({ clientId: 'inspected', cleanSession: true });
    const published = messages.find((m) => m.dir === 'out' && m.fields?.type === 'PUBLISH')!;
    expect(published.fields).toMatchObject({ topic: 'orders/7', payload: 'exactly once', qos: 2 });
    await capture.close();
  });
});

describe('limits and bad input', () => {
  let limited: RunningServer;
  let url: string;
  beforeAll(async () => {
    limited = await startServer({
      mqtt: { limits: { maxConnectionsPerSession: 2, maxSubscriptionsPerClient: 2, maxPacketBytes: 1024, maxQueuedPerSession: 2 } },
    });
    url = `mqtt://127.0.0.1:${limited.port}`;
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('refuses a connection past the per-session limit with CONNACK 3 (server unavailable)', async () => {
    const options = { username: `sandbox:${sandbox('quota')}` };
    const a = await mqtt.connectAsync(url, { ...options, reconnectPeriod: 0 });
    const b = await mqtt.connectAsync(url, { ...options, reconnectPeriod: 0 });
    expect(await refusedWith(url, options)).toBe(3);
    await a.endAsync();
    // A closed connection frees its place.
    await expect(refusedWith(url, options)).resolves.toBe(0);
    await b.endAsync();
  });

  it('refuses a malformed sandbox user name with CONNACK 4', async () => {
    expect(await refusedWith(url, { username: 'sandbox:not a sandbox!' })).toBe(4);
  });

  it('answers subscriptions past the limit, and to $ topics, with SUBACK failure (0x80)', async () => {
    const client = await mqtt.connectAsync(url, { username: `sandbox:${sandbox('subs')}`, reconnectPeriod: 0 });
    expect(await granted(client, { a: { qos: 1 }, b: { qos: 1 }, c: { qos: 1 } })).toEqual([1, 1, 128]);
    // Subscribing again to a topic it has is not one more.
    expect(await granted(client, { a: { qos: 0 } })).toEqual([0]);
    // A filter given up frees its place.
    await client.unsubscribeAsync('b');
    expect(await granted(client, { c: { qos: 1 } })).toEqual([1]);
    expect(await granted(client, { d: { qos: 1 } })).toEqual([128]);
    const reserved = await mqtt.connectAsync(url, { username: `sandbox:${sandbox('sys')}`, reconnectPeriod: 0 });
    expect(await granted(reserved, { '$SYS/#': { qos: 0 } })).toEqual([128]);
    // MQTT 3.1.1 cannot refuse a PUBLISH in a reply: the connection ends.
    const closed = new Promise<void>((resolve) => reserved.once('close', () => resolve()));
    reserved.publish('$SYS/broker/fake', 'no', { qos: 0 });
    await closed;
    await Promise.all([client.endAsync(), reserved.endAsync()]);
  });

  it('keeps at most maxQueuedPerSession messages for an offline session', async () => {
    const box = sandbox('queue');
    const options = { username: `sandbox:${box}`, clientId: 'slow', clean: false, reconnectPeriod: 0 } as const;
    const first = await mqtt.connectAsync(url, options);
    await first.subscribeAsync('q', { qos: 1 });
    await first.endAsync();
    const pub = await mqtt.connectAsync(url, { username: `sandbox:${box}`, reconnectPeriod: 0 });
    for (let i = 1; i <= 4; i++) await pub.publishAsync('q', `m${i}`, { qos: 1 });
    await pub.endAsync();
    const back = await Subscriber.connect(url, { ...options });
    // A marker published after reconnecting arrives after whatever was queued.
    const marker = await mqtt.connectAsync(url, { username: `sandbox:${box}`, reconnectPeriod: 0 });
    await marker.publishAsync('q', 'live', { qos: 1 });
    const received = await back.waitForCount(3);
    expect(received.map((m) => m.payload)).toEqual(['m1', 'm2', 'live']);
    await Promise.all([marker.endAsync(), back.end()]);
  });

  it('closes a connection whose packet is larger than the limit, and keeps serving', async () => {
    const client = await mqtt.connectAsync(url, { username: `sandbox:${sandbox('big')}`, reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('big', Buffer.alloc(2000, 0x61), { qos: 0 });
    await closed;
    const again = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    await again.publishAsync('small', 'fine', { qos: 1 });
    await again.endAsync();
  });

  it('survives garbage after a CONNECT-looking start, and a persistent session without a client id gets CONNACK 2', async () => {
    const garbage = Buffer.concat([
      Buffer.from([0x10, 0x10, 0x00, 0x04]),
      Buffer.from('MQTT'),
      Buffer.from([0x04, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    ]);
    expect((await exchange(limited.port, garbage)).length).toBe(0);
    // MQTT 3.1.1, clean session off, keep-alive 60, empty client id.
    const noId = Buffer.from([0x10, 0x0c, 0x00, 0x04, ...Buffer.from('MQTT'), 0x04, 0x00, 0x00, 0x3c, 0x00, 0x00]);
    expect([...(await exchange(limited.port, noId))]).toEqual([0x20, 0x02, 0x00, 0x02]);
    const response = await fetch(`${limited.origin}/api/v1/users?limit=1`);
    expect(response.status).toBe(200);
  });
});

describe('protocol versions and keep-alive', () => {
  it('refuses MQTT 5 with CONNACK 1, takes MQTT 3.1 with ids of up to 23 characters', async () => {
    expect(await refusedWith(tcp, { protocolVersion: 5 })).toBe(1);
    expect(await refusedWith(tcp, { protocolVersion: 3, protocolId: 'MQIsdp', clientId: 'x'.repeat(23) })).toBe(0);
    expect(await refusedWith(tcp, { protocolVersion: 3, protocolId: 'MQIsdp', clientId: 'x'.repeat(24) })).toBe(2);
  });

  it('disconnects a client silent past 1.5 times its keep-alive, and publishes its will', async () => {
    const box = sandbox('keepalive');
    const sub = await Subscriber.connect(tcp, { username: `sandbox:${box}` });
    await sub.client.subscribeAsync('status/#', { qos: 1 });
    // A hand-made CONNECT with keep-alive 1 s and a will; then the client says nothing more.
    const socket = net.connect(server.port, '127.0.0.1');
    socket.write(connectPacket({ clientId: 'silent', keepAliveSeconds: 1, will: ['status/silent', 'timed out'], username: `sandbox:${box}` }));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.resume(); // reads the CONNACK, so the end of the stream is seen
    const [will] = await sub.waitForCount(1);
    expect([will!.topic, will!.payload]).toEqual(['status/silent', 'timed out']);
    await closed;
    await sub.end();
  });
});

describe('a server restart', () => {
  it('keeps persistent sessions, their queued messages and retained messages (LevelDB in DATA_DIR/mqtt)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-mqtt-restart-'));
    try {
      let running = await startServer({ mqtt: { dataDir: dir } });
      const box = sandbox('restart');
      const options = { username: `sandbox:${box}`, clientId: 'durable', clean: false, reconnectPeriod: 0 } as const;
      const worker = await mqtt.connectAsync(`mqtt://127.0.0.1:${running.port}`, options);
      await worker.subscribeAsync('orders/#', { qos: 1 });
      await worker.endAsync();
      const pub = await mqtt.connectAsync(`ws://127.0.0.1:${running.port}/mqtt`, { username: `sandbox:${box}`, reconnectPeriod: 0 });
      await pub.publishAsync('orders/1', 'before the restart', { qos: 1 });
      await pub.publishAsync('config', 'retained', { qos: 1, retain: true });
      await pub.endAsync();
      // Clients still connected must not hold the shutdown: the broker closes them, then its LevelDB
      // (which the next server could not open while this one held its lock).
      const stayingTcp = await mqtt.connectAsync(`mqtt://127.0.0.1:${running.port}`, { reconnectPeriod: 0 });
      const stayingWs = await mqtt.connectAsync(`ws://127.0.0.1:${running.port}/mqtt`, { reconnectPeriod: 0 });
      const cut = Promise.all([stayingTcp, stayingWs].map((c) => new Promise<void>((resolve) => c.once('close', () => resolve()))));
      await running.close();
      await cut;

      running = await startServer({ mqtt: { dataDir: dir } });
      try {
        const back = await Subscriber.connect(`mqtt://127.0.0.1:${running.port}`, options);
        expect(back.client.connected).toBe(true);
        const [queued] = await back.waitForCount(1);
        expect([queued!.topic, queued!.payload, queued!.qos]).toEqual(['orders/1', 'before the restart', 1]);
        await back.client.subscribeAsync('config', { qos: 1 });
        const [, retained] = await back.waitForCount(2);
        expect([retained!.topic, retained!.payload, retained!.retain]).toEqual(['config', 'retained', true]);
        await back.end();
      } finally {
        await running.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** An MQTT 3.1.1 CONNECT with a clean session, a QoS 1 will and a user name. */
function connectPacket(options: { clientId: string; keepAliveSeconds: number; will: [string, string]; username: string }): Buffer {
  const string = (text: string): Buffer => {
    const bytes = Buffer.from(text);
    return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
  };
  // user name (0x80), will QoS 1 (0x08), will (0x04), clean session (0x02)
  const variable = Buffer.concat([string('MQTT'), Buffer.from([0x04, 0x8e, 0x00, options.keepAliveSeconds])]);
  const payload = Buffer.concat([string(options.clientId), string(options.will[0]), string(options.will[1]), string(options.username)]);
  const body = Buffer.concat([variable, payload]);
  if (body.length > 127) throw new Error('connectPacket: one length byte only');
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

/** The granted QoS of each topic of one SUBACK (mqtt.js rejects a SUBACK with a failure in it). */
async function granted(client: mqtt.MqttClient, topics: Record<string, { qos: 0 | 1 | 2 }>): Promise<number[]> {
  try {
    return (await client.subscribeAsync(topics)).map((g) => g.qos);
  } catch (error) {
    return ((error as { packet?: { granted?: number[] } }).packet?.granted ?? []) as number[];
  }
}

/** Sends raw bytes on a new TCP connection; resolves with everything received once the server closes it. */
function exchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const parts: Buffer[] = [];
    socket.on('data', (chunk) => parts.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(parts)));
    socket.setTimeout(WAIT_MS, () => reject(new Error('the server kept the connection open')));
  });
}
