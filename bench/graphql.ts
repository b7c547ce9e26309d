// npm run bench (second part): the same read over GraphQL with batching on and off and over
// REST, in one run against one server process (no byte tap: this compares protocols, not the
// tap). Figures are ratios against REST measured in the same run, never absolute promises.
import autocannon from 'autocannon';
import { startBenchServer } from './bench-process.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;

interface Request {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Configuration {
  name: string;
  /** the HTTP requests of one read, sent in order on each connection */
  requests: Request[];
}

interface Scenario {
  title: string;
  configurations: Configuration[];
}

interface Sample {
  readsPerSecond: number;
  p50: number;
  p99: number;
}

const USER_FIELDS = 'id name email status roles phone createdAt updatedAt';
const POST_FIELDS = 'id title content createdAt updatedAt';

function graphqlRead(query: string, batching: boolean): Request {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...(batching ? {} : { 'x-wirelab-batching': 'off' }) },
    body: JSON.stringify({ query }),
  };
}

const oneUser = `{ user(id: 2) { ${USER_FIELDS} posts { ${POST_FIELDS} } } }`;
const tenUsers = `{ users(first: 10) { nodes { ${USER_FIELDS} posts { ${POST_FIELDS} } } } }`;

const SCENARIOS: Scenario[] = [
  {
    title: 'one user with their posts',
    configurations: [
      {
        name: 'REST: /users/2 + /users/2/posts',
        requests: [
          { method: 'GET', path: '/api/v1/users/2' },
          { method: 'GET', path: '/api/v1/users/2/posts?limit=10' },
        ],
      },
      { name: 'GraphQL, batching on', requests: [graphqlRead(oneUser, true)] },
      { name: 'GraphQL, batching off', requests: [graphqlRead(oneUser, false)] },
    ],
  },
  {
    title: '10 users with their posts',
    configurations: [
      {
        name: 'REST: /users + 10 × /users/:id/posts',
        requests: [
          { method: 'GET', path: '/api/v1/users?limit=10' },
          ...Array.from({ length: 10 }, (_, i) => ({ method: 'GET' as const, path: `/api/v1/users/${i + 1}/posts?limit=10` })),
        ],
      },
      { name: 'GraphQL, batching on', requests: [graphqlRead(tenUsers, true)] },
      { name: 'GraphQL, batching off', requests: [graphqlRead(tenUsers, false)] },
    ],
  },
];

async function load(origin: string, configuration: Configuration): Promise<Sample> {
  const result = await autocannon({ url: origin, connections: CONNECTIONS, duration: DURATION_S, requests: configuration.requests });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`bench: ${configuration.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  // A REST read is several requests: throughput is counted in whole reads.
  return { readsPerSecond: result.requests.average / configuration.requests.length, p50: result.latency.p50, p99: result.latency.p99 };
}

/** What one GraphQL read costs the server, from its own report in extensions.wirelab. */
async function storageQueriesOf(origin: string, request: Request): Promise<number | null> {
  if (request.path !== '/graphql') return null;
  const response = await fetch(`${origin}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  const body = (await response.json()) as { errors?: unknown[]; extensions?: { wirelab?: { storageQueries: number } } };
  if (body.errors) throw new Error(`bench: the read failed: ${JSON.stringify(body.errors)}`);
  return body.extensions?.wirelab?.storageQueries ?? null;
}

function median(samples: Sample[]): Sample {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { readsPerSecond: mid(samples.map((s) => s.readsPerSecond)), p50: mid(samples.map((s) => s.p50)), p99: mid(samples.map((s) => s.p99)) };
}

const server = await startBenchServer();
try {
  for (const scenario of SCENARIOS) {
    for (const configuration of scenario.configurations) await load(server.origin, { ...configuration }); // warm-up
    const runs = new Map<Configuration, Sample[]>(scenario.configurations.map((c) => [c, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved so drift (thermal, other load) hits every configuration alike.
      for (const configuration of scenario.configurations) runs.get(configuration)!.push(await load(server.origin, configuration));
    }
    const rest = median(runs.get(scenario.configurations[0])!);
    console.log(`\n${scenario.title}: ${CONNECTIONS} connections, ${ROUNDS} rounds × ${DURATION_S} s each, medians`);
    console.log('latency is per HTTP request (a REST read is several requests); throughput is in whole reads\n');
    console.log('configuration                          reads/s  p50 ms  p99 ms  SQL per read  reads/s vs REST');
    for (const configuration of scenario.configurations) {
      const s = median(runs.get(configuration)!);
      const statements = configuration.requests.length === 1 ? await storageQueriesOf(server.origin, configuration.requests[0]) : null;
      console.log(
        `${configuration.name.padEnd(38)} ${s.readsPerSecond.toFixed(0).padStart(7)}  ${String(s.p50).padStart(6)}  ${String(s.p99).padStart(6)}  ${String(statements ?? '—').padStart(12)}  ${(s.readsPerSecond / rest.readsPerSecond).toFixed(3).padStart(15)}`,
      );
    }
  }
} finally {
  server.child.kill('SIGTERM');
}
