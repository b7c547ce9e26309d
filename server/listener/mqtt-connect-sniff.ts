import { readRemainingLength } from '../../wire/mqtt/remaining-length.ts';

/**
 * Recognises the start of an MQTT CONNECT packet among a connection's first bytes, so the
 * one-port listener can tell an MQTT client from an HTTP one (no HTTP request starts with 0x10).
 *
 * `need-more`: the bytes so far could still be a CONNECT; `mqtt`: they are one (the fixed header,
 * the remaining length, and the protocol name `MQTT` or `MQIsdp` with its level byte);
 * `not-mqtt`: they cannot be.
 */
export type MqttSniff = 'mqtt' | 'not-mqtt' | 'need-more';

/** Packet type 1 (CONNECT) with the reserved flags all 0 (MQTT 3.1.1 §3.1.1). */
const CONNECT_FIRST_BYTE = 0x10;
const PROTOCOL_NAMES = ['MQTT', 'MQIsdp'].map((name) => Buffer.from(name, 'latin1'));
/** The smallest CONNECT variable header (name length 2 + "MQTT" 4 + level + flags + keep-alive 2). */
const MIN_REMAINING_LENGTH = 10;

export function sniffMqttConnect(bytes: Uint8Array): MqttSniff {
  if (bytes.length === 0) return 'need-more';
  if (bytes[0] !== CONNECT_FIRST_BYTE) return 'not-mqtt';

  const remaining = readRemainingLength(bytes, 1);
  if (remaining === 'need-more') return 'need-more';
  if (remaining === 'malformed' || remaining.length < MIN_REMAINING_LENGTH) return 'not-mqtt';
  const index = remaining.bodyStart;

  // Protocol name: a 2-byte big-endian length, then the name; then the protocol level byte.
  if (bytes.length < index + 2) return 'need-more';
  const nameLength = (bytes[index]! << 8) | bytes[index + 1]!;
  const name = PROTOCOL_NAMES.find((candidate) => candidate.length === nameLength);
  if (!name) return 'not-mqtt';
  const nameStart = index + 2;
  const seenOfName = Math.min(bytes.length - nameStart, name.length);
  for (let i = 0; i < seenOfName; i++) if (bytes[nameStart + i] !== name[i]) return 'not-mqtt';
  // The level byte must be there too: a client that sent only "MQTT" may still be anything.
  if (bytes.length <= nameStart + name.length) return 'need-more';
  return 'mqtt';
}

/** Bytes after which sniffMqttConnect has always decided (a 4-byte length and "MQIsdp" + level). */
export const MQTT_SNIFF_MAX_BYTES = 1 + 4 + 2 + 6 + 1;
