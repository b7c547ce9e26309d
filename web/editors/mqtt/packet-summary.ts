// One log line for a packet mqtt.js sent or received (its parsed form, mqtt-packet's objects):
// the packet type and the fields that tell packets of one type apart. Protocol text, the same
// in both languages, like the inspector's summaries.

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

export function summarizePacket(packet: ParsedPacket): string {
  const id = packet.messageId !== undefined ? ` · id ${packet.messageId}` : '';
  switch (packet.cmd) {
    case 'connect':
      return `CONNECT · client ${packet.clientId || '(none)'} · clean ${packet.clean ? 1 : 0} · keep-alive ${packet.keepalive ?? '?'} s${packet.will ? ` · will ${packet.will.topic} QoS ${packet.will.qos ?? 0}${packet.will.retain ? ' retain' : ''}` : ''}`;
    case 'connack':
      return `CONNACK · return code ${packet.returnCode ?? '?'} · session present ${packet.sessionPresent ? 1 : 0}`;
    case 'publish':
      return `PUBLISH · ${packet.topic ?? '?'} · QoS ${packet.qos ?? 0}${id}${packet.retain ? ' · retain' : ''}${packet.dup ? ' · DUP' : ''} · ${payloadLength(packet.payload)} B`;
    case 'subscribe':
      return `SUBSCRIBE${id} · ${(packet.subscriptions ?? []).map((s) => `${s.topic} QoS ${s.qos}`).join(', ')}`;
    case 'suback':
      return `SUBACK${id} · ${(packet.granted ?? []).map(grantedText).join(', ')}`;
    case 'unsubscribe':
      return `UNSUBSCRIBE${id} · ${(packet.unsubscriptions ?? []).join(', ')}`;
    default:
      return `${packetType(packet)}${id}`;
  }
}

/** A SUBACK return code: the granted QoS, or 0x80 for a refused filter (§3.9.3). */
export function grantedText(code: number): string {
  return code === 0x80 || code === 128 ? '0x80 failure' : `QoS ${code}`;
}
