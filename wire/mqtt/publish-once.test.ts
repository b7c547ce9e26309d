import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { decodePackets, readPublish, utf8Text } from './mqtt-packets.ts';
import { encodePublishOnce, withPacketId } from './publish-once.ts';

/** What mqtt-packet (aedes' writer) writes for the same PUBLISH: the bytes the broker sent before. */
function mqttPacketBytes(packet: { topic: string; payload: Buffer | string; qos: 0 | 1 | 2; retain: boolean; messageId?: number }): Buffer {
  return mqttPacket.generate({ cmd: 'publish', dup: false, ...packet });
}

const CASES = [
  { what: 'QoS 0', topic: 'fanout/q0', payload: Buffer.from('hello'), qos: 0, retain: false },
  { what: 'QoS 1', topic: 'chat/websocket/lobby', payload: Buffer.from('{"text":"hi"}'), qos: 1, retain: false },
  { what: 'QoS 2, retained', topic: 'orders/7', payload: Buffer.from('exactly once'), qos: 2, retain: true },
  { what: 'a UTF-8 topic and a string payload', topic: 'заказы/№1', payload: 'привет', qos: 1, retain: false },
  { what: 'an empty payload', topic: 'a', payload: Buffer.alloc(0), qos: 0, retain: true },
  // 200 bytes: a remaining length of two bytes; 20 000: three
  { what: 'a two-byte remaining length', topic: 't/x', payload: Buffer.alloc(200, 7), qos: 1, retain: false },
  { what: 'a three-byte remaining length', topic: 't/y', payload: Buffer.alloc(20_000, 9), qos: 1, retain: false },
] as const;

describe('a PUBLISH encoded once for every subscriber', () => {
  it.each(CASES)('is, with each packet id written in, the bytes mqtt-packet writes: $what', ({ topic, payload, qos, retain }) => {
    const once = encodePublishOnce(topic, payload, qos, retain)!;
    if (qos === 0) {
      expect(Buffer.from(once.bytes).toString('hex')).toBe(mqttPacketBytes({ topic, payload, qos, retain }).toString('hex'));
      return;
    }
    for (const messageId of [1, 255, 256, 4242, 65535]) {
      const delivery = withPacketId(once, messageId, new Uint8Array(once.bytes.length))!;
      expect(Buffer.from(delivery).toString('hex'), String(messageId)).toBe(mqttPacketBytes({ topic, payload, qos, retain, messageId }).toString('hex'));
    }
  });

  it('reads back, with the inspector’s decoder, as the topic, payload, QoS and packet id it was given, DUP 0', () => {
    const once = encodePublishOnce('orders/1', '{"total":3}', 1)!;
    const first = withPacketId(once, 7, new Uint8Array(once.bytes.length))!;
    const second = withPacketId(once, 8, new Uint8Array(once.bytes.length))!;
    const { packets, rest } = decodePackets(new Uint8Array([...first, ...second]));
    expect(rest.length).toBe(0);
    expect(packets.map((packet) => packet.flags)).toEqual([0b0010, 0b0010]);
    const read = packets.map(readPublish).map(({ payload, ...fields }) => ({ ...fields, payload: utf8Text(payload) }));
    expect(read).toEqual([
      { topic: 'orders/1', payload: '{"total":3}', qos: 1, retain: false, dup: false, packetId: 7 },
      { topic: 'orders/1', payload: '{"total":3}', qos: 1, retain: false, dup: false, packetId: 8 },
    ]);
    // the encoded bytes themselves are left as they were, for the next subscriber
    expect([once.bytes[once.packetIdAt], once.bytes[once.packetIdAt + 1]]).toEqual([0, 0]);
  });

  it('answers null, never throws, for what no PUBLISH can carry: a packet id at QoS 0, out of 1–65535, a copy of the wrong size, a topic past 65 535 bytes', () => {
    const atQos0 = encodePublishOnce('a', 'b', 0)!;
    expect(atQos0.packetIdAt).toBe(-1);
    expect(withPacketId(atQos0, 1, new Uint8Array(atQos0.bytes.length))).toBeNull();
    const atQos1 = encodePublishOnce('a', 'b', 1)!;
    for (const bad of [0, 65_536, 1.5]) expect(withPacketId(atQos1, bad, new Uint8Array(atQos1.bytes.length)), String(bad)).toBeNull();
    const tooLong = new Uint8Array(atQos1.bytes.length + 1);
    expect(withPacketId(atQos1, 1, tooLong)).toBeNull();
    expect(tooLong.every((byte) => byte === 0)).toBe(true);
    expect(encodePublishOnce('x'.repeat(65_536), 'b', 0)).toBeNull();
    // the longest topic a UTF-8 string holds is still encoded
    expect(encodePublishOnce('x'.repeat(65_535), 'b', 0)).not.toBeNull();
  });
});
