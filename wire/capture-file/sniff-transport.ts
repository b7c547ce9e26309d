// Which protocol a connection speaks, from the client's first bytes, by the rules of Wirelab's
// one-port listener (server/listener/one-port-server.ts): the HTTP/2 client preface (RFC 9113
// §3.4) is h2c, an MQTT CONNECT (MQTT 3.1.1 §3.1, 5.0 §3.1) is MQTT, and anything else HTTP/1.1;
// a file may also hold TLS, whose ClientHello (RFC 8446 §4.1.2) says the rest is encrypted.
import type { CapturedConnection } from '../captured-connection.ts';

type Transport = CapturedConnection['transport'];
import { readRemainingLength } from '../mqtt/remaining-length.ts';

const H2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const MQTT_CONNECT = 0x10;
const MQTT_NAMES = ['MQTT', 'MQIsdp'];
const TLS_HANDSHAKE = 0x16;
const TLS_CLIENT_HELLO = 0x01;

export function sniffTransport(first: Uint8Array): Transport {
  if (startsWithText(first, H2_PREFACE)) return 'h2c';
  if (isMqttConnect(first)) return 'mqtt';
  // a handshake record, version 3.x, carrying a ClientHello
  if (first.length >= 6 && first[0] === TLS_HANDSHAKE && first[1] === 0x03 && first[5] === TLS_CLIENT_HELLO) return 'tls';
  return 'http/1.1';
}

function startsWithText(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

function isMqttConnect(bytes: Uint8Array): boolean {
  if (bytes[0] !== MQTT_CONNECT) return false;
  const remaining = readRemainingLength(bytes, 1);
  if (typeof remaining === 'string') return false;
  const at = remaining.bodyStart;
  if (bytes.length < at + 2) return false;
  const nameLength = (bytes[at]! << 8) | bytes[at + 1]!;
  const name = String.fromCharCode(...bytes.subarray(at + 2, at + 2 + nameLength));
  return MQTT_NAMES.includes(name);
}
