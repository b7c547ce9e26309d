// MQTT 3.1.1 control packets, encoded and read by hand for checking, not for use: a check must be
// able to send what a library never would (protocol level 7, a PUBLISH at QoS 3 or with packet
// id 0, a second CONNECT) and report every packet as it came. OASIS MQTT 3.1.1 §2 (the fixed
// header and its remaining length) and §3 (each packet's variable header and payload).
import { hex } from './check-kit.ts';

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
  body: Buffer;
}

/** The remaining length of §2.2.3: seven bits a byte, the high bit saying another byte follows. */
export function encodeRemainingLength(length: number): Buffer {
  if (length < 0 || length > 268_435_455) throw new RangeError(`remaining length ${length} is outside 0…268435455 (§2.2.3)`);
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return Buffer.from(bytes);
}

export function encodePacket(type: number, flags: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([(type << 4) | (flags & 0x0f)]), encodeRemainingLength(body.length), body]);
}

/** A UTF-8 encoded string of §1.5.3: two bytes of length, then the bytes. */
function mqttString(text: string | Buffer): Buffer {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
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
  will?: Will;
  username?: string;
}

/** CONNECT (§3.1): protocol name `MQTT`, the level, the flags, keep-alive, then the payload. */
export function encodeConnect(options: ConnectOptions): Buffer {
  const cleanSession = options.cleanSession ?? true;
  const will = options.will;
  let flags = cleanSession ? 0x02 : 0;
  if (will) flags |= 0x04 | (will.qos << 3) | (will.retain ? 0x20 : 0);
  if (options.username !== undefined) flags |= 0x80;
  const parts = [mqttString('MQTT'), Buffer.from([options.protocolLevel ?? 4, flags]), uint16(options.keepAlive ?? 60), mqttString(options.clientId)];
  if (will) parts.push(mqttString(will.topic), mqttString(will.payload));
  if (options.username !== undefined) parts.push(mqttString(options.username));
  return encodePacket(PACKET.connect, 0, Buffer.concat(parts));
}

export interface PublishSpec {
  topic: string;
  payload: string | Buffer;
  /** 0, 1 or 2; 3 is what a check sends to see it refused (§3.3.1.2). */
  qos: number;
  retain?: boolean;
  dup?: boolean;
  /** Required for QoS 1 and 2 (§2.3.1); 0 is what a check sends to see it refused. */
  packetId?: number;
}

/** PUBLISH (§3.3): DUP, QoS and RETAIN in the first byte's flags; a packet id only above QoS 0. */
export function encodePublish(spec: PublishSpec): Buffer {
  const flags = (spec.dup ? 0x08 : 0) | ((spec.qos & 0x03) << 1) | (spec.retain ? 0x01 : 0);
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload, 'utf8') : spec.payload;
  const packetId = spec.qos > 0 ? uint16(spec.packetId ?? 1) : Buffer.alloc(0);
  return encodePacket(PACKET.publish, flags, Buffer.concat([mqttString(spec.topic), packetId, payload]));
}

/** SUBSCRIBE (§3.8): flags 0010, a packet id, then each filter with its requested QoS. */
export function encodeSubscribe(packetId: number, filters: ReadonlyArray<{ filter: string; qos: number }>): Buffer {
  const body = Buffer.concat([uint16(packetId), ...filters.flatMap(({ filter, qos }) => [mqttString(filter), Buffer.from([qos])])]);
  return encodePacket(PACKET.subscribe, 0x02, body);
}

/** PUBACK, PUBREC, PUBREL (flags 0010, §3.6.1), PUBCOMP: just the packet id. */
export function encodeAck(type: number, packetId: number): Buffer {
  return encodePacket(type, type === PACKET.pubrel ? 0x02 : 0, uint16(packetId));
}

export const PINGREQ = encodePacket(PACKET.pingreq, 0);
export const DISCONNECT = encodePacket(PACKET.disconnect, 0);

/**
 * Splits `buffer` into whole packets; the rest waits for more bytes. A remaining length of more
 * than four bytes is malformed (§2.2.3): `malformed` says so and nothing after it is read.
 */
export function decodePackets(buffer: Buffer): { packets: MqttPacket[]; rest: Buffer; malformed?: string } {
  const packets: MqttPacket[] = [];
  let offset = 0;
  while (buffer.length - offset >= 2) {
    let length = 0;
    let multiplier = 1;
    let cursor = offset + 1;
    let complete = false;
    for (let index = 0; index < 4 && cursor < buffer.length; index += 1) {
      const byte = buffer[cursor++];
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if ((byte & 0x80) === 0) {
        complete = true;
        break;
      }
      if (index === 3) return { packets, rest: buffer.subarray(offset), malformed: 'a remaining length longer than four bytes' };
    }
    if (!complete || buffer.length < cursor + length) break;
    packets.push({ type: buffer[offset] >> 4, flags: buffer[offset] & 0x0f, body: Buffer.from(buffer.subarray(cursor, cursor + length)) });
    offset = cursor + length;
  }
  return { packets, rest: buffer.subarray(offset) };
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
  payload: Buffer;
  qos: number;
  retain: boolean;
  dup: boolean;
  packetId: number | null;
}

export function readPublish(packet: MqttPacket): ReceivedPublish {
  const qos = (packet.flags >> 1) & 0x03;
  const topicLength = packet.body.length >= 2 ? packet.body.readUInt16BE(0) : 0;
  const topic = packet.body.subarray(2, 2 + topicLength).toString('utf8');
  let cursor = 2 + topicLength;
  let packetId: number | null = null;
  if (qos > 0 && packet.body.length >= cursor + 2) {
    packetId = packet.body.readUInt16BE(cursor);
    cursor += 2;
  }
  return { topic, payload: packet.body.subarray(cursor), qos, retain: (packet.flags & 0x01) === 1, dup: (packet.flags & 0x08) !== 0, packetId };
}

/** The packet id that PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK and UNSUBACK begin with. */
export function readPacketId(packet: MqttPacket): number | null {
  return packet.body.length >= 2 ? packet.body.readUInt16BE(0) : null;
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
  const raw = bytes.length <= 16 ? ` [${hex(bytes)}]` : ` [${hex(bytes.subarray(0, 8))} … ${bytes.length} B]`;
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
      return ` QoS ${message.qos}${flags}${id} topic ${JSON.stringify(message.topic)} payload ${JSON.stringify(message.payload.toString('utf8'))}`;
    }
    case PACKET.subscribe:
      return ` id ${readPacketId(packet)} ${subscribeFilters(packet.body)}`;
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

function readString(body: Buffer, offset: number): [string, number] {
  if (body.length < offset + 2) return ['', body.length];
  const length = body.readUInt16BE(offset);
  return [body.subarray(offset + 2, offset + 2 + length).toString('utf8'), offset + 2 + length];
}

function connectFields(body: Buffer): string {
  const [protocol, afterName] = readString(body, 0);
  const level = body[afterName];
  const flags = body[afterName + 1] ?? 0;
  const keepAlive = body.length >= afterName + 4 ? body.readUInt16BE(afterName + 2) : 0;
  const [clientId, afterId] = readString(body, afterName + 4);
  let will = '';
  if (flags & 0x04) {
    const [topic, afterTopic] = readString(body, afterId);
    const [payload] = readString(body, afterTopic);
    will = `, will QoS ${(flags >> 3) & 0x03} topic ${JSON.stringify(topic)} payload ${JSON.stringify(payload)}`;
  }
  return ` ${JSON.stringify(protocol)} level ${level}, clean session ${(flags >> 1) & 1}, keep-alive ${keepAlive} s, client id ${JSON.stringify(clientId)}${will}`;
}

function subscribeFilters(body: Buffer): string {
  const filters: string[] = [];
  let offset = 2;
  while (offset < body.length) {
    const [filter, next] = readString(body, offset);
    filters.push(`${JSON.stringify(filter)} QoS ${body[next]}`);
    offset = next + 1;
  }
  return filters.join(', ');
}
