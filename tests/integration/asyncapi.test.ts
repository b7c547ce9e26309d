// The served AsyncAPI document against what the server really sends: one user created, updated
// and deleted over REST, received over MQTT (TCP), SSE, the WebSocket chat and Socket.IO; chat
// messages mirrored to MQTT; and every message checked against the payload schema the document
// gives for it.
import { Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { io as socketIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SseStreamReader } from '../../wire/sse/sse-stream-reader.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { sandbox as newSandbox, Subscriber } from './mqtt-helpers.ts';

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

let server: RunningServer;
let document: AsyncAPIDocumentInterface;
let host: string;

beforeAll(async () => {
  server = await startServer();
  const response = await fetch(`${server.origin}/api/asyncapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  host = new URL(server.origin).host;
  const parsed = await new Parser().parse(text);
  expect(parsed.diagnostics.filter((d) => d.severity === 0)).toEqual([]);
  document = parsed.document!;
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** The payload schema the document gives for a message name on the channel at `address` (dereferenced by the parser). */
function payloadSchema(address: string, messageName: string): object {
  const channel = document
    .channels()
    .all()
    .find((c) => c.address() === address);
  if (!channel) throw new Error(`no channel ${address} in the document`);
  const message = channel
    .messages()
    .all()
    .find((m) => m.name() === messageName);
  if (!message) throw new Error(`no message ${messageName} on ${address}`);
  return message.payload()!.json();
}

function expectValid(schema: object, value: unknown, what: string): void {
  const validate = ajv.compile(schema);
  const valid = validate(value);
  expect(valid, `${what}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(value)}`).toBe(true);
}

/** Waits until `predicate` holds over what `items` collects, polling (the deliveries are asynchronous). */
async function until<T>(items: T[], predicate: (items: T[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate(items)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(items).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads an SSE stream with fetch, collecting `{ event, id, data }` of each named event. */
async function openEventStream(sandbox: string): Promise<{ events: Array<{ event: string; id: string; data: string }>; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(`${server.origin}/api/v1/events`, {
    headers: { accept: 'text/event-stream', 'x-wirelab-sandbox': sandbox },
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: Array<{ event: string; id: string; data: string }> = [];
  const reader = response.body!.getReader();
  // read with wire/sse's stream reader: what this test checks is the events' payloads against the document
  const sse = new SseStreamReader();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const block of sse.push(value)) {
          // a named event (Wirelab names each one; an unnamed block's type is the default "message")
          if (block.type !== undefined && block.type !== 'message') events.push({ event: block.type, id: block.id ?? '', data: block.data ?? '' });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, close: () => controller.abort() };
}

describe('the AsyncAPI document served at /api/asyncapi.json', () => {
  it('names this server as it was reached, and points to the OpenAPI document for the rest', () => {
    expect(
      document
        .servers()
        .all()
        .map((s) => s.host()),
    ).toEqual([host, host, host, host]);
    expect(document.info().description()).toContain('/api/openapi.json');
  });

  it('describes what MQTT, SSE, the WebSocket chat and Socket.IO really carry when a user is created, updated and deleted over REST', async () => {
    const sandbox = newSandbox('asyncapi');
    const mqttTopics = ['user.created', 'user.updated', 'user.deleted'].map((type) => {
      const channel = document
        .channels()
        .all()
        .find((c) => c.address() === `events/${type.replace('.', '/')}`);
      expect(channel, `MQTT channel of ${type}`).toBeDefined();
      expect(
        channel!
          .servers()
          .all()
          .map((s) => s.protocol()),
      ).toEqual(['mqtt', 'ws']);
      return channel!.address()!;
    });
    const mqtt = await Subscriber.connect(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${sandbox}` });
    await Promise.all(mqttTopics.map((topic) => mqtt.client.subscribeAsync(topic, { qos: 1 })));

    const sse = await openEventStream(sandbox);

    const chatFrames: Array<Record<string, unknown>> = [];
    const chat = new WebSocket(`ws://${host}/ws/chat?name=ada`, 'wirelab.chat.v1', { headers: { 'x-wirelab-sandbox': sandbox } });
    chat.on('message', (data) => chatFrames.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => chat.once('open', resolve).once('error', reject));

    const socketIoEvents: Array<{ event: string; payload: unknown }> = [];
    const socket: Socket = socketIo(server.origin, {
      transports: ['websocket'],
      auth: { name: 'ada' },
      extraHeaders: { 'x-wirelab-sandbox': sandbox },
      reconnection: false,
    });
    socket.onAny((event: string, payload: unknown) => socketIoEvents.push({ event, payload }));
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));

    try {
      const headers = { 'content-type': 'application/json', 'x-wirelab-sandbox': sandbox };
      const created = await fetch(`${server.origin}/api/v1/users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'Grace Hopper', email: `grace-${sandbox}@example.com` }),
      });
      expect(created.status).toBe(201);
      const user = (await created.json()) as { id: number };
      const updated = await fetch(`${server.origin}/api/v1/users/${user.id}`, {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ phone: '+1 555 0100' }),
      });
      expect(updated.status).toBe(200);
      expect((await fetch(`${server.origin}/api/v1/users/${user.id}`, { method: 'DELETE', headers: { 'x-wirelab-sandbox': sandbox } })).status).toBe(204);

      // MQTT: the documented topics, each payload valid against its message.
      const received = await mqtt.waitForCount(3);
      expect(received.map((m) => m.topic)).toEqual(mqttTopics);
      for (const message of received) {
        const type = message.topic.replace('events/', '').replace('/', '.');
        expectValid(payloadSchema(message.topic, type), JSON.parse(message.payload), `MQTT ${message.topic}`);
      }

      // SSE: the documented event names, each data valid against its message.
      await until(sse.events, (events) => events.length >= 3, 'three SSE events');
      expect(sse.events.map((e) => e.event)).toEqual(['user.created', 'user.updated', 'user.deleted']);
      for (const event of sse.events) expectValid(payloadSchema('/api/v1/events', event.event), JSON.parse(event.data), `SSE ${event.event}`);

      // The WebSocket chat: the welcome and the three domain events, as documented.
      await until(chatFrames, (frames) => frames.filter((f) => f.type === 'event').length >= 3, 'three chat events');
      for (const frame of chatFrames) expectValid(payloadSchema('/ws/chat', String(frame.type)), frame, `chat ${String(frame.type)}`);
      expect(chatFrames.filter((f) => f.type === 'event').map((f) => f.event)).toEqual(['user.created', 'user.updated', 'user.deleted']);

      // Socket.IO: the documented event names and payloads.
      await until(socketIoEvents, (events) => events.length >= 3, 'three Socket.IO events');
      expect(socketIoEvents.map((e) => e.event)).toEqual(['user:created', 'user:updated', 'user:deleted']);
      for (const { event, payload } of socketIoEvents) expectValid(payloadSchema('/socket.io/', event), payload, `Socket.IO ${event}`);
    } finally {
      socket.close();
      chat.close();
      sse.close();
      await mqtt.client.endAsync();
    }
  }, 60_000);

  it('describes what MQTT carries when the WebSocket chat and Socket.IO accept a chat message', async () => {
    const sandbox = newSandbox('asyncapi-chat');
    const channel = document
      .channels()
      .all()
      .find((c) => c.address()?.startsWith('chat/'));
    expect(channel, 'the MQTT chat channel').toBeDefined();
    const address = channel!.address()!;
    // The address with its parameters as a pattern, each parameter one topic level.
    const pattern = new RegExp(`^${address.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    const vias = channel!.parameters().get('via')!.schema()!.enum();

    const mqtt = await Subscriber.connect(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${sandbox}` });
    await mqtt.client.subscribeAsync(address.replace(/\{[^}]+\}/g, '+'), { qos: 1 });
    const chat = new WebSocket(`ws://${host}/ws/chat?name=ada`, 'wirelab.chat.v1', { headers: { 'x-wirelab-sandbox': sandbox } });
    await new Promise((resolve, reject) => chat.once('open', resolve).once('error', reject));
    const socket: Socket = socketIo(server.origin, {
      transports: ['websocket'],
      auth: { name: 'grace' },
      extraHeaders: { 'x-wirelab-sandbox': sandbox },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
    try {
      chat.send('over the WebSocket chat');
      expect(await socket.timeout(5_000).emitWithAck('chat:join', 'lobby')).toEqual({ ok: true, room: 'lobby' });
      expect(await socket.timeout(5_000).emitWithAck('chat:message', { room: 'lobby', text: 'over Socket.IO' })).toEqual({ ok: true, room: 'lobby' });
      const received = await mqtt.waitForCount(2);
      for (const message of received) {
        const [, via, room] = pattern.exec(message.topic) ?? [];
        expect(vias, `${message.topic} matches ${address}`).toContain(via);
        const payload = JSON.parse(message.payload) as { via: string; room: string };
        expect([payload.via, payload.room]).toEqual([via, room]);
        expectValid(payloadSchema(address, 'chat.message'), payload, `MQTT ${message.topic}`);
      }
      expect(received.map((m) => m.topic)).toEqual([`chat/websocket/${sandbox}`, 'chat/socket.io/lobby']);
    } finally {
      socket.close();
      chat.close();
      await mqtt.client.endAsync();
    }
  }, 60_000);

  it('describes the pipeline lab: an order on orders/{partition} comes back as a notification on notifications/{consumer}', async () => {
    const sandbox = newSandbox('asyncapi-pipeline');
    const url = `mqtt://127.0.0.1:${server.port}`;
    const notifications = await Subscriber.connect(url, { username: `sandbox:${sandbox}` });
    const publisher = await Subscriber.connect(url, { username: `sandbox:${sandbox}` });
    try {
      await notifications.client.subscribeAsync('notifications/#', { qos: 1 });
      // Reading the lab's state wakes it; the built-in notifier then connects to the broker.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const state = (await (await fetch(`${server.origin}/api/v1/pipeline`, { headers: { 'x-wirelab-sandbox': sandbox } })).json()) as {
          consumers: Record<string, { connected: boolean }>;
        };
        if (state.consumers.notifier?.connected) break;
        if (Date.now() > deadline) throw new Error("the lab's notifier never connected");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const orders = document
        .channels()
        .all()
        .find((c) => c.address() === 'orders/{partition}')!;
      expect(
        orders
          .parameters()
          .all()
          .map((p) => p.id()),
      ).toEqual(['partition']);
      await publisher.client.publishAsync('orders/1', JSON.stringify({ order: 1 }), { qos: 1 });
      const [notification] = await notifications.waitForCount(1);
      expect(notification.topic).toBe('notifications/notifier');
      expectValid(payloadSchema('notifications/{consumer}', 'notification'), JSON.parse(notification.payload), 'pipeline notification');
    } finally {
      await notifications.client.endAsync();
      await publisher.client.endAsync();
    }
  }, 60_000);

  it('would catch a payload that drifted from the document', () => {
    // The same check as above refuses a user without its documented fields.
    const schema = payloadSchema('/api/v1/events', 'user.created');
    expect(ajv.compile(schema)({ id: 1, name: 'x' })).toBe(false);
  });
});
