// npm run bench (MQTT part): the embedded broker against raw WebSocket fan-out, in one run, one
// server process (no byte tap).
//
// Fan-out: 500 subscribers of one topic over MQTT-over-WebSocket (/mqtt, each a browser session
// of its own in one sandbox), one publisher; a message published and waited for at every
// subscriber, round after round, at QoS 0 and at QoS 1 — beside 500 raw WebSocket clients of
// /ws/chat in one room getting a chat line (bench/websocket.ts's measurement).
// Throughput: one client subscribed to its own topic publishes MESSAGES messages as fast as the
// protocol lets it (QoS 1: the broker's PUBACKs pace it) and counts them back — beside the same
// count of text frames echoed by /ws/echo.
import { once } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { startBenchServer } from './bench-process.ts';
import { connectChatClient, newSession, type ChatClient } from './chat-clients.ts';
import { describeFanOut, fanOutRounds, type Receiver } from './fan-out.ts';
import { inBatches, mqttReceiver, ownTopicThroughput } from './mqtt-clients.ts';

const SUBSCRIBERS = Number(process.env.BENCH_MQTT_SUBSCRIBERS ?? 500);
const ROUNDS = Number(process.env.BENCH_MQTT_ROUNDS ?? 100);
const MESSAGES = Number(process.env.BENCH_MQTT_MESSAGES ?? 5000);
const SANDBOX = 'bench-mqtt';

/** An MQTT client over WebSocket, in the shared bench sandbox, with a session of its own. */
async function connectMqtt(port: number, clientId: string): Promise<MqttClient> {
  const session = await newSession(port);
  return mqtt.connectAsync(`ws://127.0.0.1:${port}/mqtt`, {
    clientId,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 30_000,
    wsOptions: { headers: { cookie: `wirelab_session=${session}`, 'x-wirelab-sandbox': SANDBOX } },
  });
}

function chatReceiver(client: ChatClient): Receiver {
  return {
    expect(text, arrived) {
      client.onLine = (line) => {
        if (line !== text) return;
        client.onLine = null;
        arrived();
      };
    },
  };
}

/** Messages per second through the broker: one client publishes to its own subscription and counts them back. */
async function mqttThroughput(port: number, qos: 0 | 1): Promise<number> {
  return ownTopicThroughput(await connectMqtt(port, `throughput-q${qos}`), `throughput/q${qos}`, qos, MESSAGES);
}

/** Text frames per second echoed by /ws/echo: the same count, sent at once, counted back. */
async function webSocketEchoThroughput(port: number): Promise<number> {
  const session = await newSession(port);
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/echo`, { headers: { cookie: `wirelab_session=${session}` } });
  await once(socket, 'open');
  try {
    let received = 0;
    const all = new Promise<void>((resolve) => {
      socket.on('message', () => {
        received += 1;
        if (received === MESSAGES) resolve();
      });
    });
    const started = performance.now();
    for (let i = 0; i < MESSAGES; i++) socket.send(`message ${i}`);
    await all;
    return MESSAGES / ((performance.now() - started) / 1000);
  } finally {
    socket.terminate();
  }
}

async function main(): Promise<void> {
  const { child, port } = await startBenchServer();
  const subscribers: MqttClient[] = [];
  const chatClients: ChatClient[] = [];
  try {
    subscribers.push(...(await inBatches(SUBSCRIBERS, (index) => connectMqtt(port, `subscriber-${index}`))));
    const publisher = await connectMqtt(port, 'publisher');
    subscribers.push(publisher);
    chatClients.push(...(await inBatches(SUBSCRIBERS, (index) => connectChatClient(port, index, SANDBOX))));
    console.log(`\nFan-out to ${SUBSCRIBERS} clients over WebSocket, ${ROUNDS} rounds each (one server process, no tap):`);

    for (const qos of [0, 1] as const) {
      const topic = `fanout/q${qos}`;
      const receivers = subscribers.slice(0, SUBSCRIBERS);
      await Promise.all(receivers.map((client) => client.subscribeAsync(topic, { qos })));
      const mqttReceivers = receivers.map(mqttReceiver);
      const figures = await fanOutRounds(mqttReceivers, ROUNDS, (text) => publisher.publish(topic, text, { qos }));
      console.log(`  MQTT QoS ${qos}: ${describeFanOut(figures)}`);
      await Promise.all(receivers.map((client) => client.unsubscribeAsync(topic)));
      for (const client of receivers) client.removeAllListeners('message');
    }
    const chat = await fanOutRounds(chatClients.map(chatReceiver), ROUNDS, (text, round) => chatClients[round % chatClients.length].socket.send(text));
    console.log(`  raw WebSocket (/ws/chat room): ${describeFanOut(chat)}`);

    console.log(`\nThroughput, ${MESSAGES} messages from one client back to it:`);
    const echo = await webSocketEchoThroughput(port);
    for (const qos of [0, 1] as const) {
      try {
        const rate = await mqttThroughput(port, qos);
        console.log(`  MQTT QoS ${qos} through the broker: ${rate.toFixed(0)} messages/s (${(rate / echo).toFixed(2)} of raw WebSocket echo)`);
      } catch (error) {
        // a defect to see in the run's output, not a run that never ends (bench/mqtt-clients.ts)
        console.log(`  MQTT QoS ${qos} through the broker: DEFECT, ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    console.log(`  raw WebSocket echo (/ws/echo): ${echo.toFixed(0)} messages/s`);
  } finally {
    await Promise.all(subscribers.map((client) => client.endAsync(true).catch(() => undefined)));
    for (const client of chatClients) client.socket.terminate();
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

await main();
