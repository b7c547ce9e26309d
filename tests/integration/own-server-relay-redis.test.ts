// Issue 36, attack 1: a loopback client (any student behind a same-host reverse proxy) aims the
// relays at a Redis on Wirelab's machine. Debian's redis-server on a loopback port of its own;
// each attack is replayed through the relay, and then Redis itself (redis-cli) says whether the
// key it tried to set exists. On the old relays both keys were set.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OWN_SERVER_MQTT_RELAY_PATH, readRelayFact, relayQuery, type RelayFact } from '../../contracts/own-server/relays.ts';
import { encodeConnect } from '../../wire/mqtt/mqtt-packets.ts';
import { newSession } from './capture-client.ts';
import { postOnFreshConnection } from './own-server-starters.ts';
import { startRedisServer, type RunningRedis } from './redis-server.ts';
import { startServer, type RunningServer } from './start-server.ts';

const run = promisify(execFile);

let wirelab: RunningServer;
let redis: RunningRedis;
let session: string;

beforeAll(async () => {
  redis = await startRedisServer();
  wirelab = await startServer({ ownServers: true });
  session = await newSession(wirelab.origin);
}, 30_000);
afterAll(async () => {
  await Promise.all([wirelab?.close(), redis?.stop()]);
});

/** What Redis itself holds under `key` (null: no such key), asked with Debian's redis-cli. */
async function redisValue(key: string): Promise<string | null> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(redis.port), '--no-raw', 'GET', key]);
  return stdout.trim() === '(nil)' ? null : stdout.trim();
}

/** Sends `messages` through the MQTT relay to Redis, and waits for the relay's close (a raw pipe never closes: 3 s at most). */
async function throughMqttRelay(messages: Uint8Array[]): Promise<{ code: number; fact: RelayFact | null; received: number }> {
  const url = `ws://127.0.0.1:${wirelab.port}${OWN_SERVER_MQTT_RELAY_PATH}${relayQuery(`127.0.0.1:${redis.port}`)}`;
  const socket = new WebSocket(url, ['mqtt'], { headers: { cookie: `wirelab_session=${session}` } });
  socket.on('error', () => undefined);
  let received = 0;
  socket.on('message', (data: Buffer) => (received += data.length));
  socket.once('open', () => {
    for (const message of messages) socket.send(message);
  });
  const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    setTimeout(() => socket.terminate(), 3_000);
  });
  return { code: closed.code, fact: readRelayFact(closed.code, closed.reason), received };
}

describe('the relays aimed at a Redis on loopback', () => {
  it('MQTT relay: Redis commands sent as WebSocket messages never reach Redis', async () => {
    const inline = new TextEncoder().encode('SET wirelab-mqtt-inline owned\r\nINFO\r\n');
    const { code, fact, received } = await throughMqttRelay([inline]);
    expect(await redisValue('wirelab-mqtt-inline')).toBeNull();
    expect(fact).toEqual({ fact: 'not-mqtt', side: 'page', packet: 'PUBREC', rule: 'not-connect-first' });
    expect(code).toBe(4400);
    expect(received).toBe(0);
  });

  it('MQTT relay: a Redis command smuggled inside a well-formed CONNECT, or after it, is not run', async () => {
    const smuggling = encodeConnect({ clientId: 'a', will: { topic: 't', payload: '\r\nSET wirelab-mqtt-will owned\r\n', qos: 0 } });
    const refused = await throughMqttRelay([smuggling]);
    expect(await redisValue('wirelab-mqtt-will')).toBeNull();
    expect(refused.fact).toMatchObject({ fact: 'not-mqtt', side: 'page', rule: 'text-line' });
    // a clean CONNECT goes out; Redis answers "-ERR …", not a CONNACK: the relay ends, and the
    // command the page sent after its CONNECT was held back, never sent
    const after = new TextEncoder().encode('\r\nSET wirelab-mqtt-after owned\r\n');
    const ended = await throughMqttRelay([encodeConnect({ clientId: 'a' }), after]);
    expect(await redisValue('wirelab-mqtt-after')).toBeNull();
    expect(ended.fact).toMatchObject({ fact: 'not-mqtt' });
    expect(ended.received).toBe(0);
  });

  it('HTTP relay: the method SET is refused at once, and Redis never sees it', async () => {
    const started = performance.now();
    const response = await postOnFreshConnection(
      `${wirelab.origin}/_wirelab/own-server/http`,
      JSON.stringify({ target: `127.0.0.1:${redis.port}`, method: 'SET', path: '/wirelab-http', headers: [], body: 'owned' }),
      { 'content-type': 'application/json', cookie: `wirelab_session=${session}` },
    );
    // the old relay sent `SET /wirelab-http HTTP/1.1`: Redis stored "HTTP/1.1" under /wirelab-http
    expect(await redisValue('/wirelab-http')).toBeNull();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { localized: { en: string; ru: string } };
    expect(problem.localized.en).toMatch(/SET/);
    expect(problem.localized.ru).toMatch(/[а-яё]/i);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
