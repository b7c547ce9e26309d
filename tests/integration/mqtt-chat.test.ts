// Chat messages reach the broker: a line sent over the raw WebSocket chat and a Socket.IO
// chat:message arrive at an mqtt.js subscriber of the same sandbox on chat/<via>/<room>, and
// never at a subscriber of another sandbox.
import { io as socketIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from './start-server.ts';
import { sandbox as newSandbox, Subscriber } from './mqtt-helpers.ts';

let server: RunningServer;
let host: string;

beforeAll(async () => {
  server = await startServer();
  host = new URL(server.origin).host;
});
afterAll(async () => {
  await server?.close();
});

interface ChatClient {
  frames: Array<Record<string, unknown>>;
  socket: WebSocket;
}

async function openChat(box: string, name: string): Promise<ChatClient> {
  const frames: Array<Record<string, unknown>> = [];
  const socket = new WebSocket(`ws://${host}/ws/chat?name=${name}`, 'wirelab.chat.v1', { headers: { 'x-wirelab-sandbox': box } });
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { frames, socket };
}

async function openSocketIo(box: string, name: string, room: string): Promise<Socket> {
  const socket = socketIo(server.origin, { transports: ['websocket'], auth: { name }, extraHeaders: { 'x-wirelab-sandbox': box }, reconnection: false });
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
  expect(await socket.timeout(5_000).emitWithAck('chat:join', room)).toEqual({ ok: true, room });
  return socket;
}

describe('chat messages on MQTT', () => {
  it('a WebSocket chat line and a Socket.IO chat:message reach a subscriber of their sandbox, and no other sandbox', async () => {
    const box = newSandbox('chat-mqtt');
    const elsewhere = newSandbox('chat-mqtt-other');
    const url = `mqtt://127.0.0.1:${server.port}`;
    const mine = await Subscriber.connect(url, { username: `sandbox:${box}` });
    const theirs = await Subscriber.connect(url, { username: `sandbox:${elsewhere}` });
    await mine.client.subscribeAsync('chat/#', { qos: 1 });
    await theirs.client.subscribeAsync('#', { qos: 1 });

    const chat = await openChat(box, 'ada');
    const socket = await openSocketIo(box, 'grace', 'лобби');
    const marker = await openSocketIo(elsewhere, 'marker', 'lobby');
    try {
      // Refused by the chat's own check (blank): nothing goes to the broker.
      chat.socket.send('   ');
      chat.socket.send('hello over WebSocket');
      expect(await socket.timeout(5_000).emitWithAck('chat:message', { room: 'лобби', text: 'привет через Socket.IO' })).toEqual({ ok: true, room: 'лобби' });

      const received = await mine.waitForCount(2);
      expect(received.map(({ topic, qos, retain }) => ({ topic, qos, retain }))).toEqual([
        { topic: `chat/websocket/${box}`, qos: 1, retain: false },
        { topic: 'chat/socket.io/лобби', qos: 1, retain: false },
      ]);
      const [overWebSocket, overSocketIo] = received.map((m) => JSON.parse(m.payload) as Record<string, unknown>);
      expect(overWebSocket).toEqual({ sandboxId: box, room: box, name: 'ada', text: 'hello over WebSocket', at: expect.any(String), via: 'websocket' });
      expect(overSocketIo).toEqual({ sandboxId: box, room: 'лобби', name: 'grace', text: 'привет через Socket.IO', at: expect.any(String), via: 'socket.io' });

      // What the chat's own clients saw is unchanged, with the same instant.
      const chatMessage = chat.frames.find((frame) => frame.type === 'message');
      expect(chatMessage).toEqual({ type: 'message', from: 'ada', text: 'hello over WebSocket', at: overWebSocket!.at });
      expect(chat.frames.filter((frame) => frame.type === 'error').map((frame) => frame.code)).toEqual(['bad-message']);

      // The other sandbox: its own message arrives, and it is the only one it ever got.
      expect(await marker.timeout(5_000).emitWithAck('chat:message', { room: 'lobby', text: 'marker' })).toEqual({ ok: true, room: 'lobby' });
      const theirsReceived = await theirs.waitForCount(1);
      expect(theirsReceived.map((m) => m.topic)).toEqual(['chat/socket.io/lobby']);
      expect(JSON.parse(theirsReceived[0]!.payload)).toMatchObject({ sandboxId: elsewhere, text: 'marker' });
      expect(mine.received).toHaveLength(2);
    } finally {
      socket.close();
      marker.close();
      chat.socket.close();
      await mine.end();
      await theirs.end();
    }
  }, 60_000);

  it('a message that only other instances made (relayed) is not mirrored: they publish their own', async () => {
    const box = newSandbox('chat-relayed');
    const sub = await Subscriber.connect(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${box}` });
    try {
      await sub.client.subscribeAsync('chat/#', { qos: 1 });
      const base = { sandboxId: box, room: 'lobby', name: 'ada', at: new Date().toISOString(), via: 'socket.io' as const };
      server.app.domain.chat.relayed({ ...base, text: 'from another instance' });
      server.app.domain.chat.publish({ ...base, text: 'from this one' });
      const [only] = await sub.waitForCount(1);
      expect(JSON.parse(only!.payload)).toMatchObject({ text: 'from this one' });
      expect(sub.received).toHaveLength(1);
    } finally {
      await sub.end();
    }
  }, 30_000);
});
