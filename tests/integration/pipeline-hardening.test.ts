// The pipeline lab (server/protocols/mqtt/pipeline/) under hostile or careless use, against a real
// listening server (issue 25): whatever a client sends, the lab answers with a proper problem and
// its notifier keeps working for everyone.
import type { Bilingual } from '../../shared/bilingual.ts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';
import { brokerClient, sandbox, Subscriber, WAIT_MS } from './mqtt-helpers.ts';

interface ProblemBody {
  status: number;
  type: string;
  localized: Bilingual;
}

interface ConsumerView {
  running: boolean;
  connected: boolean;
  processed: number;
  error: Bilingual | null;
  notice: Bilingual | null;
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS * 3;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not reached: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** One sandbox's lab on `server`, driven with its sandbox header. */
function labOn(server: RunningServer, id = sandbox('hardening')) {
  const request = (method: string, path: string, body?: unknown, raw?: string): Promise<Response> =>
    fetch(`${server.origin}/api/v1/pipeline${path}`, {
      method,
      headers: { 'x-wirelab-sandbox': id, ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
    });
  const notifier = async (): Promise<ConsumerView> => {
    const response = await request('GET', '');
    expect(response.status).toBe(200);
    return ((await response.json()) as { consumers: Record<string, ConsumerView> }).consumers.notifier!;
  };
  const ready = () => until(async () => (await notifier()).connected, `${id}: notifier connected`);
  return { id, request, notifier, ready };
}

async function expectProblem(response: Response, status: number): Promise<ProblemBody> {
  const body = await response.text();
  expect(response.status, body.slice(0, 300)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(body) as ProblemBody;
  expect(problem.localized.en.length).toBeGreaterThan(0);
  expect(problem.localized.ru).toMatch(/[а-я]/);
  return problem;
}

describe('bodies the broker cannot carry or the lab cannot read', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('an order too large for one MQTT packet gets 413 before anything is published, and the notifier keeps answering', async () => {
    const lab = labOn(server);
    await lab.ready();
    const watcher = await Subscriber.connect(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${lab.id}` });
    await watcher.client.subscribeAsync('notifications/#', { qos: 1 });

    const tooLarge = await expectProblem(await lab.request('POST', '/notifications', { order: 'x'.repeat(300_000) }), 413);
    expect(tooLarge.localized.en).toMatch(/262 ?144|256 KiB/);
    await expectProblem(await lab.request('POST', '/notifications', { order: 1, text: 'y'.repeat(900_000) }), 413);

    const fine = await lab.request('POST', '/notifications', { order: 2 });
    expect(fine.status, await fine.clone().text()).toBe(201);
    await watcher.waitForCount(1);
    // Nothing was published for the refused orders: the one notification is order 2's.
    expect(watcher.received.map((message) => JSON.parse(message.payload).order)).toEqual([{ order: 2 }]);
    expect((await lab.notifier()).connected).toBe(true);
    await watcher.end();
  });

  it('an order published to the broker that its notification cannot carry is told without it, and the notifier goes on', async () => {
    const lab = labOn(server);
    await lab.ready();
    const url = `mqtt://127.0.0.1:${server.port}`;
    const watcher = await Subscriber.connect(url, { username: `sandbox:${lab.id}` });
    await watcher.client.subscribeAsync('notifications/#', { qos: 1 });
    const publisher = await mqtt.connectAsync(url, { username: `sandbox:${lab.id}`, reconnectPeriod: 0 });
    // The broker carries it (its packet is just under 256 KiB); the notification with it would not be.
    await publisher.publishAsync('orders/big', 'z'.repeat(262_000), { qos: 1 });
    await publisher.publishAsync('orders/small', JSON.stringify({ order: 3 }), { qos: 1 });
    await watcher.waitForCount(2);
    const [big, small] = watcher.received.map((message) => JSON.parse(message.payload));
    expect(big).toMatchObject({ order: null, orderBytes: 262_000, via: 'broker', topic: 'orders/big' });
    expect(small).toMatchObject({ order: { order: 3 }, via: 'broker' });
    expect((await lab.notifier()).connected).toBe(true);
    expect((await lab.request('POST', '/notifications', { order: 4 })).status).toBe(201);
    await publisher.endAsync();
    await watcher.end();
  });

  it('types and depth are checked by the route schemas: 422, never a stack overflow', async () => {
    const lab = labOn(server);
    const deep = `${'['.repeat(4000)}${']'.repeat(4000)}`;
    const deepRole = await expectProblem(await lab.request('PUT', '/consumers/notifier', undefined, `{"role": ${deep}}`), 422);
    expect(deepRole.localized.en).toMatch(/more than 8 levels/);
    expect(deepRole.type).toMatch(/too-deep$/);
    const nestedRole = await expectProblem(await lab.request('PUT', '/consumers/notifier', { role: [[['member']]] }), 422);
    expect(nestedRole.localized.en).toMatch(/^role is .*not "an array"/);
    const deepObject = `${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}`;
    await expectProblem(await lab.request('PUT', '/consumers/notifier', undefined, `{"role": ${deepObject}}`), 422);
    await expectProblem(await lab.request('POST', '/notifications', undefined, `{"order": 1, "extra": ${deep}}`), 422);
    await expectProblem(await lab.request('POST', '/notifications', { order: 1, text: { a: 1 } }), 422);
    await expectProblem(await lab.request('POST', '/notifications', { order: { id: 1 } }), 422);
    // No coercion: a string is not a number, nor a number a boolean.
    await expectProblem(await lab.request('PUT', '/consumers/notifier', { delayMs: '5' }), 422);
    await expectProblem(await lab.request('PUT', '/consumers/notifier', { running: 1 }), 422);
    await expectProblem(await lab.request('POST', '/notifications', { order: 1, text: 5 }), 422);
    // The server is still there, and so is this lab.
    expect((await lab.request('PUT', '/consumers/notifier', { delayMs: 5 })).status).toBe(200);
  });
});

describe('a notifier that lost its connection', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('comes back by itself, says so in both languages, and handles the orders again', async () => {
    const lab = labOn(server);
    await lab.ready();
    const url = `mqtt://127.0.0.1:${server.port}`;
    // The notifier's connection breaks (no outside client may take its session over: CONNACK 2).
    brokerClient(server.app.mqttBroker, `${lab.id}/pipeline/notifier`)!.conn.destroy();
    await until(async () => !(await lab.notifier()).connected || (await lab.notifier()).notice !== null, 'the notifier noticed it lost its connection');

    await until(async () => {
      const notifier = await lab.notifier();
      return notifier.connected && notifier.running && notifier.notice !== null;
    }, 'the notifier reconnected by itself');
    const notice = (await lab.notifier()).notice!;
    expect(notice.en).toMatch(/reconnected/i);
    expect(notice.ru).toMatch(/подключ/);

    const watcher = await Subscriber.connect(url, { username: `sandbox:${lab.id}` });
    await watcher.client.subscribeAsync('notifications/#', { qos: 1 });
    const publisher = await mqtt.connectAsync(url, { username: `sandbox:${lab.id}`, reconnectPeriod: 0 });
    await publisher.publishAsync('orders/new', JSON.stringify({ order: 9 }), { qos: 1 });
    await watcher.waitForCount(1);
    expect(JSON.parse(watcher.received[0]!.payload)).toMatchObject({ order: { order: 9 }, by: 'notifier', via: 'broker' });
    await publisher.endAsync();
    await watcher.end();
  });
});

describe('the shared sandbox', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('cannot be driven without a session: every lab route answers 403 problem+json', async () => {
    const bare = (method: string, path: string, body?: unknown) =>
      fetch(`${server.origin}/api/v1/pipeline${path}`, {
        method,
        headers: body !== undefined ? { 'content-type': 'application/json' } : {},
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    const refused = await expectProblem(await bare('PUT', '/consumers/notifier', { delayMs: 10_000 }), 403);
    expect(refused.localized.en).toMatch(/session/);
    await expectProblem(await bare('PUT', '/consumers/notifier', { running: false }), 403);
    await expectProblem(await bare('POST', '/notifications', { order: 1 }), 403);
    await expectProblem(await bare('DELETE', '/consumers/x'), 403);
    await expectProblem(await bare('GET', ''), 403);
    await expectProblem(await bare('GET', '/events'), 403);
  });
});

describe('budgets per client address', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ clientLimits: { connections: { mqtt: { perAddress: 4 }, pipelineLab: { perAddress: 3 } } } as never });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("the labs' own broker connections do not use up the address's MQTT budget", async () => {
    // Three labs, each with a notifier and a subscriber: six lab connections from the server's own address, past its budget of 4.
    const labs = [labOn(server), labOn(server), labOn(server)];
    for (const lab of labs) {
      await lab.ready();
      expect((await lab.request('PUT', '/consumers/audit', { role: 'subscriber' })).status).toBe(201);
    }
    for (const lab of labs) {
      await until(async () => {
        const state = (await (await lab.request('GET', '')).json()) as { consumers: Record<string, ConsumerView> };
        return Object.values(state.consumers).every((consumer) => consumer.connected);
      }, `${lab.id}: every consumer connected`);
    }
    // An outside client on the same address still gets its CONNACK 0, four times.
    const outside = [];
    for (let i = 0; i < 4; i++)
      outside.push(await mqtt.connectAsync(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${labs[0]!.id}`, reconnectPeriod: 0 }));
    for (const client of outside) await client.endAsync();
  });

  it('a fourth lab from the same address is refused with 429 problem+json, the open ones keep working', async () => {
    // The three labs of the test before hold the address's budget (their pages are gone, but they were used just now).
    const fourth = labOn(server);
    const refused = await expectProblem(await fourth.request('GET', ''), 429);
    expect(refused.localized.en).toMatch(/3 labs/);
    expect(Number((await fourth.request('PUT', '/consumers/notifier', { delayMs: 1 })).headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('an address at its lab budget', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Labs nobody watches or uses are taken back at once.
    server = await startServer({
      clientLimits: { connections: { pipelineLab: { perAddress: 2 } } } as never,
      mqtt: { pipeline: { reclaimIdleMs: 0 } as never },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('puts its own least recently used unwatched lab to sleep for a new one', async () => {
    const first = labOn(server);
    const second = labOn(server);
    const third = labOn(server);
    await first.ready();
    await second.ready();
    await third.ready();
    // The first one wakes again (it is the least recently used now, so the second sleeps for it).
    await first.ready();
  });
});
