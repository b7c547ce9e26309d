import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCheck, type Check } from '../../contracts/exercise-checks/evaluate-check.ts';
import type { WireMessage } from '../../wire/types.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { decodedMessages } from './mqtt-helpers.ts';
import { startServer, type RunningServer } from './start-server.ts';

// Lesson 12's exercises against real traffic: mqtt.js over the WebSocket at /mqtt with a
// browser session's cookie (as the page's console connects), captured by the tap and decoded
// as the inspector decodes it. Each check passes when the student does the step, and fails on
// the near miss a student really makes (a clean DISCONNECT instead of a drop, QoS 0 for an
// offline session, subscribing before the retained message exists…).

const lesson = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'lessons', '12-mqtt', 'lesson.json'), 'utf8')) as {
  exercises: Record<string, { check: Check }>;
};
const check = (id: string): Check => lesson.exercises[id]!.check;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

interface Lab {
  session: string;
  connect(options: IClientOptions): Promise<MqttClient>;
}

/** Runs `act` in a fresh browser session and returns the MQTT packets the tap captured for it. */
async function capturedPackets(act: (lab: Lab) => Promise<void>): Promise<WireMessage[]> {
  const session = await newSession(server.origin);
  const capture = await CaptureClient.open(server.origin, session);
  const clients: MqttClient[] = [];
  await act({
    session,
    async connect(options) {
      const client = await mqtt.connectAsync(`ws://127.0.0.1:${server.port}/mqtt`, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        wsOptions: { headers: { cookie: `wirelab_session=${session}` } },
        ...options,
      });
      clients.push(client);
      return client;
    },
  });
  for (const client of clients) if (client.connected) await client.endAsync();
  const packets = () => decodedMessages(capture).filter((message) => message.layer === 'mqtt-packet');
  // every connection's bytes, to its end: a check that fails must fail on the whole traffic
  await capture.waitFor(
    () =>
      capture.messages.filter((m) => m.type === 'closed').length >= clients.length &&
      packets().filter((m) => m.fields?.type === 'CONNECT').length === clients.length,
  );
  const result = packets();
  await capture.close();
  return result;
}

const passes = (id: string, packets: WireMessage[], answer?: string) => evaluateCheck(check(id), [], answer, packets).passed;

function nextMessage(client: MqttClient, topic: string): Promise<{ retain: boolean; payload: string }> {
  return new Promise((resolve) =>
    client.on('message', (received, payload, packet) => {
      if (received === topic) resolve({ retain: packet.retain, payload: payload.toString() });
    }),
  );
}

describe('lesson 12-mqtt: exercises checked against real MQTT traffic', () => {
  it('qos2-four-packets: passes on a QoS 2 publication, not on QoS 1', async () => {
    const qos1 = await capturedPackets(async (lab) => {
      const client = await lab.connect({ clientId: 'dashboard' });
      await client.publishAsync('sensors/kitchen/temp', '21.5', { qos: 1 });
    });
    expect(passes('qos2-four-packets', qos1)).toBe(false);
    const qos2 = await capturedPackets(async (lab) => {
      const client = await lab.connect({ clientId: 'dashboard' });
      await client.publishAsync('sensors/kitchen/temp', '21.5', { qos: 2 });
    });
    expect(passes('qos2-four-packets', qos2)).toBe(true);
  });

  it('publish-remaining-length: the answer is the PUBLISH’s own remaining length', async () => {
    const packets = await capturedPackets(async (lab) => {
      const client = await lab.connect({ clientId: 'dashboard' });
      await client.publishAsync('sensors/kitchen/temp', '{ "celsius": 21.5 }', { qos: 2 });
    });
    // 2 + 20 (topic) + 2 (packet id) + 19 (payload)
    expect(passes('publish-remaining-length', packets, '43')).toBe(true);
    expect(passes('publish-remaining-length', packets, '41')).toBe(false);
  });

  it('retained-for-newcomer: passes for a subscriber that came after the retained message, not for one that was there before', async () => {
    const early = await capturedPackets(async (lab) => {
      const client = await lab.connect({ clientId: 'thermostat' });
      await client.subscribeAsync('sensors/#', { qos: 1 });
      const live = nextMessage(client, 'sensors/hall/temp');
      await client.publishAsync('sensors/hall/temp', '19.0', { qos: 1, retain: true });
      expect((await live).retain).toBe(false);
    });
    expect(passes('retained-for-newcomer', early)).toBe(false);
    const late = await capturedPackets(async (lab) => {
      const client = await lab.connect({ clientId: 'thermostat' });
      await client.publishAsync('sensors/hall/temp', '19.0', { qos: 1, retain: true });
      const stored = nextMessage(client, 'sensors/hall/temp');
      await client.subscribeAsync('sensors/#', { qos: 1 });
      expect((await stored).retain).toBe(true);
    });
    expect(passes('retained-for-newcomer', late)).toBe(true);
  });

  it('will-fires: passes when the connection is dropped, not after a clean DISCONNECT nor for the will’s words published by hand', async () => {
    const will = { topic: 'status/sensor-7', payload: Buffer.from('offline'), qos: 1 as const, retain: false };
    const polite = await capturedPackets(async (lab) => {
      const watcher = await lab.connect({ clientId: 'watcher' });
      await watcher.subscribeAsync('status/#', { qos: 1 });
      const sensor = await lab.connect({ clientId: 'sensor-7', will });
      await sensor.endAsync();
      // a message after the sensor's goodbye: the will would have come before it
      const marker = nextMessage(watcher, 'status/marker');
      await watcher.publishAsync('status/marker', 'after', { qos: 1 });
      await marker;
    });
    expect(passes('will-fires', polite)).toBe(false);
    const byHand = await capturedPackets(async (lab) => {
      const watcher = await lab.connect({ clientId: 'watcher' });
      await watcher.subscribeAsync('status/#', { qos: 1 });
      const sensor = await lab.connect({ clientId: 'sensor-7', will });
      const copied = nextMessage(watcher, 'status/sensor-7');
      // what the will would say, published by the sensor itself: not a will
      await sensor.publishAsync('status/sensor-7', 'offline', { qos: 1 });
      await copied;
    });
    expect(passes('will-fires', byHand)).toBe(false);
    const dropped = await capturedPackets(async (lab) => {
      const watcher = await lab.connect({ clientId: 'watcher' });
      await watcher.subscribeAsync('status/#', { qos: 1 });
      const sensor = await lab.connect({ clientId: 'sensor-7', will });
      // "online" by hand first, as the lesson's pattern does: the will after it still counts
      const online = nextMessage(watcher, 'status/sensor-7');
      await sensor.publishAsync('status/sensor-7', 'online', { qos: 1 });
      expect((await online).payload).toBe('online');
      const fired = new Promise<{ payload: string }>((resolve) =>
        watcher.on('message', (_topic, payload) => payload.toString() === 'offline' && resolve({ payload: payload.toString() })),
      );
      sensor.end(true);
      expect((await fired).payload).toBe('offline');
    });
    expect(passes('will-fires', dropped)).toBe(true);
  });

  it('offline-session: passes when a QoS 1 message waits for the persistent session, not for QoS 0 (never queued)', async () => {
    for (const qos of [0, 1] as const) {
      const packets = await capturedPackets(async (lab) => {
        const worker = await lab.connect({ clientId: 'worker', clean: false });
        await worker.subscribeAsync('orders/#', { qos: 1 });
        await worker.endAsync();
        const dashboard = await lab.connect({ clientId: 'dashboard' });
        await dashboard.publishAsync('orders/42', '{ "item": "tea" }', { qos });
        const back = await lab.connect({ clientId: 'worker', clean: false });
        // the queue, if any, is delivered right after CONNACK; a marker published now arrives after it
        const marker = nextMessage(back, 'orders/marker');
        await dashboard.publishAsync('orders/marker', 'after', { qos: 1 });
        await marker;
      });
      expect(passes('offline-session', packets), `QoS ${qos}`).toBe(qos === 1);
    }
  });

  it('domain-event-by-wildcard: passes for a wildcard subscription that gets events/user/created, not for the exact topic', async () => {
    for (const filter of ['events/user/created', 'events/user/+']) {
      const packets = await capturedPackets(async (lab) => {
        const events = await lab.connect({ clientId: 'events-watcher' });
        await events.subscribeAsync(filter, { qos: 1 });
        const created = nextMessage(events, 'events/user/created');
        const response = await fetch(`${server.origin}/api/v1/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: `wirelab_session=${lab.session}` },
          body: JSON.stringify({ name: 'Mira Broker', email: 'mira.broker@example.com' }),
        });
        expect(response.status).toBe(201);
        expect(JSON.parse((await created).payload)).toMatchObject({ type: 'user.created' });
      });
      expect(passes('domain-event-by-wildcard', packets), filter).toBe(filter.includes('+'));
    }
  });
});
