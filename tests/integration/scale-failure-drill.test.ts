import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { startCluster, TEACHER_KEY, type Cluster, type Instance } from '../scale/cluster.ts';
import { createUser, eventually, EventStreamReader, httpRequest, JsonSocket, newSession, WAIT_MS } from '../scale/clients.ts';
import { CLASS_CLOSE } from '../../contracts/class-channel/messages.ts';

// The failure drill (README, "Scaling out": what a student sees when an instance dies): two
// instances on one Redis behind HAProxy (deploy/haproxy/haproxy.cfg); the instance a student's
// clients are on is killed with SIGKILL in the middle of their streams, changes are made while it
// is gone, and each client does what a real one does: EventSource reconnects with Last-Event-ID,
// a long poller asks again with its cursor, socket.io-client reconnects by itself, an MQTT client
// with a persistent session (clean session off, QoS 1) connects again with the same client id.

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

const instanceById = (id: string): Instance => cluster.instances.find((instance) => instance.id === id)!;
const otherThan = (id: string): Instance => cluster.instances.find((instance) => instance.id !== id)!;

/** Instances an earlier case killed are started again, and HAProxy sends to them. */
async function everyInstanceUp(): Promise<void> {
  for (const instance of cluster.instances) {
    if (instance.process.exitCode !== null || instance.process.signalCode !== null) await instance.restart();
    await cluster.lb.waitForStatus(instance.id, 'UP');
  }
}

/** A change through the load balancer, asked again (as a student clicks again) if it answers 502/503 while HAProxy finds out. */
async function createThroughLb(headers: Record<string, string>, label: string): Promise<{ name: string; instance: string; attempts: number }> {
  for (let attempts = 1; ; attempts++) {
    const made = await createUser(cluster.lb.origin, headers, label).catch(() => ({ name: '', instance: '', status: 0 }));
    if (made.status === 201) return { name: made.name, instance: made.instance, attempts };
    if (attempts >= 20) throw new Error(`POST through the load balancer kept failing (last status ${made.status})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A long-polling client as the lesson's page runs it: asks again with its cursor after every answer or failure. */
function longPoller(headers: Record<string, string>) {
  const events: Array<{ id: number; type: string; data: { name?: string } }> = [];
  const failures: string[] = [];
  let cursor = 0;
  let running = true;
  let controller = new AbortController();
  const loop = (async () => {
    while (running) {
      try {
        const response = await httpRequest(`${cluster.lb.origin}/api/v1/poll?since=${cursor}&timeout=10`, { headers, signal: controller.signal });
        if (response.status === 200) {
          const body = response.json<{ events: typeof events; cursor: number }>();
          events.push(...body.events);
          cursor = body.cursor;
        } else if (response.status !== 204) failures.push(`HTTP ${response.status}`);
      } catch (error) {
        if (!running) break;
        failures.push((error as Error).message);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  })();
  return {
    events,
    failures,
    names: () => events.map((event) => event.data.name),
    async stop() {
      running = false;
      controller.abort();
      await loop;
      controller = new AbortController();
    },
  };
}

describe('an instance dies mid-stream (SIGKILL)', () => {
  it('SSE, long polling, Socket.IO and the class board carry on through the other instance', async () => {
    // A student: one browser session, pinned by its cookie.
    const { cookie } = await newSession(cluster.lb.origin);
    const student = { cookie };

    const stream = await EventStreamReader.open(cluster.lb.origin, student);
    const doomed = instanceById(stream.instance);
    const survivor = otherThan(doomed.id);
    const poller = longPoller(student);
    const socketEvents: string[] = [];
    let socketConnects = 0;
    // Reconnected by hand below, after the changes made while the instance is gone, so the test
    // knows the socket was away when they were made (socket.io-client's own reconnect, after
    // 1–5 s, would race them).
    const socket: Socket = io(cluster.lb.origin, { extraHeaders: student, auth: { name: 'Ada' }, reconnection: false, timeout: WAIT_MS });
    let socketDisconnect = '';
    socket.on('connect', () => socketConnects++);
    socket.on('disconnect', (reason) => (socketDisconnect = reason));
    socket.on('user:created', (event: { data: { name: string } }) => socketEvents.push(event.data.name));

    // The student is in a class and has passed an exercise (stored through the doomed instance).
    const created = await httpRequest(`${cluster.lb.origin}/_wirelab/class/classes`, {
      method: 'POST',
      headers: { 'x-wirelab-teacher-key': TEACHER_KEY },
      body: { title: 'Drill' },
    });
    const { code } = created.json<{ code: string }>();
    const joined = await httpRequest(`${cluster.lb.origin}/_wirelab/class/join`, { method: 'POST', headers: student, body: { code, name: 'Ada' } });
    const { memberToken } = joined.json<{ memberToken: string }>();

    try {
      await eventually('Socket.IO to connect', () => (socketConnects === 1 ? true : undefined));
      // The pass is the server's verdict on what it captured of this browser (issue 35): the
      // exercise's request first, made once every stream listens, so it is one of the events too.
      const before = [await createThroughLb(student, 'Before 1'), await createThroughLb(student, 'Before 2')];
      expect(before.map((made) => made.instance)).toEqual([doomed.id, doomed.id]);
      const report = await httpRequest(`${cluster.lb.origin}/_wirelab/class/progress`, {
        method: 'POST',
        headers: { 'x-wirelab-member': memberToken, ...student },
        body: { lesson: 'rest', exercise: 'create-201', passed: true },
      });
      expect(report.status).toBe(200);
      expect(report.instance).toBe(doomed.id);
      for (const made of before) {
        await stream.waitFor(made.name, (event) => event.data.includes(made.name));
        await eventually(`${made.name} by long polling`, () => (poller.names().includes(made.name) ? true : undefined));
        await eventually(`${made.name} over Socket.IO`, () => (socketEvents.includes(made.name) ? true : undefined));
      }
      const lastSeenId = stream.domainEvents().at(-1)!.id;

      await doomed.kill('SIGKILL');
      await eventually('the event stream to be cut', () => (stream.ended ? true : undefined));
      await eventually('Socket.IO to notice', () => (socketDisconnect ? true : undefined));
      expect(socketDisconnect).toBe('transport close');

      // While the student's instance is gone, the student changes things: HAProxy sends them to the survivor.
      const during = [await createThroughLb(student, 'During 1'), await createThroughLb(student, 'During 2')];
      expect(during.map((made) => made.instance)).toEqual([survivor.id, survivor.id]);
      // Not even the first click fails: HAProxy met a refused connection and redispatched it.
      expect(during.map((made) => made.attempts)).toEqual([1, 1]);

      // EventSource's reconnect: the same cookie, Last-Event-ID of the last event it read.
      const resumed = await EventStreamReader.open(cluster.lb.origin, { ...student, 'last-event-id': lastSeenId });
      try {
        expect(resumed.instance).toBe(survivor.id);
        for (const made of during) await resumed.waitFor(made.name, (event) => event.data.includes(made.name));
        // Nothing lost, nothing twice, no gap announced.
        expect(resumed.events.filter((event) => event.event === 'stream.gap')).toEqual([]);
        expect(resumed.domainEvents().map((event) => event.data.name)).toEqual(during.map((made) => made.name));
      } finally {
        resumed.close();
      }

      // The long poller resumed from its cursor: every event once.
      for (const made of during) await eventually(`${made.name} by long polling`, () => (poller.names().includes(made.name) ? true : undefined));
      expect(poller.names()).toEqual([...before, ...during].map((made) => made.name));

      // Socket.IO reconnects through the load balancer to the survivor; what happens from then on arrives.
      socket.connect();
      await eventually('Socket.IO to reconnect', () => (socketConnects === 2 ? true : undefined));
      const after = await createThroughLb(student, 'After');
      await eventually(`${after.name} over Socket.IO`, () => (socketEvents.includes(after.name) ? true : undefined));
      // Socket.IO has no replay (the Redis adapter cannot recover a connection's state): what was
      // emitted while it was disconnected is not delivered; the lesson's page reloads over REST.
      expect(socketEvents).toEqual([...before.map((made) => made.name), after.name]);

      // The progress stored before the instance died is on the board (read through the survivor).
      const board = await fetch(`${survivor.origin}/_wirelab/class/classes/${code}/board`, { headers: { 'x-wirelab-teacher-key': TEACHER_KEY } });
      const members = ((await board.json()) as { members: Array<{ name: string; results: Array<{ exercise: string; passedMs: number | null }> }> }).members;
      expect(members.find((member) => member.name === 'Ada')?.results).toEqual([
        expect.objectContaining({ exercise: 'create-201', passedMs: expect.any(Number) }),
      ]);

      await cluster.lb.waitForStatus(doomed.id, 'DOWN');
    } finally {
      stream.close();
      socket.disconnect();
      await poller.stop();
    }
  }, 120_000);

  it('an MQTT persistent session (clean session off, QoS 1) gets on the other instance what was published while it was away', async () => {
    await everyInstanceUp();
    const sandbox = `drill-${randomBytes(4).toString('hex')}`;
    const received: string[] = [];
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${cluster.lb.port}`, {
      clientId: `drill-${randomBytes(4).toString('hex')}`,
      clean: false,
      username: `sandbox:${sandbox}`,
      // Reconnected by hand after the publications, so they are certain to be made while it is away.
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    const sessionPresent: boolean[] = [];
    client.on('connect', (connack) => sessionPresent.push(connack.sessionPresent));
    client.on('message', (_topic, payload) => received.push(JSON.parse(String(payload)).data.name));
    try {
      await client.subscribeAsync('events/user/created', { qos: 1 });
      const open = await cluster.lb.openConnections('wirelab_mqtt');
      const doomed = instanceById([...open].find(([, count]) => count > 0)![0]);
      const survivor = otherThan(doomed.id);
      const changes = { 'x-wirelab-sandbox': sandbox };

      // Made on the other instance: reaches the client through Redis (retried until the subscription is everywhere).
      let first = { name: '' };
      for (let attempt = 0; attempt < 10 && !received.includes(first.name); attempt++) {
        first = await createUser(survivor.origin, changes, 'MQTT before');
        await eventually(`${first.name} over MQTT`, () => (received.includes(first.name) ? true : undefined), 1500).catch(() => undefined);
      }
      expect(received).toContain(first.name);

      await doomed.kill('SIGKILL');
      await eventually('the client to notice', () => (!client.connected ? true : undefined));
      const during = [await createUser(survivor.origin, changes, 'MQTT during 1'), await createUser(survivor.origin, changes, 'MQTT during 2')];

      // The client connects again with the same client id; HAProxy sends it to the survivor, which
      // has the session in Redis. (A QoS 1 message whose PUBACK the dead instance had not yet
      // stored may come again: at least once, as QoS 1 promises.)
      expect(during.some((made) => received.includes(made.name))).toBe(false);
      client.reconnect();
      for (const made of during) await eventually(`${made.name} after the reconnect`, () => (received.includes(made.name) ? true : undefined));
      expect(sessionPresent.at(-1)).toBe(true);
      expect(await cluster.lb.openConnections('wirelab_mqtt')).toEqual(
        new Map([
          [doomed.id, 0],
          [survivor.id, 1],
        ]),
      );
    } finally {
      await client.endAsync(true);
    }
  }, 120_000);

  it('a planned restart (SIGTERM): the stream is told, and resumes on the other instance', async () => {
    await everyInstanceUp();
    const student = { cookie: (await newSession(cluster.lb.origin)).cookie };
    const stream = await EventStreamReader.open(cluster.lb.origin, student);
    const leaving = instanceById(stream.instance);
    try {
      const before = await createThroughLb(student, 'Before restart');
      await stream.waitFor(before.name, (event) => event.data.includes(before.name));
      const lastSeenId = stream.domainEvents().at(-1)!.id;
      await leaving.kill('SIGTERM');
      // The last event says why, and asks for a longer wait before the reconnect.
      const shutdown = await stream.waitFor('server.shutdown', (event) => event.event === 'server.shutdown');
      expect(JSON.parse(shutdown.data).message.en).toMatch(/shutting down/);
      await eventually('the stream to end', () => (stream.ended ? true : undefined));

      const during = await createThroughLb(student, 'During restart');
      const resumed = await EventStreamReader.open(cluster.lb.origin, { ...student, 'last-event-id': lastSeenId });
      try {
        expect(resumed.instance).toBe(otherThan(leaving.id).id);
        await resumed.waitFor(during.name, (event) => event.data.includes(during.name));
        expect(resumed.domainEvents().map((event) => event.data.name)).toEqual([during.name]);
      } finally {
        resumed.close();
      }
    } finally {
      stream.close();
    }
  }, 120_000);

  it('after an instance dies and returns, a student’s class channel follows their HTTP back to it (4307), and the teacher’s freeze and reset reach them', async () => {
    await everyInstanceUp();
    const teacher = { 'x-wirelab-teacher-key': TEACHER_KEY };
    const { code } = (
      await httpRequest(`${cluster.lb.origin}/_wirelab/class/classes`, { method: 'POST', headers: teacher, body: { title: 'Failover' } })
    ).json<{ code: string }>();
    const student = { cookie: (await newSession(cluster.lb.origin)).cookie };
    const joined = await httpRequest(`${cluster.lb.origin}/_wirelab/class/join`, { method: 'POST', headers: student, body: { code, name: 'Vera' } });
    const { memberToken } = joined.json<{ memberToken: string }>();
    const home = instanceById(joined.instance);
    const openPage = async (): Promise<JsonSocket> => {
      const page = await JsonSocket.open(`${cluster.lb.origin.replace('http', 'ws')}/_wirelab/class/channel`, { headers: student });
      page.send({ type: 'hello', role: 'student', token: memberToken });
      await page.waitFor('joined', (message) => message.type === 'joined');
      return page;
    };
    const first = await openPage();
    await home.kill('SIGKILL');
    await eventually('the class channel to be cut', () => (first.closed ? true : undefined));
    // The page reconnects through the load balancer: its channel is on the survivor.
    const onSurvivor = await openPage();
    let page = onSurvivor;
    try {
      await home.restart();
      await cluster.lb.waitForStatus(home.id, 'UP');
      // The student's clicks go back to the instance that returned (the hash of their cookie).
      const before = await createUser(cluster.lb.origin, student, 'Back home');
      expect(before).toMatchObject({ status: 201, instance: home.id });
      // That new connection tells where the load balancer sends the session now: the survivor
      // closes the channel (server/scale/session-homes.ts), and the page opens it again beside its HTTP.
      await eventually('the channel on the survivor to follow the HTTP', () => (onSurvivor.closed ? true : undefined));
      expect(onSurvivor.closeCode).toBe(CLASS_CLOSE.moved);
      page = await openPage();

      const frozen = await httpRequest(`${cluster.lb.origin}/_wirelab/class/classes/${code}/freeze`, { method: 'PUT', headers: teacher });
      expect(frozen.status).toBe(200);
      await page.waitFor(
        'the page to say the writes are frozen',
        (message) => message.type === 'class-status' && (message.status as { frozenMs: unknown }).frozenMs !== null,
      );
      const refused = await createUser(cluster.lb.origin, student, 'While frozen');
      expect(refused).toMatchObject({ status: 423, instance: home.id });

      await httpRequest(`${cluster.lb.origin}/_wirelab/class/classes/${code}/freeze`, { method: 'DELETE', headers: teacher });
      await page.waitFor(
        'the page to say the writes are open again',
        (message) => message.type === 'class-status' && (message.status as { frozenMs: unknown }).frozenMs === null,
      );
      const made = await createUser(cluster.lb.origin, student, 'Before the reset');
      expect(made).toMatchObject({ status: 201, instance: home.id });

      const reset = await httpRequest(`${cluster.lb.origin}/_wirelab/class/classes/${code}/reset-data`, { method: 'POST', headers: teacher });
      expect(reset.status).toBe(204);
      await page.waitFor('the page to say the data was reset', (message) => message.type === 'data-reset');
      // The copy of the sandbox the student's clicks reach is the one reset.
      await eventually('the starting data on the instance the student’s HTTP reaches', async () => {
        const users = await httpRequest(`${cluster.lb.origin}/api/v1/users?limit=100`, { headers: student });
        expect(users.instance).toBe(home.id);
        return users.body.includes(made.name) || users.body.includes(before.name) ? undefined : true;
      });
    } finally {
      first.close();
      onSurvivor.close();
      page.close();
    }
  }, 120_000);
});
