import net from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PACKET,
  decodePackets,
  encodeAck,
  encodeConnect,
  encodePublish,
  encodeSubscribe,
  readPublish,
  utf8Text,
  type ConnectOptions,
  type MqttPacket,
} from '../../wire/mqtt/mqtt-packets.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { decodedMessages, sandbox, Subscriber, WAIT_MS } from './mqtt-helpers.ts';

// How the broker delivers to clean sessions (server/protocols/mqtt/direct-delivery.ts: a PUBLISH
// encoded once per message and QoS, each subscriber's packet id written in, a clean session's
// PUBACK answered before aedes), checked on the bytes raw TCP clients receive from a real
// listening server.

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

interface Delivery {
  topic: string;
  payload: string;
  qos: number;
  dup: boolean;
  retain: boolean;
  packetId: number | null;
}

/** A client on a raw socket: it sends what the test writes and keeps every packet the broker sends, acknowledging QoS 1 PUBLISHes unless told not to. */
class RawClient {
  readonly packets: MqttPacket[] = [];
  closed = false;
  private rest: Uint8Array = new Uint8Array(0);
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly socket: net.Socket,
    private readonly acknowledge: boolean,
  ) {
    socket.on('data', (chunk: Buffer) => {
      const { packets, rest } = decodePackets(this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]));
      this.rest = rest;
      for (const packet of packets) {
        this.packets.push(packet);
        const publish = packet.type === PACKET.publish ? readPublish(packet) : null;
        if (this.acknowledge && publish?.qos === 1) socket.write(encodeAck(PACKET.puback, publish.packetId!));
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Connected (CONNACK 0) and subscribed (SUBACK) to each filter at its QoS. */
  static async open(port: number, connect: ConnectOptions, filters: Array<{ filter: string; qos: number }>, { acknowledge = true } = {}): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawClient(socket, acknowledge);
    socket.write(encodeConnect(connect));
    await client.until('CONNACK', () => client.packets.find((p) => p.type === PACKET.connack));
    if (filters.length > 0) {
      socket.write(encodeSubscribe(1, filters));
      await client.until('SUBACK', () => client.packets.find((p) => p.type === PACKET.suback));
    }
    return client;
  }

  /** PUBLISH packets received so far, counted without decoding them (a waiting test asks at every chunk) */
  publishCount(): number {
    let count = 0;
    for (const packet of this.packets) if (packet.type === PACKET.publish) count++;
    return count;
  }

  deliveries(): Delivery[] {
    return this.packets
      .filter((packet) => packet.type === PACKET.publish)
      .map(readPublish)
      .map(({ payload, ...fields }) => ({ ...fields, payload: utf8Text(payload) }));
  }

  async until<T>(what: string, found: () => T | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = found();
      if (value !== undefined && value !== false) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms: ${this.publishCount()} PUBLISH packets received`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

const SUBSCRIBERS = 6;

describe('delivering to clean sessions', () => {
  it('gives every subscriber its own packet ids, DUP 0 whatever the publisher sent, at most the granted QoS, once however many filters match', async () => {
    const box = sandbox('direct');
    const as = (clientId: string) => ({ clientId, username: `sandbox:${box}` });
    const atQos1 = await Promise.all(
      Array.from({ length: SUBSCRIBERS }, (_, i) => RawClient.open(server.port, as(`q1-${i}`), [{ filter: 'orders/#', qos: 1 }])),
    );
    const atQos0 = await RawClient.open(server.port, as('q0'), [{ filter: 'orders/#', qos: 0 }]);
    const overlapping = await RawClient.open(server.port, as('overlap'), [
      { filter: 'orders/#', qos: 1 },
      { filter: 'orders/+', qos: 0 },
      { filter: 'orders/1', qos: 1 },
    ]);
    const publisher = await RawClient.open(server.port, as('publisher'), []);
    // A retransmission as far as the publisher knows (DUP 1): to the subscribers, each delivery is a first one (MQTT-3.3.1-3).
    publisher.socket.write(encodePublish({ topic: 'orders/1', payload: 'first', qos: 1, packetId: 10, dup: true }));
    publisher.socket.write(encodePublish({ topic: 'orders/1', payload: 'second', qos: 1, packetId: 11 }));
    // after the PUBACKs: aedes routes a QoS 1 message once its PUBACK is written, and a QoS 0 one sent with it would overtake it
    await publisher.until('the PUBACKs', () => publisher.packets.filter((p) => p.type === PACKET.puback).length === 2);
    publisher.socket.write(encodePublish({ topic: 'orders/2', payload: 'third', qos: 0 }));

    const expected = (qos: number) => [
      { topic: 'orders/1', payload: 'first', qos, dup: false, retain: false },
      { topic: 'orders/1', payload: 'second', qos, dup: false, retain: false },
      { topic: 'orders/2', payload: 'third', qos: 0, dup: false, retain: false },
    ];
    for (const subscriber of [...atQos1, overlapping]) {
      await subscriber.until('three messages', () => subscriber.publishCount() >= 3);
      const deliveries = subscriber.deliveries();
      expect(deliveries.map(({ packetId: _id, ...fields }) => fields)).toEqual(expected(1));
      const [first, second, third] = deliveries.map((delivery) => delivery.packetId);
      // the subscriber's own numbering, one after the other (aedes' per-client counter), none at QoS 0
      expect(first).toBeGreaterThanOrEqual(1);
      expect(second).toBe((first! % 65535) + 1);
      expect(third).toBeNull();
    }
    await atQos0.until('three messages', () => atQos0.publishCount() >= 3);
    expect(atQos0.deliveries()).toEqual(expected(0).map((fields) => ({ ...fields, packetId: null })));
    // nothing more came to anyone: the overlapping filters gave one delivery each
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const subscriber of [...atQos1, atQos0, overlapping]) expect(subscriber.deliveries()).toHaveLength(3);
    for (const client of [...atQos1, atQos0, overlapping, publisher]) client.close();
  });

  it('keeps a subscriber connected on its PUBACKs alone, as aedes reading them did, and still drops one that stays silent', async () => {
    const box = sandbox('keepalive');
    // keep-alive 1 s: the broker closes a client silent for 1.5 s (the control below); PINGREQ is never sent
    const acking = await RawClient.open(server.port, { clientId: 'acking', username: `sandbox:${box}`, keepAlive: 1 }, [{ filter: 'ticks', qos: 1 }]);
    const silent = await RawClient.open(server.port, { clientId: 'silent', username: `sandbox:${box}`, keepAlive: 1 }, [{ filter: 'ticks', qos: 1 }], {
      acknowledge: false,
    });
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${box}`, reconnectPeriod: 0 });
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < 2_600) {
      await publisher.publishAsync('ticks', String(sent++), { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await silent.until('the silent client closed', () => silent.closed);
    await acking.until('every tick', () => acking.publishCount() === sent);
    expect(acking.closed).toBe(false);
    expect(acking.deliveries().map((delivery) => delivery.payload)).toEqual(Array.from({ length: sent }, (_, i) => String(i)));
    acking.close();
    await publisher.endAsync();
  });

  it('loses nothing to a subscriber that stops reading: the deliveries wait for its connection to drain, in order', async () => {
    const box = sandbox('slow');
    const slow = await RawClient.open(server.port, { clientId: 'slow', username: `sandbox:${box}` }, [{ filter: 'bulk', qos: 1 }]);
    slow.socket.pause();
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${box}`, reconnectPeriod: 0 });
    // 16 MB: far past what the two sockets' buffers hold, so the broker's writes are refused and wait
    const count = 500;
    const filler = 'x'.repeat(32 * 1024);
    // not awaited yet: the broker stops reading the publisher while its deliveries wait, so its last publishes leave only once the subscriber reads
    const published = Promise.all(Array.from({ length: count }, (_, i) => publisher.publishAsync('bulk', `${i} ${filler}`, { qos: 0 })));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slow.publishCount()).toBe(0);
    slow.socket.resume();
    await slow.until('every message', () => slow.publishCount() === count, 30_000);
    await published;
    const deliveries = slow.deliveries();
    expect(deliveries.map((delivery) => Number(delivery.payload.split(' ')[0]))).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(deliveries.every((delivery) => delivery.qos === 0 && !delivery.dup)).toBe(true);
    slow.close();
    await publisher.endAsync();
  }, 60_000);

  it("still lets aedes read a persistent session's PUBACK: what it acknowledged is not delivered again when it comes back", async () => {
    const box = sandbox('persistent');
    const options = { username: `sandbox:${box}`, clientId: 'keeper', clean: false } as const;
    const first = await Subscriber.connect(`mqtt://127.0.0.1:${server.port}`, options);
    await first.client.subscribeAsync('jobs/#', { qos: 1 });
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${box}`, reconnectPeriod: 0 });
    await publisher.publishAsync('jobs/1', 'acknowledged', { qos: 1 });
    await first.waitForCount(1);
    // mqtt.js acknowledged it as it arrived; the PUBACK precedes the DISCONNECT on the connection
    await first.end();
    await publisher.publishAsync('jobs/2', 'while away', { qos: 1 });
    const back = await Subscriber.connect(`mqtt://127.0.0.1:${server.port}`, options);
    await publisher.publishAsync('jobs/3', 'back', { qos: 1 });
    const received = await back.waitForCount(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((message) => message.payload)).toEqual(['while away', 'back']);
    await back.end();
    await publisher.endAsync();
  });

  it('shows in the inspector the bytes that crossed: each QoS 1 delivery with its packet id, and the PUBACK the broker answered itself', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const subscriber = await Subscriber.connect(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${session}`, clientId: 'inspected' });
    await subscriber.client.subscribeAsync('orders/#', { qos: 1 });
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${session}`, reconnectPeriod: 0, clientId: 'pub' });
    await publisher.publishAsync('orders/1', 'one', { qos: 1 });
    await publisher.publishAsync('orders/2', 'two', { qos: 1 });
    await subscriber.waitForCount(2);
    await subscriber.end();
    await capture.waitFor(() => capture.messages.some((m) => m.type === 'closed'));
    // both clients name the session: the subscriber's connection is the one whose CONNECT says 'inspected'
    const packets = decodedMessages(capture, 'mqtt').filter((m) => m.layer === 'mqtt-packet');
    const subscriberConnection = packets.find((m) => m.fields?.type === 'CONNECT' && m.fields?.clientId === 'inspected')?.conn;
    expect(subscriberConnection).toBeDefined();
    const messages = packets.filter((m) => m.conn === subscriberConnection);
    const delivered = messages.filter((m) => m.dir === 'out' && m.fields?.type === 'PUBLISH');
    expect(delivered.map((m) => [m.fields?.topic, m.fields?.payload, m.fields?.qos, m.fields?.dup])).toEqual([
      ['orders/1', 'one', 1, false],
      ['orders/2', 'two', 1, false],
    ]);
    const acknowledged = messages.filter((m) => m.dir === 'in' && m.fields?.type === 'PUBACK').map((m) => m.fields?.packetId);
    expect(acknowledged).toEqual(delivered.map((m) => m.fields?.packetId));
    await publisher.endAsync();
    await capture.close();
  });
});
