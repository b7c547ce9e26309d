import { markMessage } from '../message-marks.ts';
import type { ByteRange, WireNode } from '../types.ts';

// Socket.IO v5 packets (socket.io-parser's string format), carried in Engine.IO message packets:
//   <type>[<attachments>-][<namespace>,][<ack id>][JSON]
// e.g. `2["chat:join","lobby"]`, `21["chat:join","lobby"]` (ack id 1), `0/admin,{"token":"…"}`,
// `51-["upload",{"_placeholder":true,"num":0}]` (one binary attachment follows).

export const SOCKET_IO_TYPES = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'] as const;
export type SocketIoType = (typeof SOCKET_IO_TYPES)[number];

export interface SocketIoPacket {
  type?: SocketIoType;
  namespace: string;
  /** the namespace was written out (otherwise it is the default "/") */
  namespaceWritten: boolean;
  attachments?: number;
  ackId?: number;
  /** the JSON after the header, parsed; undefined when absent or invalid */
  data?: unknown;
  /** for EVENT and BINARY_EVENT: the first element of the array */
  event?: string;
  error?: string;
  node: WireNode;
}

/**
 * Parses one Socket.IO packet. `text` is the packet's text, `byteOffset(i)` the stream offset of
 * its character `i` (UTF-8: characters and bytes differ). Never throws: problems land in `error`.
 */
export function decodeSocketIoPacket(text: string, byteOffset: (charIndex: number) => number): SocketIoPacket {
  const range = (from: number, to: number): ByteRange => ({ start: byteOffset(from), end: byteOffset(to) });
  const children: WireNode[] = [];
  const packet: SocketIoPacket = {
    namespace: '/',
    namespaceWritten: false,
    node: { kind: 'socket-io-packet', label: 'Socket.IO packet', range: range(0, text.length), children },
  };

  const typeDigit = text.charCodeAt(0) - 0x30;
  const type = SOCKET_IO_TYPES[typeDigit];
  if (!type || text.length === 0) {
    packet.error = 'unknown-packet-type';
    packet.node.error = packet.error;
    children.push({
      kind: 'sio-type',
      label: 'packet type',
      value: text.slice(0, 1) || '(empty)',
      range: range(0, Math.min(1, text.length)),
      error: 'unknown-packet-type',
    });
    return packet;
  }
  packet.type = type;
  children.push({ kind: 'sio-type', label: 'packet type', value: `${typeDigit} ${type}`, range: range(0, 1) });

  let at = 1;
  if (type === 'BINARY_EVENT' || type === 'BINARY_ACK') {
    const dash = text.indexOf('-', at);
    const count = dash === -1 ? Number.NaN : Number(text.slice(at, dash));
    if (dash === -1 || !/^\d+$/.test(text.slice(at, dash))) {
      packet.error = 'invalid-attachment-count';
    } else {
      packet.attachments = count;
      children.push({
        kind: 'sio-attachments',
        label: 'binary attachments',
        value: `${count} (the binary packets that follow this one)`,
        range: range(at, dash + 1),
      });
      at = dash + 1;
    }
  }
  if (text[at] === '/') {
    const comma = text.indexOf(',', at);
    const end = comma === -1 ? text.length : comma;
    packet.namespace = text.slice(at, end);
    packet.namespaceWritten = true;
    children.push({ kind: 'sio-namespace', label: 'namespace', value: packet.namespace, range: range(at, comma === -1 ? end : end + 1) });
    at = comma === -1 ? end : end + 1;
  } else {
    children.push({ kind: 'sio-namespace', label: 'namespace', value: '/ (the default: not written)', range: range(at, at) });
  }
  const digits = /^\d+/.exec(text.slice(at));
  if (digits) {
    packet.ackId = Number(digits[0]);
    children.push({
      kind: 'sio-ack-id',
      label: 'ack id',
      value:
        type === 'ACK' || type === 'BINARY_ACK'
          ? `${packet.ackId}: answers the EVENT with this id`
          : `${packet.ackId}: the sender waits for an ACK with this id`,
      range: range(at, at + digits[0].length),
    });
    at += digits[0].length;
  }
  if (at < text.length) {
    const json = text.slice(at);
    const dataNode: WireNode = { kind: 'sio-data', label: 'data (JSON)', value: clip(json), range: range(at, text.length) };
    children.push(dataNode);
    try {
      packet.data = JSON.parse(json);
    } catch {
      packet.error ??= 'invalid-json';
      dataNode.error = 'invalid-json';
    }
    if (packet.data !== undefined) describeData(packet, dataNode);
  } else if (type === 'EVENT' || type === 'BINARY_EVENT' || type === 'ACK' || type === 'BINARY_ACK' || type === 'CONNECT_ERROR') {
    packet.error ??= 'missing-data';
  }
  if (packet.error) packet.node.error = packet.error;
  packet.node.label = `Socket.IO ${type}`;
  packet.node.value = socketIoSummary(packet);
  markMessage(packet.node, { layer: 'socket-io-packet', summary: packet.node.value, fields: socketIoFields(packet) });
  return packet;
}

function describeData(packet: SocketIoPacket, dataNode: WireNode): void {
  const { type, data } = packet;
  if (type === 'EVENT' || type === 'BINARY_EVENT') {
    if (!Array.isArray(data) || typeof data[0] !== 'string') {
      packet.error ??= 'event-without-name';
      dataNode.error = 'event-without-name';
      return;
    }
    packet.event = data[0];
    dataNode.children = [
      { kind: 'sio-event', label: 'event', value: data[0], range: dataNode.range },
      { kind: 'sio-args', label: `arguments (${data.length - 1})`, value: clip(JSON.stringify(data.slice(1))), range: dataNode.range },
    ];
  } else if (type === 'ACK' || type === 'BINARY_ACK') {
    if (!Array.isArray(data)) {
      packet.error ??= 'ack-not-array';
      dataNode.error = 'ack-not-array';
      return;
    }
    dataNode.children = [{ kind: 'sio-args', label: `reply arguments (${data.length})`, value: clip(JSON.stringify(data)), range: dataNode.range }];
  } else if (type === 'CONNECT' && data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    dataNode.label = typeof record.sid === 'string' ? 'data (JSON): the server accepts, with the socket id' : 'data (JSON): the auth payload';
  } else if (type === 'CONNECT_ERROR' && data && typeof data === 'object') {
    dataNode.label = 'data (JSON): why the server refused';
  }
}

export function socketIoSummary(packet: SocketIoPacket): string {
  const parts: string[] = [packet.type ?? 'unknown'];
  if (packet.namespaceWritten) parts.push(packet.namespace);
  if (packet.event !== undefined) parts.push(packet.event);
  if (packet.ackId !== undefined) parts.push(`ack ${packet.ackId}`);
  if (packet.attachments !== undefined) parts.push(`${packet.attachments} attachment${packet.attachments === 1 ? '' : 's'}`);
  const data = packet.data;
  if (packet.type === 'EVENT' || packet.type === 'BINARY_EVENT') {
    if (Array.isArray(data) && data.length > 1) parts.push(clip(JSON.stringify(data.slice(1)), 60));
  } else if (data !== undefined) {
    parts.push(clip(JSON.stringify(data), 60));
  }
  return parts.join(' · ');
}

/** The fields documented in README.md for layer 'socket-io-packet'. */
export function socketIoFields(packet: SocketIoPacket): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = { type: packet.type ?? 'unknown', namespace: packet.namespace };
  if (packet.event !== undefined) fields.event = packet.event;
  if (packet.ackId !== undefined) fields.ackId = packet.ackId;
  if (packet.attachments !== undefined) fields.attachments = packet.attachments;
  const data = packet.data as Record<string, unknown> | undefined;
  if (packet.type === 'CONNECT' && data && typeof data.sid === 'string') fields.sid = data.sid;
  if (packet.type === 'CONNECT_ERROR' && data && typeof data.message === 'string') fields.message = data.message;
  if (packet.error) fields.error = packet.error;
  return fields;
}

function clip(text: string, chars = 120): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}
