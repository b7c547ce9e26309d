import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import mqtt from 'mqtt';
import { startCluster, TEACHER_KEY, type Cluster } from '../scale/cluster.ts';
import { httpRequest, newSession as newSessionThrough } from '../scale/clients.ts';
import { CaptureClient } from './capture-client.ts';
import { connect } from 'node:net';
import { Agent } from 'node:http';

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

const newSession = () => newSessionThrough(cluster.lb.origin);

describe('HAProxy pins the wirelab_session cookie', () => {
  it('sends every request of one cookie to one instance, and different cookies to both', async () => {
    const landedOn = new Map<string, string>();
    for (let index = 0; index < 16; index++) {
      const { cookie } = await newSession();
      const instances = new Set<string>();
      for (let request = 0; request < 4; request++) {
        // Each on a connection of its own: HAProxy pins every one by its cookie.
        const response = await httpRequest(`${cluster.lb.origin}/api/v1/users/1`, { headers: { cookie } });
        expect(response.status).toBe(200);
        instances.add(response.instance);
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
      const created = await httpRequest(`${cluster.lb.origin}/api/v1/users`, {
        method: 'POST',
        headers: { cookie },
        body: { name, email: `${randomBytes(4).toString('hex')}@example.edu` },
      });
      expect(created.status).toBe(201);
      // Sandboxes are per instance (SQLite in its DATA_DIR): a request sent to the other one would get 404.
      const read = await httpRequest(new URL(String(created.headers.location), cluster.lb.origin), { headers: { cookie } });
      expect(read.status).toBe(200);
      expect(read.json<{ name: string }>().name).toBe(name);
    }
  });

  it("moves a keep-alive browser to its cookie's instance once it has the cookie", async () => {
    // One connection, kept alive, as a browser's: its first request has no cookie, so HAProxy
    // pinned it by address; the instance closes it when it hands out the cookie.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        const issued = await httpRequest(`${cluster.lb.origin}/_wirelab/session`, { agent });
        expect(issued.headers.connection).toBe('close');
        const cookie = String(issued.headers['set-cookie']![0]).split(';')[0]!;
        const pinnedTo = (await httpRequest(`${cluster.lb.origin}/api/v1/users/1`, { headers: { cookie } })).instance;
        // Only a session issued by one instance and pinned to the other tells anything.
        if (pinnedTo === issued.instance) continue;
        const next = await httpRequest(`${cluster.lb.origin}/api/v1/users/1`, { headers: { cookie }, agent });
        expect(next.instance).toBe(pinnedTo);
        return;
      }
      throw new Error('20 sessions all issued by the instance their cookie is pinned to');
    } finally {
      agent.destroy();
    }
  });

  it('pins a client without a cookie (curl, scripts) by its address', async () => {
    const seen = new Set<string>();
    for (let request = 0; request < 8; request++) seen.add((await httpRequest(`${cluster.lb.origin}/api/v1/users/1`)).instance);
    expect(seen.size).toBe(1);
  });

  it('lets every instance accept a cookie any of them issued (one SESSION_SECRET_FILE)', async () => {
    const { cookie } = await newSession();
    const names = new Set<string>();
    for (const instance of cluster.instances) {
      const response = await httpRequest(`${instance.origin}/_wirelab/session`, { headers: { cookie } });
      // No new cookie: the session is recognised, not replaced; the page never reads its id, only
      // its sandbox's public name, which is the same on every instance.
      expect(response.headers['set-cookie']).toBeUndefined();
      names.add(response.json<{ name: string }>().name);
    }
    expect(names.size).toBe(1);
    expect([...names][0]).toMatch(/^room\./);
  });
});

describe('HAProxy passes the bytes through untouched', () => {
  it("records in the student's inspector the request exactly as the client wrote it", async () => {
    const { session } = await newSession();
    const capture = await CaptureClient.open(cluster.lb.origin, session);
    try {
      // Header names in the client's own case and order: an HTTP-mode HAProxy would lower-case them.
      const written = `GET /api/v1/users/1 HTTP/1.1\r\nHost: 127.0.0.1:${cluster.lb.port}\r\nX-Lesson-Header: Kept As Written\r\nCookie: wirelab_session=${session}\r\nConnection: close\r\n\r\n`;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(cluster.lb.port, '127.0.0.1', () => socket.end(written));
        let text = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.once('close', () => resolve(text));
        socket.once('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      await capture.waitFor(() => capture.connections().some((conn) => capture.bytes(conn.id, 'in').toString('latin1').includes('X-Lesson-Header')), 10_000);
      const conn = capture.connections().find((candidate) => capture.bytes(candidate.id, 'in').toString('latin1').includes('X-Lesson-Header'))!;
      // byte for byte, save the cookie's value, which no inspector is ever sent (issue 35)
      const blanked = written.replace(/(Cookie: )([^\r]*)/, (_line, name: string, value: string) => name + '*'.repeat(value.length));
      expect(capture.bytes(conn.id, 'in').toString('latin1')).toBe(blanked);
    } finally {
      await capture.close();
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
    const published = await run('mosquitto_pub', ['-p', port, '-d', '-u', `sandbox:${box}`, '-t', 'lab/door', '-m', 'open', '-q', '1', '-r'], {
      timeout: 20_000,
    });
    expect(published.stdout).toMatch(/received CONNACK[\s\S]*received PUBACK/);
    const received = await run('mosquitto_sub', ['-p', port, '-W', '10', '-u', `sandbox:${box}`, '-t', 'lab/#', '-q', '1', '-C', '1', '-F', '%r %t %p'], {
      timeout: 20_000,
    });
    expect(received.stdout.trim()).toBe('1 lab/door open');
    expect(await cluster.lb.backendSessions('wirelab_mqtt')).toBe(before + 2);
  });

  it('passes MQTT over WebSocket (/mqtt) in the HTTP backend, pinned by the cookie', async () => {
    const { cookie } = await newSession();
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${cluster.lb.port}/mqtt`, {
      wsOptions: { headers: { cookie } },
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
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
    const { stdout } = await run('curl', ['-sS', '-i', '--max-time', '10', '--http2-prior-knowledge', `${cluster.lb.origin}/api/v1/users?limit=1`], {
      timeout: 20_000,
    });
    expect(stdout).toMatch(/^HTTP\/2 200/);
    expect(stdout).toMatch(new RegExp(`^${INSTANCE}: wirelab-[ab]\\r?$`, 'm'));
    // The TCP backend carried it: HAProxy did not terminate the HTTP/2 and re-encode it.
    expect(await cluster.lb.backendSessions('wirelab_h2c')).toBe(before + 1);
  });

  it("carries gRPC over h2c with its trailers: Debian's python3-grpcio through the load balancer", async () => {
    const before = await cluster.lb.backendSessions('wirelab_h2c');
    const script = fileURLToPath(new URL('./interop/grpc_interop.py', import.meta.url));
    const { stdout } = await run('/usr/bin/python3', [script, `127.0.0.1:${cluster.lb.port}`, `lb-grpc-${randomBytes(4).toString('hex')}`], {
      timeout: 60_000,
    });
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
  it("loses a student's data and Socket.IO's polling session when wirelab_http balances round-robin", async () => {
    const unpinned = await cluster.extraLoadBalancer((config) =>
      config.replace(/^ *tcp-request content set-var\(txn\.pin\).*\n/gm, '').replace(/^ *balance hash var\(txn\.pin\)$/m, '    balance roundrobin'),
    );
    const { cookie } = await newSessionThrough(unpinned.origin);
    const statuses: number[] = [];
    // A browser's requests go out on several connections: each here on its own.
    for (let index = 0; index < 4; index++) {
      const created = await httpRequest(`${unpinned.origin}/api/v1/users`, {
        method: 'POST',
        headers: { cookie },
        body: { name: 'Lost', email: `${randomBytes(4).toString('hex')}@example.edu` },
      });
      const read = await httpRequest(new URL(String(created.headers.location), unpinned.origin), { headers: { cookie } });
      statuses.push(read.status);
    }
    // Round-robin: every read goes to the other instance than the write before it.
    expect(statuses).toEqual([404, 404, 404, 404]);

    const socket: Socket = io(unpinned.origin, {
      transports: ['polling'],
      extraHeaders: { cookie },
      auth: { name: 'Eve' },
      reconnection: false,
      timeout: 10_000,
    });
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

describe("HAProxy passes each student's address (PROXY protocol)", () => {
  it('lets 21 students at 21 addresses join in one minute, where one address gets 429 past 20', async () => {
    const created = await httpRequest(`${cluster.lb.origin}/_wirelab/class/classes`, {
      method: 'POST',
      headers: { 'x-wirelab-teacher-key': TEACHER_KEY },
      body: { title: 'Behind HAProxy' },
    });
    expect(created.status).toBe(201);
    const { code } = created.json<{ code: string }>();
    // loopback is all of 127.0.0.0/8: each student connects from an address of their own
    const join = (from: string, name: string) =>
      httpRequest(`${cluster.lb.origin}/_wirelab/class/join`, { method: 'POST', body: { code, name }, localAddress: from });
    const students = Array.from({ length: 21 }, (_, index) => `127.0.${index + 10}.2`);
    const statuses = [];
    for (const [index, from] of students.entries()) statuses.push((await join(from, `Student ${index}`)).status);
    expect(statuses).toEqual(students.map(() => 200));
    const oneAddress = [];
    for (let index = 0; index < 21; index++) oneAddress.push((await join('127.0.99.2', `Same ${index}`)).status);
    expect(oneAddress.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(oneAddress[20]).toBe(429);
  });
});
