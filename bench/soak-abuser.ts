// The abusive client of bench/soak.ts, in a process of its own so that its work never delays the
// students' measurements: for the given seconds, from 127.0.0.1, every pattern of issue 14 at
// once — fresh cookies for every request and connection, 1 MB echo calls filling capture rings,
// SSE streams, Engine.IO sessions and GraphQL WebSockets held open, new sandboxes, and a burst of
// writes in one sandbox. Prints one JSON line of what was accepted and refused, and its own CPU
// time, when its time is up or on SIGTERM (bench/soak.ts stops and continues it between rounds).
// Usage: node --import tsx bench/soak-abuser.ts <port> <seconds>
import { request as httpRequest, Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const port = Number(process.argv[2]);
const seconds = Number(process.argv[3] ?? 60);
const until = Date.now() + seconds * 1000;
/** Requests in flight per pattern: bounded, so the abuser loads the server, not its own loop. */
const CONCURRENCY = 8;
/** Connections each holding pattern keeps trying to hold. */
const HOLD_TARGET = 400;

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const counts: Record<string, { accepted: number; refused: number; failed: number }> = {};
const count = (pattern: string, outcome: 'accepted' | 'refused' | 'failed') => {
  counts[pattern] ??= { accepted: 0, refused: 0, failed: 0 };
  counts[pattern][outcome] += 1;
};
// Made-up ids, never issued: the server must treat each as no session at all (no ring, no quota of its own).
const freshCookie = () => `wirelab_session=${randomBytes(16).toString('base64url')}`;

function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(init.body);
  });
}

async function loop(pattern: string, once: () => Promise<number>): Promise<void> {
  const worker = async () => {
    while (Date.now() < until) {
      const status = await once();
      count(pattern, status >= 200 && status < 300 ? 'accepted' : status === 0 ? 'failed' : 'refused');
      // A refused client is told to retry later; this one does not wait, it only yields.
      if (status === 429 || status === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const oneMegabyte = JSON.stringify({ message: 'x'.repeat(1024 * 1024 - 32) });
const floodSandbox = `flood-${randomBytes(4).toString('hex')}`;
let flooded = 0;

/** BENCH_SOAK_PATTERNS=echo,rest… runs only some patterns (to see what each costs the students). */
const only = process.env.BENCH_SOAK_PATTERNS?.split(',');
const wanted = (key: string) => !only || only.includes(key);

const patterns = [
  wanted('rest') && loop('rest GET, fresh cookie', () => send('/api/v1/users/1', { headers: { cookie: freshCookie() } })),
  wanted('echo') &&
    loop('1 MB Connect echo, fresh cookie', () =>
      send('/wirelab.lab.v1.LabService/Echo', { method: 'POST', headers: { cookie: freshCookie(), 'content-type': 'application/json' }, body: oneMegabyte }),
    ),
  wanted('sandboxes') &&
    loop('new sandbox', () => send('/api/v1/posts?limit=1', { headers: { 'x-wirelab-sandbox': `abuse-${randomBytes(6).toString('hex')}` } })),
  wanted('flood') &&
    loop('GraphQL create flood in one sandbox', () => {
      flooded += 1;
      const query = `mutation { createUser(input: { name: "Flood ${flooded}", email: "flood${flooded}@example.com" }) { id } }`;
      return send('/graphql', {
        method: 'POST',
        headers: { 'x-wirelab-sandbox': floodSandbox, 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
    }),
  wanted('engine-io') && loop('Engine.IO handshake, fresh cookie', () => send('/socket.io/?EIO=4&transport=polling', { headers: { cookie: freshCookie() } })),
];

/** Opens connections of one kind until HOLD_TARGET are open or refusals come back; holds them to the end. */
async function hold(pattern: string, open: () => Promise<{ close(): void } | null>): Promise<void> {
  const held: Array<{ close(): void }> = [];
  while (Date.now() < until) {
    if (held.length >= HOLD_TARGET) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    const connection = await open();
    if (connection) {
      held.push(connection);
      count(pattern, 'accepted');
    } else {
      count(pattern, 'refused');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  for (const connection of held) connection.close();
}

function openSse(): Promise<{ close(): void } | null> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/events', headers: { cookie: freshCookie() } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return resolve(null);
      }
      response.resume();
      resolve({ close: () => req.destroy() });
    });
    req.on('error', () => resolve(null));
    req.end();
  });
}

function openGraphqlWs(): Promise<{ close(): void } | null> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws', { headers: { cookie: freshCookie() } });
    socket.once('error', () => resolve(null));
    socket.once('close', () => resolve(null));
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init' }));
      socket.once('message', () => resolve({ close: () => socket.close() }));
    });
  });
}

function finish(): never {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ counts, cpuS: (cpu.user + cpu.system) / 1e6 })}\n`);
  process.exit(0);
}
process.on('SIGTERM', finish);

await Promise.all([
  ...patterns,
  wanted('sse') && hold('SSE stream, fresh cookie', openSse),
  wanted('graphql-ws') && hold('GraphQL WebSocket, fresh cookie', openGraphqlWs),
]);
agent.destroy();
finish();
