import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import { capturesToPcapng } from '../pcapng/export-pcapng.ts';
import { assembleConnection } from '../stream-assembler.ts';
import type { CaptureChunk } from '../types.ts';
import { readCaptureFile } from './read-capture-file.ts';
import { TcpReassembler } from './tcp-reassembly.ts';
import type { TcpSegment } from './tcp-segments.ts';
import { sniffTransport } from './sniff-transport.ts';

const text = (value: string) => new TextEncoder().encode(value);
const segment = (fromClient: boolean, seq: number, payload: string, flags: Partial<TcpSegment> = {}): TcpSegment => ({
  src: fromClient ? '10.0.0.1' : '10.0.0.2',
  dst: fromClient ? '10.0.0.2' : '10.0.0.1',
  srcPort: fromClient ? 50000 : 80,
  dstPort: fromClient ? 80 : 50000,
  seq,
  ack: 0,
  syn: false,
  ackFlag: true,
  fin: false,
  rst: false,
  payload: text(payload),
  payloadLength: payload.length,
  ...flags,
});
const streamText = (chunks: CaptureChunk[], dir: 'in' | 'out') =>
  chunks.filter((chunk) => chunk.dir === dir).map((chunk) => `${chunk.offset}:${new TextDecoder().decode(chunk.data)}`);

describe('TCP reassembly', () => {
  it('puts out-of-order segments in order, drops retransmissions, keeps the first copy of an overlap, and leaves holes as gaps', () => {
    const tcp = new TcpReassembler();
    tcp.add(segment(true, 999, '', { syn: true, ackFlag: false }), 1);
    tcp.add(segment(false, 4999, '', { syn: true }), 2);
    tcp.add(segment(true, 1006, 'world'), 3); // before "hello ": waits
    tcp.add(segment(true, 1000, 'hello '), 4);
    tcp.add(segment(true, 1000, 'hello '), 5); // a retransmission
    tcp.add(segment(true, 1009, 'LD!'), 6); // overlaps "ld": the first copy wins, "!" is new
    tcp.add(segment(false, 5000, 'abc'), 7);
    tcp.add(segment(false, 5009, 'xyz'), 8); // bytes 3–8 never captured
    tcp.add(segment(true, 1012, '', { fin: true }), 9);
    tcp.add(segment(false, 5012, '', { fin: true }), 10);
    const { connections, chunks, counts, facts } = tcp.finish();
    expect(connections).toEqual([{ id: 'c1', transport: 'http/1.1', remote: '10.0.0.1:50000', local: '10.0.0.2:80', openedAt: 1, closedAt: 10 }]);
    expect(streamText(chunks, 'in')).toEqual(['0:hello ', '6:world', '11:!']);
    expect(streamText(chunks, 'out')).toEqual(['0:abc', '9:xyz']);
    // "world" came before "hello ": out of order; "xyz" came in order after bytes never captured: a gap
    expect(counts).toEqual({ retransmissions: 1, outOfOrder: 1, gaps: 1 });
    expect(facts).toEqual({});
    const streams = assembleConnection('c1', chunks, true);
    expect(streams.out.segments.map((part) => [part.start, part.gapBefore])).toEqual([
      [0, false],
      [9, true],
    ]);
  });

  it('counts segments after bytes never captured as a gap, not out of order, and those reordered behind it as out of order', () => {
    const tcp = new TcpReassembler();
    tcp.add(segment(true, 999, '', { syn: true, ackFlag: false }), 1);
    tcp.add(segment(false, 4999, '', { syn: true }), 2);
    tcp.add(segment(false, 5000, 'head'), 3);
    // bytes 4–99 never captured (a body the tap skipped); what follows came in order
    tcp.add(segment(false, 5100, 'one'), 4);
    tcp.add(segment(false, 5103, 'two'), 5);
    tcp.add(segment(false, 5109, 'four'), 6); // before "six", which it follows: reordered
    tcp.add(segment(false, 5106, 'six'), 7);
    const { chunks, counts } = tcp.finish();
    expect(streamText(chunks, 'out')).toEqual(['0:head', '100:one', '103:two', '106:six', '109:four']);
    expect(counts).toEqual({ retransmissions: 0, outOfOrder: 1, gaps: 1 });
  });

  it('takes a connection without its handshake from its first bytes, the higher port as the client, and says it began before the capture', () => {
    const tcp = new TcpReassembler();
    tcp.add(segment(false, 77, 'HTTP/1.1 200 OK\r\n'), 1);
    tcp.add(segment(true, 3, 'GET / HTTP/1.1\r\n'), 2);
    const { connections, chunks, facts } = tcp.finish();
    expect(connections[0]!.remote).toBe('10.0.0.1:50000');
    expect(streamText(chunks, 'out')).toEqual(['0:HTTP/1.1 200 OK\r\n']);
    expect(facts).toEqual({ c1: { startedBeforeCapture: true } });
  });

  it('opens a new connection when a SYN reuses the 4-tuple of one that ended', () => {
    const tcp = new TcpReassembler();
    tcp.add(segment(true, 100, '', { syn: true, ackFlag: false }), 1);
    tcp.add(segment(true, 101, 'a'), 2);
    tcp.add(segment(true, 102, '', { rst: true }), 3);
    tcp.add(segment(true, 900, '', { syn: true, ackFlag: false }), 4);
    tcp.add(segment(true, 901, 'b'), 5);
    const { connections, chunks } = tcp.finish();
    expect(connections.map((connection) => connection.id)).toEqual(['c1', 'c2']);
    expect(chunks.map((chunk) => `${chunk.conn}:${new TextDecoder().decode(chunk.data)}`)).toEqual(['c1:a', 'c2:b']);
  });
});

describe('the transport, by the first bytes', () => {
  it('follows the listener: the HTTP/2 preface, an MQTT CONNECT, a TLS ClientHello, else HTTP/1.1', () => {
    expect(sniffTransport(text('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'))).toBe('h2c');
    expect(sniffTransport(Uint8Array.of(0x10, 0x10, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60))).toBe('mqtt');
    expect(sniffTransport(Uint8Array.of(0x16, 3, 1, 0, 200, 1, 0, 0, 196))).toBe('tls');
    expect(sniffTransport(text('GET / HTTP/1.1\r\n'))).toBe('http/1.1');
    expect(sniffTransport(Uint8Array.of(0x10, 0x10, 0, 4, 0x4e, 0x51))).toBe('http/1.1');
  });
});

describe('capture files', () => {
  it('reads back what the inspector exports: the same connections, bytes and exchanges', () => {
    const { fixture, chunks } = readFixture('curl-keep-alive');
    const exported = fixture.connections.map((connection) => ({ connection, streams: decodeConnection(connection, chunks).streams }));
    const opened = readCaptureFile(capturesToPcapng(exported));
    if (opened.kind !== 'packets') throw new Error(JSON.stringify(opened));
    expect(opened.connections).toHaveLength(fixture.connections.length);
    fixture.connections.forEach((connection, index) => {
      const theirs = decodeConnection(connection, chunks);
      const ours = decodeConnection(
        opened.connections[index]!,
        opened.chunks.filter((chunk) => chunk.conn === opened.connections[index]!.id),
      );
      expect(ours.streams.in.slice({ start: 0, end: ours.streams.in.end })).toEqual(theirs.streams.in.slice({ start: 0, end: theirs.streams.in.end }));
      expect(ours.exchanges.map((exchange) => [exchange.request.method, exchange.request.target, exchange.response?.status])).toEqual(
        theirs.exchanges.map((exchange) => [exchange.request.method, exchange.request.target, exchange.response?.status]),
      );
    });
  });

  it('names what is wrong with a file that is none of its formats, or is damaged', () => {
    expect(readCaptureFile(new Uint8Array())).toEqual({ kind: 'error', problem: { code: 'empty' } });
    expect(readCaptureFile(text('hello, world'))).toEqual({ kind: 'error', problem: { code: 'unknown-format', firstBytes: '68 65 6c 6c 6f 2c 20 77' } });
    expect(readCaptureFile(text('{"log": 1}'))).toEqual({ kind: 'error', problem: { code: 'har-no-entries' } });
    expect(readCaptureFile(text('{"log": '))).toMatchObject({ kind: 'error', problem: { code: 'har-not-json' } });
    const pcapng = new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures/http1-curl.pcapng')));
    expect(readCaptureFile(pcapng.subarray(0, 10))).toEqual({ kind: 'error', problem: { code: 'truncated', at: 0 } });
    // cut in the middle: what came before is read, and the place is named
    const cut = readCaptureFile(pcapng.subarray(0, Math.floor(pcapng.length * 0.7)));
    expect(cut).toMatchObject({ kind: 'packets', problem: { code: 'truncated' } });
    const damaged = pcapng.slice();
    new DataView(damaged.buffer).setUint32(4, 13, true); // the section header's length
    expect(readCaptureFile(damaged)).toEqual({ kind: 'error', problem: { code: 'bad-block', at: 0, detail: 'block-length' } });
    // a classic pcap of link type 147 (user-defined): no packet the inspector can read
    const header = new DataView(new ArrayBuffer(24 + 16 + 4));
    header.setUint32(0, 0xa1b2c3d4, true);
    header.setUint32(20, 147, true);
    header.setUint32(24 + 8, 4, true);
    header.setUint32(24 + 12, 4, true);
    expect(readCaptureFile(new Uint8Array(header.buffer))).toEqual({
      kind: 'error',
      problem: { code: 'no-tcp', packets: 1, skipped: { 'unsupported-link-type': 1 }, linkTypes: [147] },
    });
  });

  it('reads a HAR: entries in time order with headers, bodies and WebSocket messages', () => {
    const har = {
      log: {
        creator: { name: 'WebInspector', version: '537.36' },
        entries: [
          {
            startedDateTime: '2026-11-26T10:00:01.000Z',
            time: 12.5,
            request: { method: 'GET', url: 'http://127.0.0.1:8080/ws', httpVersion: 'HTTP/1.1', headers: [{ name: 'Upgrade', value: 'websocket' }] },
            response: { status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', headers: [], content: { size: 0, mimeType: 'x-unknown' } },
            _webSocketMessages: [
              { type: 'send', time: 1795730401.5, opcode: 1, data: 'hi' },
              { type: 'receive', time: 1795730401.6, opcode: 1, data: 'hi' },
            ],
          },
          {
            startedDateTime: '2026-11-26T10:00:00.000Z',
            request: {
              method: 'POST',
              url: 'http://127.0.0.1:8080/api',
              httpVersion: 'HTTP/1.1',
              headers: [],
              postData: { mimeType: 'application/json', text: '{}' },
            },
            response: {
              status: 201,
              statusText: 'Created',
              httpVersion: 'HTTP/1.1',
              headers: [{ name: 'content-type', value: 'application/json' }],
              content: { size: 2, text: '{}' },
            },
          },
          { request: {} },
        ],
      },
    };
    const opened = readCaptureFile(text(JSON.stringify(har)));
    if (opened.kind !== 'har') throw new Error(JSON.stringify(opened));
    expect(opened.har.creator).toBe('WebInspector 537.36');
    expect(opened.har.skippedEntries).toBe(1);
    expect(opened.har.entries.map((entry) => [entry.index, entry.method, entry.status, entry.requestBody?.text, entry.responseBody?.text])).toEqual([
      [0, 'POST', 201, '{}', '{}'],
      [1, 'GET', 101, undefined, undefined],
    ]);
    expect(opened.har.entries[1]!.webSocketMessages.map((message) => [message.dir, message.data])).toEqual([
      ['in', 'hi'],
      ['out', 'hi'],
    ]);
  });
});
