import net from 'node:net';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';
import { sandbox, Subscriber, WAIT_MS } from './mqtt-helpers.ts';

// What MQTT 3.1.1 says a server must refuse, sent on a raw TCP socket to a real listening
// server: each gets the CONNACK code or the closed connection the specification names, and a
// client connected all along keeps being served.

let server: RunningServer;
let bystander: Subscriber;
let box: string;

beforeAll(async () => {
  server = await startServer();
  box = sandbox('conformance');
  bystander = await Subscriber.connect(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${box}` });
  await bystander.client.subscribeAsync('#', { qos: 1 });
});
afterAll(async () => {
  await bystander?.end();
  await server?.close();
});

const CONNACK_ACCEPTED = [0x20, 0x02, 0x00, 0x00];

/** A UTF-8 string (or raw bytes) with its 2-byte length, as MQTT encodes both. */
function str(value: string | number[]): number[] {
  const bytes = typeof value === 'string' ? [...Buffer.from(value)] : value;
  return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
}

/** One packet: the first byte, the remaining length (one byte here), the body. */
function packet(first: number, body: number[]): Buffer {
  if (body.length > 127) throw new Error('packet: one length byte only');
  return Buffer.from([first, body.length, ...body]);
}

interface ConnectFields {
  name?: string;
  level?: number;
  flags?: number;
  clientId?: string | number[];
  will?: [topic: string | number[], message: string];
  username?: string | number[];
  password?: string;
}

/** A CONNECT, 3.1.1 and a clean session unless told otherwise; the user name names the test's sandbox. */
function connect(fields: ConnectFields = {}): Buffer {
  const username = 'username' in fields ? fields.username : `sandbox:${box}`;
  const flags = fields.flags ?? 0x02 | (fields.will ? 0x04 : 0) | (username !== undefined ? 0x80 : 0) | (fields.password !== undefined ? 0x40 : 0);
  const body = [
    ...str(fields.name ?? 'MQTT'),
    fields.level ?? 4,
    flags,
    0x00,
    0x3c,
    ...str(fields.clientId ?? ''),
    ...(fields.will ? [...str(fields.will[0]), ...str(fields.will[1])] : []),
    ...(username !== undefined ? str(username) : []),
    ...(fields.password !== undefined ? str(fields.password) : []),
  ];
  return packet(0x10, body);
}

/**
 * Opens a raw TCP connection and sends `first`; once the server has answered `replyBytes`
 * bytes, sends `then`. Resolves with what the server wrote before and after `then`, once it has
 * closed the connection (a server that keeps it open fails the test).
 */
function exchange(first: Buffer, replyBytes = 0, then?: Buffer): Promise<{ before: number[]; after: number[] }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(first));
    const received: number[] = [];
    let sentAt: number | undefined;
    socket.on('data', (chunk: Buffer) => {
      received.push(...chunk);
      if (then && sentAt === undefined && received.length >= replyBytes) {
        sentAt = received.length;
        socket.write(then);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const split = sentAt ?? received.length;
      resolve({ before: received.slice(0, split), after: received.slice(split) });
    });
    socket.setTimeout(WAIT_MS, () => {
      socket.destroy();
      reject(new Error(`the server kept the connection open; it sent ${JSON.stringify(received)}`));
    });
  });
}

/** Connects properly, then sends `bad`: the broker must close without answering it. */
async function closedAfter(bad: Buffer): Promise<void> {
  const { before, after } = await exchange(connect(), CONNACK_ACCEPTED.length, bad);
  expect(before).toEqual(CONNACK_ACCEPTED);
  expect(after).toEqual([]);
}

/** The bystander still gets what is published: the errors above disturbed nobody else. */
async function othersStillServed(): Promise<void> {
  const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.port}`, { username: `sandbox:${box}`, reconnectPeriod: 0 });
  const count = bystander.received.length + 1;
  const marker = `still served ${count}`;
  await publisher.publishAsync('marker', marker, { qos: 1 });
  await publisher.endAsync();
  await bystander.waitForCount(count);
  expect(bystander.received.at(-1)!.payload).toBe(marker);
}

describe('CONNECT that MQTT 3.1.1 refuses', () => {
  it('answers protocol level 7 with CONNACK 1, then closes (MQTT-3.1.2-2)', async () => {
    const { before } = await exchange(connect({ level: 7 }));
    expect(before).toEqual([0x20, 0x02, 0x00, 0x01]);
    await othersStillServed();
  });

  it('answers protocol level 7 with CONNACK 1 over WebSocket too, then closes', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/mqtt`, 'mqtt');
    const received: number[] = [];
    ws.on('message', (data: Buffer) => received.push(...data));
    ws.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.once('open', () => ws.send(connect({ level: 7 })));
    await closed;
    expect(received).toEqual([0x20, 0x02, 0x00, 0x01]);
  });

  it('closes a CONNECT with a password and no user name, without CONNACK (MQTT-3.1.2-22)', async () => {
    const { before } = await exchange(connect({ username: undefined, password: 'secret' }));
    expect(before).toEqual([]);
    await othersStillServed();
  });

  it('closes a CONNECT whose will has QoS 3 (MQTT-3.1.2-14)', async () => {
    // user name, will retain 0, will QoS 3, will, clean session
    const { before } = await exchange(connect({ flags: 0x80 | 0x18 | 0x04 | 0x02, will: ['status/x', 'gone'] }));
    expect(before).toEqual([]);
    await othersStillServed();
  });

  it('closes a CONNECT whose will flags are set without a will (MQTT-3.1.2-13, MQTT-3.1.2-15)', async () => {
    expect((await exchange(connect({ flags: 0x80 | 0x08 | 0x02 }))).before).toEqual([]);
    expect((await exchange(connect({ flags: 0x80 | 0x20 | 0x02 }))).before).toEqual([]);
  });

  it('closes a CONNECT with the reserved flag set (MQTT-3.1.2-3)', async () => {
    expect((await exchange(connect({ flags: 0x80 | 0x02 | 0x01 }))).before).toEqual([]);
  });

  it('closes a CONNECT whose client id is not UTF-8 (MQTT-1.5.3-1)', async () => {
    const { before } = await exchange(connect({ clientId: [0x61, 0xff, 0xfe] }));
    expect(before).toEqual([]);
    await othersStillServed();
  });

  it('closes a CONNECT whose user name holds U+0000 (MQTT-1.5.3-2)', async () => {
    expect((await exchange(connect({ username: [...Buffer.from(`sandbox:${box}`), 0x00] }))).before).toEqual([]);
  });

  it('closes a CONNECT whose will topic holds U+0000 or a wildcard (MQTT-1.5.3-2, MQTT-3.3.2-2)', async () => {
    expect((await exchange(connect({ will: [[0x61, 0x00, 0x62], 'gone'] }))).before).toEqual([]);
    expect((await exchange(connect({ will: ['status/#', 'gone'] }))).before).toEqual([]);
  });

  it('closes a CONNECT whose protocol name is not MQTT, over WebSocket too (MQTT-3.1.2-1)', async () => {
    const client = mqtt.connect(`ws://127.0.0.1:${server.port}/mqtt`, { protocolId: 'MQTX' as 'MQTT', reconnectPeriod: 0, connectTimeout: WAIT_MS });
    const connacked = new Promise<boolean>((resolve) => {
      client.once('connect', () => resolve(true));
      client.once('close', () => resolve(false));
    });
    expect(await connacked).toBe(false);
    client.end(true);
  });
});

describe('packets after CONNECT that MQTT 3.1.1 refuses', () => {
  it('closes on a PUBLISH at QoS 1 with packet id 0 (MQTT-2.3.1-1)', async () => {
    await closedAfter(packet(0x32, [...str('orders/1'), 0x00, 0x00, ...Buffer.from('x')]));
    await othersStillServed();
  });

  it('closes on an UNSUBSCRIBE without topic filters (MQTT-3.10.3-2)', async () => {
    await closedAfter(packet(0xa2, [0x00, 0x01]));
    await othersStillServed();
  });

  it('closes on a SUBSCRIBE without topic filters or with packet id 0 (MQTT-3.8.3-3, MQTT-2.3.1-1)', async () => {
    await closedAfter(packet(0x82, [0x00, 0x01]));
    await closedAfter(packet(0x82, [0x00, 0x00, ...str('a'), 0x00]));
  });

  it('closes on a topic filter with a misplaced wildcard or none at all (MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.7.3-1)', async () => {
    await closedAfter(packet(0x82, [0x00, 0x01, ...str('a/#/b'), 0x00]));
    await closedAfter(packet(0x82, [0x00, 0x01, ...str('a+'), 0x00]));
    await closedAfter(packet(0x82, [0x00, 0x01, ...str(''), 0x00]));
    await closedAfter(packet(0xa2, [0x00, 0x01, ...str('a/#/b')]));
  });

  it('closes on a SUBSCRIBE asking for QoS 3 (MQTT-3.8.3-4)', async () => {
    await closedAfter(packet(0x82, [0x00, 0x01, ...str('a'), 0x03]));
  });

  it('closes on a PUBLISH at QoS 0 with DUP set (MQTT-3.3.1-2)', async () => {
    await closedAfter(packet(0x38, [...str('orders/1'), ...Buffer.from('x')]));
  });

  it('closes on a PUBLISH with a wildcard or an empty topic (MQTT-3.3.2-2, MQTT-4.7.3-1)', async () => {
    await closedAfter(packet(0x30, [...str('orders/#'), ...Buffer.from('x')]));
    await closedAfter(packet(0x30, [...str('orders/+/x'), ...Buffer.from('x')]));
    await closedAfter(packet(0x30, [...str(''), ...Buffer.from('x')]));
  });

  it('closes on a topic holding U+0000 (MQTT-1.5.3-2)', async () => {
    await closedAfter(packet(0x32, [...str([0x61, 0x00]), 0x00, 0x01, ...Buffer.from('x')]));
    await othersStillServed();
  });

  it('refuses a topic that is not UTF-8 instead of delivering it rewritten as U+FFFD (MQTT-1.5.3-1)', async () => {
    const before = bystander.received.length;
    await closedAfter(packet(0x32, [...str([0xff, 0xfe]), 0x00, 0x01, ...Buffer.from('not UTF-8')]));
    await othersStillServed();
    // The marker is the only message that arrived: the bad topic was never delivered.
    expect(bystander.received.slice(before).map((m) => m.payload)).toEqual([bystander.received.at(-1)!.payload]);
  });

  it('closes on reserved flags in a fixed header (MQTT-2.2.2-2)', async () => {
    await closedAfter(Buffer.from([0xc1, 0x00]));
  });
});
