import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { decodeChunk, type CaptureFixture } from '../fixtures/read-fixture.ts';
import { messageMarkOf } from '../message-marks.ts';
import { russianSummaryOf, russianTextOf, wireErrorText } from '../node-text.ts';
import { contiguousOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { decodeMqttPackets } from './decode-mqtt.ts';
import { MQTT_ERROR_TEXT } from './mqtt-error-text.ts';

const str = (text: string): number[] => {
  const bytes = [...Buffer.from(text)];
  return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
};

// CONNECT as mosquitto_sub -c -i worker -u sandbox:a -k 60 sends it (3.1.1, user name, clean session off).
const connectBody = [...str('MQTT'), 0x04, 0x80, 0x00, 0x3c, ...str('worker'), ...str('sandbox:a')];
const connect = Buffer.from([0x10, connectBody.length, ...connectBody]);
const connack = Buffer.from([0x20, 0x02, 0x01, 0x00]);
const publishBody = [...str('orders/1'), 0x00, 0x07, ...Buffer.from('{"n":1}')];
const publishQos2 = Buffer.from([0x34, publishBody.length, ...publishBody]);
const pubrec = Buffer.from([0x50, 0x02, 0x00, 0x07]);
const pubrel = Buffer.from([0x62, 0x02, 0x00, 0x07]);
const pubcomp = Buffer.from([0x70, 0x02, 0x00, 0x07]);
const subscribe = Buffer.from([0x82, 2 + 2 + 8 + 1 + 2 + 1 + 1, 0x00, 0x01, ...str('orders/#'), 0x01, ...str('#'), 0x02]);
const suback = Buffer.from([0x90, 0x04, 0x00, 0x01, 0x01, 0x80]);
const pingreq = Buffer.from([0xc0, 0x00]);

function find(node: WireNode, kind: string): WireNode | undefined {
  if (node.kind === kind) return node;
  for (const child of node.children ?? []) {
    const found = find(child, kind);
    if (found) return found;
  }
  return undefined;
}

function decode(bytes: Uint8Array, complete = true) {
  return decodeMqttPackets(bytes, contiguousOffsets(100), complete);
}

describe('decodeMqttPackets', () => {
  it('says byte counts in Russian for the Russian inspector, and leaves text from the wire as it is', () => {
    const [packet] = decode(publishQos2).nodes;
    const length = find(packet!, 'remaining-length')!;
    expect(length.value).toBe(`${publishBody.length} B`);
    expect(publishBody.length).toBe(19);
    expect(russianTextOf(length)).toEqual({ label: 'оставшаяся длина', value: '19 байт' });
    const [withTrailing] = decode(Buffer.from([0x40, 0x03, 0x00, 0x07, 0xff])).nodes;
    expect(russianTextOf(find(withTrailing!, 'unexpected-bytes')!)).toEqual({ label: 'лишние байты', value: '1 байт' });
    const [cut] = decode(Buffer.from([0x30, 0x15, 0x00]), false).nodes;
    expect(russianTextOf(cut!)?.value).toBe('21 байт');
    const [connectPacket] = decode(connect).nodes;
    expect(russianTextOf(find(connectPacket!, 'client-id')!)?.value).toBeUndefined();
  });

  it('gives every packet a Russian one-line summary for the Russian timeline', () => {
    const summaries = (bytes: Uint8Array) => {
      const [node] = decode(bytes).nodes;
      return { en: messageMarkOf(node!)?.summary, ru: russianSummaryOf({ tree: node! }), value: russianTextOf(node!)?.value };
    };
    expect(summaries(connect)).toMatchObject({
      en: 'CONNECT · MQTT 3.1.1 · client worker · clean 0 · keep-alive 60 s',
      ru: 'CONNECT · MQTT 3.1.1 · клиент worker · чистая сессия 0 · keep-alive 60 с',
    });
    expect(summaries(connack).ru).toMatch(/^CONNACK · 0 /);
    expect(summaries(connack).ru).not.toBe(summaries(connack).en);
    expect(summaries(publishQos2)).toMatchObject({
      en: 'PUBLISH · orders/1 · QoS 2 · id 7 · 7 B',
      ru: 'PUBLISH · orders/1 · QoS 2 · id 7 · 7 байт',
      value: 'orders/1 · QoS 2 · id 7 · 7 байт',
    });
    expect(summaries(Buffer.from([0x31, 0x05, ...str('a'), 0x41, 0x42])).ru).toBe('PUBLISH · a · QoS 0 · сохраняемое · 2 байта');
    expect(summaries(suback)).toMatchObject({ en: 'SUBACK · id 1 · QoS 1, failure', ru: 'SUBACK · id 1 · QoS 1, отказ' });
    expect(summaries(pubrec).ru).toBe('PUBREC · id 7');
    expect(summaries(pingreq).ru).toBe('PINGREQ');
  });

  it('reads CONNECT with its flags bit by bit', () => {
    const [packet] = decode(connect).nodes;
    expect(packet!.label).toBe('CONNECT');
    expect(packet!.range).toEqual({ start: 100, end: 100 + connect.length });
    const flags = find(packet!, 'connect-flags')!;
    expect(flags.children!.map((c) => [c.kind, c.value])).toEqual([
      ['user-name-flag', '1... .... = present'],
      ['password-flag', '.0.. .... = absent'],
      ['will-retain', '..0. .... = no'],
      ['will-qos', '...0 0... = 0'],
      ['will-flag', '.... .0.. = absent'],
      ['clean-session', '.... ..0. = no: keep the session'],
      ['reserved', '.... ...0 = 0'],
    ]);
    expect(messageMarkOf(packet!)!.fields).toMatchObject({
      type: 'CONNECT',
      protocol: 'MQTT',
      level: 4,
      cleanSession: false,
      keepAlive: 60,
      clientId: 'worker',
      userName: 'sandbox:a',
    });
  });

  it('gives the will topic and, when it is UTF-8, the will message as fields', () => {
    const withWill = (message: number[]) => {
      const body = [
        ...str('MQTT'),
        0x04,
        0x0e,
        0x00,
        0x0a,
        ...str('sensor-7'),
        ...str('status/sensor-7'),
        message.length >> 8,
        message.length & 0xff,
        ...message,
      ];
      return messageMarkOf(decode(Buffer.from([0x10, body.length, ...body])).nodes[0]!)!.fields;
    };
    expect(withWill([...Buffer.from('offline')])).toMatchObject({ will: true, willTopic: 'status/sensor-7', willMessage: 'offline' });
    const binary = withWill([0xff, 0xfe]);
    expect(binary).toMatchObject({ will: true, willTopic: 'status/sensor-7' });
    expect(binary).not.toHaveProperty('willMessage');
  });

  it('reads the remaining length byte by byte', () => {
    const payload = Buffer.alloc(200, 0x61);
    const body = [...str('t'), ...payload];
    // 203 = 0xCB 0x01: 75 + 1 × 128
    const packet = Buffer.from([0x30, 0xcb, 0x01, ...body]);
    const [node] = decode(packet).nodes;
    const length = find(node!, 'remaining-length')!;
    expect(length.value).toBe('203 B');
    expect(length.children!.map((c) => [c.value, c.range])).toEqual([
      ['11001011: more follows, 75 × 128^0', { start: 101, end: 102 }],
      ['00000001: last, 1 × 128^1', { start: 102, end: 103 }],
    ]);
    expect(messageMarkOf(node!)!.fields).toMatchObject({ type: 'PUBLISH', qos: 0, topic: 't', payloadBytes: 200 });
  });

  it("reads QoS 2's four packets, grouped by their packet id", () => {
    const { nodes } = decode(Buffer.concat([publishQos2, pubrec, pubrel, pubcomp]));
    expect(nodes.map((n) => messageMarkOf(n)!.summary)).toEqual([
      'PUBLISH · orders/1 · QoS 2 · id 7 · 7 B',
      'PUBREC · id 7',
      'PUBREL · id 7',
      'PUBCOMP · id 7',
    ]);
    expect(new Set(nodes.map((n) => messageMarkOf(n)!.group))).toEqual(new Set(['packet 7']));
    expect(find(nodes[0]!, 'payload')!.value).toBe('{"n":1}');
    expect(find(nodes[0]!, 'qos')!.value).toBe('.... .10. = 2');
  });

  it('reads CONNACK, SUBSCRIBE, SUBACK with a failure, PINGREQ', () => {
    const { nodes } = decode(Buffer.concat([connack, subscribe, suback, pingreq]));
    expect(nodes.map((n) => messageMarkOf(n)!.summary)).toEqual([
      'CONNACK · 0 accepted',
      'SUBSCRIBE · id 1 · orders/#, #',
      'SUBACK · id 1 · QoS 1, failure',
      'PINGREQ',
    ]);
    expect(messageMarkOf(nodes[0]!)!.fields.sessionPresent).toBe(true);
  });

  it('says what is wrong instead of throwing', () => {
    expect(find(decode(Buffer.from([0x60, 0x02, 0x00, 0x01])).nodes[0]!, 'flags')!.error).toBe('mqtt-bad-flags');
    expect(decode(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])).nodes[0]!.error).toBe('mqtt-malformed-length');
    expect(decode(Buffer.from([0x00, 0x00])).nodes[0]!.children![0]!.children![0]!.error).toBe('mqtt-reserved-type');
    expect(decode(publishQos2.subarray(0, 10), false).nodes[0]!.error).toBe('incomplete');
    expect(decode(publishQos2.subarray(0, 10), true).nodes[0]!.error).toBe('truncated');
    // a topic length past the packet's end
    expect(find(decode(Buffer.from([0x30, 0x03, 0x00, 0x09, 0x61])).nodes[0]!, 'topic')!.error).toBe('length-past-end');
    expect(find(decode(Buffer.from([0xc0, 0x01, 0x00])).nodes[0]!, 'unexpected-bytes')!.error).toBe('mqtt-trailing-bytes');
  });

  it('flags every violation of MQTT 3.1.1 as an error node naming its clause', () => {
    const connectWith = (name: string, level: number, flags: number, rest: number[]) =>
      Buffer.from([0x10, 6 + name.length + rest.length, ...str(name), level, flags, 0x00, 0x3c, ...rest]);
    const errorOf = (bytes: Buffer | number[], kind: string) => find(decode(Buffer.from(bytes)).nodes[0]!, kind)?.error;
    const text = (code: string | undefined) => (code ? wireErrorText(code, 'en') : undefined);
    // CONNECT
    expect(errorOf(connectWith('MQTX', 4, 0x02, str('id')), 'protocol-name')).toBe('mqtt-protocol-name');
    expect(text(errorOf(connectWith('MQTX', 4, 0x02, str('id')), 'protocol-name'))).toContain('MQTT-3.1.2-1');
    expect(errorOf(connectWith('MQTT', 7, 0x02, str('id')), 'protocol-level')).toBe('mqtt-protocol-level');
    // level 3 is MQTT 3.1, whose name is "MQIsdp": "MQTT" there is neither version's CONNECT
    expect(errorOf(connectWith('MQTT', 3, 0x02, str('id')), 'protocol-name')).toBe('mqtt-protocol-name');
    expect(errorOf(connectWith('MQIsdp', 3, 0x02, str('id')), 'protocol-name')).toBeUndefined();
    expect(text('mqtt-protocol-level')).toContain('MQTT-3.1.2-2');
    expect(errorOf(connectWith('MQTT', 4, 0x00, str('')), 'client-id')).toBe('mqtt-empty-client-id');
    expect(errorOf(connectWith('MQTT', 4, 0x02, str('')), 'client-id')).toBeUndefined();
    expect(errorOf(connectWith('MQTT', 4, 0x42, [...str('id'), ...str('pw')]), 'password-flag')).toBe('mqtt-password-without-user');
    expect(errorOf(connectWith('MQTT', 4, 0x1e, [...str('id'), ...str('t'), ...str('m')]), 'will-qos')).toBe('mqtt-will-qos-3');
    expect(errorOf(connectWith('MQTT', 4, 0x0a, str('id')), 'will-qos')).toBe('mqtt-will-qos-without-will');
    expect(errorOf(connectWith('MQTT', 4, 0x22, str('id')), 'will-retain')).toBe('mqtt-will-retain-without-will');
    expect(errorOf(connectWith('MQTT', 4, 0x03, str('id')), 'reserved')).toBe('mqtt-connect-reserved');
    expect(errorOf(connectWith('MQTT', 4, 0x06, [...str('id'), ...str('a/#'), ...str('m')]), 'will-topic')).toBe('mqtt-topic-wildcard');
    expect(errorOf(connectWith('MQTT', 4, 0x02, [0x00, 0x02, 0xff, 0xfe]), 'client-id')).toBe('mqtt-invalid-utf8');
    expect(errorOf(connectWith('MQTT', 4, 0x02, [0x00, 0x02, 0x61, 0x00]), 'client-id')).toBe('mqtt-null-character');
    // CONNACK
    expect(errorOf([0x20, 0x02, 0x00, 0x09], 'return-code')).toBe('mqtt-connack-code');
    expect(errorOf([0x20, 0x02, 0x02, 0x00], 'connack-flags')).toBe('mqtt-connack-flags');
    // a refusal with session present set (MQTT-3.2.2-4); an acceptance with it is fine
    expect(errorOf([0x20, 0x02, 0x01, 0x05], 'connack-flags')).toBe('mqtt-connack-refused-session');
    expect(text('mqtt-connack-refused-session')).toContain('MQTT-3.2.2-4');
    expect(errorOf([0x20, 0x02, 0x01, 0x00], 'connack-flags')).toBeUndefined();
    // PUBLISH
    expect(errorOf([0x30, 0x05, ...str('a/#')], 'topic')).toBe('mqtt-topic-wildcard');
    expect(errorOf([0x30, 0x05, ...str('a/+')], 'topic')).toBe('mqtt-topic-wildcard');
    expect(errorOf([0x30, 0x02, ...str('')], 'topic')).toBe('mqtt-empty-topic');
    expect(errorOf([0x30, 0x04, ...[0x00, 0x02, 0xff, 0xfe]], 'topic')).toBe('mqtt-invalid-utf8');
    expect(errorOf([0x38, 0x03, ...str('a')], 'dup')).toBe('mqtt-dup-on-qos-0');
    expect(errorOf([0x3a, 0x05, ...str('a'), 0x00, 0x01], 'dup')).toBeUndefined();
    expect(errorOf([0x36, 0x05, ...str('a'), 0x00, 0x01], 'qos')).toBe('mqtt-qos-3');
    expect(errorOf([0x32, 0x05, ...str('a'), 0x00, 0x00], 'packet-id')).toBe('mqtt-packet-id-zero');
    // SUBSCRIBE, SUBACK, UNSUBSCRIBE
    expect(errorOf([0x82, 0x0a, 0x00, 0x01, ...str('a/#/b'), 0x00], 'topic-filter')).toBe('mqtt-filter-multi-level');
    expect(errorOf([0x82, 0x07, 0x00, 0x01, ...str('a+'), 0x00], 'topic-filter')).toBe('mqtt-filter-single-level');
    expect(errorOf([0xa2, 0x04, 0x00, 0x01, ...str('')], 'topic-filter')).toBe('mqtt-empty-topic');
    expect(errorOf([0x82, 0x06, 0x00, 0x01, ...str('a'), 0x03], 'requested-qos')).toBe('mqtt-requested-qos');
    expect(errorOf([0x82, 0x06, 0x00, 0x00, ...str('a'), 0x00], 'packet-id')).toBe('mqtt-packet-id-zero');
    expect(errorOf([0xa2, 0x02, 0x00, 0x01], 'no-topics')).toBe('mqtt-no-topics');
    expect(errorOf([0x90, 0x02, 0x00, 0x01], 'no-return-codes')).toBe('mqtt-no-return-codes');
    expect(errorOf([0x90, 0x03, 0x00, 0x01, 0x03], 'granted-qos')).toBe('mqtt-suback-code');
    // reserved bits of a fixed header
    expect(errorOf([0xa0, 0x05, 0x00, 0x01, ...str('a')], 'flags')).toBe('mqtt-bad-flags');
    // what real clients send stays clean: no error anywhere
    const errors: string[] = [];
    const collect = (node: WireNode): void => {
      if (node.error) errors.push(node.error);
      node.children?.forEach(collect);
    };
    decode(Buffer.concat([connect, connack, subscribe, suback, publishQos2, pubrec, pubrel, pubcomp, pingreq])).nodes.forEach(collect);
    expect(errors).toEqual([]);
  });

  it('flags nothing in real traffic: mosquitto_sub, mosquitto_pub and mqtt.js as the tap recorded them', () => {
    const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'mqtt-session.json'), 'utf8')) as CaptureFixture;
    const errors: string[] = [];
    const collect = (node: WireNode): void => {
      if (node.error) errors.push(`${node.kind}: ${node.error}`);
      node.children?.forEach(collect);
    };
    let packets = 0;
    for (const connection of fixture.connections) {
      const chunks = fixture.chunks.filter((chunk) => chunk.conn === connection.id).map(decodeChunk);
      for (const message of decodeConnection(connection, chunks).messages ?? []) {
        if (message.layer === 'mqtt-packet') packets++;
        collect(message.tree);
      }
    }
    expect(packets).toBeGreaterThan(10);
    expect(errors).toEqual([]);
  });

  it('names every error it gives in English and Russian, with the clause', () => {
    const codes = new Set<string>();
    const collect = (node: WireNode): void => {
      if (node.error) codes.add(node.error);
      node.children?.forEach(collect);
    };
    const samples = [
      [0x60, 0x02, 0x00, 0x01],
      [0x30, 0xff, 0xff, 0xff, 0xff, 0x01],
      [0x00, 0x00],
      [0x36, 0x03, 0x00, 0x01, 0x61],
      [0x30, 0x03, 0x00, 0x09, 0x61],
      [0xc0, 0x01, 0x00],
      [0x82, 0x02, 0x00, 0x01],
      [0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x03],
      [0x10, 0x0c, 0x00, 0x04, ...Buffer.from('MQTT'), 0x04, 0x79, 0x00, 0x3c, 0x00, 0x00],
      [0x30, 0x03, 0x00, 0x01, 0xff],
    ];
    for (const sample of samples) decode(Buffer.from(sample)).nodes.forEach(collect);
    decode(publishQos2.subarray(0, 10), false).nodes.forEach(collect);
    decode(publishQos2.subarray(0, 10), true).nodes.forEach(collect);
    expect(codes.size).toBeGreaterThanOrEqual(10);
    for (const code of codes) {
      expect(wireErrorText(code, 'en'), code).toBeDefined();
      expect(wireErrorText(code, 'ru'), code).toBeDefined();
    }
    for (const [code, text] of Object.entries(MQTT_ERROR_TEXT)) {
      expect(text.en, code).toMatch(/\((MQTT-\d|§)/);
      expect(text.ru, code).toMatch(/\((MQTT-\d|§)/);
    }
  });

  it('never throws, on every prefix of real traffic and on noise', () => {
    const stream = Buffer.concat([connect, connack, subscribe, suback, publishQos2, pubrec, pubrel, pubcomp, pingreq]);
    for (let n = 0; n <= stream.length; n++) {
      for (const complete of [true, false]) expect(() => decode(stream.subarray(0, n), complete)).not.toThrow();
    }
    let seed = 7;
    for (let round = 0; round < 3000; round++) {
      const bytes = new Uint8Array(1 + (round % 40));
      for (let i = 0; i < bytes.length; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        bytes[i] = seed & 0xff;
      }
      expect(() => decode(bytes)).not.toThrow();
    }
    // thousands of decodes: CPU-bound, so a loaded machine needs more than vitest's 5 s default
  }, 30_000);
});
