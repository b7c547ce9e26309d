import { markMessage } from '../message-marks.ts';
import { isEngineIoPath } from '../payload-kinds.ts';
import { rangeOf, type PayloadContext, type PayloadLayer, type PayloadOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { decodeSocketIoPacket, type SocketIoPacket } from './decode-socket-io.ts';
import { decodeBase64 } from '../base64.ts';

// Engine.IO v4 (the transport under Socket.IO): a packet is a type digit and its data.
//   polling: an HTTP body holds packets separated by the record separator 0x1E; a binary packet
//            is written as "b" + base64 of its bytes;
//   websocket: one packet per WebSocket message; a binary WebSocket message is a binary
//              "message" packet (no type digit).

export const ENGINE_IO_TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'] as const;
export type EngineIoType = (typeof ENGINE_IO_TYPES)[number];

export interface EngineIoPacket {
  type?: EngineIoType;
  transport: 'polling' | 'websocket';
  binary: boolean;
  /** ping/pong with data "probe": the transport-upgrade check */
  probe: boolean;
  /** the text after the type digit (text packets) */
  data?: string;
  bytes?: Uint8Array;
  /** the open packet's handshake */
  open?: { sid?: string; upgrades?: string[]; pingInterval?: number; pingTimeout?: number; maxPayload?: number };
  socketIo?: SocketIoPacket;
  error?: string;
  node: WireNode;
}

/** What separates the packets of a polling body (Engine.IO protocol v4, "HTTP long-polling"): U+001E, the ASCII record separator. */
const RECORD_SEPARATOR = 0x1e;

/** The body of a polling POST carrying these text packets, record-separated: the writer beside the reader. */
export function encodeEngineIoPayload(packets: readonly string[]): string {
  return packets.join(String.fromCharCode(RECORD_SEPARATOR));
}
const utf8 = new TextDecoder('utf-8');

/** Every packet of an Engine.IO polling body (request or response). */
export function decodeEngineIoPayload(payload: Uint8Array, offsets: PayloadOffsets): EngineIoPacket[] {
  const packets: EngineIoPacket[] = [];
  let start = 0;
  for (let index = 0; index <= payload.length; index += 1) {
    if (index < payload.length && payload[index] !== RECORD_SEPARATOR) continue;
    const piece = payload.subarray(start, index);
    if (piece.length > 0 || index < payload.length) {
      packets.push(piece[0] === 0x62 /* b */ ? decodeBase64Packet(piece, start, offsets) : decodeTextPacket(piece, start, offsets, 'polling'));
    }
    if (index < payload.length) {
      const separator = rangeOf(offsets, index, index + 1);
      packets[packets.length - 1].node.children!.push({ kind: 'eio-separator', label: 'record separator', value: '0x1E', range: separator });
    }
    start = index + 1;
  }
  linkAttachments(packets);
  return packets;
}

/** One packet carried by one WebSocket message. */
export function decodeEngineIoWebSocketMessage(payload: Uint8Array, offsets: PayloadOffsets, binary: boolean): EngineIoPacket {
  if (!binary) return decodeTextPacket(payload, 0, offsets, 'websocket');
  const node: WireNode = {
    kind: 'engine-io-packet',
    label: 'Engine.IO binary message',
    value: `${payload.length} B: a Socket.IO attachment (a binary WebSocket message has no type digit)`,
    range: rangeOf(offsets, 0, payload.length),
    children: [{ kind: 'eio-binary-data', label: 'binary data', value: hexPreview(payload), range: rangeOf(offsets, 0, payload.length) }],
  };
  const packet: EngineIoPacket = { type: 'message', transport: 'websocket', binary: true, probe: false, bytes: payload, node };
  mark(packet, `message · binary · ${payload.length} B`);
  return packet;
}

function decodeTextPacket(bytes: Uint8Array, start: number, offsets: PayloadOffsets, transport: 'polling' | 'websocket'): EngineIoPacket {
  const range = rangeOf(offsets, start, start + bytes.length);
  const children: WireNode[] = [];
  const node: WireNode = { kind: 'engine-io-packet', label: 'Engine.IO packet', range, children };
  const packet: EngineIoPacket = { transport, binary: false, probe: false, node };
  const digit = bytes.length > 0 ? bytes[0] - 0x30 : -1;
  const type = ENGINE_IO_TYPES[digit];
  if (!type) {
    packet.error = bytes.length === 0 ? 'empty-packet' : 'unknown-packet-type';
    node.error = packet.error;
    node.value = utf8.decode(bytes.subarray(0, 40));
    return packet;
  }
  packet.type = type;
  children.push({ kind: 'eio-type', label: 'packet type', value: `${digit} ${type}`, range: rangeOf(offsets, start, start + 1) });
  const dataBytes = bytes.subarray(1);
  const data = utf8.decode(dataBytes);
  packet.data = data;
  // A character's stream offset: count the UTF-8 bytes before it.
  const dataEnd = dataBytes.length > 0 ? offsets(start + bytes.length - 1) + 1 : offsets(start + 1);
  const charOffset = charToByteOffsets(data, (index) => offsets(start + 1 + index), dataEnd);
  if (data.length > 0) {
    const dataNode: WireNode = { kind: 'eio-data', label: 'data', value: clip(data), range: rangeOf(offsets, start + 1, start + bytes.length) };
    children.push(dataNode);
    if (type === 'open') readOpen(packet, data, dataNode);
    if ((type === 'ping' || type === 'pong') && data === 'probe') {
      packet.probe = true;
      dataNode.label = 'data: "probe" (checks the new transport before switching to it)';
    }
    if (type === 'message') {
      const socketIo = decodeSocketIoPacket(data, charOffset);
      packet.socketIo = socketIo;
      dataNode.children = [socketIo.node];
    }
  } else if (type === 'open') {
    packet.error = 'open-without-handshake';
  }
  if (packet.error) node.error = packet.error;
  node.label = `Engine.IO ${type}${packet.probe ? ' (probe)' : ''}`;
  mark(packet, engineIoSummary(packet));
  return packet;
}

function decodeBase64Packet(bytes: Uint8Array, start: number, offsets: PayloadOffsets): EngineIoPacket {
  const text = utf8.decode(bytes.subarray(1));
  const node: WireNode = {
    kind: 'engine-io-packet',
    label: 'Engine.IO binary message (b + base64)',
    range: rangeOf(offsets, start, start + bytes.length),
    children: [],
  };
  const packet: EngineIoPacket = { type: 'message', transport: 'polling', binary: true, probe: false, node };
  node.children!.push({ kind: 'eio-binary-marker', label: '"b": binary packet, base64 follows', value: 'b', range: rangeOf(offsets, start, start + 1) });
  const decoded = decodeBase64(text);
  if (!decoded) {
    packet.error = 'invalid-base64';
    node.error = packet.error;
  } else {
    packet.bytes = decoded;
    node.children!.push({
      kind: 'eio-binary-data',
      label: `base64 → ${decoded.length} B`,
      value: hexPreview(decoded),
      range: rangeOf(offsets, start + 1, start + bytes.length),
    });
  }
  node.value = `${decoded?.length ?? 0} B`;
  mark(packet, `message · binary (base64) · ${decoded?.length ?? 0} B`);
  return packet;
}

function readOpen(packet: EngineIoPacket, data: string, dataNode: WireNode): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    packet.error = 'invalid-json';
    dataNode.error = 'invalid-json';
    return;
  }
  if (!parsed || typeof parsed !== 'object') return;
  const record = parsed as Record<string, unknown>;
  packet.open = {
    ...(typeof record.sid === 'string' ? { sid: record.sid } : {}),
    ...(Array.isArray(record.upgrades) ? { upgrades: record.upgrades.map(String) } : {}),
    ...(typeof record.pingInterval === 'number' ? { pingInterval: record.pingInterval } : {}),
    ...(typeof record.pingTimeout === 'number' ? { pingTimeout: record.pingTimeout } : {}),
    ...(typeof record.maxPayload === 'number' ? { maxPayload: record.maxPayload } : {}),
  };
  const explain: Record<string, string> = {
    sid: 'session id: later polling requests carry it as ?sid=',
    upgrades: 'transports the client may upgrade to',
    pingInterval: 'ms between the server’s pings',
    pingTimeout: 'ms the server waits for a pong before closing',
    maxPayload: 'largest polling body the server accepts, in bytes',
  };
  dataNode.label = 'handshake (JSON)';
  dataNode.children = Object.entries(record).map(([key, value]) => ({
    kind: 'eio-open-field',
    label: explain[key] ? `${key}: ${explain[key]}` : key,
    value: JSON.stringify(value),
    range: dataNode.range,
  }));
}

/** In a polling body, the binary packets after a BINARY_EVENT/BINARY_ACK are its attachments. */
function linkAttachments(packets: EngineIoPacket[]): void {
  let owner: SocketIoPacket | undefined;
  let expected = 0;
  let seen = 0;
  for (const packet of packets) {
    if (packet.socketIo?.attachments) {
      owner = packet.socketIo;
      expected = packet.socketIo.attachments;
      seen = 0;
    } else if (packet.binary && owner && seen < expected) {
      packet.node.label = `Engine.IO binary message: attachment ${seen} of the ${owner.type} (its {"_placeholder":true,"num":${seen}})`;
      seen += 1;
    }
  }
}

export function engineIoSummary(packet: EngineIoPacket): string {
  const parts: string[] = [packet.type ?? 'unknown'];
  if (packet.probe) parts.push('probe');
  if (packet.open) {
    if (packet.open.sid) parts.push(`sid ${packet.open.sid}`);
    if (packet.open.upgrades) parts.push(`upgrades [${packet.open.upgrades.join(', ')}]`);
    if (packet.open.pingInterval !== undefined) parts.push(`ping every ${packet.open.pingInterval} ms`);
  }
  if (packet.socketIo) parts.push(`Socket.IO ${packet.socketIo.node.value ?? packet.socketIo.type ?? ''}`);
  else if (packet.type === 'message' && packet.data) parts.push(clip(packet.data, 60));
  return parts.join(' · ');
}

function mark(packet: EngineIoPacket, summary: string): void {
  packet.node.value ??= summary;
  const fields: Record<string, string | number | boolean> = { type: packet.type ?? 'unknown', transport: packet.transport, probe: packet.probe };
  if (packet.binary) fields.binary = true;
  if (packet.open?.sid) fields.sid = packet.open.sid;
  if (packet.open?.pingInterval !== undefined) fields.pingInterval = packet.open.pingInterval;
  if (packet.open?.pingTimeout !== undefined) fields.pingTimeout = packet.open.pingTimeout;
  if (packet.open?.maxPayload !== undefined) fields.maxPayload = packet.open.maxPayload;
  if (packet.open?.upgrades) fields.upgrades = packet.open.upgrades.join(',');
  if (packet.error) fields.error = packet.error;
  markMessage(packet.node, { layer: 'engine-io-packet', summary, fields });
}

/** Stream offsets of each character of `text` (and of its end), given the offset of each byte. */
function charToByteOffsets(text: string, byteAt: (byteIndex: number) => number, endOffset: number): (charIndex: number) => number {
  const byteIndexOfChar: number[] = [];
  let byteIndex = 0;
  for (let index = 0; index < text.length; index += 1) {
    byteIndexOfChar.push(byteIndex);
    const code = text.codePointAt(index)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    byteIndex += size;
    if (code >= 0x10000) {
      byteIndexOfChar.push(byteIndex);
      index += 1;
    }
  }
  return (charIndex) => (charIndex >= text.length ? endOffset : byteAt(byteIndexOfChar[charIndex]));
}

// Whether a body or message on this path is Engine.IO (Socket.IO's default path): in payload-kinds.ts for the lazy layer catalog.
export { isEngineIoPath };

/**
 * The Engine.IO layer for wire/payload-layers.ts: polling bodies (text/plain; the "ok" a
 * POST gets back is text/html and stays plain text) and WebSocket messages on /socket.io/.
 */
export const engineIoLayer: PayloadLayer = {
  name: 'engine.io',
  accepts(context: PayloadContext): boolean {
    if (!isEngineIoPath(context.path)) return false;
    if (context.carrier === 'ws-message') return true;
    if (context.carrier !== 'http-request-body' && context.carrier !== 'http-response-body' && context.carrier !== 'h2-data') return false;
    return context.contentType === undefined || /^(text\/plain|application\/octet-stream)\b/.test(context.contentType);
  },
  decode(payload, offsets, context): WireNode[] {
    if (context.carrier === 'ws-message') {
      return [decodeEngineIoWebSocketMessage(payload, offsets, context.contentType === 'application/octet-stream').node];
    }
    return decodeEngineIoPayload(payload, offsets).map((packet) => packet.node);
  },
};

function hexPreview(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, 24), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > 24 ? `${shown} …` : shown;
}

function clip(text: string, chars = 120): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}
