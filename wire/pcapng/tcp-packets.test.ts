import { describe, expect, it } from 'vitest';
import { assembleConnection } from '../stream-assembler.ts';
import type { CaptureChunk, CapturedConnection } from '../types.ts';
import { connectionPackets, MAX_SEGMENT_PAYLOAD, parseEndpoint } from './tcp-packets.ts';

interface Parsed {
  at: number;
  v6: boolean;
  source: number[];
  sourcePort: number;
  destinationPort: number;
  seq: number;
  ack: number;
  flags: string;
  payload: Uint8Array;
  ipChecksumOk: boolean;
  tcpChecksumOk: boolean;
}

function sum16(bytes: Uint8Array): number {
  let sum = 0;
  for (let at = 0; at < bytes.length; at += 2) sum += (bytes[at] << 8) | (bytes[at + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** A receiver's reading of a frame: a correct checksum sums to 0xffff with its field included. */
function parse(frame: Uint8Array, at: number): Parsed {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const v6 = view.getUint16(12) === 0x86dd;
  expect(v6 || view.getUint16(12) === 0x0800).toBe(true);
  const ipLength = v6 ? 40 : 20;
  const tcp = frame.subarray(14 + ipLength);
  const tcpView = new DataView(tcp.buffer, tcp.byteOffset, tcp.byteLength);
  const ip = frame.subarray(14, 14 + ipLength);
  const pseudo = new Uint8Array(v6 ? 40 : 12);
  if (v6) {
    expect(view.getUint16(18)).toBe(tcp.length);
    pseudo.set(ip.subarray(8, 40), 0);
    new DataView(pseudo.buffer).setUint32(32, tcp.length);
    pseudo[39] = 6;
  } else {
    expect(view.getUint16(16)).toBe(20 + tcp.length);
    pseudo.set(ip.subarray(12, 20), 0);
    pseudo[9] = 6;
    new DataView(pseudo.buffer).setUint16(10, tcp.length);
  }
  const flagBits = tcp[13];
  const flags = [
    [0x02, 'SYN'],
    [0x01, 'FIN'],
    [0x08, 'PSH'],
    [0x10, 'ACK'],
  ]
    .filter(([bit]) => flagBits & (bit as number))
    .map(([, name]) => name)
    .join(',');
  const both = new Uint8Array(pseudo.length + tcp.length + (tcp.length % 2));
  both.set(pseudo);
  both.set(tcp, pseudo.length);
  return {
    at,
    v6,
    source: [...ip.subarray(v6 ? 8 : 12, v6 ? 24 : 16)],
    sourcePort: tcpView.getUint16(0),
    destinationPort: tcpView.getUint16(2),
    seq: tcpView.getUint32(4),
    ack: tcpView.getUint32(8),
    flags,
    payload: tcp.subarray((tcp[12] >> 4) * 4),
    ipChecksumOk: v6 || sum16(ip) === 0xffff,
    tcpChecksumOk: sum16(both) === 0xffff,
  };
}

const enc = new TextEncoder();
const T0 = 1_763_900_000_000.25;

function connection(overrides: Partial<CapturedConnection> = {}): CapturedConnection {
  return { id: 'c1', transport: 'http/1.1', remote: '127.0.0.1:53312', local: '127.0.0.1:8080', openedAt: T0, closedAt: T0 + 50, ...overrides };
}

function chunk(seq: number, dir: 'in' | 'out', t: number, offset: number, data: Uint8Array): CaptureChunk {
  return { conn: 'c1', seq, dir, t, offset, data };
}

function packetsOf(conn: CapturedConnection, chunks: CaptureChunk[]): Parsed[] {
  const streams = assembleConnection(conn.id, chunks, conn.closedAt !== undefined);
  return connectionPackets(conn, streams).map((packet) => parse(packet.frame, packet.at));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe('parseEndpoint', () => {
  it('reads Node socket addresses: IPv4, IPv6, IPv4-mapped IPv6', () => {
    expect(parseEndpoint('127.0.0.1:53312')).toEqual({ address: Uint8Array.of(127, 0, 0, 1), port: 53312 });
    expect(parseEndpoint('::ffff:10.1.2.3:80')).toEqual({ address: Uint8Array.of(10, 1, 2, 3), port: 80 });
    const loopback = new Uint8Array(16);
    loopback[15] = 1;
    expect(parseEndpoint('::1:8080')).toEqual({ address: loopback, port: 8080 });
    expect(parseEndpoint('fe80::1:2:443')?.address[0]).toBe(0xfe);
  });

  it('gives null for what is not an address and port', () => {
    expect(parseEndpoint('undefined:undefined')).toBeNull();
    expect(parseEndpoint('a')).toBeNull();
    expect(parseEndpoint('1.2.3.4:70000')).toBeNull();
    expect(parseEndpoint('1.2.3.256:80')).toBeNull();
  });
});

describe('connectionPackets', () => {
  const request = enc.encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  const response = enc.encode('HTTP/1.1 204 No Content\r\n\r\n');

  it('opens with SYN, SYN-ACK, ACK, carries both directions with matching seq/ack, closes with FINs', () => {
    const packets = packetsOf(connection(), [chunk(1, 'in', T0 + 1, 0, request), chunk(2, 'out', T0 + 2, 0, response)]);
    expect(packets.map((packet) => packet.flags)).toEqual(['SYN', 'SYN,ACK', 'ACK', 'PSH,ACK', 'PSH,ACK', 'FIN,ACK', 'FIN,ACK', 'ACK']);
    const [syn, synAck, ack, sent, answered, clientFin, serverFin, lastAck] = packets;
    expect([syn.sourcePort, syn.destinationPort]).toEqual([53312, 8080]);
    expect([synAck.sourcePort, synAck.destinationPort]).toEqual([8080, 53312]);
    const client = syn.seq;
    const server = synAck.seq;
    expect(synAck.ack).toBe(client + 1);
    expect([ack.seq, ack.ack]).toEqual([client + 1, server + 1]);
    expect([sent.seq, sent.ack]).toEqual([client + 1, server + 1]);
    expect([answered.seq, answered.ack]).toEqual([server + 1, client + 1 + request.length]);
    expect([...sent.payload]).toEqual([...request]);
    expect([...answered.payload]).toEqual([...response]);
    expect([clientFin.seq, clientFin.ack]).toEqual([client + 1 + request.length, server + 1 + response.length]);
    expect([serverFin.seq, serverFin.ack]).toEqual([server + 1 + response.length, client + 2 + request.length]);
    expect(lastAck.ack).toBe(server + 2 + response.length);
    expect(packets.every((packet) => packet.ipChecksumOk && packet.tcpChecksumOk)).toBe(true);
  });

  it('stamps each packet with its chunk time and keeps time order', () => {
    const packets = packetsOf(connection(), [chunk(1, 'in', T0 + 1.5, 0, request), chunk(2, 'out', T0 + 3.75, 0, response)]);
    expect(packets.map((packet) => packet.at)).toEqual([T0, T0, T0, T0 + 1.5, T0 + 3.75, T0 + 50, T0 + 50, T0 + 50]);
  });

  it('writes no FIN while the connection is open', () => {
    const packets = packetsOf(connection({ closedAt: undefined }), [chunk(1, 'in', T0 + 1, 0, request)]);
    expect(packets.some((packet) => packet.flags.includes('FIN'))).toBe(false);
  });

  it('splits a chunk into segments of at most 65 495 bytes, acknowledged one by one, bytes unchanged', () => {
    const big = Uint8Array.from({ length: 150_000 }, (_, index) => (index * 7) & 0xff);
    const packets = packetsOf(connection(), [chunk(1, 'in', T0 + 1, 0, request), chunk(2, 'out', T0 + 2, 0, big)]);
    const fromServer = packets.filter((packet) => packet.sourcePort === 8080 && packet.payload.length > 0);
    expect(fromServer.map((packet) => packet.payload.length)).toEqual([MAX_SEGMENT_PAYLOAD, MAX_SEGMENT_PAYLOAD, 150_000 - 2 * MAX_SEGMENT_PAYLOAD]);
    expect(fromServer.map((packet) => packet.flags)).toEqual(['ACK', 'ACK', 'PSH,ACK']);
    expect(Buffer.compare(concat(fromServer.map((packet) => packet.payload)), big)).toBe(0);
    const server = packets[1].seq;
    expect(fromServer.map((packet) => packet.seq - server - 1)).toEqual([0, MAX_SEGMENT_PAYLOAD, 2 * MAX_SEGMENT_PAYLOAD]);
    // Between the segments, the client acknowledges what it got so far.
    const clientAcks = packets
      .filter((packet) => packet.sourcePort === 53312 && packet.payload.length === 0 && packet.flags === 'ACK')
      .map((packet) => packet.ack - server - 1);
    expect(clientAcks).toContain(MAX_SEGMENT_PAYLOAD);
    expect(clientAcks).toContain(2 * MAX_SEGMENT_PAYLOAD);
    expect(packets.every((packet) => packet.tcpChecksumOk)).toBe(true);
  });

  it('leaves a hole in the recording as a sequence-number jump, never glued bytes', () => {
    const first = enc.encode('0123456789');
    const later = enc.encode('abcdef');
    const packets = packetsOf(connection(), [chunk(1, 'in', T0 + 1, 0, first), chunk(5, 'in', T0 + 4, 30, later)]);
    const client = packets[0].seq;
    const data = packets.filter((packet) => packet.payload.length > 0);
    expect(data.map((packet) => packet.seq - client - 1)).toEqual([0, 30]);
    expect(data.map((packet) => new TextDecoder().decode(packet.payload))).toEqual(['0123456789', 'abcdef']);
  });

  it('starts after the handshake at the first recorded offset when the start was not recorded', () => {
    const packets = packetsOf(connection(), [chunk(9, 'out', T0 + 1, 500, response)]);
    const data = packets.find((packet) => packet.payload.length > 0)!;
    expect(data.seq - packets[1].seq - 1).toBe(500);
  });

  it('keeps one copy of bytes the channel delivered twice (a replay after a reconnect)', () => {
    const packets = packetsOf(connection(), [chunk(1, 'in', T0 + 1, 0, request), chunk(1, 'in', T0 + 1, 0, request)]);
    expect(packets.filter((packet) => packet.payload.length > 0)).toHaveLength(1);
  });

  it('writes IPv6 headers for ::1, with a correct TCP checksum', () => {
    const packets = packetsOf(connection({ remote: '::1:40000', local: '::1:8080' }), [chunk(1, 'in', T0 + 1, 0, request)]);
    expect(packets.every((packet) => packet.v6 && packet.tcpChecksumOk)).toBe(true);
    expect(packets[0].source).toEqual([...Array(15).fill(0), 1]);
  });

  it('makes up a loopback client when the tap could not read the address', () => {
    const packets = packetsOf(connection({ remote: 'undefined:undefined' }), [chunk(1, 'in', T0 + 1, 0, request)]);
    expect(packets[0].source).toEqual([127, 0, 0, 1]);
    expect(packets[0].sourcePort).toBeGreaterThanOrEqual(49152);
  });
});
