import { execFile, spawn } from 'node:child_process';
import { connect as connectTcp } from 'node:net';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { brokerClient, refusedWith, sandbox, Subscriber } from './mqtt-helpers.ts';
import { toBrokerTopic } from '../../server/protocols/mqtt/topics.ts';
import { encodeConnect } from '../../wire/mqtt/mqtt-packets.ts';
import { CURL_TOKEN_TTL_MS, newCurlToken } from '../../server/session/session-id.ts';

// The user name `sandbox:<curl token>` (what GET /_wirelab/session hands a student for curl) with
// Debian's mosquitto_pub/mosquitto_sub over plain TCP, and lab client ids refused to outsiders.

const run = promisify(execFile);
const WAIT_S = '10';

let server: RunningServer;
let tcp: string;
beforeAll(async () => {
  server = await startServer();
  tcp = `mqtt://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
});

async function curlTokenOf(session: string): Promise<string> {
  const response = await fetch(`${server.origin}/_wirelab/session`, { headers: { cookie: `wirelab_session=${session}` } });
  return ((await response.json()) as { curlToken: string }).curlToken;
}

/** mosquitto_pub -d: its exit code and what it printed (the CONNACK code among it). */
async function mosquittoPub(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('mosquitto_pub', ['-p', String(server.port), '-d', ...args], { timeout: 20_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the user name sandbox:<curl token>', () => {
  it("puts mosquitto_pub in the token's session sandbox and its connection in that session's capture", async () => {
    const session = await newSession(server.origin);
    const token = await curlTokenOf(session);
    const capture = await CaptureClient.open(server.origin, session);
    // A subscriber in the session's sandbox, as the browser would be (its cookie, over WebSocket).
    const watcher = await Subscriber.connect(`ws://127.0.0.1:${server.port}/mqtt`, { wsOptions: { headers: { cookie: `wirelab_session=${session}` } } });
    await watcher.client.subscribeAsync('orders/#', { qos: 1 });

    const published = await mosquittoPub(['-u', `sandbox:${token}`, '-t', 'orders/1', '-m', 'sent with the curl token', '-q', '1']);
    expect(published.output).toMatch(/received CONNACK \(0\)/);
    expect(published.code).toBe(0);
    const [message] = await watcher.waitForCount(1);
    expect(message).toMatchObject({ topic: 'orders/1', payload: 'sent with the curl token' });

    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'mqtt'));
    const conn = capture.connections().find((c) => c.transport === 'mqtt')!;
    await capture.waitFor(() => capture.bytes(conn.id, 'in').includes(Buffer.from('sent with the curl token')));
    expect(capture.bytes(conn.id, 'in')[0]).toBe(0x10); // its CONNECT, as mosquitto_pub sent it
    await watcher.end();
    await capture.close();
  });

  it('lets mosquitto_sub with the token receive what a sandbox:<session> client publishes', async () => {
    const session = await newSession(server.origin);
    const token = await curlTokenOf(session);
    const broker = server.app.mqttBroker;
    const subscribed = new Promise<void>((resolve) => {
      const onSubscribe = (subs: Array<{ topic: string }>) => {
        if (!subs.some((sub) => sub.topic === toBrokerTopic(session, 'chat/#'))) return;
        broker.off('subscribe', onSubscribe);
        resolve();
      };
      broker.on('subscribe', onSubscribe);
    });
    const child = spawn('mosquitto_sub', ['-p', String(server.port), '-W', WAIT_S, '-v', '-u', `sandbox:${token}`, '-t', 'chat/#', '-q', '1', '-C', '1']);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    // 'close': its output read to the end (at 'exit' the last of it can still be in the pipe)
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await subscribed;
    const publisher = await mqtt.connectAsync(tcp, { username: `sandbox:${session}`, reconnectPeriod: 0 });
    await publisher.publishAsync('chat/room', 'to the token holder', { qos: 1 });
    await publisher.endAsync();
    expect(await exited).toBe(0);
    expect(out.trim()).toBe('chat/room to the token holder');
  });

  it('refuses an expired or altered token with CONNACK 4, not quietly in the shared sandbox', async () => {
    const session = await newSession(server.origin);
    const token = await curlTokenOf(session);
    const altered = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);
    // Made with the server's own key (same process) eight hours and a bit ago: expired.
    const expired = newCurlToken(session, Date.now() - CURL_TOKEN_TTL_MS - 2_000).token;
    for (const bad of [altered, expired]) {
      const refused = await mosquittoPub(['-u', `sandbox:${bad}`, '-t', 'orders/1', '-m', 'x', '-q', '1']);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/received CONNACK \(4\)/);
      expect(await refusedWith(tcp, { username: `sandbox:${bad}` })).toBe(4);
    }
  });
});

describe('a CONNECT refused before the broker reads it', () => {
  it("is recorded in the session its user name names: mosquitto_pub's MQTT 5 CONNECT and the CONNACK 1 that refused it", async () => {
    const session = await newSession(server.origin);
    const token = await curlTokenOf(session);
    const capture = await CaptureClient.open(server.origin, session);
    const refused = await mosquittoPub(['-V', 'mqttv5', '-u', `sandbox:${token}`, '-t', 'orders/1', '-m', 'x', '-q', '1']);
    expect(refused.code).not.toBe(0);

    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'mqtt'));
    const conn = capture.connections().find((c) => c.transport === 'mqtt')!;
    await capture.waitFor(() => capture.bytes(conn.id, 'out').length >= 4);
    const sent = capture.bytes(conn.id, 'in');
    expect(sent[0]).toBe(0x10);
    expect(sent.subarray(2, 9)).toEqual(Buffer.from([0x00, 0x04, ...Buffer.from('MQTT'), 0x05])); // its level, 5
    expect([...capture.bytes(conn.id, 'out')]).toEqual([0x20, 0x02, 0x00, 0x01]); // CONNACK 1: unacceptable protocol version
    await capture.close();
  });

  it('is recorded when the connection closes without a CONNACK (a will at QoS 3, MQTT-3.1.2-14)', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const connect = Buffer.from(encodeConnect({ clientId: 'qos3', username: `sandbox:${session}`, will: { topic: 'status/x', payload: 'gone', qos: 1 } }));
    connect[9] = connect[9]! | 0x18; // the will QoS bits: 3
    const socket = connectTcp(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.end(connect);
    await new Promise((resolve) => socket.once('close', resolve));

    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'mqtt'));
    const conn = capture.connections().find((c) => c.transport === 'mqtt')!;
    await capture.waitFor(() => capture.bytes(conn.id, 'in').length === connect.length);
    expect(capture.bytes(conn.id, 'in').subarray(0, 10)).toEqual(connect.subarray(0, 10));
    expect(capture.bytes(conn.id, 'out').length).toBe(0);
    await capture.close();
  });
});

describe('pipeline lab client ids', () => {
  it('are refused with CONNACK 2 to anyone but the lab, whose consumer keeps its session and connection', async () => {
    const box = sandbox('lab-ids');
    const broker = server.app.mqttBroker;
    const notifierId = `${box}/pipeline/notifier`;
    const lab = () => fetch(`${server.origin}/api/v1/pipeline`, { headers: { 'x-wirelab-sandbox': box } });
    // The lab starts with its sandbox's first request; its notifier connects by itself.
    await new Promise<void>((resolve, reject) => {
      const onClientReady = (client: { id: string }) => {
        if (client.id !== notifierId) return;
        broker.off('clientReady', onClientReady);
        resolve();
      };
      broker.on('clientReady', onClientReady);
      lab().then((response) => (response.ok ? undefined : reject(new Error(`lab answered ${response.status}`))), reject);
    });
    const notifier = brokerClient(broker, notifierId);
    expect(notifier).toBeDefined();

    for (const clientId of ['pipeline/notifier', 'pipeline/workers/p0']) {
      expect(await refusedWith(tcp, { username: `sandbox:${box}`, clientId, clean: false })).toBe(2);
    }
    // A password that looks like the lab's one-time token, not one it made: refused as well.
    expect(await refusedWith(tcp, { username: `sandbox:${box}`, clientId: 'pipeline/notifier', password: 'lab.AAAAAAAAAAAAAAAAAAAAAAAA' })).toBe(2);
    // The broker takes a session over while it handles CONNECT, before its CONNACK: none happened.
    expect(brokerClient(broker, notifierId)).toBe(notifier);
    const state = (await (await lab()).json()) as { consumers: Record<string, { connected: boolean; notice: unknown }> };
    expect(state.consumers.notifier).toMatchObject({ connected: true, notice: null });

    // A client id merely containing the word is anyone's.
    const ordinary = await mqtt.connectAsync(tcp, { username: `sandbox:${box}`, clientId: 'my-pipeline/notifier', reconnectPeriod: 0 });
    await ordinary.endAsync();
  });
});
