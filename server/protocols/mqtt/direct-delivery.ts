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
  subscriptions: Record<string, { qos: number }>;
  _nextId: number;
  _keepaliveInterval: number;
  _keepaliveTimer: { refresh(): unknown } | null;
  deliver0: Deliver;
  deliverQoS: Deliver;
  waitForDrain(callback: (error: Error | null) => void): void;
  _onError(error: Error | null): void;
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

export class DirectDelivery {
  /**
   * The last message encoded at QoS 0 and at QoS 1. mqemitter calls a message's subscribers one
   * after another in one loop, and each subscriber's copy keeps the message's broker id, counter
   * and payload: 500 subscribers of one sandbox cost one encoding.
   */
  private readonly lastEncoded: [Encoded | null, Encoded | null] = [null, null];

  constructor(private readonly broker: Pick<Aedes, 'authorizeForward' | 'emit'>) {}

  /** Before the client can subscribe (aedes takes these functions at SUBSCRIBE), and before the CONNACK gate wraps them. */
  install(client: DeliveringClient): void {
    const aedesDeliver0 = client.deliver0;
    const aedesDeliverQoS = client.deliverQoS;
    client.deliver0 = (packet, done) => {
      if (!takesOver(client, packet)) return aedesDeliver0(packet, done);
      const forwarded = this.forwarded(client, packet);
      const encoded = forwarded && this.encoded(forwarded, 0);
      if (!encoded) return calledBackSoon(done);
      send(client, encoded.bytes, done);
    };
    client.deliverQoS = (packet, done) => {
      // as aedes: a message published at QoS 0 goes at QoS 0 whatever the subscription
      if (packet.qos === 0) return client.deliver0(packet, done);
      if (packet.qos !== 1 || !takesOver(client, packet)) return aedesDeliverQoS(packet, done);
      const forwarded = this.forwarded(client, packet);
      if (!forwarded) return calledBackSoon(done);
      // authorizeForward lowered it to what the subscriptions were granted; aedes then checks the exact filter too
      const exact = client.subscriptions[forwarded.topic];
      const qos = forwarded.qos === 0 || (exact && (exact.qos || 0) === 0) ? 0 : 1;
      const encoded = this.encoded(forwarded, qos);
      if (!encoded) return calledBackSoon(done);
      if (qos === 0) return send(client, encoded.bytes, done);
      const bytes = Buffer.allocUnsafe(encoded.bytes.length);
      // nextPacketId gives 1–65535 and bytes is the encoding's size, so this is never null; were it, only this delivery would go
      if (!withPacketId(encoded.once, nextPacketId(client), bytes)) return calledBackSoon(done);
      send(client, bytes, done);
    };
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
