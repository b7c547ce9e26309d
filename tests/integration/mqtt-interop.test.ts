import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from './start-server.ts';
import { sandbox } from './mqtt-helpers.ts';
import { toBrokerTopic } from '../../server/protocols/mqtt/topics.ts';
import { SHARED_SANDBOX } from '../../server/session/session-id.ts';

// Clients nobody here wrote, against the broker on the shared port: Debian's mosquitto_pub and
// mosquitto_sub over plain TCP, python3-paho-mqtt over TCP and over WebSocket. .ci/run installs them.
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PAHO_SCRIPT = fileURLToPath(new URL('./interop/mqtt_interop.py', import.meta.url));
const WAIT_S = '10';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/**
 * mosquitto_sub in `box` on `topic`, running until it has printed `count` messages (-C), with -v:
 * "topic payload" lines. `ready`: the broker has its subscription (its output is block-buffered
 * into a pipe, so the broker is asked, not the output).
 */
function mosquittoSub(box: string, topic: string, args: string[]): { ready: Promise<void>; lines: Promise<string[]> } {
  const brokerTopic = toBrokerTopic(box, topic);
  const broker = server.app.mqttBroker;
  let onSubscribe!: (subs: Array<{ topic: string }>) => void;
  const ready = new Promise<void>((resolve) => {
    onSubscribe = (subs) => {
      if (subs.some((sub) => sub.topic === brokerTopic)) resolve();
    };
    broker.on('subscribe', onSubscribe);
  });
  void ready.then(() => broker.off('subscribe', onSubscribe));
  const user = box === SHARED_SANDBOX ? [] : ['-u', `sandbox:${box}`];
  const child = spawn('mosquitto_sub', ['-p', String(server.port), '-W', WAIT_S, '-v', ...user, '-t', topic, ...args]);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const lines = new Promise<string[]>((resolve, reject) =>
    // 'close', not 'exit': the last of its output can still be in the pipe when it has exited
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`mosquitto_sub exited ${code}: ${out}${err}`));
      resolve(out.split('\n').filter((line) => line.length > 0));
    }),
  );
  return { ready, lines };
}

async function mosquittoPub(args: string[]): Promise<string> {
  const { stdout } = await run('mosquitto_pub', ['-p', String(server.port), '-d', ...args], { timeout: 20_000 });
  return stdout;
}

describe('mosquitto_pub and mosquitto_sub on the shared port', () => {
  it('deliver at QoS 1 and QoS 2 with the full handshakes', async () => {
    const box = sandbox('mosq');
    const user = ['-u', `sandbox:${box}`];
    const sub = mosquittoSub(box, 'orders/#', ['-q', '2', '-C', '2']);
    await sub.ready;
    const qos1 = await mosquittoPub([...user, '-t', 'orders/1', '-m', 'at least once', '-q', '1']);
    expect(qos1).toMatch(/received PUBACK/);
    const qos2 = await mosquittoPub([...user, '-t', 'orders/2', '-m', 'exactly once', '-q', '2']);
    expect(qos2).toMatch(/received PUBREC[\s\S]*sending PUBREL[\s\S]*received PUBCOMP/);
    expect(await sub.lines).toEqual(expect.arrayContaining(['orders/1 at least once', 'orders/2 exactly once']));
  });

  it('give a late subscriber the retained message', async () => {
    const box = sandbox('mosq-retain');
    await mosquittoPub(['-u', `sandbox:${box}`, '-t', 'sensors/temp', '-m', '21.5', '-q', '1', '-r']);
    const sub = mosquittoSub(box, 'sensors/#', ['-q', '1', '-C', '1', '-F', '%r %t %p']);
    expect(await sub.lines).toEqual(['1 sensors/temp 21.5']);
  });

  it('keep QoS 1 and 2 messages for a persistent session (-c -i) across a reconnect', async () => {
    const box = sandbox('mosq-persist');
    const user = ['-u', `sandbox:${box}`];
    // -E: subscribe, then disconnect at once, leaving the session behind.
    const first = mosquittoSub(box, 'jobs/#', ['-c', '-i', 'worker', '-q', '2', '-E']);
    await first.lines;
    await mosquittoPub([...user, '-t', 'jobs/1', '-m', 'queued at QoS 1', '-q', '1']);
    await mosquittoPub([...user, '-t', 'jobs/2', '-m', 'queued at QoS 2', '-q', '2']);
    const back = mosquittoSub(box, 'jobs/#', ['-c', '-i', 'worker', '-q', '2', '-C', '2']);
    expect(await back.lines).toEqual(['jobs/1 queued at QoS 1', 'jobs/2 queued at QoS 2']);
  });

  it("see a user created over REST in the shared sandbox with -t '#'", async () => {
    const sub = mosquittoSub(SHARED_SANDBOX, '#', ['-q', '1', '-C', '1']);
    await sub.ready;
    const response = await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Mosquitto Reader', email: `${sandbox('m')}@example.com` }),
    });
    expect(response.status).toBe(201);
    const [line] = await sub.lines;
    expect(line).toMatch(/^events\/user\/created \{.*"type":"user.created".*"sandboxId":"shared"/);
  });

  it('see a line of the WebSocket chat on chat/websocket/<sandbox>', async () => {
    const box = sandbox('mosq-chat');
    const sub = mosquittoSub(box, 'chat/#', ['-q', '1', '-C', '1']);
    await sub.ready;
    const chat = new WebSocket(`ws://127.0.0.1:${server.port}/ws/chat?name=mosquitto`, 'wirelab.chat.v1', { headers: { 'x-wirelab-sandbox': box } });
    try {
      await new Promise((resolve, reject) => chat.once('open', resolve).once('error', reject));
      chat.send('a chat line for the broker');
      const [line] = await sub.lines;
      const space = line!.indexOf(' ');
      expect(line!.slice(0, space)).toBe(`chat/websocket/${box}`);
      expect(JSON.parse(line!.slice(space + 1))).toMatchObject({
        sandboxId: box,
        room: box,
        name: 'mosquitto',
        text: 'a chat line for the broker',
        via: 'websocket',
      });
    } finally {
      chat.close();
    }
  });
});

describe.each(['tcp', 'websockets'])('python3-paho-mqtt over %s', (transport) => {
  it('QoS 0/1/2, retained, will and a persistent session', async () => {
    const { stdout } = await run(PYTHON, [PAHO_SCRIPT, transport, '127.0.0.1', String(server.port), sandbox('paho')], { timeout: 60_000 });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    expect(seen.granted).toEqual([2]);
    expect(seen.published).toEqual([true, true, true]);
    expect(seen.qos_messages).toEqual([
      { topic: 'paho/q0', payload: 'qos 0', qos: 0, retain: false },
      { topic: 'paho/q1', payload: 'qos 1', qos: 1, retain: false },
      { topic: 'paho/q2', payload: 'qos 2', qos: 2, retain: false },
    ]);
    expect(seen.retained).toEqual({ topic: 'retained/config', payload: 'kept', qos: 1, retain: true });
    expect(seen.will).toMatchObject({ topic: 'paho/will', payload: 'gone' });
    expect(seen.session_present).toBe(true);
    expect(seen.queued).toEqual([
      { topic: 'jobs/1', payload: 'while you were away', qos: 1, retain: false },
      { topic: 'jobs/2', payload: 'and this one', qos: 1, retain: false },
    ]);
  });
});
