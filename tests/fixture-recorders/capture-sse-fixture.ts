// Records real Server-Sent Events traffic of the Wirelab server as a decoder fixture:
//   node --import tsx tests/fixture-recorders/capture-sse-fixture.ts
// The whole app listens on an ephemeral port; curl (an outside client) opens /api/v1/events with a
// browser session's cookie, so the byte tap records the stream for that session; a REST change
// makes an event, a quiet second makes a heartbeat comment, and a second curl resumes with
// Last-Event-ID. What the capture channel delivered is written to fixtures/sse-stream.json in
// the tap's chunk format (wire/fixtures/read-fixture.ts reads the same shape).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { buildApp } from '../../server/app.ts';
import type { CapturedConnection } from '../../wire/types.ts';
import type { CaptureFixture, FixtureChunk } from '../../wire/fixtures/read-fixture.ts';
import { decodeChunkFrame } from '../../contracts/capture-channel/messages.ts';

const CURL = '/usr/bin/curl';
const WAIT_MS = 10_000;

const app = await buildApp({ dataFile: ':memory:', webRoot: null });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no TCP port');
const origin = `http://127.0.0.1:${address.port}`;

const sessionResponse = await fetch(`${origin}/_wirelab/session`);
const cookie = (sessionResponse.headers.get('set-cookie') ?? '').split(';')[0];
if (!cookie) throw new Error('no session cookie');

const connections = new Map<string, CapturedConnection>();
const chunks: FixtureChunk[] = [];
const tap = new WebSocket(`${origin.replace('http', 'ws')}/_wirelab/tap`, { headers: { cookie } });
tap.on('message', (raw: Buffer, isBinary) => {
  if (isBinary) {
    chunks.push(...decodeChunkFrame(raw).map((chunk) => ({ ...chunk, data: Buffer.from(chunk.data).toString('base64') })));
    return;
  }
  const message = JSON.parse(String(raw)) as { type: string; conn?: CapturedConnection | string; chunks?: FixtureChunk[]; t?: number };
  if (message.type === 'connection') connections.set((message.conn as CapturedConnection).id, message.conn as CapturedConnection);
  if (message.type === 'chunks') chunks.push(...message.chunks!);
  if (message.type === 'closed') {
    const known = connections.get(message.conn as string);
    if (known) connections.set(known.id, { ...known, closedAt: message.t! });
  }
});
await new Promise((resolve, reject) => {
  tap.once('open', resolve);
  tap.once('error', reject);
});

/** Resolves once some recorded chunk's text matches: waiting for the bytes themselves. */
async function waitForBytes(pattern: RegExp, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!chunks.some((chunk) => pattern.test(Buffer.from(chunk.data, 'base64').toString('utf8')))) {
    if (Date.now() > deadline) throw new Error(`not captured in ${WAIT_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function createUser(name: string, email: string): Promise<void> {
  const response = await fetch(`${origin}/api/v1/users`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name, email }),
  });
  if (response.status !== 201) throw new Error(`POST /api/v1/users → ${response.status}`);
}

const curlVersion = execFileSync(CURL, ['--version'], { encoding: 'utf8' }).split(' ')[1];
const stream = (headers: string[]) =>
  spawn(CURL, ['-sN', '-H', `Cookie: ${cookie}`, ...headers.flatMap((header) => ['-H', header]), `${origin}/api/v1/events?heartbeat=1`], { stdio: 'ignore' });

// 1. a live stream: retry, an event from a REST change, a heartbeat comment
const live = stream([]);
await waitForBytes(/^retry: /m, 'the first retry field');
await createUser('Katherine Johnson', 'katherine@example.com');
await waitForBytes(/event: user\.created/, 'the user.created event');
await waitForBytes(/^: keep-alive/m, 'a heartbeat comment');
live.kill();
await new Promise((resolve) => live.once('exit', resolve));
// the tap reports the stream's connection closed: only then is nobody listening
const deadline = Date.now() + WAIT_MS;
while (
  ![...connections.values()].some(
    (connection) =>
      connection.closedAt !== undefined &&
      chunks.some((chunk) => chunk.conn === connection.id && /^GET \/api\/v1\/events/.test(Buffer.from(chunk.data, 'base64').toString('latin1'))),
  )
) {
  if (Date.now() > deadline) throw new Error('the first stream did not close');
  await new Promise((resolve) => setTimeout(resolve, 20));
}
// 2. a user created while nobody listens, then a stream resumed from the first event
await createUser('Мэри Джексон', 'mary@example.com');
const resumed = stream(['Last-Event-ID: 1']);
await waitForBytes(/Мэри|\\u041c/, 'the replayed user.created');
resumed.kill();
await new Promise((resolve) => resumed.once('exit', resolve));

// Only the event-stream connections: their first bytes are the GET of /api/v1/events.
const streamConnections = [...connections.values()].filter((connection) => {
  const first = chunks.filter((chunk) => chunk.conn === connection.id && chunk.dir === 'in').sort((a, b) => a.offset - b.offset)[0];
  return first && Buffer.from(first.data, 'base64').toString('latin1').startsWith('GET /api/v1/events');
});
const ids = new Set(streamConnections.map((connection) => connection.id));
const fixture: CaptureFixture = {
  name: 'sse-stream',
  description:
    'GET /api/v1/events?heartbeat=1 (retry, user.created, a keep-alive comment), then a second GET with Last-Event-ID: 1 that replays the event created in between',
  client: `curl ${curlVersion} against the Wirelab server`,
  connections: streamConnections,
  chunks: chunks.filter((chunk) => ids.has(chunk.conn)),
};
const dir = join(import.meta.dirname, '..', '..', 'web', 'wire', 'sse', 'fixtures');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'sse-stream.json'), `${JSON.stringify(fixture, null, 1)}\n`);
console.log(`${fixture.connections.length} connections, ${fixture.chunks.length} chunks`);
tap.close();
await app.close();
