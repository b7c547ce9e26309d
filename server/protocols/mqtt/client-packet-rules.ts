import { isUtf8 } from 'node:buffer';
import { readRemainingLength } from '../../../wire/mqtt/remaining-length.ts';
import { topicFilterProblem } from '../../../wire/mqtt/topic-rules.ts';
import { BodyFields as Fields } from '../../../wire/mqtt/body-fields.ts';

/**
 * What MQTT 3.1.1 (OASIS, 2014) says a server must refuse in a packet a client sent, checked on
 * the packet's bytes before aedes parses them: mqtt-packet lets some of these through (a will at
 * QoS 3, a password without a user name, a packet id 0, an UNSUBSCRIBE without filters), decodes
 * strings that are not UTF-8 into U+FFFD, and turns an unknown protocol level into a closed
 * connection where the specification asks for CONNACK 1 first.
 */
export interface Violation {
  /** the conformance statement, e.g. `MQTT-3.1.2-22` */
  clause: string;
  reason: string;
  /** CONNACK return code to send before closing; absent: close without answering (MQTT-3.1.4-1) */
  connack?: number;
}

/** What the rules need to know of the connection so far. */
export interface ClientPacketContext {
  /** a CONNECT was already checked on this connection */
  connected: boolean;
}

const SUPPORTED_LEVELS = new Set([3, 4]);
const PROTOCOL_NAMES = new Set(['MQTT', 'MQIsdp']);
/** Fixed-header flags of each packet type a client may send, PUBLISH aside (§2.2.2). */
const REQUIRED_FLAGS: Readonly<Record<number, number>> = { 1: 0, 4: 0, 5: 0, 6: 0b0010, 7: 0, 8: 0b0010, 10: 0b0010, 12: 0, 14: 0 };
/** Remaining length of the packets that have a fixed one: the acknowledgements 2, PINGREQ and DISCONNECT 0. */
const FIXED_LENGTH: Readonly<Record<number, number>> = { 4: 2, 5: 2, 6: 2, 7: 2, 12: 0, 14: 0 };

const violation = (clause: string, reason: string, connack?: number): Violation => ({ clause, reason, ...(connack === undefined ? {} : { connack }) });
const malformed = (what: string): Violation => violation('MQTT-4.8.0-1', `malformed ${what}`);

/** A UTF-8 string field (§1.5.3): valid UTF-8, no surrogates (isUtf8 refuses them), no U+0000. */
export function stringViolation(bytes: Uint8Array, what: string): Violation | null {
  if (!isUtf8(bytes)) return violation('MQTT-1.5.3-1', `${what} is not valid UTF-8`);
  if (bytes.includes(0)) return violation('MQTT-1.5.3-2', `${what} holds U+0000`);
  return null;
}

/** A topic name (PUBLISH, a will): a valid string, not empty, no wildcard. */
export function topicNameViolation(bytes: Uint8Array, what: string): Violation | null {
  const text = stringViolation(bytes, what);
  if (text) return text;
  if (bytes.length === 0) return violation('MQTT-4.7.3-1', `${what} is empty`);
  if (bytes.includes(0x23) || bytes.includes(0x2b)) return violation('MQTT-3.3.2-2', `${what} holds a wildcard (# or +)`);
  return null;
}

/** A topic filter (SUBSCRIBE, UNSUBSCRIBE): a valid string, not empty, `#` only as the whole last level, `+` only as a whole level. */
export function topicFilterViolation(bytes: Uint8Array): Violation | null {
  const text = stringViolation(bytes, 'a topic filter');
  if (text) return text;
  const filter = Buffer.from(bytes).toString('utf8');
  const problem = topicFilterProblem(filter);
  if (problem === null) return null;
  if (problem.code === 'empty') return violation('MQTT-4.7.3-1', 'a topic filter is empty');
  if (problem.code === 'wildcard-inside-level' && problem.char === '+') return violation('MQTT-4.7.1-3', `+ must be a whole level of a filter: ${filter}`);
  return violation('MQTT-4.7.1-2', `# must be the whole last level of a filter: ${filter}`);
}

/** The violation in one whole packet a client sent (`first`: the fixed header's first byte; `body`: after the remaining length), or null. */
export function clientPacketViolation(first: number, body: Uint8Array, context: ClientPacketContext): Violation | null {
  const type = first >> 4;
  const flags = first & 0x0f;
  if (type === 1 && context.connected) return violation('MQTT-3.1.0-2', 'a second CONNECT');
  if (type !== 1 && !context.connected) return violation('MQTT-3.1.0-1', 'the first packet must be CONNECT');
  if (type !== 3) {
    const required = REQUIRED_FLAGS[type];
    if (required === undefined) return violation('MQTT-2.2.2-2', `packet type ${type} is not one a client sends`);
    if (flags !== required) return violation('MQTT-2.2.2-2', `reserved flags of packet type ${type} must be ${required.toString(2).padStart(4, '0')}`);
    const fixedLength = FIXED_LENGTH[type];
    if (fixedLength !== undefined && body.length !== fixedLength) return malformed(`packet of type ${type}: its remaining length must be ${fixedLength}`);
  }
  switch (type) {
    case 1:
      return connectViolation(new Fields(body));
    case 3:
      return publishViolation(flags, new Fields(body));
    case 8:
    case 10:
      return subscriptionViolation(type, new Fields(body));
    default:
      // the acknowledgements, PINGREQ, DISCONNECT: flags and length are all there is (a PUBACK of every subscriber comes here)
      return null;
  }
}

/**
 * The user name a CONNECT names, read leniently from its body: also from a CONNECT the rules
 * refuse (an MQTT 5 one, whose properties come before the client id and the will; any other
 * level is read as 3.1.1), so a refused connection is recorded in the capture of the session its
 * user name names. undefined: none, or the packet is too broken to find it.
 */
export function connectUserName(body: Uint8Array): string | undefined {
  const fields = new Fields(body);
  if (!fields.lengthPrefixed()) return undefined;
  const level = fields.byte();
  const flags = fields.byte();
  if (level === undefined || flags === undefined || fields.uint16() === undefined || (flags & 0x80) === 0) return undefined;
  const skipProperties = () => level !== 5 || skipVariableLength(fields);
  if (!skipProperties() || !fields.lengthPrefixed()) return undefined;
  if (flags & 0x04 && (!skipProperties() || !fields.lengthPrefixed() || !fields.lengthPrefixed())) return undefined;
  const user = fields.lengthPrefixed();
  return user && isUtf8(user) ? Buffer.from(user).toString('utf8') : undefined;
}

/** MQTT 5's properties: a variable byte integer (as the remaining length) and that many bytes. */
function skipVariableLength(fields: Fields): boolean {
  const read = readRemainingLength(fields.body, fields.at);
  if (typeof read === 'string' || read.bodyStart + read.length > fields.body.length) return false;
  fields.at = read.bodyStart + read.length;
  return true;
}

function connectViolation(fields: Fields): Violation | null {
  const name = fields.lengthPrefixed();
  if (!name || !PROTOCOL_NAMES.has(Buffer.from(name).toString('latin1'))) return violation('MQTT-3.1.2-1', 'the protocol name must be MQTT');
  const level = fields.byte();
  if (level === undefined) return malformed('CONNECT: no protocol level');
  if (!SUPPORTED_LEVELS.has(level)) return violation('MQTT-3.1.2-2', `protocol level ${level} is not supported (3.1.1 is 4, 3.1 is 3)`, 1);
  const flags = fields.byte();
  const keepAlive = fields.uint16();
  if (flags === undefined || keepAlive === undefined) return malformed('CONNECT: its variable header is cut short');
  if (flags & 0x01) return violation('MQTT-3.1.2-3', 'the reserved connect flag must be 0');
  const will = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 3;
  if (!will && willQos !== 0) return violation('MQTT-3.1.2-13', 'will QoS must be 0 without a will');
  if (willQos === 3) return violation('MQTT-3.1.2-14', 'will QoS 3 does not exist');
  if (!will && flags & 0x20) return violation('MQTT-3.1.2-15', 'will retain must be 0 without a will');
  const hasUser = (flags & 0x80) !== 0;
  const hasPassword = (flags & 0x40) !== 0;
  if (hasPassword && !hasUser) return violation('MQTT-3.1.2-22', 'a password without a user name');

  const clientId = fields.lengthPrefixed();
  if (!clientId) return malformed('CONNECT: the client id is cut short');
  const problem = stringViolation(clientId, 'the client id');
  if (problem) return problem;
  if (will) {
    const topic = fields.lengthPrefixed();
    if (!topic || !fields.lengthPrefixed()) return malformed('CONNECT: the will is cut short');
    const willProblem = topicNameViolation(topic, 'the will topic');
    if (willProblem) return willProblem;
  }
  if (hasUser) {
    const user = fields.lengthPrefixed();
    if (!user) return malformed('CONNECT: the user name is cut short');
    const userProblem = stringViolation(user, 'the user name');
    if (userProblem) return userProblem;
  }
  if (hasPassword && !fields.lengthPrefixed()) return malformed('CONNECT: the password is cut short');
  if (fields.left > 0) return malformed('CONNECT: bytes after its last field');
  return null;
}

function publishViolation(flags: number, fields: Fields): Violation | null {
  const qos = (flags >> 1) & 3;
  if (qos === 3) return violation('MQTT-3.3.1-4', 'PUBLISH at QoS 3');
  if (qos === 0 && flags & 0x08) return violation('MQTT-3.3.1-2', 'DUP set on a QoS 0 PUBLISH');
  const topic = fields.lengthPrefixed();
  if (!topic) return malformed('PUBLISH: the topic is cut short');
  const problem = topicNameViolation(topic, 'the topic');
  if (problem) return problem;
  if (qos > 0) {
    const packetId = fields.uint16();
    if (packetId === undefined) return malformed('PUBLISH: no packet id');
    if (packetId === 0) return violation('MQTT-2.3.1-1', 'packet id 0');
  }
  return null;
}

function subscriptionViolation(type: 8 | 10, fields: Fields): Violation | null {
  const packetId = fields.uint16();
  if (packetId === undefined) return malformed('no packet id');
  if (packetId === 0) return violation('MQTT-2.3.1-1', 'packet id 0');
  const name = type === 8 ? 'SUBSCRIBE' : 'UNSUBSCRIBE';
  if (fields.left === 0) return violation(type === 8 ? 'MQTT-3.8.3-3' : 'MQTT-3.10.3-2', `${name} without a topic filter`);
  while (fields.left > 0) {
    const filter = fields.lengthPrefixed();
    if (!filter) return malformed(`${name}: a topic filter is cut short`);
    const problem = topicFilterViolation(filter);
    if (problem) return problem;
    if (type === 8) {
      const requested = fields.byte();
      if (requested === undefined) return malformed('SUBSCRIBE: a requested QoS is missing');
      if (requested > 2) return violation('MQTT-3.8.3-4', `requested QoS byte 0x${requested.toString(16)}: QoS 0 to 2, the other bits 0`);
    }
  }
  return null;
}
