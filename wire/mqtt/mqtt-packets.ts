// MQTT 3.1.1 control packets as bytes (Uint8Array, no Node), for the "check my server" suite and
// the MQTT relay: encoded by hand, since a check must be able to send what a library never would
// (protocol level 7, a PUBLISH at QoS 3 or with packet id 0, a second CONNECT), and read with the
// inspector's decoder (decode-mqtt.ts), so the fixed header, the remaining length and every
// packet's fields are read by one piece of code; `packetError` is that decoder's verdict on a
// packet. OASIS MQTT 3.1.1 §2 (the fixed header and its remaining length) and §3 (each packet).
import { contiguousOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { decodeMqttPackets } from './decode-mqtt.ts';
import { encodeRemainingLength } from './remaining-length.ts';
import { readUint16 } from './body-fields.ts';

export const PACKET = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  subscribe: 8,
  suback: 9,
  unsubscribe: 10,
  unsuback: 11,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
} as const;

const PACKET_NAMES = [
  'reserved 0',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'reserved 15',
];

/** One control packet as it crossed the wire: its type and flags (the first byte) and the rest. */
export interface MqttPacket {
  type: number;
  flags: number;
  body: Uint8Array;
}

// One writer of §2.2.3's remaining length for the whole tree: the broker's, the relay's, this one's.
export { encodeRemainingLength };

/** The pieces one after another. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

export function encodePacket(type: number, flags: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes([Uint8Array.of((type << 4) | (flags & 0x0f)), encodeRemainingLength(body.length), body]);
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Bytes as UTF-8 text (invalid sequences as U+FFFD): what a check compares payloads by. */
export function utf8Text(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** A UTF-8 encoded string of §1.5.3: two bytes of length, then the bytes. */
function mqttString(text: string | Uint8Array): Uint8Array {
  const bytes = typeof text === 'string' ? utf8Encoder.encode(text) : text;
  return concatBytes([uint16(bytes.length), bytes]);
}

function uint16(value: number): Uint8Array {
  return Uint8Array.of((value >> 8) & 0xff, value & 0xff);
}

/** Bytes as hex pairs, `10 0e 00 04`. */
export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

export interface Will {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain?: boolean;
}

export interface ConnectOptions {
  clientId: string;
  /** Clean session (§3.1.2.4); on by default. */
  cleanSession?: boolean;
  /** Seconds; 0 turns the keep-alive off (§3.1.2.10). */
  keepAlive?: number;
  /** 4 is MQTT 3.1.1; anything else is what a check sends to see it refused (§3.1.2.2). */
  protocolLevel?: number;
  /** `MQTT` by default; anything else is what a check sends to see it refused (§3.1.2.1). */
  protocolName?: string;
  /** Sets the connect flags' reserved bit 0, which must be 0 (§3.1.2.3): a check's malformed CONNECT. */
  reservedFlag?: boolean;
  will?: Will;
  username?: string;
}

/** CONNECT (§3.1): protocol name `MQTT`, the level, the flags, keep-alive, then the payload. */
export function encodeConnect(options: ConnectOptions): Uint8Array {
  const cleanSession = options.cleanSession ?? true;
  const will = options.will;
  let flags = (cleanSession ? 0x02 : 0) | (options.reservedFlag ? 0x01 : 0);
  if (will) flags |= 0x04 | (will.qos << 3) | (will.retain ? 0x20 : 0);
  if (options.username !== undefined) flags |= 0x80;
  const parts = [
    mqttString(options.protocolName ?? 'MQTT'),
    Uint8Array.of(options.protocolLevel ?? 4, flags),
    uint16(options.keepAlive ?? 60),
    mqttString(options.clientId),
  ];
  if (will) parts.push(mqttString(will.topic), mqttString(will.payload));
  if (options.username !== undefined) parts.push(mqttString(options.username));
  return encodePacket(PACKET.connect, 0, concatBytes(parts));
}

export interface PublishSpec {
  topic: string;
  payload: string | Uint8Array;
  /** 0, 1 or 2; 3 is what a check sends to see it refused (§3.3.1.2). */
  qos: number;
  retain?: boolean;
  dup?: boolean;
  /** Required for QoS 1 and 2 (§2.3.1); 0 is what a check sends to see it refused. */
  packetId?: number;
}

/** PUBLISH (§3.3): DUP, QoS and RETAIN in the first byte's flags; a packet id only above QoS 0. */
export function encodePublish(spec: PublishSpec): Uint8Array {
  const flags = (spec.dup ? 0x08 : 0) | ((spec.qos & 0x03) << 1) | (spec.retain ? 0x01 : 0);
  const payload = typeof spec.payload === 'string' ? utf8Encoder.encode(spec.payload) : spec.payload;
  const packetId = spec.qos > 0 ? uint16(spec.packetId ?? 1) : new Uint8Array(0);
  return encodePacket(PACKET.publish, flags, concatBytes([mqttString(spec.topic), packetId, payload]));
}

/**
 * SUBSCRIBE (§3.8): flags 0010, a packet id, then each filter with its requested QoS. Other
 * `flags` (§3.8.1) or no filter at all (§3.8.3) are what a check sends to see it refused.
 */
export function encodeSubscribe(packetId: number, filters: ReadonlyArray<{ filter: string; qos: number }>, flags = 0x02): Uint8Array {
  const body = concatBytes([uint16(packetId), ...filters.flatMap(({ filter, qos }) => [mqttString(filter), Uint8Array.of(qos)])]);
  return encodePacket(PACKET.subscribe, flags, body);
}

/** UNSUBSCRIBE (§3.10): flags 0010, a packet id, then the filters to remove. */
export function encodeUnsubscribe(packetId: number, filters: readonly string[], flags = 0x02): Uint8Array {
  return encodePacket(PACKET.unsubscribe, flags, concatBytes([uint16(packetId), ...filters.map((filter) => mqttString(filter))]));
}

/**
 * PUBACK, PUBREC, PUBREL (flags 0010, §3.6.1), PUBCOMP: just the packet id. Other `flags` are
 * what a check sends to see them refused.
 */
export function encodeAck(type: number, packetId: number, flags = type === PACKET.pubrel ? 0x02 : 0): Uint8Array {
  return encodePacket(type, flags, uint16(packetId));
}

export const PINGREQ = encodePacket(PACKET.pingreq, 0);
export const DISCONNECT = encodePacket(PACKET.disconnect, 0);

/** A whole packet read from a stream: the packet, its bytes as they came, and the decoder's node for it. */
export interface FramedPacket {
  packet: MqttPacket;
  bytes: Uint8Array;
  node: WireNode;
}

/**
 * Splits `bytes` into whole packets with the inspector's decoder; the rest waits for more bytes.
 * A remaining length of more than four bytes is malformed (§2.2.3): `malformed` says so and
 * nothing after it is read.
 */
export function framePackets(bytes: Uint8Array): { framed: FramedPacket[]; rest: Uint8Array; malformed?: string } {
  const framed: FramedPacket[] = [];
  for (const node of decodeMqttPackets(bytes, contiguousOffsets(0), false).nodes) {
    if (node.error === 'incomplete') break;
    if (node.error === 'mqtt-malformed-length')
      return { framed, rest: bytes.subarray(node.range.start), malformed: 'a remaining length longer than four bytes' };
    const { start, end } = node.range;
    const bodyStart = node.children?.find((child) => child.kind === 'remaining-length')?.range.end ?? end;
    const packetBytes = bytes.slice(start, end);
    framed.push({ packet: { type: bytes[start]! >> 4, flags: bytes[start]! & 0x0f, body: packetBytes.subarray(bodyStart - start) }, bytes: packetBytes, node });
  }
  const used = framed.at(-1)?.node.range.end ?? 0;
  return { framed, rest: bytes.subarray(used) };
}

/** `framePackets` without the decoder's nodes: the packets, and what waits for more bytes. */
export function decodePackets(bytes: Uint8Array): { packets: MqttPacket[]; rest: Uint8Array; malformed?: string } {
  const { framed, rest, malformed } = framePackets(bytes);
  return { packets: framed.map(({ packet }) => packet), rest, ...(malformed ? { malformed } : {}) };
}

/** The first rule of MQTT 3.1.1 a decoded packet breaks (an error code of mqtt-error-text.ts), or null. */
export function packetError(node: WireNode): string | null {
  if (node.error) return node.error;
  for (const child of node.children ?? []) {
    const error = packetError(child);
    if (error) return error;
  }
  return null;
}

export interface Connack {
  sessionPresent: boolean;
  returnCode: number;
}

export function readConnack(packet: MqttPacket): Connack {
  return { sessionPresent: (packet.body[0] & 0x01) === 1, returnCode: packet.body[1] ?? -1 };
}

export interface ReceivedPublish {
  topic: string;
  payload: Uint8Array;
  qos: number;
  retain: boolean;
  dup: boolean;
  packetId: number | null;
}

export function readPublish(packet: MqttPacket): ReceivedPublish {
  const qos = (packet.flags >> 1) & 0x03;
  const topicLength = packet.body.length >= 2 ? readUint16(packet.body, 0) : 0;
  const topic = utf8Text(packet.body.subarray(2, 2 + topicLength));
  let cursor = 2 + topicLength;
  let packetId: number | null = null;
  if (qos > 0 && packet.body.length >= cursor + 2) {
    packetId = readUint16(packet.body, cursor);
    cursor += 2;
  }
  return { topic, payload: packet.body.subarray(cursor), qos, retain: (packet.flags & 0x01) === 1, dup: (packet.flags & 0x08) !== 0, packetId };
}

/** The packet id that PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK and UNSUBACK begin with. */
export function readPacketId(packet: MqttPacket): number | null {
  return packet.body.length >= 2 ? readUint16(packet.body, 0) : null;
}

export function readSuback(packet: MqttPacket): { packetId: number | null; returnCodes: number[] } {
  return { packetId: readPacketId(packet), returnCodes: [...packet.body.subarray(2)] };
}

const CONNACK_CODES = ['accepted', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];

export function packetName(type: number): string {
  return PACKET_NAMES[type] ?? `type ${type}`;
}

/** One line a student reads: the packet's name, its fields, and its bytes when they are few. */
export function describePacket(packet: MqttPacket): string {
  const name = packetName(packet.type);
  const bytes = encodePacket(packet.type, packet.flags, packet.body);
  // A long packet shows its fixed header and first bytes only: a check's transcript has room for
  // about twenty lines (OWN_SERVER_LIMITS.transcriptChars), and the fields are decoded beside it.
  const raw = bytes.length <= 16 ? ` [${hexBytes(bytes)}]` : ` [${hexBytes(bytes.subarray(0, 8))} … ${bytes.length} B]`;
  return `${name}${packetFields(packet)}${raw}`;
}

function packetFields(packet: MqttPacket): string {
  switch (packet.type) {
    case PACKET.connect:
      return connectFields(packet.body);
    case PACKET.connack: {
      const { sessionPresent, returnCode } = readConnack(packet);
      return ` session present ${sessionPresent ? 1 : 0}, return code ${returnCode} (${CONNACK_CODES[returnCode] ?? 'reserved'})`;
    }
    case PACKET.publish: {
      const message = readPublish(packet);
      const id = message.packetId === null ? '' : ` id ${message.packetId}`;
      const flags = `${message.dup ? ' DUP' : ''}${message.retain ? ' RETAIN' : ''}`;
      return ` QoS ${message.qos}${flags}${id} topic ${JSON.stringify(message.topic)} payload ${JSON.stringify(utf8Text(message.payload))}`;
    }
    case PACKET.subscribe:
      return ` id ${readPacketId(packet)} ${subscribeFilters(packet.body)}`;
    case PACKET.unsubscribe:
      return ` id ${readPacketId(packet)} ${unsubscribeFilters(packet.body)}`;
    case PACKET.suback: {
      const { packetId, returnCodes } = readSuback(packet);
      return ` id ${packetId} granted ${returnCodes.map((code) => (code === 0x80 ? '0x80 (failure)' : `QoS ${code}`)).join(', ')}`;
    }
    case PACKET.puback:
    case PACKET.pubrec:
    case PACKET.pubrel:
    case PACKET.pubcomp:
    case PACKET.unsuback:
      return ` id ${readPacketId(packet)}`;
    default:
      return '';
  }
}

function readString(body: Uint8Array, offset: number): [string, number] {
  if (body.length < offset + 2) return ['', body.length];
  const length = readUint16(body, offset);
  return [utf8Text(body.subarray(offset + 2, offset + 2 + length)), offset + 2 + length];
}

function connectFields(body: Uint8Array): string {
  const [protocol, afterName] = readString(body, 0);
  const level = body[afterName];
  const flags = body[afterName + 1] ?? 0;
  const keepAlive = body.length >= afterName + 4 ? readUint16(body, afterName + 2) : 0;
  const [clientId, afterId] = readString(body, afterName + 4);
  let will = '';
  if (flags & 0x04) {
    const [topic, afterTopic] = readString(body, afterId);
    const [payload] = readString(body, afterTopic);
    will = `, will QoS ${(flags >> 3) & 0x03} topic ${JSON.stringify(topic)} payload ${JSON.stringify(payload)}`;
  }
  return ` ${JSON.stringify(protocol)} level ${level}, clean session ${(flags >> 1) & 1}, keep-alive ${keepAlive} s, client id ${JSON.stringify(clientId)}${will}`;
}

function unsubscribeFilters(body: Uint8Array): string {
  const filters: string[] = [];
  for (let offset = 2; offset < body.length; ) {
    const [filter, next] = readString(body, offset);
    filters.push(JSON.stringify(filter));
    offset = next;
  }
  return filters.join(', ');
}

function subscribeFilters(body: Uint8Array): string {
  const filters: string[] = [];
  let offset = 2;
  while (offset < body.length) {
    const [filter, next] = readString(body, offset);
    filters.push(`${JSON.stringify(filter)} QoS ${body[next]}`);
    offset = next + 1;
  }
  return filters.join(', ');
}
