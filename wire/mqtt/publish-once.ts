// A PUBLISH (MQTT 3.1.1 §3.3) encoded once for all the subscribers of one message: the broker
// delivers one message to hundreds of clients, and at QoS 0 the bytes are the same for all of
// them; at QoS 1 only the packet identifier (§2.3.1, the broker's own per client) differs, so
// each delivery is a copy with those two bytes written in. The bytes are what mqtt-packet writes
// for the same packet (publish-once.test.ts compares them), DUP aside: a delivery made once is a
// first attempt, and §3.3.1.1 has DUP say only that (MQTT-3.3.1-3), never copied from the
// publisher's PUBLISH.
import { encodeRemainingLength, MAX_REMAINING_LENGTH, publishRemainingLength } from './remaining-length.ts';
import { MAX_TOPIC_BYTES } from './topic-rules.ts';

/** A PUBLISH ready to be written: its bytes, and where its packet identifier goes (-1 at QoS 0, which has none). */
export interface PublishOnce {
  readonly bytes: Uint8Array;
  readonly packetIdAt: number;
}

const utf8Encoder = new TextEncoder();

/**
 * The PUBLISH of `topic` and `payload` at `qos`: fixed header (DUP 0, the QoS, RETAIN), remaining
 * length, the topic as a UTF-8 string, room for the packet identifier above QoS 0, the payload.
 * At QoS 1 and 2 the identifier is left 0: `withPacketId` writes each delivery's.
 * null when no PUBLISH can carry it — a topic past a UTF-8 string's 65,535 bytes (§1.5.3), a packet
 * past the largest remaining length (§2.2.3) — so that one message that cannot be written costs its
 * delivery, never the broker's loop that serves everyone.
 */
export function encodePublishOnce(topic: string, payload: Uint8Array | string, qos: 0 | 1 | 2, retain = false): PublishOnce | null {
  const topicBytes = utf8Encoder.encode(topic);
  if (topicBytes.length > MAX_TOPIC_BYTES) return null;
  const payloadBytes = typeof payload === 'string' ? utf8Encoder.encode(payload) : payload;
  const remaining = publishRemainingLength(topicBytes.length, payloadBytes.length, qos);
  if (remaining > MAX_REMAINING_LENGTH) return null;
  const length = encodeRemainingLength(remaining);
  const bytes = new Uint8Array(1 + length.length + 2 + topicBytes.length + (qos > 0 ? 2 : 0) + payloadBytes.length);
  bytes[0] = 0x30 | (qos << 1) | (retain ? 0x01 : 0);
  bytes.set(length, 1);
  let at = 1 + length.length;
  bytes[at] = topicBytes.length >> 8;
  bytes[at + 1] = topicBytes.length & 0xff;
  bytes.set(topicBytes, at + 2);
  at += 2 + topicBytes.length;
  const packetIdAt = qos > 0 ? at : -1;
  if (qos > 0) at += 2;
  bytes.set(payloadBytes, at);
  return { bytes, packetIdAt };
}

/**
 * One delivery of a PUBLISH encoded once: its bytes copied into `into` (exactly as long: the
 * caller allocates it, a Buffer on the server) with `packetId` (1–65535) written in. At QoS 0
 * there is nothing to write: the encoded bytes themselves can be sent to every subscriber.
 * null, and `into` untouched, when the copy cannot be made as asked: a PUBLISH at QoS 0 (no
 * identifier), an identifier outside 1–65535 (§2.3.1), an `into` of another length.
 */
export function withPacketId(once: PublishOnce, packetId: number, into: Uint8Array): Uint8Array | null {
  if (once.packetIdAt < 0 || !Number.isInteger(packetId) || packetId < 1 || packetId > 0xffff || into.length !== once.bytes.length) return null;
  into.set(once.bytes);
  into[once.packetIdAt] = packetId >> 8;
  into[once.packetIdAt + 1] = packetId & 0xff;
  return into;
}
