import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import { encodePublishOnce, withPacketId, type PublishOnce } from '../../../wire/mqtt/publish-once.ts';

// A clean session's QoS 0 and QoS 1 deliveries, written past aedes' per-subscriber path: the
// PUBLISH is encoded once per message and QoS (wire/mqtt/publish-once.ts) and written to every
// subscriber, with its own packet id at QoS 1; and a clean session's PUBACK is answered as the
// packet gate reads it, without aedes' parser and a promise per acknowledgement. What aedes 1.2
// did for each subscriber, and what it cost (README.md, "What a delivery costs"): two copies of
// the packet, a setImmediate before and one after the write, mqtt-packet serialising the PUBLISH
// again in six writes (and its `debug` calls); for each PUBACK a read through a Readable, a parse
// and a promise, for a session that keeps nothing to clear. Everything else — a persistent
// session, QoS 2, a retained message, a client not yet (or no longer) connected — goes to aedes'
// own functions, untouched.

/** A message as aedes hands it to one subscriber (its own copy, aedes-packet, of the message published). */
export type DeliveredPacket = AedesPublishPacket & { clientId?: string; nl?: boolean; properties?: unknown };
type Done = () => void;
type Deliver = (packet: DeliveredPacket, done: Done) => void;

/** What this reads and calls of an aedes 1.2 client (lib/client.js); most of it is not in aedes' types. */
export interface DeliveringClient {
  id: string;
  clean: boolean;
  connected: boolean;
  closed: boolean;
  errored: boolean;
  /** the connection's SizeGuardedStream: a whole packet goes out at once when nothing waits before it */
  conn: { writeWhole(packet: Buffer): boolean };
  /** the last brokerCounter delivered, per broker id: a message that matches two subscriptions goes out once */
  duplicates: Record<string, number>;
  subscriptions: Record<string, OwnSubscription>;
  _nextId: number;
  _keepaliveInterval: number;
  _keepaliveTimer: { refresh(): unknown } | null;
  deliver0: Deliver;
  deliverQoS: Deliver;
  waitForDrain(callback: (error: Error | null) => void): void;
  _onError(error: Error | null): void;
}

/** A subscription as aedes keeps it in `client.subscriptions` (lib/handlers/subscribe.js): its QoS, its function, MQTT 5's flags. */
export interface OwnSubscription {
  qos: number;
  func?: unknown;
  /** no-local, retain-as-published */
  nl?: boolean;
  rap?: boolean;
}

/** A message encoded once, and what it was encoded from (a message is the same one while all of these are). */
interface Encoded {
  brokerId: string;
  brokerCounter: number;
  topic: string;
  payload: unknown;
  once: PublishOnce;
  /** `once.bytes` as a Buffer, written as it is at QoS 0 */
  bytes: Buffer;
}

/**
 * A subscription handed to the broker (takeSubscriptions): aedes' function for it, and its own
 * once learnt — at its first delivery that reaches the client's own delivery function.
 */
interface TakenSubscription {
  topic: string;
  aedesFunc: Deliver;
  own: Deliver | null;
}

export class DirectDelivery {
  /**
   * The last message encoded at QoS 0 and at QoS 1. mqemitter calls a message's subscribers one
   * after another in one loop, and each subscriber's copy keeps the message's broker id, counter
   * and payload: 500 subscribers of one sandbox cost one encoding.
   */
  private readonly lastEncoded: [Encoded | null, Encoded | null] = [null, null];

  /** The subscription whose function the broker is calling, while it calls it (takeSubscriptions). */
  private delivering: TakenSubscription | null = null;

  constructor(private readonly broker: Pick<Aedes, 'authorizeForward' | 'emit'>) {}

  /** Before the client can subscribe (aedes takes these functions at SUBSCRIBE), and before the CONNACK gate wraps them. */
  install(client: DeliveringClient): void {
    const aedesDeliver0 = client.deliver0;
    const aedesDeliverQoS = client.deliverQoS;
    const ownDeliver0: Deliver = (packet, done) => {
      if (this.delivering !== null) this.learn(client, this.delivering);
      if (!takesOver(client, packet)) return aedesDeliver0(packet, done);
      this.deliver(client, packet, 0, done);
    };
    client.deliver0 = ownDeliver0;
    client.deliverQoS = (packet, done) => {
      if (this.delivering !== null) this.learn(client, this.delivering);
      // as aedes: a message published at QoS 0 goes at QoS 0 whatever the subscription
      if (packet.qos === 0) return ownDeliver0(packet, done);
      if (packet.qos !== 1 || !takesOver(client, packet)) return aedesDeliverQoS(packet, done);
      this.deliver(client, packet, 1, done);
    };
  }

  /**
   * Has the broker's subscriptions of a connected clean session deliver without aedes' copy of
   * the message per subscriber (aedes-packet, made by aedes' function for a subscription,
   * `handlePacketSubscription`, before it calls the client's delivery function): with no copy, the
   * message is read, never written. Every function handed to `broker.subscribe` is registered
   * behind one of these, which notes whose it is while it calls it: aedes' function calls the
   * client's own delivery function (`install`) at once, which so learns that the subscription is
   * its client's — when `client.subscriptions` holds that very function for that topic — and from
   * then on the subscription's own delivery is called instead, which leaves to aedes' function
   * whatever it does not take. The first message of a subscription goes through aedes' copy; any
   * other function (aedes' `$SYS`, the pipeline lab's) is only ever called through it.
   */
  takeSubscriptions(broker: Pick<Aedes, 'subscribe' | 'unsubscribe'>): void {
    const aedesSubscribe = broker.subscribe.bind(broker);
    const aedesUnsubscribe = broker.unsubscribe.bind(broker);
    const registered = new WeakMap<Deliver, Deliver>();
    broker.subscribe = (topic: string, func: Deliver, done: (error?: Error) => void) => {
      const taken: TakenSubscription = { topic, aedesFunc: func, own: null };
      const subscription: Deliver = (message, delivered) => {
        if (taken.own !== null) return taken.own(message, delivered);
        this.delivering = taken;
        func(message, delivered);
        this.delivering = null;
      };
      registered.set(func, subscription);
      aedesSubscribe(topic, subscription as never, done);
    };
    broker.unsubscribe = (topic: string, func: Deliver, done?: (error?: Error) => void) =>
      aedesUnsubscribe(topic, (registered.get(func) ?? func) as never, done as never);
  }

  /** A subscription the broker is calling reached `client`'s own delivery function: its own delivery, if it is the client's. */
  private learn(client: DeliveringClient, taken: TakenSubscription): void {
    this.delivering = null;
    const subscription = client.subscriptions[taken.topic];
    if (taken.own !== null || subscription?.func !== taken.aedesFunc) return;
    taken.own = this.subscriptionDelivery(client, taken.topic, subscription, taken.aedesFunc);
  }

  /**
   * One subscription's delivery without aedes' copy: what aedes' function does first (a filter
   * starting with a wildcard gets no `$` topic, MQTT-4.7.2-1; no-local is the subscription's),
   * then, for a message this plugin delivers, a copy of the few fields it reads (authorizeForward
   * rewrites the topic and QoS in place); everything else goes to aedes' function, copy and all.
   */
  private subscriptionDelivery(client: DeliveringClient, topic: string, subscription: OwnSubscription, aedesFunc: Deliver): Deliver {
    const noDollarTopics = topic.charCodeAt(0) === 43 || topic.charCodeAt(0) === 35;
    const maxQos: 0 | 1 = subscription.qos > 0 ? 1 : 0;
    const noLocal = Boolean(subscription.nl);
    const retainAsPublished = Boolean(subscription.rap);
    return (message, done) => {
      if (noDollarTopics && message.topic.charCodeAt(0) === 36) return done();
      if (!readsOnly(client, message, maxQos, retainAsPublished)) return aedesFunc(message, done);
      if (noLocal && message.clientId === client.id) return calledBackSoon(done);
      const copy = {
        cmd: 'publish',
        brokerId: message.brokerId,
        brokerCounter: message.brokerCounter,
        topic: message.topic,
        payload: message.payload || NO_PAYLOAD,
        qos: message.qos,
        retain: false,
        dup: false,
      } as DeliveredPacket;
      this.deliver(client, copy, maxQos === 0 ? 0 : message.qos === 0 ? 0 : 1, done);
    };
  }

  /** A clean session's delivery at QoS 0, or 1 as far as its subscriptions allow, of its own copy of the message. */
  private deliver(client: DeliveringClient, packet: DeliveredPacket, maxQos: 0 | 1, done: Done) {
    const forwarded = this.forwarded(client, packet);
    if (!forwarded) return calledBackSoon(done);
    let qos: 0 | 1 = 0;
    if (maxQos === 1 && forwarded.qos !== 0) {
      // authorizeForward lowered it to what the subscriptions were granted; aedes then checks the exact filter too
      const exact = client.subscriptions[forwarded.topic];
      qos = exact && (exact.qos || 0) === 0 ? 0 : 1;
    }
    const encoded = this.encoded(forwarded, qos);
    if (!encoded) return calledBackSoon(done);
    if (qos === 0) return send(client, encoded.bytes, done);
    const bytes = Buffer.allocUnsafe(encoded.bytes.length);
    // nextPacketId gives 1–65535 and bytes is the encoding's size, so this is never null; were it, only this delivery would go
    if (!withPacketId(encoded.once, nextPacketId(client), bytes)) return calledBackSoon(done);
    send(client, bytes, done);
  }

  /**
   * A PUBACK the packet gate read (it keeps MQTT's rules): a clean session's is taken here, as
   * aedes would end up treating it — nothing stored to clear (broker-persistence.ts,
   * `skipCleanSessionAcks`), the keep-alive restarted, the broker's `ack` event. false: aedes
   * reads it (a persistent session clears its stored message; a client not connected yet).
   */
  tookAcknowledgement(client: DeliveringClient): boolean {
    if (!client.connected || client.closed || !client.clean) return false;
    if (client._keepaliveInterval > 0) client._keepaliveTimer?.refresh();
    this.broker.emit('ack', undefined, client);
    return true;
  }

  /** What aedes' delivery functions ask before anything is written: the client's own message (no-local), a duplicate, authorizeForward. */
  private forwarded(client: DeliveringClient, packet: DeliveredPacket): DeliveredPacket | null {
    if (packet.clientId === client.id && packet.nl) return null;
    if (!firstDelivery(client, packet)) return null;
    return (this.broker.authorizeForward(client as unknown as Client, packet) as DeliveredPacket | null | undefined) ?? null;
  }

  /**
   * The message's PUBLISH at `qos`, encoded once for all its subscribers; null when no PUBLISH can
   * carry it (wire/mqtt/publish-once.ts): that delivery is skipped, as aedes' writer could not
   * write it either, and the other subscribers and clients go on.
   */
  private encoded(packet: DeliveredPacket, qos: 0 | 1): Encoded | null {
    const last = this.lastEncoded[qos];
    if (
      last !== null &&
      packet.brokerId === last.brokerId &&
      packet.brokerCounter === last.brokerCounter &&
      packet.topic === last.topic &&
      packet.payload === last.payload
    ) {
      return last;
    }
    const once = encodePublishOnce(packet.topic, packet.payload as Uint8Array | string, qos);
    if (!once) return null;
    const encoded: Encoded = {
      brokerId: packet.brokerId,
      brokerCounter: packet.brokerCounter,
      topic: packet.topic,
      payload: packet.payload,
      once,
      bytes: Buffer.from(once.bytes.buffer, once.bytes.byteOffset, once.bytes.byteLength),
    };
    // a message without a broker id (none of aedes' own paths) is never taken for another
    if (packet.brokerId) this.lastEncoded[qos] = encoded;
    return encoded;
  }
}

/**
 * A clean session's live delivery, connected: aedes' own path keeps what this one does not — a
 * persistent session's store, QoS 2's handshake state, a retained message, a client connecting
 * or closing (its errors), MQTT 5's properties.
 */
function takesOver(client: DeliveringClient, packet: DeliveredPacket): boolean {
  return client.connected && !client.closed && client.clean && !packet.retain && packet.properties === undefined;
}

/**
 * A message a subscription delivers without aedes' copy: what `takesOver` asks of that copy,
 * asked of the message (the copy's RETAIN is the message's only with retain-as-published, and its
 * broker id and counter the message's when it has them), at QoS 0 or 1.
 */
function readsOnly(client: DeliveringClient, message: DeliveredPacket, maxQos: 0 | 1, retainAsPublished: boolean): boolean {
  return (
    client.connected &&
    !client.closed &&
    client.clean &&
    !(retainAsPublished && message.retain) &&
    message.properties === undefined &&
    Boolean(message.brokerId) &&
    Boolean(message.brokerCounter) &&
    (maxQos === 0 || message.qos <= 1)
  );
}

/** aedes' copy's payload when the message has none (aedes-packet) */
const NO_PAYLOAD = Buffer.alloc(0);

/** aedes' `dedupe` (lib/client.js): a message that matches two of a client's subscriptions is delivered once. */
function firstDelivery(client: DeliveringClient, packet: DeliveredPacket): boolean {
  const id = packet.brokerId;
  if (!id) return true;
  const counter = packet.brokerCounter as number;
  const first = (client.duplicates[id] || 0) < counter;
  if (first) client.duplicates[id] = counter;
  return first;
}

/** The client's next packet id, as aedes numbers them (lib/qos-packet.js): 1 to 65535, round and round. */
function nextPacketId(client: DeliveringClient): number {
  const id = client._nextId;
  client._nextId = id >= 65535 ? 1 : id + 1;
  return id;
}

/**
 * Writes a delivery; the broker hears it done on the next turn of the event loop, or once the
 * connection drained if it is full (aedes' own wait, with its drain timeout), as aedes' write does.
 */
function send(client: DeliveringClient, bytes: Buffer, done: Done): void {
  if (client.conn.writeWhole(bytes) || client.errored) {
    calledBackSoon(done);
    return;
  }
  client.waitForDrain((error) => {
    client._onError(error);
    done();
  });
}

/**
 * Delivery callbacks waiting for the next turn of the event loop: one setImmediate for all the
 * subscribers of a message, not one each. (Not called at once: mqemitter would then finish the
 * message inside its own loop and start the next one there, deeper and deeper — aedes' reason for
 * its setImmediate.)
 */
let waiting: Done[] = [];

function calledBackSoon(done: Done): void {
  if (waiting.length === 0) setImmediate(callBackWaiting);
  waiting.push(done);
}

function callBackWaiting(): void {
  const now = waiting;
  waiting = [];
  let index = 0;
  try {
    for (; index < now.length; index++) now[index]!();
  } finally {
    // one that threw must not leave the others' messages unfinished
    if (index < now.length) for (const rest of now.slice(index + 1)) calledBackSoon(rest);
  }
}
