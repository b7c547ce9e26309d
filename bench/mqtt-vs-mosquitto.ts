// npm run bench (MQTT against mosquitto): the embedded broker beside Debian's mosquitto, the broker
// a user would run instead, in one run, over MQTT on TCP (Debian's mosquitto has no WebSocket
// listener), from one load generator.
//
// Fan-out: SUBSCRIBERS clients subscribed to one topic, one publisher; a message published and
// waited for at every subscriber, round after round, at QoS 0 and QoS 1. Throughput: one client
// publishes MESSAGES messages to its own subscription and counts them back (QoS 1: the broker's
// PUBACKs pace it). The two brokers take turns in BLOCKS blocks of rounds, so a change in the
// machine's load falls on both; the spread of the per-block ratios says whether the ratio holds.
//
// Wirelab runs without the byte tap (mosquitto has none; BENCH_MQTT_TAP=1 turns it on), with its
// store in LevelDB, as npm start keeps it (issue 40's configuration; BENCH_MQTT_STORE=memory: in
// memory, as mosquitto's here)
// and with its per-address budgets off, as in the other throughput benchmarks; its clients name
// the shared sandbox `bench-mqtt` as their user name, so every topic is rewritten into a sandbox
// as it is for a student.
// Beside each figure, the broker process's CPU time per message delivered (user + system, from
// /proc): unlike latency it hardly depends on what else the machine runs, so it says where a
// change helped even on a loaded machine. The load average is printed with the figures.
// Targets (issue 25): p99 of a delivery ≤ 2 × mosquitto's, throughput ≥ 0.5 × mosquitto's; (issue
// 40) the broker's CPU per fan-out delivery ≤ 1.5 × mosquitto's, the figure that holds under load.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { cpuTimesMs, percentile, startBenchServer } from './bench-process.ts';
import { newSession } from './chat-clients.ts';
import { fanOutRounds, type Receiver } from './fan-out.ts';
import { inBatches, mqttReceiver, ownTopicThroughput } from './mqtt-clients.ts';
import { spreadOf, targetLine } from './targets.ts';

const SUBSCRIBERS = Number(process.env.BENCH_MQTT_SUBSCRIBERS ?? 500);
// 400 rounds: the p99 of every delivery is then the worst 2 000 of 200 000, about four rounds' worth;
// with 100 it was about one round's (the slowest of 25 per block decided it, the first block's JIT
// warm-up among them), and the same tree's ratio swung 1.1–2.1 from run to run (bench/README.md).
const ROUNDS = Number(process.env.BENCH_MQTT_ROUNDS ?? 400);
const MESSAGES = Number(process.env.BENCH_MQTT_MESSAGES ?? 5000);
const BLOCKS = Number(process.env.BENCH_MQTT_BLOCKS ?? 4);
// BENCH_MQTT_CASES=fan-out-1 (a comma-separated list of fan-out-0, fan-out-1, throughput-0, throughput-1): only
// those, e.g. to profile one case with BENCH_CPU_PROFILE_DIR (bench-process.ts); absent: all four.
const CASES = new Set((process.env.BENCH_MQTT_CASES ?? 'fan-out-0,fan-out-1,throughput-0,throughput-1').split(','));
// BENCH_MQTT_TAP=1: Wirelab with the byte tap on, as students run it (what recording every delivery costs); absent: off.
const TAP = process.env.BENCH_MQTT_TAP === '1';
// The broker's store in LevelDB, as npm start keeps it (DATA_DIR/mqtt); BENCH_MQTT_STORE=memory: in memory, as mosquitto here.
const LEVEL = process.env.BENCH_MQTT_STORE !== 'memory';

interface Broker {
  name: string;
  port: number;
  /** the CONNECT user name: Wirelab's sandbox, nothing for mosquitto */
  username?: string;
  /** the broker's process, whose CPU time is read around each measurement */
  pid: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Debian's mosquitto on a loopback port of its own, anonymous, in memory, without its default caps on queues. */
async function startMosquitto(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const config = join(mkdtempSync(join(tmpdir(), 'wirelab-bench-mosquitto-')), 'mosquitto.conf');
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_queued_messages 10000',
      'max_inflight_messages 0',
      'log_type error',
      '',
    ].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 1000 }).catch(() => null);
    if (probe) {
      await probe.endAsync();
      return { child, port };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("mosquitto did not start: is Debian's mosquitto installed? (apt-get install mosquitto)");
}

function connect(broker: Broker, clientId: string): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
    clientId,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 30_000,
    ...(broker.username ? { username: broker.username } : {}),
  });
}

interface FanOutSide {
  broker: Broker;
  subscribers: MqttClient[];
  publisher: MqttClient;
  receivers: Receiver[];
}

async function fanOutSide(broker: Broker, qos: 0 | 1): Promise<FanOutSide> {
  const topic = `fanout/q${qos}`;
  const subscribers = await inBatches(SUBSCRIBERS, (index) => connect(broker, `sub-q${qos}-${index}`));
  await Promise.all(subscribers.map((client) => client.subscribeAsync(topic, { qos })));
  const publisher = await connect(broker, `pub-q${qos}`);
  return { broker, subscribers, publisher, receivers: subscribers.map(mqttReceiver) };
}

async function closeSide(side: FanOutSide): Promise<void> {
  await Promise.all([...side.subscribers, side.publisher].map((client) => client.endAsync(true).catch(() => undefined)));
}

async function throughput(broker: Broker, qos: 0 | 1, run: number): Promise<number> {
  return ownTopicThroughput(await connect(broker, `throughput-q${qos}-${run}`), `throughput/q${qos}/${run}`, qos, MESSAGES);
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;
/** CPU time of a broker process, user and system apart (the system part is mostly the socket writes and reads). */
class CpuSpent {
  user = 0;
  system = 0;
  /** user + system of the last measurement alone, ms */
  last = 0;
  async around<T>(pid: number, measured: () => Promise<T>): Promise<T> {
    const before = cpuTimesMs(pid);
    const result = await measured();
    const after = cpuTimesMs(pid);
    this.user += after.user - before.user;
    this.system += after.system - before.system;
    this.last = after.user - before.user + after.system - before.system;
    return result;
  }
  /** µs of user + system per message */
  perMessage(messages: number): number {
    return ((this.user + this.system) * 1000) / messages;
  }
  per(messages: number): string {
    const us = (spentMs: number) => ((spentMs * 1000) / messages).toFixed(1);
    return `${us(this.user + this.system)} µs (user ${us(this.user)}, system ${us(this.system)})`;
  }
}
const loadAverage = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

async function compareFanOut(wirelab: Broker, mosquitto: Broker, qos: 0 | 1): Promise<void> {
  const sides = [await fanOutSide(wirelab, qos), await fanOutSide(mosquitto, qos)];
  try {
    const deliveries: number[][] = [[], []];
    const cpu = [new CpuSpent(), new CpuSpent()];
    const blockRatios: number[] = [];
    const blockCpuRatios: number[] = [];
    const perBlock = Math.max(1, Math.round(ROUNDS / BLOCKS));
    for (let block = 0; block < BLOCKS; block++) {
      const p99: number[] = [];
      const cpuPerDelivery: number[] = [];
      // who goes first alternates too
      const order = block % 2 === 0 ? [0, 1] : [1, 0];
      for (const which of order) {
        const side = sides[which];
        const figures = await cpu[which].around(side.broker.pid, () =>
          fanOutRounds(side.receivers, perBlock, (text) => side.publisher.publish(`fanout/q${qos}`, text, { qos })),
        );
        deliveries[which].push(...figures.deliveries);
        p99[which] = percentile(figures.deliveries, 99);
        cpuPerDelivery[which] = cpu[which].last / figures.deliveries.length;
      }
      blockRatios.push(p99[0] / p99[1]);
      blockCpuRatios.push(cpuPerDelivery[0] / cpuPerDelivery[1]);
    }
    for (const [which, side] of sides.entries()) {
      const sorted = deliveries[which].sort((a, b) => a - b);
      console.log(
        `  ${side.broker.name} QoS ${qos}: every delivery (${sorted.length}): p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}; broker CPU ${cpu[which].per(sorted.length)} per delivery`,
      );
    }
    const ratio = percentile(deliveries[0], 99) / percentile(deliveries[1], 99);
    console.log(targetLine(`fan-out p99, Wirelab / mosquitto, QoS ${qos}`, { ...spreadOf(blockRatios), median: ratio }, { atMost: 2 }, (n) => n.toFixed(2)));
    // CPU per delivery over all rounds (the blocks' range beside it): each process's clock ticks are 10 ms, a block's few hundred
    const cpuRatio = cpu[0].perMessage(deliveries[0].length) / cpu[1].perMessage(deliveries[1].length);
    console.log(
      targetLine(`broker CPU per fan-out delivery, Wirelab / mosquitto, QoS ${qos}`, { ...spreadOf(blockCpuRatios), median: cpuRatio }, { atMost: 1.5 }, (n) =>
        n.toFixed(2),
      ),
    );
  } finally {
    await Promise.all(sides.map(closeSide));
  }
}

async function compareThroughput(wirelab: Broker, mosquitto: Broker, qos: 0 | 1): Promise<void> {
  const rates: number[][] = [[], []];
  const ratios: number[] = [];
  const cpu = [new CpuSpent(), new CpuSpent()];
  for (let block = 0; block < BLOCKS; block++) {
    const order = block % 2 === 0 ? [0, 1] : [1, 0];
    const rate: number[] = [];
    for (const which of order) {
      const broker = which === 0 ? wirelab : mosquitto;
      rate[which] = await cpu[which].around(broker.pid, () => throughput(broker, qos, block));
    }
    rates[0].push(rate[0]);
    rates[1].push(rate[1]);
    ratios.push(rate[0] / rate[1]);
  }
  const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
  // each message crosses the broker twice (in from the client, out to its subscription)
  const messages = BLOCKS * MESSAGES;
  console.log(
    `  QoS ${qos}: Wirelab ${spreadOf(rates[0]).median.toFixed(0)} messages/s (broker CPU ${cpu[0].per(messages)} per message), mosquitto ${spreadOf(rates[1]).median.toFixed(0)} messages/s (${cpu[1].per(messages)})`,
  );
  console.log(
    targetLine(`throughput, Wirelab / mosquitto, QoS ${qos}`, { ...spreadOf(ratios), median: total(rates[0]) / total(rates[1]) }, { atLeast: 0.5 }, (n) =>
      n.toFixed(2),
    ),
  );
}

async function main(): Promise<void> {
  const server = await startBenchServer({ tap: TAP, mqttLevel: LEVEL });
  const broker = await startMosquitto();
  // With the tap, every client is of one browser session, whose capture records all their bytes (as the inspector does).
  const username = TAP ? `sandbox:${await newSession(server.port)}` : 'sandbox:bench-mqtt';
  const wirelab: Broker = { name: 'Wirelab (aedes)', port: server.port, username, pid: server.child.pid! };
  const mosquitto: Broker = { name: "Debian's mosquitto", port: broker.port, pid: broker.child.pid! };
  try {
    console.log(
      `\nMQTT over TCP, the embedded broker (byte tap ${TAP ? 'on' : 'off'}, store ${LEVEL ? 'LevelDB' : 'in memory'}) beside mosquitto (${BLOCKS} alternating blocks; load average ${loadAverage()}):`,
    );
    console.log(`Fan-out to ${SUBSCRIBERS} subscribers, ${ROUNDS} rounds each:`);
    for (const qos of [0, 1] as const) if (CASES.has(`fan-out-${qos}`)) await compareFanOut(wirelab, mosquitto, qos);
    console.log(`Throughput, ${MESSAGES} messages from one client back to it:`);
    for (const qos of [0, 1] as const) if (CASES.has(`throughput-${qos}`)) await compareThroughput(wirelab, mosquitto, qos);
    console.log(`  load average at the end: ${loadAverage()}`);
  } finally {
    broker.child.kill('SIGTERM');
    server.child.kill('SIGTERM');
    await Promise.all([once(broker.child, 'exit'), once(server.child, 'exit')]);
  }
}

await main();
