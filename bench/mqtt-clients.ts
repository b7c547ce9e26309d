// What both MQTT benchmarks (bench/mqtt.ts, bench/mqtt-vs-mosquitto.ts) do with their clients,
// whichever broker and transport they connect to: connect many, wait for a message, count
// messages back.
import type { MqttClient } from 'mqtt';
import type { Receiver } from './fan-out.ts';

const CONNECT_BATCH = 50;

/** `count` clients, CONNECT_BATCH at a time (a burst of hundreds of handshakes is not what is measured). */
export async function inBatches<T>(count: number, connect: (index: number) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let first = 0; first < count; first += CONNECT_BATCH) {
    all.push(...(await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, count - first) }, (_, i) => connect(first + i)))));
  }
  return all;
}

/** A fan-out receiver on an MQTT client: the message whose payload is the text awaited. */
export function mqttReceiver(client: MqttClient): Receiver {
  let waiting: { text: string; arrived: () => void } | null = null;
  client.on('message', (_topic, payload) => {
    if (waiting && payload.toString() === waiting.text) {
      const { arrived } = waiting;
      waiting = null;
      arrived();
    }
  });
  return { expect: (text, arrived) => (waiting = { text, arrived }) };
}

/**
 * Messages per second through a broker: the client subscribes to `topic`, publishes `messages`
 * messages to it as fast as the protocol lets it (QoS 1: the broker's PUBACKs pace it) and counts
 * them back. The client is ended afterwards.
 */
/** No delivery for this long: the throughput run has stalled. */
const STALL_MS = 10_000;

export async function ownTopicThroughput(client: MqttClient, topic: string, qos: 0 | 1, messages: number): Promise<number> {
  try {
    await client.subscribeAsync(topic, { qos });
    let received = 0;
    let stalled: NodeJS.Timeout | undefined;
    // A stall is reported, not waited on for ever: over WebSocket, 5 000 QoS 1 messages to the
    // client's own topic used to stop arriving (26 Nov, 7 of 9 tries; over TCP never; fixed in
    // server/tap/tap-socket.ts, server/protocols/mqtt/README.md) — should one come back, the run
    // goes on to say so.
    const all = new Promise<void>((resolve, reject) => {
      const watch = () => {
        clearTimeout(stalled);
        stalled = setTimeout(() => reject(new Error(`stalled: ${received} of ${messages} delivered, none for ${STALL_MS / 1000} s`)), STALL_MS);
      };
      watch();
      client.on('message', () => {
        received += 1;
        watch();
        if (received === messages) resolve();
      });
    });
    const started = performance.now();
    for (let i = 0; i < messages; i++) client.publish(topic, `message ${i}`, { qos });
    try {
      await all;
    } finally {
      clearTimeout(stalled);
    }
    return messages / ((performance.now() - started) / 1000);
  } finally {
    // (a stalled client still holds unacknowledged messages: it is ended without waiting for them)
    await client.endAsync(true);
  }
}
