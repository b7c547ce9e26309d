// npm run bench (gRPC part): the same read — user 1 — as a Connect unary call in JSON and in
// binary protobuf, and as the equivalent REST route, in one run against one server process (no
// byte tap: this compares protocols, not the tap). Figures are ratios against REST measured in
// the same run. Connect unary is plain HTTP/1.1 POST, so autocannon can load all three alike.
// Native gRPC needs HTTP/2: h2load (Debian's nghttp2-client) loads it over h2c beside the same
// REST read over h2c, so both sides of that ratio share one load generator and one transport.
// Beside requests per second, the server's CPU time per request (user + system, from the server
// process itself): on a machine other work loads, that figure moves much less than req/s, and
// it says what the protocol costs the server rather than what the load generator could send.
// A second server process, the same app without the fast paths in front of connect-fastify
// (`grpc: { fastPaths: false }`), takes the same Connect and native gRPC calls in the same rounds:
// the fast paths' gain is the paired ratio of both (README of server/protocols/grpc/).
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { toBinary, create } from '@bufbuild/protobuf';
import { GetUserRequestSchema } from '../proto/gen/wirelab/users/v1/users_pb.ts';
import { encodeEnvelope } from '../wire/grpc/envelope.ts';
import { startBenchServer, type BenchServer } from './bench-process.ts';
import { spreadOf, targetLine } from './targets.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const GET_USER = '/wirelab.users.v1.UserService/GetUser';

interface Configuration {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  /** the server's CPU time per request, µs */
  cpuUs: number;
}

const CONFIGURATIONS: Configuration[] = [
  { name: 'REST: GET /api/v1/users/1', method: 'GET', path: '/api/v1/users/1' },
  { name: 'Connect unary, JSON', method: 'POST', path: GET_USER, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 1 }) },
  {
    name: 'Connect unary, binary protobuf',
    method: 'POST',
    path: GET_USER,
    headers: { 'content-type': 'application/proto' },
    body: Buffer.from(toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: 1 } }))),
  },
];

/** The server process's CPU time so far (user + system), µs. */
async function serverCpuUs(server: BenchServer): Promise<number> {
  server.child.send({ type: 'rss' });
  const [message] = (await once(server.child, 'message')) as [{ cpu: NodeJS.CpuUsage }];
  return message.cpu.user + message.cpu.system;
}

async function load(server: BenchServer, configuration: Configuration): Promise<Sample> {
  const { name, ...request } = configuration;
  const cpuBefore = await serverCpuUs(server);
  const result = await autocannon({ url: server.origin, connections: CONNECTIONS, duration: DURATION_S, requests: [request] });
  const cpuUs = ((await serverCpuUs(server)) - cpuBefore) / result.requests.total;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`bench: ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs };
}

/** The response body's size: what each protocol puts on the wire for the same user. */
async function responseBytes(origin: string, configuration: Configuration): Promise<number> {
  const response = await fetch(`${origin}${configuration.path}`, {
    method: configuration.method,
    ...(configuration.headers ? { headers: configuration.headers } : {}),
    ...(configuration.body !== undefined ? { body: typeof configuration.body === 'string' ? configuration.body : new Uint8Array(configuration.body) } : {}),
  });
  if (!response.ok) throw new Error(`bench: ${configuration.name}: ${response.status}`);
  return (await response.arrayBuffer()).byteLength;
}

function median(samples: Sample[]): Sample {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    rps: mid(samples.map((s) => s.rps)),
    p50: mid(samples.map((s) => s.p50)),
    p99: mid(samples.map((s) => s.p99)),
    cpuUs: mid(samples.map((s) => s.cpuUs)),
  };
}

/** h2load over h2c for DURATION_S: requests per second, or null when h2load is not installed. */
async function h2load(url: string, options: { data?: string; headers?: string[] } = {}): Promise<{ rps: number; requests: number } | null> {
  const args = [
    '-c',
    String(CONNECTIONS),
    '-m',
    '1',
    '-D',
    String(DURATION_S),
    ...(options.data ? ['-d', options.data] : []),
    ...(options.headers ?? []).flatMap((h) => ['-H', h]),
    url,
  ];
  try {
    const { stdout } = await promisify(execFile)('h2load', args, { timeout: (DURATION_S + 30) * 1000 });
    const failed = /(\d+) failed, (\d+) errored/.exec(stdout);
    const non2xx = /status codes: \d+ 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(stdout);
    if (!failed || !non2xx || Number(failed[1]) + Number(failed[2]) > 0 || non2xx.slice(1).some((n) => Number(n) > 0))
      throw new Error(`bench: h2load ${url}: ${stdout}`);
    return {
      rps: Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(stdout)![1]),
      requests: Number(/requests: \d+ total, \d+ started, (\d+) done/.exec(stdout)![1]),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** h2load's figure and the server's CPU time per request. */
async function h2loadSample(server: BenchServer, url: string, options?: { data?: string; headers?: string[] }): Promise<{ rps: number; cpuUs: number } | null> {
  const cpuBefore = await serverCpuUs(server);
  const result = await h2load(url, options);
  if (result === null) return null;
  return { rps: result.rps, cpuUs: ((await serverCpuUs(server)) - cpuBefore) / result.requests };
}

/** Native gRPC and REST over h2c, round by round. */
interface H2Series {
  rest: Array<{ rps: number; cpuUs: number }>;
  grpc: Array<{ rps: number; cpuUs: number }>;
  grpcPluginOnly: Array<{ rps: number; cpuUs: number }>;
}

/** One line of the fast paths' gain: req/s and CPU with them and without, and the paired ratio. */
function gainLine(name: string, fast: Array<{ rps: number; cpuUs: number }>, pluginOnly: Array<{ rps: number; cpuUs: number }>): string {
  const ratios = spreadOf(fast.map((sample, round) => sample.rps / pluginOnly[round].rps));
  const rps = (xs: Array<{ rps: number }>) =>
    spreadOf(xs.map((x) => x.rps))
      .median.toFixed(0)
      .padStart(6);
  const cpu = (xs: Array<{ cpuUs: number }>) =>
    spreadOf(xs.map((x) => x.cpuUs))
      .median.toFixed(0)
      .padStart(5);
  const cpuRatio = spreadOf(pluginOnly.map((x) => x.cpuUs)).median / spreadOf(fast.map((x) => x.cpuUs)).median;
  return `${name.padEnd(34)} ${rps(fast)} / ${rps(pluginOnly)} req/s  ${ratios.median.toFixed(3)} (${ratios.min.toFixed(2)}–${ratios.max.toFixed(2)})  CPU µs/call ${cpu(fast)} / ${cpu(pluginOnly)} (plugin alone ×${cpuRatio.toFixed(2)})`;
}

// memoryProbe: the IPC channel the server answers its CPU time on. The second server is the same
// app with no fast path in front of connect-fastify: the fast paths' gain, measured in the same run.
const server = await startBenchServer({ memoryProbe: true });
const pluginOnly = await startBenchServer({ memoryProbe: true, grpcFastPaths: false });
const CONNECT = CONFIGURATIONS.slice(1);
console.log(
  `load before the run: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1, 5, 15 min; ${cpus().length} cores)`,
);
try {
  for (const configuration of CONFIGURATIONS) await load(server, configuration); // warm-up
  for (const configuration of CONNECT) await load(pluginOnly, configuration);
  const runs = new Map<Configuration, Sample[]>(CONFIGURATIONS.map((c) => [c, []]));
  const pluginOnlyRuns = new Map<Configuration, Sample[]>(CONNECT.map((c) => [c, []]));
  const body = join(mkdtempSync(join(tmpdir(), 'wirelab-bench-grpc-')), 'get-user.grpc');
  writeFileSync(body, encodeEnvelope(0, toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: 1 } }))));
  const grpcRequest = { data: body, headers: ['content-type: application/grpc', 'te: trailers'] };
  const h2: H2Series = { rest: [], grpc: [], grpcPluginOnly: [] };
  let h2loadFound = true;
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved so drift (thermal, other load) hits every configuration alike.
    for (const configuration of CONFIGURATIONS) runs.get(configuration)!.push(await load(server, configuration));
    for (const configuration of CONNECT) pluginOnlyRuns.get(configuration)!.push(await load(pluginOnly, configuration));
    if (!h2loadFound) continue;
    // Native gRPC over h2c, beside REST over h2c: same transport, same load generator.
    const rest = await h2loadSample(server, `${server.origin}/api/v1/users/1`);
    const grpc = await h2loadSample(server, `${server.origin}${GET_USER}`, grpcRequest);
    const grpcPluginOnly = await h2loadSample(pluginOnly, `${pluginOnly.origin}${GET_USER}`, grpcRequest);
    if (rest === null || grpc === null || grpcPluginOnly === null) h2loadFound = false;
    else {
      h2.rest.push(rest);
      h2.grpc.push(grpc);
      h2.grpcPluginOnly.push(grpcPluginOnly);
    }
  }
  const restRuns = runs.get(CONFIGURATIONS[0])!;
  const pairedRatios = (samples: Sample[]) => samples.map((sample, round) => sample.rps / restRuns[round].rps);
  console.log(`\nGetUser(1) vs GET /api/v1/users/1: ${CONNECTIONS} connections, ${ROUNDS} rounds × ${DURATION_S} s each, medians\n`);
  const restCpu = median(restRuns).cpuUs;
  console.log("configuration                       req/s  p50 ms  p99 ms  body bytes  req/s vs REST (paired)  server CPU µs/req  REST's CPU / its CPU");
  const row = (name: string, samples: Sample[], bytes: number) => {
    const s = median(samples);
    const ratios = spreadOf(pairedRatios(samples));
    return `${name.padEnd(34)} ${s.rps.toFixed(0).padStart(6)}  ${String(s.p50).padStart(6)}  ${String(s.p99).padStart(6)}  ${String(bytes).padStart(10)}  ${ratios.median.toFixed(3).padStart(6)} (${ratios.min.toFixed(2)}–${ratios.max.toFixed(2)})  ${s.cpuUs.toFixed(0).padStart(17)}  ${(restCpu / s.cpuUs).toFixed(3).padStart(20)}`;
  };
  for (const configuration of CONFIGURATIONS) console.log(row(configuration.name, runs.get(configuration)!, await responseBytes(server.origin, configuration)));
  for (const configuration of CONNECT)
    console.log(
      row(
        `${configuration.name.replace('Connect unary, ', 'Connect ').replace(' protobuf', '')}, plugin only`,
        pluginOnlyRuns.get(configuration)!,
        await responseBytes(pluginOnly.origin, configuration),
      ),
    );

  const h2Ratios = h2.grpc.map((sample, round) => sample.rps / h2.rest[round].rps);
  const h2PluginOnlyRatios = h2.grpcPluginOnly.map((sample, round) => sample.rps / h2.rest[round].rps);
  if (h2Ratios.length === 0) console.log('\nh2c: h2load not found (Debian package nghttp2-client): native gRPC not measured');
  else {
    console.log(`\nover h2c (h2load, ${CONNECTIONS} connections, one stream each, ${h2Ratios.length} rounds × ${DURATION_S} s)`);
    const line = (name: string, samples: Array<{ rps: number; cpuUs: number }>, ratios?: number[]) =>
      `${name.padEnd(36)} ${spreadOf(samples.map((x) => x.rps))
        .median.toFixed(0)
        .padStart(6)} req/s  server CPU ${spreadOf(samples.map((x) => x.cpuUs)).median.toFixed(0)} µs/req` +
      (ratios
        ? `  ${spreadOf(ratios).median.toFixed(3)} (${spreadOf(ratios).min.toFixed(2)}–${spreadOf(ratios).max.toFixed(2)}) of REST over h2c (paired)`
        : '');
    console.log(line('REST: GET /api/v1/users/1 over h2c', h2.rest));
    console.log(line('native gRPC GetUser over h2c', h2.grpc, h2Ratios));
    console.log(line('native gRPC GetUser, plugin only', h2.grpcPluginOnly, h2PluginOnlyRatios));
  }

  console.log('\nthe fast paths against connect-fastify alone (with / without, req/s paired per round, CPU medians):');
  for (const configuration of CONNECT) console.log(gainLine(configuration.name, runs.get(configuration)!, pluginOnlyRuns.get(configuration)!));
  if (h2Ratios.length > 0) console.log(gainLine('native gRPC over h2c', h2.grpc, h2.grpcPluginOnly));

  console.log('\ntargets (requests per second against the same read over REST, paired per round):');
  console.log(targetLine('Connect unary, JSON', spreadOf(pairedRatios(runs.get(CONFIGURATIONS[1])!)), { atLeast: 0.6 }));
  console.log(targetLine('Connect unary, binary protobuf', spreadOf(pairedRatios(runs.get(CONFIGURATIONS[2])!)), { atLeast: 0.6 }));
  if (h2Ratios.length > 0) console.log(targetLine('native gRPC over h2c (vs REST over h2c)', spreadOf(h2Ratios), { atLeast: 0.6 }));
  console.log(
    `load after the run: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  server.child.kill('SIGTERM');
  pluginOnly.child.kill('SIGTERM');
}
