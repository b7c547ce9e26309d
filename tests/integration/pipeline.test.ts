// The "order → notification" lab (server/protocols/mqtt/pipeline/) against a real listening
// server: its consumers are real MQTT clients of the broker on the same port.
import type { Bilingual } from '../../shared/bilingual.ts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';
import { sandbox, Subscriber, WAIT_MS } from './mqtt-helpers.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ mqtt: { pipeline: { maxBacklog: 5 } } });
});
afterAll(async () => {
  await server?.close();
});

interface Notification {
  order: { order?: number } | string;
  by: string;
  via: string;
  whileDown: boolean;
  redelivered: boolean;
  dup: boolean;
  retained: boolean;
  partition?: number;
  backlog: number;
  handledBy: string[];
  members?: number;
}

/** One sandbox's view of the lab: its REST routes, a publisher and a subscriber to the notifications. */
class Lab {
  readonly id = sandbox('pipeline');
  publisher!: MqttClient;
  notifications!: Subscriber;

  async open(): Promise<this> {
    const url = `mqtt://127.0.0.1:${server.port}`;
    this.publisher = await mqtt.connectAsync(url, { username: `sandbox:${this.id}`, reconnectPeriod: 0 });
    this.notifications = await Subscriber.connect(url, { username: `sandbox:${this.id}` });
    await this.notifications.client.subscribeAsync('notifications/#', { qos: 1 });
    await this.state();
    await this.until(async () => (await this.state()).consumers.notifier.connected === true);
    return this;
  }

  async close(): Promise<void> {
    await this.publisher.endAsync();
    await this.notifications.end();
  }

  request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${server.origin}/api/v1/pipeline${path}`, {
      method,
      headers: { 'x-wirelab-sandbox': this.id, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  }

  async state() {
    const response = await this.request('GET', '');
    expect(response.status).toBe(200);
    return (await response.json()) as {
      consumers: Record<
        string,
        { running: boolean; connected: boolean; backlog: number; dropped: number; processed: number; partitions?: number[]; busy: boolean }
      >;
      group: { partitions: Array<{ owner: string | null; backlog: number }>; backlog: number } | null;
    };
  }

  async consumer(name: string, change: Record<string, unknown>): Promise<Response> {
    const response = await this.request('PUT', `/consumers/${name}`, change);
    expect([200, 201], await response.clone().text()).toContain(response.status);
    return response;
  }

  /** PUBLISH at QoS 1: resolves on the broker's PUBACK, whoever consumes the message. */
  async publish(topic: string, order: number, retain = false): Promise<void> {
    await this.publisher.publishAsync(topic, JSON.stringify({ order, lab: this.id }), { qos: 1, retain });
  }

  notificationsFrom(name?: string): Notification[] {
    return this.notifications.received
      .filter((message) => name === undefined || message.topic === `notifications/${name}`)
      .map((message) => JSON.parse(message.payload) as Notification);
  }

  async until(condition: () => Promise<boolean> | boolean): Promise<void> {
    const deadline = Date.now() + WAIT_MS * 2;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not reached');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const orderNumbers = (notifications: Notification[]) =>
  notifications.map((n) => (typeof n.order === 'object' ? n.order.order : undefined)).sort((a, b) => a! - b!);

describe('the same job two ways', () => {
  it('while the worker is down: the REST call fails with 503 and Retry-After, the publish is accepted; on restart every order arrives once', async () => {
    const lab = await new Lab().open();
    await lab.consumer('notifier', { running: false });

    const call = await lab.request('POST', '/notifications', { order: 1 });
    expect(call.status).toBe(503);
    expect(call.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(call.headers.get('retry-after')).toBe('5');
    const problem = (await call.json()) as { status: number; localized: { ru: string; en: string } };
    expect(problem.status).toBe(503);
    expect(problem.localized.ru).toMatch(/остановлен/);

    for (const order of [1, 2, 3]) await lab.publish('orders/new', order);
    await lab.until(async () => (await lab.state()).consumers.notifier.backlog === 3);
    expect(lab.notificationsFrom('notifier')).toEqual([]);

    await lab.consumer('notifier', { running: true });
    await lab.notifications.waitForCount(3);
    await lab.until(async () => (await lab.state()).consumers.notifier.backlog === 0);
    const delivered = lab.notificationsFrom('notifier');
    // QoS 1 is at least once: none of these was in flight when the worker stopped, so none comes twice.
    expect(orderNumbers(delivered)).toEqual([1, 2, 3]);
    expect(delivered.every((n) => n.whileDown && n.via === 'broker' && !n.redelivered)).toBe(true);
    // The backlog each notification reports drains to zero.
    expect(delivered.map((n) => n.backlog)).toEqual([2, 1, 0]);
    await lab.close();
  });

  it('a running worker answers the REST call after its delay; the caller waited for it', async () => {
    const lab = await new Lab().open();
    await lab.consumer('notifier', { delayMs: 300 });
    const call = await lab.request('POST', '/notifications', { order: 7, text: 'shipped' });
    expect(call.status).toBe(201);
    const body = (await call.json()) as { waitedMs: number; notification: Notification };
    expect(body.waitedMs).toBeGreaterThanOrEqual(300);
    expect(body.notification).toMatchObject({ by: 'notifier', via: 'rest', order: { order: 7, text: 'shipped' } });
    await lab.notifications.waitForCount(1);
    expect(lab.notificationsFrom('notifier')[0]).toMatchObject({ via: 'rest' });
    await lab.close();
  });

  it('a worker stopped in the middle of a message gets it again on restart: at least once, never lost', async () => {
    const lab = await new Lab().open();
    await lab.consumer('notifier', { delayMs: 10_000 });
    await lab.publish('orders/new', 42);
    await lab.until(async () => (await lab.state()).consumers.notifier.busy);
    await lab.consumer('notifier', { running: false });
    expect((await lab.state()).consumers.notifier.backlog).toBe(1);
    await lab.consumer('notifier', { running: true, delayMs: 0 });
    await lab.notifications.waitForCount(1);
    // The lab knows the worker began this order before; aedes 1.2.0 resends it without the DUP flag.
    expect(lab.notificationsFrom('notifier')[0]).toMatchObject({ order: { order: 42 }, redelivered: true, whileDown: false });
    await lab.close();
  });
});

describe('fan-out and competing consumers', () => {
  it('fan-out: every subscriber gets every order', async () => {
    const lab = await new Lab().open();
    await lab.consumer('audit', { role: 'subscriber' });
    await lab.until(async () => (await lab.state()).consumers.audit?.connected === true);
    for (const order of [1, 2, 3]) await lab.publish('orders/new', order);
    await lab.notifications.waitForCount(6);
    expect(orderNumbers(lab.notificationsFrom('notifier'))).toEqual([1, 2, 3]);
    expect(orderNumbers(lab.notificationsFrom('audit'))).toEqual([1, 2, 3]);
    // Whichever of the two finished an order second names both.
    const all = lab.notificationsFrom();
    for (const order of [1, 2, 3]) {
      const handlers = all.filter((n) => typeof n.order === 'object' && n.order.order === order).map((n) => n.handledBy);
      expect(handlers.map((list) => list.length).sort()).toEqual([1, 2]);
    }
    await lab.close();
  });

  it('competing consumers: each order to one member of the group; when a member leaves, its partitions move to the others', async () => {
    const lab = await new Lab().open();
    await lab.consumer('w1', { role: 'member' });
    await lab.consumer('w2', { role: 'member' });
    await lab.until(async () => {
      const state = await lab.state();
      return (
        state.consumers.w1?.partitions?.join() === '0,2' &&
        state.consumers.w2?.partitions?.join() === '1' &&
        state.consumers.w1.connected &&
        state.consumers.w2.connected
      );
    });
    for (let order = 1; order <= 6; order++) await lab.publish(`orders/${order % 3}`, order);
    await lab.until(() => lab.notificationsFrom('w1').length + lab.notificationsFrom('w2').length === 6);
    const w1 = lab.notificationsFrom('w1');
    const w2 = lab.notificationsFrom('w2');
    expect(orderNumbers([...w1, ...w2])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(w1.every((n) => n.partition === 0 || n.partition === 2)).toBe(true);
    expect(w2.every((n) => n.partition === 1)).toBe(true);
    expect(w2.length).toBe(2);
    // No other member handled any of them (the notifier, a subscriber of its own, did too), and the group had two members at work.
    expect([...w1, ...w2].every((n) => n.handledBy.filter((name) => name.startsWith('w')).length === 1 && n.members === 2)).toBe(true);
    expect(lab.notificationsFrom('notifier')).toHaveLength(6);

    await lab.consumer('w2', { running: false });
    await lab.until(async () => {
      const w1 = (await lab.state()).consumers.w1!;
      return w1.partitions?.join() === '0,1,2' && w1.connected;
    });
    await lab.publish('orders/1', 7);
    await lab.until(() => lab.notificationsFrom('w1').length === 5);
    expect(lab.notificationsFrom('w1').at(-1)).toMatchObject({ order: { order: 7 }, partition: 1 });
    expect(lab.notificationsFrom('w2')).toHaveLength(2);
    await lab.close();
  });

  it('the broker has no MQTT 5 shared subscriptions: $share/<group>/<filter> is refused (SUBACK 0x80), so the lab builds the group itself', async () => {
    const lab = await new Lab().open();
    // mqtt.js turns the failure return code into an error carrying the SUBACK.
    const refused = await lab.publisher.subscribeAsync('$share/workers/orders/#', { qos: 1 }).catch((error: { packet?: { granted?: number[] } }) => error);
    expect((refused as { packet?: { granted?: number[] } }).packet?.granted).toEqual([128]);
    await lab.close();
  });

  it('a group with no running member keeps its orders; they flow when a member comes back', async () => {
    const lab = await new Lab().open();
    await lab.consumer('w1', { role: 'member' });
    await lab.until(async () => (await lab.state()).consumers.w1?.connected === true);
    await lab.publish('orders/0', 1);
    await lab.until(() => lab.notificationsFrom('w1').length === 1);
    await lab.consumer('w1', { running: false });
    await lab.publish('orders/0', 2);
    await lab.publish('orders/2', 3);
    await lab.until(async () => (await lab.state()).group?.backlog === 2);
    await lab.consumer('w1', { running: true });
    await lab.until(() => lab.notificationsFrom('w1').length === 3);
    expect(
      lab
        .notificationsFrom('w1')
        .slice(1)
        .every((n) => n.whileDown),
    ).toBe(true);
    await lab.close();
  });
});

describe('retention', () => {
  it('a late subscriber gets the retained order, flagged RETAIN, and nothing older', async () => {
    const lab = await new Lab().open();
    await lab.publish('orders/latest', 1, true);
    await lab.publish('orders/latest', 2, true);
    await lab.notifications.waitForCount(2);
    await lab.consumer('late', { role: 'subscriber' });
    await lab.until(() => lab.notificationsFrom('late').length === 1);
    expect(lab.notificationsFrom('late')[0]).toMatchObject({ order: { order: 2 }, retained: true });
    // A subscriber that was already there got both live, with RETAIN clear (MQTT 3.1.1 §3.3.1.3).
    expect(lab.notificationsFrom('notifier').map((n) => n.retained)).toEqual([false, false]);
    await lab.publisher.publishAsync('orders/latest', '', { qos: 1, retain: true });
    await lab.close();
  });
});

describe('when the broker’s store cannot be asked', () => {
  it('a consumer still finishes its order and notifies, without a backlog figure, and the server goes on', async () => {
    const lab = await new Lab().open();
    await lab.consumer('notifier', { delayMs: 300 });
    await lab.publish('orders/new', 5);
    await lab.until(async () => (await lab.state()).consumers.notifier.busy);
    // What a scaled lab meets when its Redis goes away (or closes at shutdown) while a consumer works.
    const store = (server.app.mqttBroker as unknown as { persistence: { countQueued?: (clientId: string, max: number) => Promise<number> } }).persistence;
    const countQueued = store.countQueued;
    store.countQueued = () => Promise.reject(new Error('Connection is closed.'));
    try {
      await lab.notifications.waitForCount(1);
    } finally {
      if (countQueued) store.countQueued = countQueued;
      else delete store.countQueued;
    }
    const [notification] = lab.notificationsFrom('notifier');
    expect(notification).toMatchObject({ order: { order: 5 }, by: 'notifier', via: 'broker' });
    // unknown is not zero: the lesson's "backlog drains" check must not pass on it
    expect(notification).not.toHaveProperty('backlog');
    // finished, so acknowledged: nothing is left for the notifier
    await lab.until(async () => (await lab.state()).consumers.notifier.backlog === 0);
    await lab.close();
  });
});

describe('limits and bad input', () => {
  it('keeps at most maxBacklog messages for a stopped consumer and counts the rest as dropped', async () => {
    const lab = await new Lab().open();
    await lab.consumer('notifier', { running: false });
    for (let order = 1; order <= 7; order++) await lab.publish('orders/new', order);
    await lab.until(async () => (await lab.state()).consumers.notifier.dropped === 2);
    expect((await lab.state()).consumers.notifier.backlog).toBe(5);
    await lab.consumer('notifier', { running: true });
    await lab.until(() => lab.notificationsFrom('notifier').length === 5);
    expect(orderNumbers(lab.notificationsFrom('notifier'))).toEqual([1, 2, 3, 4, 5]);
    await lab.close();
  });

  it('refuses bad requests with problem+json: too many consumers 409, delay past the cap 422, bad names, roles and bodies', async () => {
    const lab = await new Lab().open();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await lab.consumer(name, { role: 'subscriber', running: false });
    const sixth = await lab.request('PUT', '/consumers/f', { role: 'member' });
    expect(sixth.status).toBe(409);
    expect(sixth.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const checks: Array<[string, string, unknown, number]> = [
      ['PUT', '/consumers/notifier', { delayMs: 10_001 }, 422],
      ['PUT', '/consumers/notifier', { delayMs: -1 }, 422],
      ['PUT', '/consumers/notifier', { delayMs: 1.5 }, 422],
      ['PUT', '/consumers/notifier', { role: 'member' }, 409],
      ['PUT', '/consumers/a', { role: 'member' }, 409],
      ['PUT', '/consumers/Bad_Name', {}, 422],
      ['PUT', '/consumers/notifier', { colour: 'red' }, 422],
      ['PUT', '/consumers/notifier', { running: 'yes' }, 422],
      ['PUT', '/consumers/notifier', [1], 422],
      ['DELETE', '/consumers/notifier', undefined, 409],
      ['DELETE', '/consumers/zzz', undefined, 404],
      ['POST', '/notifications', { text: 'no order' }, 422],
      ['POST', '/notifications', 'just text', 422],
      ['POST', '', {}, 405],
    ];
    for (const [method, path, body, status] of checks) {
      const response = await lab.request(method, path, body);
      expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { localized?: Bilingual };
      expect(problem.localized?.ru.length).toBeGreaterThan(0);
    }
    const broken = await fetch(`${server.origin}/api/v1/pipeline/notifications`, {
      method: 'POST',
      headers: { 'x-wirelab-sandbox': lab.id, 'content-type': 'application/json' },
      body: '{"order":',
    });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const removed = await lab.request('DELETE', '/consumers/a');
    expect(removed.status).toBe(204);
    expect((await lab.state()).consumers.a).toBeUndefined();
    await lab.close();
  });

  it('turns away consumer changes past the budget with 429 and Retry-After', async () => {
    const lab = await new Lab().open();
    for (let i = 0; i < 30; i++) expect((await lab.request('PUT', '/consumers/notifier', { delayMs: i })).status).toBe(200);
    const refused = await lab.request('PUT', '/consumers/notifier', { delayMs: 0 });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await lab.request('DELETE', '/consumers/nobody')).status).toBe(429);
    // Reading the lab is not a change.
    expect((await lab.request('GET', '')).status).toBe(200);
    await lab.close();
  });

  it('a sandbox reset puts the lab back to its start: only the notifier, running, with nothing waiting', async () => {
    const lab = await new Lab().open();
    // A subscriber's session holds its subscription from its first connection on.
    await lab.consumer('audit', { role: 'subscriber' });
    await lab.until(async () => (await lab.state()).consumers.audit?.connected === true);
    await lab.consumer('audit', { running: false });
    await lab.consumer('w1', { role: 'member', running: false });
    await lab.consumer('notifier', { running: false, delayMs: 500 });
    await lab.publish('orders/0', 1);
    await lab.until(async () => (await lab.state()).consumers.audit?.backlog === 1);
    server.app.domain.resetSandbox(lab.id);
    await lab.until(async () => {
      const state = await lab.state();
      return Object.keys(state.consumers).join() === 'notifier' && state.group === null && state.consumers.notifier.connected;
    });
    const state = await lab.state();
    expect(state.consumers.notifier).toMatchObject({ running: true, delayMs: 0, backlog: 0, processed: 0 });
    // The erased sessions are gone from the broker: a new audit starts with an empty queue.
    await lab.consumer('audit', { role: 'subscriber' });
    await lab.until(async () => (await lab.state()).consumers.audit?.connected === true);
    expect((await lab.state()).consumers.audit?.backlog).toBe(0);
    expect(lab.notificationsFrom()).toEqual([]);
    await lab.close();
  });

  it('streams the lab state as Server-Sent Events', async () => {
    const lab = await new Lab().open();
    const controller = new AbortController();
    const response = await fetch(`${server.origin}/api/v1/pipeline/events`, { headers: { 'x-wirelab-sandbox': lab.id }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    await lab.consumer('notifier', { running: false });
    await lab.publish('orders/new', 1);
    while (!/"backlog":1/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toMatch(/^event: state\ndata: \{/);
    // Restarted, the worker drains its backlog; the last state the stream tells is read after the broker cleared it.
    await lab.consumer('notifier', { running: true });
    let last = '';
    while (!/"notifier":\{[^}]*"processed":1,"backlog":0/.test(last)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      last = text.slice(text.lastIndexOf('event: state'));
    }
    expect(last).toMatch(/"backlog":0/);
    controller.abort();
    await lab.close();
  });
});
