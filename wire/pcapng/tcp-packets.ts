// One captured connection as the TCP packets a capture on the wire would have seen: handshake,
// the recorded bytes of both directions at the times they crossed, ACKs, FIN at close. The
// payloads are exactly the captured bytes; only the Ethernet/IP/TCP headers are made up, and a
// hole in the recording (evicted chunks, recording off) stays a hole: the sequence numbers jump
// by the missing bytes, so Wireshark says "previous segment not captured" instead of gluing.
import type { ConnectionStreams } from '../decode-connection.ts';
import type { CapturedConnection } from '../types.ts';
import type { PcapPacket } from './write-pcapng.ts';

/** The largest TCP payload an IPv4 packet can carry (65 535 − 20 IP − 20 TCP). */
export const MAX_SEGMENT_PAYLOAD = 65_495;

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

const CLIENT_ISN = 0x1000_0000;
const SERVER_ISN = 0x2000_0000;
const WINDOW = 0xffff;
const CLIENT_MAC = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01);
const SERVER_MAC = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x02);

export interface Endpoint {
  /** 4 bytes (IPv4) or 16 bytes (IPv6) */
  address: Uint8Array;
  port: number;
}

/**
 * "127.0.0.1:53312", "::1:53312", "::ffff:127.0.0.1:53312" (Node's socket address and port) into
 * bytes; null when it is neither (a socket closed before the tap read its address).
 */
export function parseEndpoint(text: string): Endpoint | null {
  const match = /^\[?(.*?)\]?:(\d{1,5})$/.exec(text);
  if (!match) return null;
  const port = Number(match[2]);
  if (port > 0xffff) return null;
  const host = match[1];
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  const v4 = parseIPv4(mapped ? mapped[1] : host);
  if (v4) return { address: v4, port };
  const v6 = parseIPv6(host);
  return v6 ? { address: v6, port } : null;
}

function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return Uint8Array.from(parts.map(Number));
}

function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9a-f:]+$/i.test(text) || !text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return null;
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function toIPv6(address: Uint8Array): Uint8Array {
  if (address.length === 16) return address;
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes.set(address, 12);
  return bytes;
}

/** The Internet checksum (RFC 1071) over `parts`, as if concatenated. */
function internetChecksum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  let odd: number | null = null;
  for (const part of parts) {
    for (const byte of part) {
      if (odd === null) odd = byte;
      else {
        sum += (odd << 8) | byte;
        odd = null;
      }
    }
  }
  if (odd !== null) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

interface Segment {
  from: Endpoint;
  to: Endpoint;
  fromMac: Uint8Array;
  toMac: Uint8Array;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
  ipId: number;
}

/** Ethernet II + IPv4 or IPv6 + TCP (no options) + payload, checksums computed. */
export function tcpFrame(segment: Segment): Uint8Array {
  const v6 = segment.from.address.length === 16 || segment.to.address.length === 16;
  const source = v6 ? toIPv6(segment.from.address) : segment.from.address;
  const destination = v6 ? toIPv6(segment.to.address) : segment.to.address;
  const tcpLength = 20 + segment.payload.length;
  const ipHeaderLength = v6 ? 40 : 20;
  const frame = new Uint8Array(14 + ipHeaderLength + tcpLength);
  const view = new DataView(frame.buffer);
  frame.set(segment.toMac, 0);
  frame.set(segment.fromMac, 6);
  view.setUint16(12, v6 ? 0x86dd : 0x0800);

  const ip = 14;
  if (v6) {
    view.setUint32(ip, 0x6000_0000);
    view.setUint16(ip + 4, tcpLength);
    frame[ip + 6] = 6; // next header: TCP
    frame[ip + 7] = 64; // hop limit
    frame.set(source, ip + 8);
    frame.set(destination, ip + 24);
  } else {
    frame[ip] = 0x45;
    view.setUint16(ip + 2, 20 + tcpLength);
    view.setUint16(ip + 4, segment.ipId & 0xffff);
    view.setUint16(ip + 6, 0x4000); // don't fragment
    frame[ip + 8] = 64; // TTL
    frame[ip + 9] = 6; // TCP
    frame.set(source, ip + 12);
    frame.set(destination, ip + 16);
    view.setUint16(ip + 10, internetChecksum([frame.subarray(ip, ip + 20)]));
  }

  const tcp = ip + ipHeaderLength;
  view.setUint16(tcp, segment.from.port);
  view.setUint16(tcp + 2, segment.to.port);
  view.setUint32(tcp + 4, segment.seq >>> 0);
  view.setUint32(tcp + 8, segment.ack >>> 0);
  frame[tcp + 12] = 5 << 4; // data offset: 5 words, no options
  frame[tcp + 13] = segment.flags;
  view.setUint16(tcp + 14, WINDOW);
  frame.set(segment.payload, tcp + 20);

  const pseudo = new Uint8Array(v6 ? 40 : 12);
  const pseudoView = new DataView(pseudo.buffer);
  pseudo.set(source, 0);
  pseudo.set(destination, source.length);
  if (v6) {
    pseudoView.setUint32(32, tcpLength);
    pseudo[39] = 6;
  } else {
    pseudo[9] = 6;
    pseudoView.setUint16(10, tcpLength);
  }
  view.setUint16(tcp + 16, internetChecksum([pseudo, frame.subarray(tcp)]));
  return frame;
}

/** A recorded piece of one direction: where it starts in the stream, when it crossed, its bytes. */
interface Piece {
  dir: 'in' | 'out';
  offset: number;
  at: number;
  bytes: Uint8Array;
}

/** Each segment cut at its chunk marks: one piece per chunk the tap recorded, in offset order. */
function piecesOf(streams: ConnectionStreams, dir: 'in' | 'out'): Piece[] {
  const pieces: Piece[] = [];
  for (const segment of streams[dir].segments) {
    const { marks } = segment;
    for (let index = 0; index < marks.length; index++) {
      const start = marks[index].offset;
      const end = index + 1 < marks.length ? marks[index + 1].offset : segment.start + segment.bytes.length;
      if (end <= start) continue;
      pieces.push({ dir, offset: start, at: marks[index].t, bytes: segment.bytes.subarray(start - segment.start, end - segment.start) });
    }
  }
  return pieces;
}

/** A stable made-up client port when the tap could not read the real one. */
function fallbackPort(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 49152 + (hash % 16384);
}

/**
 * The packets of one connection, in time order. Client = the tap's `remote`, server = `local`.
 * Who closed first is not recorded: at `closedAt` the client's FIN goes first.
 */
export function connectionPackets(connection: CapturedConnection, streams: ConnectionStreams): PcapPacket[] {
  const client = parseEndpoint(connection.remote) ?? { address: Uint8Array.of(127, 0, 0, 1), port: fallbackPort(connection.id) };
  const server = parseEndpoint(connection.local) ?? { address: Uint8Array.of(127, 0, 0, 1), port: 8080 };
  const side = {
    in: { from: client, to: server, fromMac: CLIENT_MAC, toMac: SERVER_MAC, isn: CLIENT_ISN },
    out: { from: server, to: client, fromMac: SERVER_MAC, toMac: CLIENT_MAC, isn: SERVER_ISN },
  } as const;
  const other = (dir: 'in' | 'out'): 'in' | 'out' => (dir === 'in' ? 'out' : 'in');
  // The next sequence number each side sends, relative to its ISN + 1 (= the stream offset).
  const sent = { in: 0, out: 0 };
  const ipIds = { in: 1, out: 1 };
  // Bytes a side sent that the other has not acknowledged yet.
  const unacked = { in: false, out: false };
  const packets: PcapPacket[] = [];

  const emit = (dir: 'in' | 'out', at: number, flags: number, payload: Uint8Array, seq: number, comment?: string): void => {
    const { from, to, fromMac, toMac } = side[dir];
    const ack = flags & ACK ? side[other(dir)].isn + 1 + sent[other(dir)] : 0;
    const frame = tcpFrame({ from, to, fromMac, toMac, seq, ack, flags, payload, ipId: ipIds[dir]++ });
    packets.push({ at, frame, ...(comment ? { comment } : {}) });
  };

  const pieces = [...piecesOf(streams, 'in'), ...piecesOf(streams, 'out')].sort(
    // Same millisecond: the request side first, as it caused the answer.
    (a, b) => a.at - b.at || (a.dir === b.dir ? a.offset - b.offset : a.dir === 'in' ? -1 : 1),
  );
  const firstAt = Math.min(connection.openedAt, pieces[0]?.at ?? connection.openedAt);
  const empty = new Uint8Array(0);
  emit('in', firstAt, SYN, empty, CLIENT_ISN, `Wirelab connection ${connection.id} (${connection.transport}); TCP/IP headers synthesized, payload as captured`);
  emit('out', firstAt, SYN | ACK, empty, SERVER_ISN);
  emit('in', firstAt, ACK, empty, CLIENT_ISN + 1);
  let lastAt = firstAt;

  for (const piece of pieces) {
    const dir = piece.dir;
    if (unacked[dir]) {
      // The other side acknowledges what this side sent before, so no window fills up.
      emit(other(dir), lastAt, ACK, empty, side[other(dir)].isn + 1 + sent[other(dir)]);
      unacked[dir] = false;
    }
    const at = Math.max(piece.at, lastAt);
    for (let start = 0; start < piece.bytes.length; start += MAX_SEGMENT_PAYLOAD) {
      const payload = piece.bytes.subarray(start, start + MAX_SEGMENT_PAYLOAD);
      const offset = piece.offset + start;
      if (start > 0) emit(other(dir), at, ACK, empty, side[other(dir)].isn + 1 + sent[other(dir)]);
      const last = start + MAX_SEGMENT_PAYLOAD >= piece.bytes.length;
      emit(dir, at, ACK | (last ? PSH : 0), payload, side[dir].isn + 1 + offset);
      // A hole before this piece: the sequence number jumped over it, the ACKs do too.
      sent[dir] = Math.max(sent[dir], offset + payload.length);
    }
    unacked[dir] = true;
    unacked[other(dir)] = false;
    lastAt = at;
  }

  if (connection.closedAt !== undefined) {
    const at = Math.max(connection.closedAt, lastAt);
    emit('in', at, FIN | ACK, empty, CLIENT_ISN + 1 + sent.in);
    sent.in += 1;
    emit('out', at, FIN | ACK, empty, SERVER_ISN + 1 + sent.out);
    sent.out += 1;
    emit('in', at, ACK, empty, CLIENT_ISN + 1 + sent.in);
  }
  return packets;
}
