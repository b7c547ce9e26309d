// npm run bench (gRPC part): the same read — user 1 — as a Connect unary call in JSON and in
// binary protobuf, and as the equivalent REST route, in one run against one server process (no
// byte tap: this compares protocols, not the tap). Figures are ratios against REST measured in
// the same run. Connect unary is plain HTTP/1.1 POST, so autocannon can load all three alike.
import autocannon from 'autocannon';
import { toBinary, create } from '@bufbuild/protobuf';
import { GetUserRequestSchema } from '../proto/gen/wirelab/users/v1/users_pb.ts';
import { startBenchServer } from './bench-process.ts';

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

async function load(origin: string, configuration: Configuration): Promise<Sample> {
  const { name, ...request } = configuration;
  const result = await autocannon({ url: origin, connections: CONNECTIONS, duration: DURATION_S, requests: [request] });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`bench: ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
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
  return { rps: mid(samples.map((s) => s.rps)), p50: mid(samples.map((s) => s.p50)), p99: mid(samples.map((s) => s.p99)) };
}

const server = await startBenchServer();
try {
  for (const configuration of CONFIGURATIONS) await load(server.origin, configuration); // warm-up
  const runs = new Map<Configuration, Sample[]>(CONFIGURATIONS.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved so drift (thermal, other load) hits every configuration alike.
    for (const configuration of CONFIGURATIONS) runs.get(configuration)!.push(await load(server.origin, configuration));
  }
  const rest = median(runs.get(CONFIGURATIONS[0])!);
  console.log(`\nGetUser(1) vs GET /api/v1/users/1: ${CONNECTIONS} connections, ${ROUNDS} rounds × ${DURATION_S} s each, medians\n`);
  console.log('configuration                       req/s  p50 ms  p99 ms  body bytes  req/s vs REST');
  for (const configuration of CONFIGURATIONS) {
    const s = median(runs.get(configuration)!);
    const bytes = await responseBytes(server.origin, configuration);
    console.log(
      `${configuration.name.padEnd(34)} ${s.rps.toFixed(0).padStart(6)}  ${String(s.p50).padStart(6)}  ${String(s.p99).padStart(6)}  ${String(bytes).padStart(10)}  ${(s.rps / rest.rps).toFixed(3).padStart(13)}`,
    );
  }
} finally {
  server.child.kill('SIGTERM');
}
