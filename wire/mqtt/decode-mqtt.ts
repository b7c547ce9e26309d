import type { Bilingual } from '../../shared/bilingual.ts';
import { markMessage } from '../message-marks.ts';
import { bytesRu, ru, ruSummary } from '../node-text.ts';
import { rangeOf, type PayloadOffsets } from '../payload-layers.ts';
import type { ByteRange, WireNode } from '../types.ts';
import { stringError, topicFilterError, topicNameError } from './mqtt-rules.ts';
import { readUint16 } from './body-fields.ts';
import { MAX_REMAINING_LENGTH_BYTES, readRemainingLength } from './remaining-length.ts';

// MQTT 3.1.1 (OASIS, 2014) and 3.1 control packets, byte by byte: the fixed header (type in the
// high 4 bits, flags in the low 4), the remaining length (1–4 bytes, 7 bits each, the high bit
// says "more"), then each type's variable header and payload. Never throws: bytes that do not
// make a packet become nodes with an `error` code.

export const PACKET_TYPES: Readonly<Record<number, string>> = {
  1: 'CONNECT',
  2: 'CONNACK',
  3: 'PUBLISH',
  4: 'PUBACK',
  5: 'PUBREC',
  6: 'PUBREL',
  7: 'PUBCOMP',
  8: 'SUBSCRIBE',
  9: 'SUBACK',
  10: 'UNSUBSCRIBE',
  11: 'UNSUBACK',
  12: 'PINGREQ',
  13: 'PINGRESP',
  14: 'DISCONNECT',
};

/** The flags each type must carry (§2.2.2); PUBLISH's are DUP, QoS and RETAIN. */
const REQUIRED_FLAGS: Readonly<Record<number, number>> = { 6: 0b0010, 8: 0b0010, 10: 0b0010 };

export const CONNACK_CODES: Readonly<Record<number, Bilingual>> = {
  0: { en: 'accepted', ru: 'принято' },
  1: { en: 'unacceptable protocol version', ru: 'неподдерживаемая версия протокола' },
  2: { en: 'identifier rejected', ru: 'идентификатор клиента отклонён' },
  3: { en: 'server unavailable', ru: 'сервер недоступен' },
  4: { en: 'bad user name or password', ru: 'неверное имя пользователя или пароль' },
  5: { en: 'not authorized', ru: 'нет прав' },
};

export interface MqttPacketFields extends Record<string, string | number | boolean> {
  type: string;
  remainingLength: number;
}

// ignoreBOM: a leading U+FEFF is part of the string (MQTT-1.5.3-3), not stripped
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const bits = (byte: number): string => byte.toString(2).padStart(8, '0');

/** Reads fields of one packet's body; every read past the end gives an error node instead. */
class BodyReader {
  at: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    private readonly offsets: PayloadOffsets,
  ) {
    this.at = start;
  }

  get left(): number {
    return this.end - this.at;
  }

  range(start: number, end: number): WireNode['range'] {
    return rangeOf(this.offsets, start, end);
  }

  short(kind: string, label: string): WireNode {
    const node: WireNode = { kind, label, range: this.range(this.at, this.end), error: 'length-past-end' };
    this.at = this.end;
    return node;
  }

  uint16(kind: string, label: string, russian: string): { node: WireNode; value?: number } {
    if (this.left < 2) return { node: ru(this.short(kind, label), russian) };
    const value = readUint16(this.bytes, this.at);
    const node = ru({ kind, label, value: String(value), range: this.range(this.at, this.at + 2) }, russian);
    this.at += 2;
    return { node, value };
  }

  /**
   * A 2-byte length, then that many bytes: a UTF-8 string (or binary data when `binary`).
   * `rule` says what else the string breaks (mqtt-rules.ts); by default, a string's own rules.
   */
  lengthPrefixed(
    kind: string,
    label: string,
    russian: string,
    binary = false,
    rule: (text: string) => string | undefined = stringError,
  ): { node: WireNode; text?: string } {
    const start = this.at;
    if (this.left < 2) return { node: ru(this.short(kind, label), russian) };
    const length = readUint16(this.bytes, this.at);
    const lengthNode = ru({ kind: 'string-length', label: 'length', value: String(length), range: this.range(this.at, this.at + 2) }, 'длина');
    this.at += 2;
    if (this.left < length) {
      const node = ru({ kind, label, range: this.range(start, this.end), children: [lengthNode], error: 'length-past-end' }, russian);
      this.at = this.end;
      return { node };
    }
    const data = this.bytes.subarray(this.at, this.at + length);
    let text: string | undefined;
    let error: string | undefined;
    if (!binary) {
      try {
        text = utf8.decode(data);
        error = rule(text);
      } catch {
        error = 'mqtt-invalid-utf8';
      }
    }
    const value = binary ? `${length} B` : (text ?? hex(data));
    // a byte count is words ("43 B"), said in the reader's language; text from the wire is data
    const valueRu = binary ? bytesRu(length) : undefined;
    const dataNode = ru(
      { kind: 'string-data', label: binary ? 'bytes' : 'UTF-8', value, range: this.range(this.at, this.at + length) },
      binary ? 'байты' : 'UTF-8',
      valueRu,
    );
    this.at += length;
    const node = ru({ kind, label, value, range: this.range(start, this.at), children: [lengthNode, dataNode], ...(error ? { error } : {}) }, russian, valueRu);
    return { node, text };
  }

  byte(): number | undefined {
    return this.left > 0 ? this.bytes[this.at] : undefined;
  }
}

function hex(bytes: Uint8Array, max = 64): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} … (${bytes.length} B)` : shown;
}

function bit(kind: string, label: string, russian: string, value: string, range: WireNode['range'], error?: string): WireNode {
  return ru({ kind, label, value, range, ...(error ? { error } : {}) }, russian);
}

export interface DecodedMqtt {
  /** one node per packet (marked as an `mqtt-packet` message), then one for bytes that are not a whole packet */
  nodes: WireNode[];
  /** payload index where unread bytes start (=== bytes.length when everything was a packet) */
  consumed: number;
}

/**
 * Decodes MQTT control packets from `bytes` (one direction of a connection, or one WebSocket
 * message). An unfinished last packet is an `incomplete` node while `complete` is false.
 */
export function decodeMqttPackets(bytes: Uint8Array, offsets: PayloadOffsets, complete = true): DecodedMqtt {
  const nodes: WireNode[] = [];
  let at = 0;
  while (at < bytes.length) {
    const packet = decodePacket(bytes, at, offsets, complete);
    nodes.push(packet.node);
    if (packet.end === undefined) return { nodes, consumed: at };
    at = packet.end;
  }
  return { nodes, consumed: at };
}

function decodePacket(bytes: Uint8Array, start: number, offsets: PayloadOffsets, complete: boolean): { node: WireNode; end?: number } {
  const first = bytes[start]!;
  const type = first >> 4;
  const flags = first & 0x0f;
  const name = PACKET_TYPES[type] ?? `reserved-${type}`;
  const fixedHeader = fixedHeaderNode(first, rangeOf(offsets, start, start + 1));
  const remaining = readLengthField(bytes, start + 1, offsets);
  if (remaining.broken) {
    // Nothing after a broken length can be framed: the rest stays unread.
    const broken = remaining.broken === 'malformed' ? 'mqtt-malformed-length' : complete ? 'truncated' : 'incomplete';
    const node = ru(
      { kind: 'mqtt-packet', label: name, range: rangeOf(offsets, start, remaining.at), children: [fixedHeader, ...remaining.lengthBytes], error: broken },
      name,
    );
    return { node };
  }
  const { length, at } = remaining;
  const lengthNode = ru(
    { kind: 'remaining-length', label: 'remaining length', value: `${length} B`, range: rangeOf(offsets, start + 1, at), children: remaining.lengthBytes },
    'оставшаяся длина',
    bytesRu(length),
  );
  const end = at + length;
  if (end > bytes.length) {
    const node = ru(
      {
        kind: 'mqtt-packet',
        label: name,
        value: `${length} B`,
        range: rangeOf(offsets, start, bytes.length),
        children: [fixedHeader, lengthNode],
        error: complete ? 'truncated' : 'incomplete',
      },
      name,
      bytesRu(length),
    );
    return { node };
  }
  const reader = new BodyReader(bytes, at, end, offsets);
  const fields: MqttPacketFields = { type: name, remainingLength: length };
  const body = decodeBody(type, flags, reader, fields);
  const children = [fixedHeader, lengthNode, ...body.nodes];
  if (reader.left > 0) children.push(trailingBytesNode(reader, end));
  const node = ru({ kind: 'mqtt-packet', label: name, value: body.summary, range: rangeOf(offsets, start, end), children }, name, body.summaryRu);
  markMessage(node, {
    layer: 'mqtt-packet',
    summary: body.summary ? `${name} · ${body.summary}` : name,
    fields,
    ...(typeof fields.packetId === 'number' ? { group: `packet ${fields.packetId}` } : {}),
  });
  ruSummary(node, body.summaryRu ? `${name} · ${body.summaryRu}` : name);
  return { node, end };
}

/** The first byte (§2.1.2): the packet type and its flags (PUBLISH's DUP, QoS and RETAIN; fixed values for the others). */
function fixedHeaderNode(first: number, byteRange: ByteRange): WireNode {
  const type = first >> 4;
  const flags = first & 0x0f;
  const name = PACKET_TYPES[type] ?? `reserved-${type}`;
  const typeNode = bit(
    'packet-type',
    'packet type',
    'тип пакета',
    `${bits(first).slice(0, 4)} .... = ${type} (${name})`,
    byteRange,
    PACKET_TYPES[type] ? undefined : 'mqtt-reserved-type',
  );
  const flagNodes: WireNode[] =
    type === 3
      ? [
          bit(
            'dup',
            'DUP',
            'DUP (повтор)',
            `.... ${bits(first)[4]}... = ${(flags >> 3) & 1 ? 'resent' : 'first attempt'}`,
            byteRange,
            flags & 0x08 && ((flags >> 1) & 3) === 0 ? 'mqtt-dup-on-qos-0' : undefined,
          ),
          bit('qos', 'QoS', 'QoS', `.... .${bits(first).slice(5, 7)}. = ${(flags >> 1) & 3}`, byteRange, ((flags >> 1) & 3) === 3 ? 'mqtt-qos-3' : undefined),
          bit('retain', 'RETAIN', 'RETAIN (сохранить)', `.... ...${bits(first)[7]} = ${flags & 1 ? 'yes' : 'no'}`, byteRange),
        ]
      : [bit('flags', 'flags', 'флаги', `.... ${bits(first).slice(4)}`, byteRange, (REQUIRED_FLAGS[type] ?? 0) !== flags ? 'mqtt-bad-flags' : undefined)];
  return ru(
    { kind: 'fixed-header', label: 'fixed header', value: `0x${first.toString(16).padStart(2, '0')}`, range: byteRange, children: [typeNode, ...flagNodes] },
    'фиксированный заголовок',
  );
}

/**
 * The remaining length (§2.2.3) from `from`, read by remaining-length.ts, and a node for each of
 * its bytes. `broken`: the bytes ended first ('short', `at` is the end of the bytes) or a fifth
 * byte was due ('malformed').
 */
function readLengthField(
  bytes: Uint8Array,
  from: number,
  offsets: PayloadOffsets,
): { length: number; at: number; lengthBytes: WireNode[]; broken?: 'short' | 'malformed' } {
  const read = readRemainingLength(bytes, from);
  const at = typeof read === 'string' ? Math.min(bytes.length, from + MAX_REMAINING_LENGTH_BYTES) : read.bodyStart;
  const lengthBytes = Array.from(bytes.subarray(from, at), (byte, i) =>
    ru(
      {
        kind: 'length-byte',
        label: `byte ${i + 1}`,
        value: `${bits(byte)}: ${byte & 0x80 ? 'more follows' : 'last'}, ${byte & 0x7f} × 128^${i}`,
        range: rangeOf(offsets, from + i, from + i + 1),
      },
      `байт ${i + 1}`,
    ),
  );
  if (read === 'need-more') return { length: 0, at, lengthBytes, broken: 'short' };
  if (read === 'malformed') return { length: 0, at, lengthBytes, broken: 'malformed' };
  return { length: read.length, at, lengthBytes };
}

function trailingBytesNode(reader: BodyReader, end: number): WireNode {
  return ru(
    {
      kind: 'unexpected-bytes',
      label: 'bytes past the fields',
      value: `${reader.left} B`,
      range: reader.range(reader.at, end),
      error: 'mqtt-trailing-bytes',
    },
    'лишние байты',
    bytesRu(reader.left),
  );
}

/** A packet's body: its nodes and its one-line summary in both languages (the timeline shows the reader's). */
type DecodedBody = { nodes: WireNode[]; summary: string; summaryRu: string };

const NO_SUMMARY = { summary: '', summaryRu: '' };

function decodeBody(type: number, flags: number, reader: BodyReader, fields: MqttPacketFields): DecodedBody {
  switch (type) {
    case 1:
      return decodeConnect(reader, fields);
    case 2:
      return decodeConnack(reader, fields);
    case 3:
      return decodePublish(flags, reader, fields);
    case 4:
    case 5:
    case 6:
    case 7:
    case 11: {
      const packetId = packetIdOf(reader, fields);
      const summary = packetId.value !== undefined ? `id ${packetId.value}` : '';
      return { nodes: [packetId.node], summary, summaryRu: summary };
    }
    case 8:
    case 10:
      return decodeSubscription(type, reader, fields);
    case 9:
      return decodeSuback(reader, fields);
    default:
      // PINGREQ, PINGRESP, DISCONNECT have no body; what a reserved type carries is left as bytes.
      return { nodes: [], ...NO_SUMMARY };
  }
}

/** A packet id, flagged when it is 0 (MQTT-2.3.1-1), and kept in `fields` to group an exchange. */
function packetIdOf(reader: BodyReader, fields: MqttPacketFields): { node: WireNode; value?: number } {
  const packetId = reader.uint16('packet-id', 'packet id', 'идентификатор пакета');
  if (packetId.value !== undefined) fields.packetId = packetId.value;
  if (packetId.value === 0) packetId.node.error = 'mqtt-packet-id-zero';
  return packetId;
}

function decodeConnack(reader: BodyReader, fields: MqttPacketFields): DecodedBody {
  const nodes: WireNode[] = [];
  const ack = reader.byte();
  if (ack === undefined) return { nodes: [reader.short('connack-flags', 'acknowledge flags')], ...NO_SUMMARY };
  fields.sessionPresent = (ack & 1) === 1;
  nodes.push(
    ru(
      {
        kind: 'connack-flags',
        label: 'session present',
        value: `${bits(ack)} = ${ack & 1 ? 'yes' : 'no'}`,
        range: reader.range(reader.at, reader.at + 1),
        ...(ack & 0xfe ? { error: 'mqtt-connack-flags' } : {}),
      },
      'сессия уже есть',
    ),
  );
  reader.at++;
  const code = reader.byte();
  if (code === undefined) return { nodes: [...nodes, reader.short('return-code', 'return code')], ...NO_SUMMARY };
  fields.returnCode = code;
  const meaning = CONNACK_CODES[code] ?? { en: 'reserved', ru: 'зарезервирован' };
  nodes.push(
    ru(
      {
        kind: 'return-code',
        label: 'return code',
        value: `${code} ${meaning.en}`,
        range: reader.range(reader.at, reader.at + 1),
        ...(CONNACK_CODES[code] ? {} : { error: 'mqtt-connack-code' }),
      },
      'код ответа',
      `${code} ${meaning.ru}`,
    ),
  );
  reader.at++;
  // a refusal starts no session, so it cannot say one is present (MQTT-3.2.2-4)
  if (code !== 0 && ack & 1 && !nodes[0].error) nodes[0].error = 'mqtt-connack-refused-session';
  return { nodes, summary: `${code} ${meaning.en}`, summaryRu: `${code} ${meaning.ru}` };
}

function decodePublish(flags: number, reader: BodyReader, fields: MqttPacketFields): DecodedBody {
  const qos = (flags >> 1) & 3;
  fields.qos = qos;
  fields.retain = (flags & 1) === 1;
  fields.dup = (flags & 8) === 8;
  const topic = reader.lengthPrefixed('topic', 'topic', 'тема', false, topicNameError);
  const nodes = [topic.node];
  if (topic.text !== undefined) fields.topic = topic.text;
  let id = '';
  if (qos > 0) {
    const packetId = packetIdOf(reader, fields);
    nodes.push(packetId.node);
    if (packetId.value !== undefined) id = ` · id ${packetId.value}`;
  }
  const payload = reader.range(reader.at, reader.end);
  const data = reader.bytes.subarray(reader.at, reader.end);
  let text: string | undefined;
  try {
    text = utf8.decode(data);
  } catch {
    text = undefined;
  }
  fields.payloadBytes = data.length;
  if (text !== undefined) fields.payload = text;
  nodes.push(ru({ kind: 'payload', label: 'payload', value: text ?? hex(data), range: payload }, 'полезная нагрузка'));
  reader.at = reader.end;
  return {
    nodes,
    summary: `${topic.text ?? '?'} · QoS ${qos}${id}${fields.retain ? ' · retain' : ''} · ${data.length} B`,
    summaryRu: `${topic.text ?? '?'} · QoS ${qos}${id}${fields.retain ? ' · сохраняемое' : ''} · ${bytesRu(data.length)}`,
  };
}

function decodeSubscription(type: 8 | 10, reader: BodyReader, fields: MqttPacketFields): DecodedBody {
  const packetId = packetIdOf(reader, fields);
  const nodes = [packetId.node];
  const filters: string[] = [];
  while (reader.left > 0) {
    const filter = reader.lengthPrefixed('topic-filter', 'topic filter', 'фильтр тем', false, topicFilterError);
    if (type === 10) {
      nodes.push(filter.node);
    } else {
      const requested = reader.byte();
      const children = [...(filter.node.children ?? [])];
      if (requested === undefined) children.push(reader.short('requested-qos', 'requested QoS'));
      else {
        children.push(
          ru(
            {
              kind: 'requested-qos',
              label: 'requested QoS',
              value: String(requested & 3),
              range: reader.range(reader.at, reader.at + 1),
              ...(requested > 2 ? { error: 'mqtt-requested-qos' } : {}),
            },
            'запрошенный QoS',
          ),
        );
        reader.at++;
      }
      nodes.push({
        ...filter.node,
        range: { start: filter.node.range.start, end: children.at(-1)!.range.end },
        children,
        value: `${filter.text ?? '?'} · QoS ${requested ?? '?'}`,
      });
    }
    filters.push(filter.text ?? '?');
  }
  fields.topics = filters.join(' ');
  const error =
    filters.length === 0
      ? [ru({ kind: 'no-topics', label: 'no topic filter', range: reader.range(reader.at, reader.at), error: 'mqtt-no-topics' }, 'нет фильтра тем')]
      : [];
  const summary = `id ${packetId.value ?? '?'} · ${filters.join(', ')}`;
  return { nodes: [...nodes, ...error], summary, summaryRu: summary };
}

function decodeSuback(reader: BodyReader, fields: MqttPacketFields): DecodedBody {
  const packetId = packetIdOf(reader, fields);
  const nodes = [packetId.node];
  const granted: string[] = [];
  const grantedRu: string[] = [];
  while (reader.left > 0) {
    const code = reader.byte()!;
    const meaning = code === 0x80 ? 'failure' : code <= 2 ? `QoS ${code}` : 'reserved';
    const russian = code === 0x80 ? 'отказ' : code <= 2 ? meaning : 'зарезервирован';
    granted.push(meaning);
    grantedRu.push(russian);
    nodes.push(
      ru(
        {
          kind: 'granted-qos',
          label: 'granted',
          value: `0x${code.toString(16).padStart(2, '0')} ${meaning}`,
          range: reader.range(reader.at, reader.at + 1),
          ...(code > 2 && code !== 0x80 ? { error: 'mqtt-suback-code' } : {}),
        },
        'выдано',
        `0x${code.toString(16).padStart(2, '0')} ${russian}`,
      ),
    );
    reader.at++;
  }
  if (granted.length === 0 && packetId.value !== undefined) {
    nodes.push(
      ru({ kind: 'no-return-codes', label: 'no return code', range: reader.range(reader.at, reader.at), error: 'mqtt-no-return-codes' }, 'нет кода ответа'),
    );
  }
  fields.granted = granted.join(' ');
  return { nodes, summary: `id ${packetId.value ?? '?'} · ${granted.join(', ')}`, summaryRu: `id ${packetId.value ?? '?'} · ${grantedRu.join(', ')}` };
}

/** The connect flags byte bit by bit, each bit flagged where it breaks a rule of §3.1.2. */
function connectFlagNodes(flags: number, range: WireNode['range']): WireNode[] {
  const b = bits(flags);
  const has = (mask: number): boolean => (flags & mask) !== 0;
  const willQos = (flags >> 3) & 3;
  const willQosError = willQos === 3 ? 'mqtt-will-qos-3' : willQos > 0 && !has(0x04) ? 'mqtt-will-qos-without-will' : undefined;
  return [
    bit('user-name-flag', 'user name', 'имя пользователя', `${b[0]}... .... = ${has(0x80) ? 'present' : 'absent'}`, range),
    bit(
      'password-flag',
      'password',
      'пароль',
      `.${b[1]}.. .... = ${has(0x40) ? 'present' : 'absent'}`,
      range,
      has(0x40) && !has(0x80) ? 'mqtt-password-without-user' : undefined,
    ),
    bit(
      'will-retain',
      'will retain',
      'сохранять завещание',
      `..${b[2]}. .... = ${has(0x20) ? 'yes' : 'no'}`,
      range,
      has(0x20) && !has(0x04) ? 'mqtt-will-retain-without-will' : undefined,
    ),
    bit('will-qos', 'will QoS', 'QoS завещания', `...${b[3]} ${b[4]}... = ${willQos}`, range, willQosError),
    bit('will-flag', 'will', 'завещание (last will)', `.... .${b[5]}.. = ${has(0x04) ? 'present' : 'absent'}`, range),
    bit('clean-session', 'clean session', 'чистая сессия', `.... ..${b[6]}. = ${has(0x02) ? 'yes: start afresh' : 'no: keep the session'}`, range),
    bit('reserved', 'reserved', 'зарезервирован', `.... ...${b[7]} = ${flags & 1}`, range, has(0x01) ? 'mqtt-connect-reserved' : undefined),
  ];
}

/** The levels this broker speaks (MQTT-3.1.2-2): another gets CONNACK 1. */
const VERSION_OF_LEVEL: Readonly<Record<number, string>> = { 4: 'MQTT 3.1.1', 3: 'MQTT 3.1' };

function decodeConnect(reader: BodyReader, fields: MqttPacketFields): DecodedBody {
  const nodes: WireNode[] = [];
  const protocol = reader.lengthPrefixed('protocol-name', 'protocol name', 'имя протокола');
  nodes.push(protocol.node);
  if (protocol.text !== undefined) fields.protocol = protocol.text;
  const level = reader.byte();
  if (level === undefined) return { nodes: [...nodes, reader.short('protocol-level', 'protocol level')], ...NO_SUMMARY };
  fields.level = level;
  const known = VERSION_OF_LEVEL[level];
  // 3.1.1 (and 5) say "MQTT", 3.1 said "MQIsdp": "MQTT" at level 3 is neither (issue 39); at another level, either.
  const names = level === 3 ? ['MQIsdp'] : level === 4 || level === 5 ? ['MQTT'] : ['MQTT', 'MQIsdp'];
  if (protocol.text !== undefined && !protocol.node.error && !names.includes(protocol.text)) protocol.node.error = 'mqtt-protocol-name';
  const version = known ?? (level === 5 ? 'MQTT 5' : 'unknown');
  nodes.push(
    ru(
      {
        kind: 'protocol-level',
        label: 'protocol level',
        value: `${level} (${version})`,
        range: reader.range(reader.at, reader.at + 1),
        ...(known ? {} : { error: 'mqtt-protocol-level' }),
      },
      'версия протокола',
    ),
  );
  reader.at++;
  const flags = reader.byte();
  if (flags === undefined) return { nodes: [...nodes, reader.short('connect-flags', 'connect flags')], ...NO_SUMMARY };
  const flagsRange = reader.range(reader.at, reader.at + 1);
  const has = (mask: number): boolean => (flags & mask) !== 0;
  fields.cleanSession = has(0x02);
  fields.will = has(0x04);
  fields.keepAlive = -1;
  nodes.push(
    ru(
      {
        kind: 'connect-flags',
        label: 'connect flags',
        value: `0x${flags.toString(16).padStart(2, '0')}`,
        range: flagsRange,
        children: connectFlagNodes(flags, flagsRange),
      },
      'флаги подключения',
    ),
  );
  reader.at++;
  const keepAlive = reader.uint16('keep-alive', 'keep-alive (s)', 'keep-alive (с)');
  nodes.push(keepAlive.node);
  if (keepAlive.value !== undefined) fields.keepAlive = keepAlive.value;
  const clientId = reader.lengthPrefixed('client-id', 'client id', 'идентификатор клиента');
  if (clientId.text === '' && !has(0x02)) clientId.node.error = 'mqtt-empty-client-id';
  nodes.push(clientId.node);
  if (clientId.text !== undefined) fields.clientId = clientId.text;
  if (has(0x04)) nodes.push(...decodeWill(reader, fields));
  if (has(0x80)) {
    const user = reader.lengthPrefixed('user-name', 'user name', 'имя пользователя');
    nodes.push(user.node);
    if (user.text !== undefined) fields.userName = user.text;
  }
  if (has(0x40)) nodes.push(reader.lengthPrefixed('password', 'password', 'пароль', true).node);
  const versionRu = known ?? (level === 5 ? 'MQTT 5' : 'неизвестная версия');
  return {
    nodes,
    summary: `${version} · ${clientId.text ? `client ${clientId.text}` : 'no client id'} · clean ${has(0x02) ? 1 : 0} · keep-alive ${keepAlive.value ?? '?'} s`,
    summaryRu: `${versionRu} · ${clientId.text ? `клиент ${clientId.text}` : 'без идентификатора клиента'} · чистая сессия ${has(0x02) ? 1 : 0} · keep-alive ${keepAlive.value ?? '?'} с`,
  };
}

function decodeWill(reader: BodyReader, fields: MqttPacketFields): WireNode[] {
  const topic = reader.lengthPrefixed('will-topic', 'will topic', 'тема завещания', false, topicNameError);
  if (topic.text !== undefined) fields.willTopic = topic.text;
  const messageStart = reader.at;
  const message = reader.lengthPrefixed('will-message', 'will message', 'текст завещания', true);
  // the will's payload as text, when it is UTF-8: a check can then recognise the will's PUBLISH
  if (!message.node.error) {
    try {
      fields.willMessage = utf8.decode(reader.bytes.subarray(messageStart + 2, reader.at));
    } catch {
      // bytes that are not UTF-8: no text field, the node still shows them
    }
  }
  return [topic.node, message.node];
}
