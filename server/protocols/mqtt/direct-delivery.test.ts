import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { decodePackets, readPublish, utf8Text } from '../../../wire/mqtt/mqtt-packets.ts';
import { DirectDelivery, type DeliveredPacket, type DeliveringClient } from './direct-delivery.ts';

// Which deliveries DirectDelivery takes from aedes and which it leaves to it, on a stand-in for an
// aedes client that records what is written; the bytes on real sockets: tests/integration/mqtt-delivery.test.ts.

interface Recorded extends DeliveringClient {
  written: Buffer[];
  /** deliveries left to aedes' own functions */
  toAedes: Array<[string, DeliveredPacket]>;
}

function client(id: string, fields: Partial<DeliveringClient> = {}): Recorded {
  const recorded: Recorded = {
    id,
    clean: true,
    connected: true,
    closed: false,
    errored: false,
    duplicates: Object.create(null),
    subscriptions: Object.create(null),
    _nextId: 65534,
    _keepaliveInterval: -1,
    _keepaliveTimer: null,
    written: [],
    toAedes: [],
    conn: { writeWhole: (chunk: Buffer) => (recorded.written.push(chunk), true) },
    deliver0: (packet, done) => {
      recorded.toAedes.push(['deliver0', packet]);
      done();
    },
    deliverQoS: (packet, done) => {
      recorded.toAedes.push(['deliverQoS', packet]);
      done();
    },
    waitForDrain: () => undefined,
    _onError: () => undefined,
    ...fields,
  };
  return recorded;
}

let counter = 0;
/** One subscriber's copy of a published message, as aedes-packet makes it. */
function copyOf(message: { topic: string; payload: Buffer; qos: 0 | 1 | 2; brokerCounter: number; retain?: boolean }): DeliveredPacket {
  return { cmd: 'publish', brokerId: 'broker-1', dup: true, retain: false, ...message } as DeliveredPacket;
}

function deliveries(recorded: Recorded) {
  return decodePackets(new Uint8Array(Buffer.concat(recorded.written)))
    .packets.map(readPublish)
    .map(({ payload, ...fields }) => ({ ...fields, payload: utf8Text(payload) }));
}

/** authorizeForward as broker-access.ts does it: the topic without its sandbox, in place; another sandbox's, refused. */
function broker(): DirectDelivery {
  const aedes = Object.assign(new EventEmitter(), {
    authorizeForward: (_client: unknown, packet: DeliveredPacket) => {
      if (!packet.topic.startsWith('$sandbox/box/')) return null;
      packet.topic = packet.topic.slice('$sandbox/box/'.length);
      return packet;
    },
  });
  return new DirectDelivery(aedes as never);
}

const delivered = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('DirectDelivery', () => {
  it("writes a clean session's QoS 0 and 1 deliveries itself: one encoding per message, each subscriber's own packet ids, DUP 0, the broker told once each", async () => {
    const direct = broker();
    const subscribers = [client('box/a'), client('box/b', { _nextId: 7 })];
    for (const subscriber of subscribers) direct.install(subscriber);
    const message = { topic: '$sandbox/box/orders/1', payload: Buffer.from('one'), brokerCounter: ++counter };
    let done = 0;
    for (const subscriber of subscribers) subscriber.deliverQoS(copyOf({ ...message, qos: 1 }), () => done++);
    const second = { topic: '$sandbox/box/orders/2', payload: Buffer.from('two'), brokerCounter: ++counter };
    for (const subscriber of subscribers) subscriber.deliverQoS(copyOf({ ...second, qos: 1 }), () => done++);
    const third = { topic: '$sandbox/box/orders/3', payload: Buffer.from('three'), brokerCounter: ++counter };
    for (const subscriber of subscribers) subscriber.deliver0(copyOf({ ...third, qos: 0 }), () => done++);
    // not yet: on the next turn of the event loop, as aedes' write calls back
    expect(done).toBe(0);
    await delivered();
    expect(done).toBe(6);
    expect(deliveries(subscribers[0]!)).toEqual([
      { topic: 'orders/1', payload: 'one', qos: 1, retain: false, dup: false, packetId: 65534 },
      { topic: 'orders/2', payload: 'two', qos: 1, retain: false, dup: false, packetId: 65535 },
      { topic: 'orders/3', payload: 'three', qos: 0, retain: false, dup: false, packetId: null },
    ]);
    expect(deliveries(subscribers[1]!).map((publish) => publish.packetId)).toEqual([7, 8, null]);
    expect(subscribers[0]!._nextId).toBe(1);
    // QoS 0: the very same bytes for both subscribers, encoded once
    expect(subscribers[0]!.written[2]).toBe(subscribers[1]!.written[2]);
    expect(subscribers.flatMap((subscriber) => subscriber.toAedes)).toEqual([]);
  });

  it('delivers a message once to a client whose filters match it twice, and not to one authorizeForward refuses', async () => {
    const direct = broker();
    const subscriber = client('box/a');
    direct.install(subscriber);
    const message = { topic: '$sandbox/box/x', payload: Buffer.from('once'), qos: 1 as const, brokerCounter: ++counter };
    let done = 0;
    subscriber.deliverQoS(copyOf(message), () => done++);
    subscriber.deliverQoS(copyOf(message), () => done++);
    subscriber.deliverQoS(copyOf({ ...message, topic: '$sandbox/other/x', brokerCounter: ++counter }), () => done++);
    await delivered();
    expect(deliveries(subscriber).map((publish) => publish.payload)).toEqual(['once']);
    // the broker still hears each one done
    expect(done).toBe(3);
  });

  it('leaves to aedes a persistent session, QoS 2, a retained message and a client not connected', () => {
    const direct = broker();
    const persistent = client('box/p', { clean: false });
    const connecting = client('box/c', { connected: false });
    const atQos2 = client('box/q');
    const retained = client('box/r');
    for (const each of [persistent, connecting, atQos2, retained]) direct.install(each);
    const message = { topic: '$sandbox/box/x', payload: Buffer.from('m') };
    persistent.deliverQoS(copyOf({ ...message, qos: 1, brokerCounter: ++counter }), () => undefined);
    connecting.deliver0(copyOf({ ...message, qos: 0, brokerCounter: ++counter }), () => undefined);
    atQos2.deliverQoS(copyOf({ ...message, qos: 2, brokerCounter: ++counter }), () => undefined);
    retained.deliverQoS(copyOf({ ...message, qos: 1, brokerCounter: ++counter, retain: true }), () => undefined);
    for (const each of [persistent, connecting, atQos2, retained]) {
      expect(each.written).toEqual([]);
      expect(each.toAedes).toHaveLength(1);
    }
    expect(persistent.toAedes[0]![0]).toBe('deliverQoS');
    expect(connecting.toAedes[0]![0]).toBe('deliver0');
    // aedes gets the packet untouched: its topic still names the sandbox
    expect(atQos2.toAedes[0]![1].topic).toBe('$sandbox/box/x');
  });

  it("takes a connected clean session's PUBACK (keep-alive restarted, the broker's ack event), and no other's", () => {
    const direct = broker();
    const acks: unknown[] = [];
    (direct as unknown as { broker: EventEmitter }).broker.on('ack', (_packet, from) => acks.push(from));
    let refreshed = 0;
    const clean = client('box/a', { _keepaliveInterval: 1501, _keepaliveTimer: { refresh: () => refreshed++ } });
    expect(direct.tookAcknowledgement(clean)).toBe(true);
    expect(refreshed).toBe(1);
    expect(acks).toEqual([clean]);
    expect(direct.tookAcknowledgement(client('box/p', { clean: false }))).toBe(false);
    expect(direct.tookAcknowledgement(client('box/c', { connected: false }))).toBe(false);
    expect(direct.tookAcknowledgement(client('box/z', { closed: true }))).toBe(false);
    expect(acks).toHaveLength(1);
  });

  it('waits for a full connection to drain before the broker hears the delivery done', async () => {
    const direct = broker();
    let drained: ((error: Error | null) => void) | undefined;
    const full = client('box/a', { waitForDrain: (callback) => (drained = callback) });
    full.conn = { writeWhole: (chunk: Buffer) => (full.written.push(chunk), false) };
    direct.install(full);
    let done = 0;
    full.deliver0(copyOf({ topic: '$sandbox/box/x', payload: Buffer.from('m'), qos: 0, brokerCounter: ++counter }), () => done++);
    await delivered();
    expect(full.written).toHaveLength(1);
    expect(done).toBe(0);
    drained!(null);
    expect(done).toBe(1);
  });
});
