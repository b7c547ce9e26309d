// The MQTT suite's hand-written packets against bytes written out from the specification
// (OASIS MQTT 3.1.1 §2.2.3, §3.1, §3.3, §3.8), not against another encoder: the suite must be
// able to send what encoders refuse, and read what a broker really sends.
import { describe, expect, it } from 'vitest';
import {
  PACKET,
  decodePackets,
  describePacket,
  encodeAck,
  encodeConnect,
  encodePublish,
  encodeRemainingLength,
  encodeSubscribe,
  encodeUnsubscribe,
  readConnack,
  readPublish,
  readSuback,
} from './mqtt-packets.ts';
import { concatBytes } from './mqtt-packets.ts';

const bytes = (text: string) => Uint8Array.from(text.replace(/\s+/g, '').match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('the remaining length (§2.2.3)', () => {
  it.each([
    [0, '00'],
    [127, '7f'],
    [128, '80 01'],
    [16_383, 'ff 7f'],
    [16_384, '80 80 01'],
    [2_097_151, 'ff ff 7f'],
    [2_097_152, '80 80 80 01'],
    [268_435_455, 'ff ff ff 7f'],
  ])('%i is %s', (length, encoded) => {
    expect(encodeRemainingLength(length)).toEqual(bytes(encoded));
    const packet = concatBytes([Uint8Array.of(0x30), bytes(encoded)]);
    // the reader takes the length and then waits for that many bytes
    if (length > 0) expect(decodePackets(packet)).toMatchObject({ packets: [], rest: packet });
  });

  it('refuses more than 268 435 455 and a fifth length byte', () => {
    expect(() => encodeRemainingLength(268_435_456)).toThrow(RangeError);
    expect(decodePackets(bytes('30 80 80 80 80 01')).malformed).toMatch(/four bytes/);
  });
});

describe('what the suite sends', () => {
  it('CONNECT: protocol name, level, flags, keep-alive, client id (§3.1)', () => {
    expect(encodeConnect({ clientId: 'ab' })).toEqual(bytes('10 0e 0004 4d515454 04 02 003c 0002 6162'));
    expect(encodeConnect({ clientId: '', cleanSession: false, protocolLevel: 7, keepAlive: 0 })).toEqual(bytes('10 0c 0004 4d515454 07 00 0000 0000'));
    // what the suite sends to see refused: another protocol name (§3.1.2.1), the reserved flag set (§3.1.2.3)
    expect(encodeConnect({ clientId: 'ab', protocolName: 'MQTX', reservedFlag: true, keepAlive: 1 })).toEqual(
      bytes('10 0e 0004 4d515458 04 03 0001 0002 6162'),
    );
  });

  it('CONNECT with a will: flag bits, will QoS, then its topic and message', () => {
    // flags 0x0e: clean session, will, will QoS 1
    expect(encodeConnect({ clientId: 'c', will: { topic: 't', payload: 'x', qos: 1 } })).toEqual(
      bytes('10 13 0004 4d515454 04 0e 003c 0001 63 0001 74 0001 78'),
    );
  });

  it('PUBLISH: QoS, RETAIN and DUP in the flags; a packet id only above QoS 0 — even an invalid one', () => {
    expect(encodePublish({ topic: 'a/b', payload: 'hi', qos: 0 })).toEqual(bytes('30 07 0003 612f62 6869'));
    expect(encodePublish({ topic: 'a', payload: '', qos: 1, retain: true, packetId: 10 })).toEqual(bytes('33 05 0001 61 000a'));
    expect(encodePublish({ topic: 'a', payload: 'x', qos: 2, dup: true, packetId: 514 })).toEqual(bytes('3c 06 0001 61 0202 78'));
    expect(encodePublish({ topic: 'a', payload: 'x', qos: 1, packetId: 0 })).toEqual(bytes('32 06 0001 61 0000 78'));
    expect(encodePublish({ topic: 'a', payload: 'x', qos: 3, packetId: 3 })).toEqual(bytes('36 06 0001 61 0003 78'));
  });

  it('SUBSCRIBE has the flags 0010; PUBREL too, the other acknowledgements none', () => {
    expect(
      encodeSubscribe(4242, [
        { filter: 'a/+', qos: 1 },
        { filter: '#', qos: 2 },
      ]),
    ).toEqual(bytes('82 0c 1092 0003 612f2b 01 0001 23 02'));
    expect(encodeAck(PACKET.pubrel, 514)).toEqual(bytes('62 02 0202'));
    expect(encodeAck(PACKET.puback, 1)).toEqual(bytes('40 02 0001'));
    expect(encodeAck(PACKET.pubcomp, 1)).toEqual(bytes('70 02 0001'));
    // reserved flags the server must refuse (§3.6.1, §3.8.1), and a SUBSCRIBE without a filter (§3.8.3)
    expect(encodeAck(PACKET.pubrel, 514, 0)).toEqual(bytes('60 02 0202'));
    expect(encodeSubscribe(1, [{ filter: 'a', qos: 0 }], 0)).toEqual(bytes('80 06 0001 0001 61 00'));
    expect(encodeSubscribe(1, [])).toEqual(bytes('82 02 0001'));
  });

  it('UNSUBSCRIBE: flags 0010, a packet id, the filters without a QoS (§3.10)', () => {
    const unsubscribe = encodeUnsubscribe(7, ['a/+', '#']);
    expect(unsubscribe).toEqual(bytes('a2 0a 0007 0003 612f2b 0001 23'));
    expect(describePacket(decodePackets(unsubscribe).packets[0]!)).toBe('UNSUBSCRIBE id 7 "a/+", "#" [a2 0a 00 07 00 03 61 2f 2b 00 01 23]');
  });
});

describe('what a broker sends back', () => {
  it('splits a stream into packets, whatever the chunks, and keeps a cut packet for later', () => {
    const stream = bytes('20 02 01 00  90 04 0001 01 80  d0 00  32 07 0001 61 0007 6f6b');
    const { packets, rest } = decodePackets(concatBytes([stream, bytes('30 05 00')]));
    expect(packets.map((packet) => packet.type)).toEqual([PACKET.connack, PACKET.suback, PACKET.pingresp, PACKET.publish]);
    expect(rest).toEqual(bytes('30 05 00'));
    expect(readConnack(packets[0])).toEqual({ sessionPresent: true, returnCode: 0 });
    expect(readSuback(packets[1])).toEqual({ packetId: 1, returnCodes: [1, 0x80] });
    expect(readPublish(packets[3])).toEqual({ topic: 'a', payload: utf8('ok'), qos: 1, retain: false, dup: false, packetId: 7 });
  });

  it('reads RETAIN and DUP, and a QoS 0 PUBLISH without a packet id', () => {
    const [packet] = decodePackets(bytes('39 05 0001 61 7879')).packets;
    expect(readPublish(packet)).toMatchObject({ qos: 0, retain: true, dup: true, packetId: null, payload: utf8('xy') });
  });

  it('describes a packet for the report: its fields, and its bytes when they are few', () => {
    const [connack, publish] = decodePackets(bytes('20 02 00 01  33 07 0001 61 0007 6f6b')).packets;
    expect(describePacket(connack)).toBe('CONNACK session present 0, return code 1 (unacceptable protocol version) [20 02 00 01]');
    expect(describePacket(publish)).toBe('PUBLISH QoS 1 RETAIN id 7 topic "a" payload "ok" [33 07 00 01 61 00 07 6f 6b]');
    const [connect] = decodePackets(encodeConnect({ clientId: 'wlc-abcdef-session', cleanSession: false })).packets;
    expect(describePacket(connect)).toMatch(
      /^CONNECT "MQTT" level 4, clean session 0, keep-alive 60 s, client id "wlc-abcdef-session" \[10 1e 00 04 .* … 32 B\]$/,
    );
  });
});
