// The MQTT console aimed at "my server": mqtt.js over WebSocket to `/_wirelab/own-server/mqtt-relay`,
// Wirelab piping the MQTT bytes to Debian's mosquitto over a guarded TCP connection the byte tap
// records as MQTT for the asking session only; refusals as facts; the per-student budget; the
// broker's connection closed when the browser's WebSocket drops.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OWN_SERVER_MQTT_RELAY_PATH, readRelayFact, relayQuery, type RelayFact } from '../../contracts/own-server/relays.ts';
import { decodedConnections } from './as-code-capture.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startMosquitto, started } from './mosquitto.ts';
import { startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;
let brokerPort: number;

beforeAll(async () => {
  wirelab = await startServer({ ownServers: true });
  brokerPort = (await startMosquitto()).port;
}, 30_000);
afterAll(async () => {
  await Promise.all([wirelab?.close(), ...started.map((broker) => broker.stop())]);
});

const relayUrl = (target = `127.0.0.1:${brokerPort}`) => `ws://127.0.0.1:${wirelab.port}${OWN_SERVER_MQTT_RELAY_PATH}${relayQuery(target)}`;

async function client(session: string, clientId: string): Promise<MqttClient> {
  const connected = mqtt.connect(relayUrl(), {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    wsOptions: { headers: { cookie: `wirelab_session=${session}` } },
  });
  await new Promise<void>((resolve, reject) => {
    connected.once('connect', () => resolve());
    connected.once('error', reject);
  });
  return connected;
}

/** A bare WebSocket to the relay (a refusal is a close with the fact). */
function rawRelay(session: string, target?: string) {
  const socket = new WebSocket(relayUrl(target), ['mqtt'], { headers: { cookie: `wirelab_session=${session}` } });
  socket.on('error', () => undefined);
  const opened = new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  const closed = new Promise<{ code: number; fact: RelayFact | null }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, fact: readRelayFact(code, reason.toString()) })),
  );
  return { socket, opened, closed };
}

describe('an MQTT console aimed at my broker', () => {
  it('publishes and receives through mosquitto; the broker connections are the asking session’s MQTT captures only', async () => {
    const [asker, other] = [await newSession(wirelab.origin), await newSession(wirelab.origin)];
    const [askerCapture, otherCapture] = [await CaptureClient.open(wirelab.origin, asker), await CaptureClient.open(wirelab.origin, other)];
    try {
      const subscriber = await client(asker, 'relay-sub');
      const publisher = await client(asker, 'relay-pub');
      await subscriber.subscribeAsync('lab/relay', { qos: 1 });
      const received = new Promise<{ topic: string; payload: string }>((resolve) =>
        subscriber.once('message', (topic, payload) => resolve({ topic, payload: payload.toString() })),
      );
      await publisher.publishAsync('lab/relay', 'привет, брокер', { qos: 1 });
      expect(await received).toEqual({ topic: 'lab/relay', payload: 'привет, брокер' });
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);

      const toBroker = () =>
        decodedConnections(askerCapture).filter((c) => (c.connection as { outbound?: boolean }).outbound && c.connection.local === `127.0.0.1:${brokerPort}`);
      // both connections to mosquitto recorded, and closed once the clients left
      await askerCapture.waitFor(
        () => toBroker().length === 2 && toBroker().every((c) => askerCapture.messages.some((m) => m.type === 'closed' && m.conn === c.connection.id)),
      );
      for (const { connection, messages } of toBroker()) {
        expect(connection.transport).toBe('mqtt');
        const packets = (messages ?? [])
          .filter((message) => message.layer === 'mqtt-packet')
          .map((message) => `${message.dir} ${message.summary.split(' ')[0]}`);
        // `in`: what Wirelab sent for the browser; `out`: what mosquitto answered
        expect(packets.slice(0, 2)).toEqual(['in CONNECT', 'out CONNACK']);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const ids = toBroker().map((c) => c.connection.id);
      expect([...otherCapture.connections().map((c) => c.id), ...otherCapture.chunks().map((c) => c.conn)].filter((id) => ids.includes(id))).toEqual([]);
    } finally {
      await Promise.all([askerCapture.close(), otherCapture.close()]);
    }
  });

  it('refuses another machine and tells that nothing listens, as facts', async () => {
    const session = await newSession(wirelab.origin);
    expect((await rawRelay(session, '192.0.2.1:1883').closed).fact).toEqual({ fact: 'not-your-address', target: '192.0.2.1', student: '127.0.0.1' });
    expect((await rawRelay(session, '127.0.0.1:1').closed).fact).toEqual({ fact: 'refused', address: '127.0.0.1:1' });
  });

  it('spends the student’s 4 connections, and gives the broker’s back when the browser drops', async () => {
    const session = await newSession(wirelab.origin);
    const held = [rawRelay(session), rawRelay(session), rawRelay(session), rawRelay(session)];
    expect(await Promise.all(held.map((r) => r.opened))).toEqual([true, true, true, true]);
    expect((await rawRelay(session).closed).fact).toEqual({ fact: 'too-many-connections', limit: 4 });
    // no close frame: the page is gone; the broker's connection goes with it, and its place comes back
    held[0].socket.terminate();
    let again: ReturnType<typeof rawRelay>;
    do again = rawRelay(session);
    while (!(await again.opened));
    for (const r of [again, ...held.slice(1)]) r.socket.close();
  });
});
