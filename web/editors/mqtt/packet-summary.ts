// One log line for a packet mqtt.js sent or received (its parsed form, mqtt-packet's objects):
// the packet type and the fields that tell packets of one type apart, in the reader's language
// (the packet names, QoS and field names from the spec stay as the spec writes them), worded as
// the inspector's summaries (wire/mqtt/decode-mqtt.ts).
import type { Lang } from '../../kit/lang-context.ts';
import { countRu } from '../../text/russian-plural.ts';

/** The fields of mqtt-packet's parsed packets the console reads; the rest is ignored. */
export interface ParsedPacket {
  cmd: string;
  messageId?: number;
  topic?: string;
  qos?: number;
  retain?: boolean;
  dup?: boolean;
  payload?: Uint8Array | string;
  clientId?: string;
  clean?: boolean;
  keepalive?: number;
  will?: { topic: string; qos?: number; retain?: boolean } | null;
  returnCode?: number;
  sessionPresent?: boolean;
  granted?: number[];
  subscriptions?: Array<{ topic: string; qos: number }>;
  unsubscriptions?: string[];
}

/** `publish` → `PUBLISH` (the name the inspector and the lesson use). */
export function packetType(packet: ParsedPacket): string {
  return packet.cmd.toUpperCase();
}

export function payloadLength(payload: ParsedPacket['payload']): number {
  if (payload === undefined) return 0;
  return typeof payload === 'string' ? new TextEncoder().encode(payload).length : payload.length;
}

export function summarizePacket(packet: ParsedPacket, lang: Lang = 'en'): string {
  const ru = lang === 'ru';
  const id = packet.messageId !== undefined ? ` · id ${packet.messageId}` : '';
  switch (packet.cmd) {
    case 'connect': {
      const will = packet.will
        ? ` · ${ru ? 'завещание' : 'will'} ${packet.will.topic} QoS ${packet.will.qos ?? 0}${packet.will.retain ? (ru ? ' сохраняемое' : ' retain') : ''}`
        : '';
      return ru
        ? `CONNECT · клиент ${packet.clientId || '(нет)'} · чистая сессия ${packet.clean ? 1 : 0} · keep-alive ${packet.keepalive ?? '?'} с${will}`
        : `CONNECT · client ${packet.clientId || '(none)'} · clean ${packet.clean ? 1 : 0} · keep-alive ${packet.keepalive ?? '?'} s${will}`;
    }
    case 'connack':
      return ru
        ? `CONNACK · код ответа ${packet.returnCode ?? '?'} · session present ${packet.sessionPresent ? 1 : 0}`
        : `CONNACK · return code ${packet.returnCode ?? '?'} · session present ${packet.sessionPresent ? 1 : 0}`;
    case 'publish': {
      const length = payloadLength(packet.payload);
      return `PUBLISH · ${packet.topic ?? '?'} · QoS ${packet.qos ?? 0}${id}${packet.retain ? (ru ? ' · сохраняемое' : ' · retain') : ''}${packet.dup ? ' · DUP' : ''} · ${ru ? countRu(length, 'байт', 'байта', 'байт') : `${length} B`}`;
    }
    case 'subscribe':
      return `SUBSCRIBE${id} · ${(packet.subscriptions ?? []).map((s) => `${s.topic} QoS ${s.qos}`).join(', ')}`;
    case 'suback':
      return `SUBACK${id} · ${(packet.granted ?? []).map((code) => grantedText(code, lang)).join(', ')}`;
    case 'unsubscribe':
      return `UNSUBSCRIBE${id} · ${(packet.unsubscriptions ?? []).join(', ')}`;
    default:
      return `${packetType(packet)}${id}`;
  }
}

/** A SUBACK return code: the granted QoS, or 0x80 for a refused filter (§3.9.3). */
export function grantedText(code: number, lang: Lang = 'en'): string {
  return code === 0x80 || code === 128 ? (lang === 'ru' ? '0x80 отказ' : '0x80 failure') : `QoS ${code}`;
}
