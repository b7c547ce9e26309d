// npm run bench (scale-out part): one domain event (a user created over REST) broadcast to 1 000
// Server-Sent Events clients of one sandbox, in two set-ups measured in the same run, block by
// block interleaved:
//   one process   — 1 000 streams on one server without Redis (the in-process event bus);
//   two instances — 500 streams on instance A, 500 on instance B, both on Debian's redis-server;
//                   the event is made through A and reaches B's clients through Redis.
// Prints the delivery latency (from sending the POST to each client reading the event) p50/p99,
// for the scaled set-up also per instance, the cost Redis adds per event (difference of the
// medians), the same for a single client (the hop alone), and the CPU Redis itself spent per
// event (INFO cpu). Loopback only, bounded rounds.
//
// The clients all live in this process, so one clock times the send and every arrival; the
// figures include this process parsing 1 000 streams' chunks in turn.
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { Redis } from 'ioredis';
import { percentile, startBenchServer, type BenchServer } from './bench-process.ts';
import { spreadOf, targetLine } from './targets.ts';
import { startRedisServer } from '../tests/integration/redis-server.ts';

const CLIENTS = Number(process.env.BENCH_SCALE_CLIENTS ?? 1000);
/** Blocks of each set-up, alternating, so a busy moment of the machine hits both alike. */
const BLOCKS = Number(process.env.BENCH_SCALE_BLOCKS ?? 4);
const EVENTS_PER_BLOCK = Number(process.env.BENCH_SCALE_EVENTS ?? 10);
const CONNECT_BATCH = 50;
/** Events to a single client per set-up: the Redis hop without 1 000 deliveries around it. */
const LONE_EVENTS = 30;
/**
 * A sandbox takes at most 6 streams per client address (server/protocols/sse/limits.ts): the
 * clients spread over loopback addresses 127.0.1.x, 5 streams each, as a lecture hall's
 * students would come from their own machines.
 */
const STREAMS_PER_ADDRESS = 5;
const clientAddress = (index: number): string =>
  `127.0.${1 + Math.floor(index / STREAMS_PER_ADDRESS / 250)}.${1 + (Math.floor(index / STREAMS_PER_ADDRESS) % 250)}`;
const SANDBOX = 'bench-scale-out';
const LONE_SANDBOX = 'bench-scale-out-one';
const ROUND_TIMEOUT_MS = 30_000;

interface Stream {
  readonly instance: string;
  response: IncomingMessage;
  /** Calls `arrived` once, when an event containing `text` has been read. */
  expect(text: string, arrived: () => void): void;
}

function openStream(server: BenchServer, instance: string, index: number, sandbox: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port: server.port,
      path: '/api/v1/events',
      headers: { 'x-wirelab-sandbox': sandbox },
      agent: false,
      localAddress: clientAddress(index),
    };
    const req = request(options, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`event stream answered ${response.statusCode}`));
      response.setEncoding('utf8');
      let tail = '';
      let waiting: { text: string; arrived: () => void } | null = null;
      response.on('data', (chunk: string) => {
        // The text may straddle two chunks: keep the end of the previous one.
        const seen = tail + chunk;
        tail = seen.slice(-256);
        if (waiting && seen.includes(waiting.text)) {
          const { arrived } = waiting;
          waiting = null;
          arrived();
        }
      });
      resolve({ instance, response, expect: (text, arrived) => (waiting = { text, arrived }) });
    });
    req.once('error', reject);
    req.end();
  });
}

async function openStreams(server: BenchServer, instance: string, count: number, sandbox = SANDBOX): Promise<Stream[]> {
  const streams: Stream[] = [];
  for (let first = 0; first < count; first += CONNECT_BATCH) {
    streams.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(CONNECT_BATCH, count - first) }, (_, offset) => openStream(server, instance, first + offset, sandbox)),
      )),
    );
  }
  return streams;
}

function createUser(server: BenchServer, name: string, sandbox: string): void {
  const body = JSON.stringify({ name, email: `${name}@bench.example` });
  const req = request(
    {
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/api/v1/users',
      headers: { 'x-wirelab-sandbox': sandbox, 'content-type': 'application/json' },
      agent: false,
    },
    (response) => {
      if (response.statusCode !== 201) console.error(`  POST /api/v1/users answered ${response.statusCode}`);
      response.resume();
    },
  );
  req.once('error', (error) => console.error(`  POST /api/v1/users failed: ${error.message}`));
  req.end(body);
}

/** One event through `sender`, timed to its arrival at every stream: ms per delivery, by instance. */
async function broadcast(sender: BenchServer, streams: Stream[], round: number, sandbox = SANDBOX): Promise<Map<string, number[]>> {
  const name = `r${round}x${Math.random().toString(36).slice(2, 10)}`;
  const byInstance = new Map<string, number[]>();
  let arrivedCount = 0;
  let sentAt = 0;
  const all = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`round ${round}: ${arrivedCount}/${streams.length} deliveries in ${ROUND_TIMEOUT_MS} ms`)),
      ROUND_TIMEOUT_MS,
    );
    for (const stream of streams) {
      stream.expect(name, () => {
        const list = byInstance.get(stream.instance) ?? [];
        list.push(performance.now() - sentAt);
        byInstance.set(stream.instance, list);
        if (++arrivedCount === streams.length) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
  sentAt = performance.now();
  createUser(sender, name, sandbox);
  await all;
  return byInstance;
}

/** Seconds of CPU redis-server has used (user + system), from INFO cpu. */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  const redisServer = await startRedisServer();
  const servers: BenchServer[] = [];
  const streams: Stream[] = [];
  const redis = new Redis(redisServer.url);
  try {
    const single = await startBenchServer();
    servers.push(single);
    const scale = (instanceId: string) => ({ redisUrl: redisServer.url, keyPrefix: 'bench:', instanceId });
    const [a, b] = await Promise.all([startBenchServer({ scale: scale('a') }), startBenchServer({ scale: scale('b') })]);
    servers.push(a!, b!);
    const singleStreams = await openStreams(single, 'one process', CLIENTS);
    const scaledStreams = [...(await openStreams(a!, 'A (sender)', CLIENTS / 2)), ...(await openStreams(b!, 'B (through Redis)', CLIENTS - CLIENTS / 2))];
    streams.push(...singleStreams, ...scaledStreams);
    console.log(`Scale-out broadcast: one domain event to ${CLIENTS} SSE clients; ${BLOCKS} blocks of ${EVENTS_PER_BLOCK} events per set-up, interleaved`);

    // Warm-up: the first events pay for JIT and Redis' first subscriptions.
    for (let round = 0; round < 3; round++) {
      await broadcast(single, singleStreams, -1 - round);
      await broadcast(a!, scaledStreams, -10 - round);
    }

    const oneProcess: number[] = [];
    const scaled = new Map<string, number[]>();
    const medianPerBlock = { one: [] as number[], scaled: [] as number[] };
    let redisCpu = 0;
    let round = 0;
    for (let block = 0; block < BLOCKS; block++) {
      const blockOne: number[] = [];
      for (let event = 0; event < EVENTS_PER_BLOCK; event++) blockOne.push(...(await broadcast(single, singleStreams, round++)).get('one process')!);
      oneProcess.push(...blockOne);
      const blockScaled: number[] = [];
      const cpuBefore = await redisCpuSeconds(redis);
      for (let event = 0; event < EVENTS_PER_BLOCK; event++) {
        for (const [instance, deliveries] of await broadcast(a!, scaledStreams, round++)) {
          scaled.set(instance, [...(scaled.get(instance) ?? []), ...deliveries]);
          blockScaled.push(...deliveries);
        }
      }
      redisCpu += (await redisCpuSeconds(redis)) - cpuBefore;
      medianPerBlock.one.push(
        percentile(
          blockOne.sort((x, y) => x - y),
          50,
        ),
      );
      medianPerBlock.scaled.push(
        percentile(
          blockScaled.sort((x, y) => x - y),
          50,
        ),
      );
    }

    const describe = (values: number[]) => {
      const sorted = [...values].sort((x, y) => x - y);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length };
    };
    const one = describe(oneProcess);
    const both = describe([...scaled.values()].flat());
    console.log(`  one process, no Redis:        ${one.count} deliveries, p50 ${ms(one.p50)}, p99 ${ms(one.p99)}`);
    console.log(`  two instances through Redis:  ${both.count} deliveries, p50 ${ms(both.p50)}, p99 ${ms(both.p99)}`);
    for (const [instance, deliveries] of scaled) {
      const figures = describe(deliveries);
      console.log(`    on ${instance}: p50 ${ms(figures.p50)}, p99 ${ms(figures.p99)}`);
    }
    // The hop alone: one client on the single server, one on B, no fan-out around it.
    const loneSingle = await openStreams(single, 'one process', 1, LONE_SANDBOX);
    const loneRemote = await openStreams(b!, 'B (through Redis)', 1, LONE_SANDBOX);
    streams.push(...loneSingle, ...loneRemote);
    const lone = { one: [] as number[], remote: [] as number[] };
    for (let event = 0; event < LONE_EVENTS; event++) {
      lone.one.push(...(await broadcast(single, loneSingle, round++, LONE_SANDBOX)).get('one process')!);
      lone.remote.push(...(await broadcast(a!, loneRemote, round++, LONE_SANDBOX)).get('B (through Redis)')!);
    }
    const loneOne = describe(lone.one);
    const loneRemoteFigures = describe(lone.remote);
    console.log(
      `  one client, ${LONE_EVENTS} events each: one process p50 ${ms(loneOne.p50)}; made on A, read on B p50 ${ms(loneRemoteFigures.p50)}: the hop through Redis ${ms(loneRemoteFigures.p50 - loneOne.p50)}`,
    );

    const events = BLOCKS * EVENTS_PER_BLOCK;
    const added = medianPerBlock.scaled.map((value, index) => value - medianPerBlock.one[index]!);
    console.log(`  Redis adds per event (difference of medians): ${ms(both.p50 - one.p50)}; per block: ${added.map(ms).join(', ')}`);
    console.log(`  redis-server CPU per event: ${ms((redisCpu * 1000) / events)} (INFO cpu, user + system, over ${events} events)`);
    console.log(targetLine('scaled p99 (ms)', both.p99, { atMost: 500 }, (n) => n.toFixed(1)));
    console.log(targetLine('Redis adds per event, median of blocks (ms)', spreadOf(added), { atMost: 50 }, (n) => n.toFixed(1)));
  } finally {
    for (const stream of streams) stream.response.destroy();
    await redis.quit();
    for (const server of servers) {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
    await redisServer.stop();
  }
}

await main();
