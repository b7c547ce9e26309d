import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import mqtt from 'mqtt';
import { startCluster, type Cluster } from '../scale/cluster.ts';

// Two Wirelab instances on one Redis behind Debian's HAProxy running deploy/haproxy/haproxy.cfg,
// all started here on loopback (.ci/run installs redis-server and haproxy): what the load
// balancer itself must do, whatever the instances share.

const run = promisify(execFile);
const INSTANCE = 'x-wirelab-instance';
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

async function newSession(): Promise<{ cookie: string; issuedBy: string }> {
  const response = await fetch(`${cluster.lb.origin}/_wirelab/session`);
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  expect(cookie).toMatch(/^wirelab_session=/);
  return { cookie, issuedBy: response.headers.get(INSTANCE)! };
}

describe('HAProxy pins the wirelab_session cookie', () => {
  it('sends every request of one cookie to one instance, and different cookies to both', async () => {
    const landedOn = new Map<string, string>();
    for (let index = 0; index < 16; index++) {
      const { cookie } = await newSession();
      const instances = new Set<string>();
      for (let request = 0; request < 4; request++) {
        const response = await fetch(`${cluster.lb.origin}/api/v1/users/1`, { headers: { cookie } });
        expect(response.status).toBe(200);
        instances.add(response.headers.get(INSTANCE)!);
      }
      expect([...instances]).toHaveLength(1);
      landedOn.set(cookie, [...instances][0]!);
    }
    // 16 cookies all hashed to one of two instances: 1 in 32 768.
    expect(new Set(landedOn.values())).toEqual(new Set(cluster.instances.map((instance) => instance.id)));
  });

  it('keeps a student on the instance that holds their sandbox: what they create, they read back', async () => {
    for (let index = 0; index < 6; index++) {
      const { cookie } = await newSession();
      const name = `Pinned ${randomBytes(3).toString('hex')}`;
      const created = await fetch(`${cluster.lb.origin}/api/v1/users`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name, email: `${randomBytes(4).toString('hex')}@example.edu` }),
      });
      expect(created.status).toBe(201);
      const location = created.headers.get('location')!;
      // Sandboxes are per instance (SQLite in its DATA_DIR): a request sent to the other one would get 404.
      const read = await fetch(new URL(location, cluster.lb.origin), { headers: { cookie } });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { name: string }).name).toBe(name);
    }
  });

  it('pins a client without a cookie (curl, scripts) by its address', async () => {
    const seen = new Set<string>();
    for (let request = 0; request < 8; request++) seen.add((await fetch(`${cluster.lb.origin}/api/v1/users/1`)).headers.get(INSTANCE)!);
    expect(seen.size).toBe(1);
  });

  it('lets every instance accept a cookie any of them issued (one SESSION_SECRET_FILE)', async () => {
    const { cookie } = await newSession();
    for (const instance of cluster.instances) {
      const response = await fetch(`${instance.origin}/_wirelab/session`, { headers: { cookie } });
      // No new cookie: the session is recognised, not replaced.
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(`wirelab_session=${((await response.json()) as { session: string }).session}`).toBe(cookie);
    }
  });
});

describe('every transport passes through the one port of the load balancer', () => {
  it('passes a WebSocket upgrade (the echo endpoint)', async () => {
    const { cookie } = await newSession();
    const socket = new WebSocket(`ws://127.0.0.1:${cluster.lb.port}/ws/echo`, { headers: { cookie } });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const echoed = new Promise<string>((resolve) => socket.on('message', (data) => resolve(String(data))));
      socket.send('through haproxy');
      expect(await echoed).toContain('through haproxy');
    } finally {
      socket.terminate();
    }
  });

  it('keeps a Socket.IO session on one instance while it polls, then upgrades it to WebSocket', async () => {
    const { cookie } = await newSession();
    const socket: Socket = io(cluster.lb.origin, {
      transports: ['polling', 'websocket'],
      extraHeaders: { cookie },
      auth: { name: 'Ada' },
      reconnection: false,
      timeout: 10_000,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      // Several polling requests have passed by now (handshake, CONNECT, its answer): an unpinned
      // one would have met an instance that never heard of the Engine.IO session ("Session ID unknown").
      await new Promise<void>((resolve) => {
        if (socket.io.engine.transport.name === 'websocket') return resolve();
        socket.io.engine.once('upgrade', () => resolve());
      });
      expect(socket.io.engine.transport.name).toBe('websocket');
      const ack = await socket.timeout(10_000).emitWithAck('chat:join', 'lobby');
      expect(ack).toEqual({ ok: true, room: 'lobby' });
    } finally {
      socket.disconnect();
    }
  });

  it('stays on long polling alone through a cookie-less client (pinned by address)', async () => {
    const socket: Socket = io(cluster.lb.origin, { transports: ['polling'], auth: { name: 'Bob' }, reconnection: false, timeout: 10_000 });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      for (let index = 0; index < 5; index++) {
        expect(await socket.timeout(10_000).emitWithAck('chat:join', `room-${index}`)).toEqual({ ok: true, room: `room-${index}` });
      }
      expect(socket.io.engine.transport.name).toBe('polling');
    } finally {
      socket.disconnect();
    }
  });

  it('routes raw MQTT by its first byte: mosquitto_pub and mosquitto_sub through the load balancer', async () => {
    const box = `lb-${randomBytes(4).toString('hex')}`;
    const port = String(cluster.lb.port);
    const before = await cluster.lb.backendSessions('wirelab_mqtt');
    const published = await run('mosquitto_pub', ['-p', port, '-d', '-u', `sandbox:${box}`, '-t', 'lab/door', '-m', 'open', '-q', '1', '-r'], { timeout: 20_000 });
    expect(published.stdout).toMatch(/received CONNACK[\s\S]*received PUBACK/);
    const received = await run('mosquitto_sub', ['-p', port, '-W', '10', '-u', `sandbox:${box}`, '-t', 'lab/#', '-q', '1', '-C', '1', '-F', '%r %t %p'], { timeout: 20_000 });
    expect(received.stdout.trim()).toBe('1 lab/door open');
    expect(await cluster.lb.backendSessions('wirelab_mqtt')).toBe(before + 2);
  });

  it('passes MQTT over WebSocket (/mqtt) in the HTTP backend, pinned by the cookie', async () => {
    const { cookie } = await newSession();
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${cluster.lb.port}/mqtt`, { wsOptions: { headers: { cookie } }, reconnectPeriod: 0, connectTimeout: 10_000 });
    try {
      const received = new Promise<string>((resolve) => client.on('message', (topic, payload) => resolve(`${topic} ${payload}`)));
      await client.subscribeAsync('lab/ws', { qos: 1 });
      await client.publishAsync('lab/ws', 'over a websocket', { qos: 1 });
      expect(await received).toBe('lab/ws over a websocket');
    } finally {
      await client.endAsync();
    }
  });

  it('passes h2c with prior knowledge through as bytes (curl --http2-prior-knowledge)', async () => {
    const before = await cluster.lb.backendSessions('wirelab_h2c');
    const { stdout } = await run('curl', ['-sS', '-i', '--max-time', '10', '--http2-prior-knowledge', `${cluster.lb.origin}/api/v1/users?limit=1`], { timeout: 20_000 });
    expect(stdout).toMatch(/^HTTP\/2 200/);
    expect(stdout).toMatch(new RegExp(`^${INSTANCE}: wirelab-[ab]\\r?$`, 'm'));
    // The TCP backend carried it: HAProxy did not terminate the HTTP/2 and re-encode it.
    expect(await cluster.lb.backendSessions('wirelab_h2c')).toBe(before + 1);
  });


  it('carries gRPC over h2c with its trailers: Debian\'s python3-grpcio through the load balancer', async () => {
    const before = await cluster.lb.backendSessions('wirelab_h2c');
    const script = fileURLToPath(new URL('./interop/grpc_interop.py', import.meta.url));
    const { stdout } = await run('/usr/bin/python3', [script, `127.0.0.1:${cluster.lb.port}`, `lb-grpc-${randomBytes(4).toString('hex')}`], { timeout: 60_000 });
    const observed = JSON.parse(stdout);
    expect(observed.failed).toBeUndefined();
    expect(observed.health_overall).toBe(1);
    expect(observed.raw_get_user).toEqual({ id: 1, name: 'Ada Lovelace', email: 'ada@example.com' });
    // A server stream's end, a status with its details and a deadline: all in HTTP/2 trailers.
    expect(observed.streamed).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(observed.not_found.status.details[0]).toMatchObject({ type: 'google.rpc.ErrorInfo', reason: 'USER_NOT_FOUND' });
    expect(observed.deadline).toBe('DEADLINE_EXCEEDED');
    expect(await cluster.lb.backendSessions('wirelab_h2c')).toBeGreaterThan(before);
  }, 90_000);
});

describe('without the pinning (what the template prevents)', () => {
  it('loses a student\'s data and Socket.IO\'s polling session when wirelab_http balances round-robin', async () => {
    const unpinned = await cluster.extraLoadBalancer((config) =>
      config.replace(/^ *http-request set-var\(txn\.pin\).*\n/gm, '').replace(/^ *balance hash var\(txn\.pin\)$/m, '    balance roundrobin'),
    );
    const session = await fetch(`${unpinned.origin}/_wirelab/session`);
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      const created = await fetch(`${unpinned.origin}/api/v1/users`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Lost', email: `${randomBytes(4).toString('hex')}@example.edu` }),
      });
      const read = await fetch(new URL(created.headers.get('location')!, unpinned.origin), { headers: { cookie } });
      statuses.push(read.status);
    }
    // Round-robin: every read goes to the other instance than the write before it.
    expect(statuses).toEqual([404, 404, 404, 404]);

    const socket: Socket = io(unpinned.origin, { transports: ['polling'], extraHeaders: { cookie }, auth: { name: 'Eve' }, reconnection: false, timeout: 10_000 });
    try {
      const error = await new Promise<Error>((resolve) => {
        socket.once('connect_error', resolve);
        socket.once('connect', () => resolve(new Error('connected')));
      });
      // The handshake went to one instance, the next poll to the other, which never heard of the session.
      expect(error.message).not.toBe('connected');
    } finally {
      socket.disconnect();
    }
  });
});
