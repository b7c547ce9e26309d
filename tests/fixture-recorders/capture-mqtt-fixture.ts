// Records real MQTT traffic of the Wirelab server as a decoder fixture:
//   node --import tsx tests/fixture-recorders/capture-mqtt-fixture.ts
// The whole app listens on an ephemeral port with its broker; Debian's mosquitto_sub and
// mosquitto_pub (outside clients) speak MQTT over plain TCP with the user name naming a browser
// session, so the byte tap records them for it: a persistent subscription with QoS 2, a retained
// QoS 1 publish, a QoS 2 publish (its four-step handshake on both sides), pings. mqtt.js then
// does the same over WebSocket at /mqtt with the session's cookie. What the capture channel
// delivered is written to fixtures/mqtt-session.json in the tap's chunk format.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { WebSocket } from 'ws';
import { buildApp } from '../../server/app.ts';
import type { CapturedConnection } from '../../wire/types.ts';
import type { CaptureFixture, FixtureChunk } from '../../wire/fixtures/read-fixture.ts';
import { decodeChunkFrame } from '../../contracts/capture-channel/messages.ts';

const WAIT_MS = 10_000;

const app = await buildApp({ dataFile: ':memory:', webRoot: null });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no TCP port');
const port = address.port;
const origin = `http://127.0.0.1:${port}`;

const sessionResponse = await fetch(`${origin}/_wirelab/session`);
const cookie = (sessionResponse.headers.get('set-cookie') ?? '').split(';')[0];
if (!cookie) throw new Error('no session cookie');
const session = cookie.split('=')[1]!;

const connections = new Map<string, CapturedConnection>();
const chunks: FixtureChunk[] = [];
const tap = new WebSocket(`${origin.replace('http', 'ws')}/_wirelab/tap`, { headers: { cookie } });
tap.on('message', (raw: Buffer, isBinary) => {
  if (isBinary) {
    chunks.push(...decodeChunkFrame(raw).map((chunk) => ({ ...chunk, data: Buffer.from(chunk.data).toString('base64') })));
    return;
  }
  const message = JSON.parse(String(raw)) as { type: string; conn?: CapturedConnection | string; t?: number };
  if (message.type === 'connection') connections.set((message.conn as CapturedConnection).id, message.conn as CapturedConnection);
  if (message.type === 'closed') {
    const known = connections.get(message.conn as string);
    if (known) connections.set(known.id, { ...known, closedAt: message.t! });
  }
});
await new Promise((resolve, reject) => {
  tap.once('open', resolve);
  tap.once('error', reject);
});

async function waitFor(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not captured in ${WAIT_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const allClosed = (count: number) => () => [...connections.values()].filter((conn) => conn.closedAt !== undefined).length >= count;
const user = ['-p', String(port), '-h', '127.0.0.1', '-u', `sandbox:${session}`];
/** The server runs in this process: a client must not block its event loop (no execFileSync). */
async function publish(args: string[]): Promise<void> {
  const child = spawn('/usr/bin/mosquitto_pub', [...user, ...args], { stdio: 'ignore' });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`mosquitto_pub ${args.join(' ')} exited with ${String(code)}`);
}

// 1. plain TCP: a persistent QoS 2 subscriber that waits for two messages, a retained QoS 1 publish, a QoS 2 publish
const subscriber = spawn('/usr/bin/mosquitto_sub', [...user, '-i', 'worker', '-c', '-q', '2', '-k', '5', '-t', 'orders/#', '-C', '2', '-v'], {
  stdio: 'ignore',
});
const subscriberDone = new Promise((resolve) => subscriber.once('exit', resolve));
await waitFor(() => [...connections.values()].some((conn) => conn.transport === 'mqtt'), 'the subscriber connection');
await new Promise((resolve) => setTimeout(resolve, 300));
await publish(['-i', 'shop', '-q', '1', '-r', '-t', 'orders/1', '-m', '{"item":"book","qty":1}']);
await publish(['-i', 'shop', '-q', '2', '-t', 'orders/2', '-m', 'exactly once']);
await subscriberDone;
await waitFor(allClosed(3), 'three closed TCP connections');

// 2. WebSocket at /mqtt: mqtt.js subscribes, gets the retained message, publishes with QoS 2, pings, ends
const client = await mqtt.connectAsync(`ws://127.0.0.1:${port}/mqtt`, {
  clientId: 'browser-like',
  keepalive: 1,
  reconnectPeriod: 0,
  wsOptions: { headers: { cookie } },
});
const retained = new Promise((resolve) => client.once('message', resolve));
await client.subscribeAsync('orders/#', { qos: 2 });
await retained;
await client.publishAsync('orders/3', Buffer.from([0x08, 0x96, 0x01]), { qos: 2 });
await new Promise((resolve) => setTimeout(resolve, 1500)); // one keep-alive period: PINGREQ, PINGRESP
await client.endAsync();
await waitFor(allClosed(4), 'the WebSocket connection closed');

// biome-ignore lint/suspicious/noTemplateCurlyInString: ${Version} is dpkg-query's own format field, not a template
const mosquittoVersion = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'mosquitto-clients'], { encoding: 'utf8' });
const fixture: CaptureFixture = {
  name: 'mqtt-session',
  description:
    'MQTT 3.1.1 over plain TCP (mosquitto_sub: persistent session, QoS 2 subscription; mosquitto_pub: retained QoS 1, QoS 2) and over WebSocket at /mqtt (mqtt.js: subscribe, retained delivery, QoS 2 publish, PINGREQ/PINGRESP, DISCONNECT), as the tap recorded them',
  client: `mosquitto-clients ${mosquittoVersion} (Debian); mqtt.js 5.16.0`,
  connections: [...connections.values()],
  chunks,
};
const dir = join(import.meta.dirname, '..', '..', 'web', 'wire', 'mqtt', 'fixtures');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'mqtt-session.json'), `${JSON.stringify(fixture, null, 1)}\n`);
console.log(`wrote ${fixture.connections.length} connections, ${chunks.length} chunks`);
tap.close();
await app.close();
