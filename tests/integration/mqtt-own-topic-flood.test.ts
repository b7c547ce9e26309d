import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { decodedMessages, sandbox } from './mqtt-helpers.ts';

// One mqtt.js client publishes QoS 1 messages to a topic it is itself subscribed to, without
// waiting for each PUBACK (a student's script, bench/mqtt.ts), and must get every one back, and
// every PUBACK. Over WebSocket it used to stop for good (26 Nov: seven tries of nine in
// bench/mqtt.ts): when the broker fell behind, `ws` paused the tapped socket it reads, and a
// read that came in then was kept back by the socket's HTTP/1.1 request framing with no read of
// the stream left to give it (server/tap/tap-socket.ts; server/protocols/mqtt/README.md, "The
// QoS 1 stall over WebSocket"). The broker falls behind on a loaded machine by chance; here it
// is made to, the same way every time: aedes stops reading the connection (its own pause, what
// a batch still being handled does) while the client's messages come in, a while apart.

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/** No message and no PUBACK for this long while some are missing: the connection has stalled. */
const STALL_MS = 3_000;

interface Outcome {
  /** `<n>:<qos>:<dup>` of each message received, in the order received */
  received: string[];
  acknowledged: number;
  errors: string[];
  stalled: boolean;
}

/**
 * Counts what comes back of `count` QoS 1 messages published by `publishAll` (each payload starts
 * with its number and a space); resolves once all came back and were acknowledged, or nothing
 * moved for STALL_MS.
 */
function ownTopicRoundTrip(client: MqttClient, count: number, publishAll: (acknowledged: (error?: Error) => void) => Promise<void> | void): Promise<Outcome> {
  const outcome: Outcome = { received: [], acknowledged: 0, errors: [], stalled: false };
  return new Promise((resolve) => {
    let watchdog: NodeJS.Timeout | undefined;
    const moved = () => {
      clearTimeout(watchdog);
      if (outcome.received.length >= count && outcome.acknowledged + outcome.errors.length >= count) resolve(outcome);
      else
        watchdog = setTimeout(() => {
          outcome.stalled = true;
          resolve(outcome);
        }, STALL_MS);
    };
    client.on('message', (_topic, payload, packet) => {
      outcome.received.push(`${payload.toString().split(' ')[0]}:${packet.qos}:${packet.dup ? 1 : 0}`);
      moved();
    });
    void publishAll((error) => {
      if (error) outcome.errors.push(error.message);
      else outcome.acknowledged += 1;
      moved();
    });
    moved();
  });
}

function expectEveryMessageOnce(outcome: Outcome, count: number): void {
  expect({ stalled: outcome.stalled, received: outcome.received.length, acknowledged: outcome.acknowledged, errors: outcome.errors }).toEqual({
    stalled: false,
    received: count,
    acknowledged: count,
    errors: [],
  });
  // each once, in the order published, at QoS 1, a first attempt (DUP 0)
  expect(outcome.received).toEqual(Array.from({ length: count }, (_, i) => `${i}:1:0`));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('one client publishing to its own topic at QoS 1', () => {
  it('over WebSocket, gets every message and PUBACK once the broker that fell behind reads again, whatever came in meanwhile; the inspector shows them all', async () => {
    // a browser session's own sandbox (its cookie), so the connection is recorded for it
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${server.port}/mqtt`, {
      clientId: 'own-topic',
      wsOptions: { headers: { cookie: `wirelab_session=${session}` } },
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    const count = 40 + 2;
    try {
      await client.subscribeAsync('own/topic', { qos: 1 });
      const broker = server.app.mqttBroker as unknown as { clients: Record<string, { pause(): void; resume(): void } | undefined> };
      const served = broker.clients[`${session}/own-topic`]!;
      const outcome = await ownTopicRoundTrip(client, count, async (acknowledged) => {
        served.pause();
        // 40 KiB: more than the broker's stream and the WebSocket's stream hold (16 KiB each), so
        // ws pauses the socket it reads; less than that and the socket's own 16 KiB on top
        for (let i = 0; i < 40; i++) client.publish('own/topic', `${i} `.padEnd(1024, 'x'), { qos: 1 }, acknowledged);
        await pause(300);
        // two reads of their own while ws has the socket paused: the first is held in the
        // socket's stream, which then asks the network for more; the second came in behind it
        client.publish('own/topic', '40 ', { qos: 1 }, acknowledged);
        await pause(200);
        client.publish('own/topic', '41 ', { qos: 1 }, acknowledged);
        await pause(200);
        served.resume();
      });
      expectEveryMessageOnce(outcome, count);
    } finally {
      await client.endAsync(true);
    }
    // the bytes that crossed, as recorded: each message in, its PUBACK out, its delivery out and that one's PUBACK in
    await capture.waitFor(() => capture.messages.some((m) => m.type === 'closed'));
    const packets = decodedMessages(capture, 'http/1.1').filter((m) => m.layer === 'mqtt-packet');
    const counted = (dir: 'in' | 'out', type: string) => packets.filter((m) => m.dir === dir && m.fields?.type === type).length;
    expect([counted('in', 'PUBLISH'), counted('out', 'PUBACK'), counted('out', 'PUBLISH'), counted('in', 'PUBACK')]).toEqual([count, count, count, count]);
    await capture.close();
  });

  describe.each([
    ['WebSocket', 'ws', '/mqtt'],
    ['plain TCP', 'mqtt', ''],
  ] as const)('over %s, a burst of 3 000 published at once', (_name, scheme, path) => {
    it('comes back whole, in order, every message acknowledged', async () => {
      const client = await mqtt.connectAsync(`${scheme}://127.0.0.1:${server.port}${path}`, {
        username: `sandbox:${sandbox('burst')}`,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
      });
      try {
        await client.subscribeAsync('burst/own', { qos: 1 });
        const count = 3_000;
        const outcome = await ownTopicRoundTrip(client, count, (acknowledged) => {
          for (let i = 0; i < count; i++) client.publish('burst/own', `${i} `.padEnd(64, 'x'), { qos: 1 }, acknowledged);
        });
        expectEveryMessageOnce(outcome, count);
        expect(client.connected).toBe(true);
      } finally {
        await client.endAsync(true);
      }
    });
  });
});
