// Capture files that real tools wrote (wire/capture-file/fixtures/, recorded by
// tests/fixture-recorders/record-capture-files.sh: dumpcap on loopback around curl, nghttp/nghttpd,
// python3-grpcio, python3-websockets, mosquitto and openssl, none of them Wirelab), opened as the
// inspector opens them (readCaptureFile, then the same decodeConnection as live captures), agree
// with Wireshark's own reading of the same files, field by field.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile, type OpenedPackets } from '../../wire/capture-file/read-capture-file.ts';
import { readPacketFile } from '../../wire/capture-file/packet-files.ts';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { DecodedConnection, WireMessage } from '../../wire/types.ts';

const run = promisify(execFile);
const TSHARK = '/usr/bin/tshark';
const FIXTURES = join(import.meta.dirname, '../../wire/capture-file/fixtures');

beforeAll(() => {
  if (!existsSync(TSHARK)) throw new Error(`${TSHARK} is missing: install the Debian package "tshark".`);
});

interface Opened {
  file: OpenedPackets;
  /** by the client's port */
  byPort: Map<number, DecodedConnection & { streams: ReturnType<typeof decodeConnection>['streams'] }>;
}

function open(name: string): Opened {
  const file = readCaptureFile(new Uint8Array(readFileSync(join(FIXTURES, name))));
  if (file.kind !== 'packets') throw new Error(`${name}: ${JSON.stringify(file)}`);
  const byPort = new Map(
    file.connections.map((connection) => [
      Number(connection.remote.slice(connection.remote.lastIndexOf(':') + 1)),
      decodeConnection(
        connection,
        file.chunks.filter((chunk) => chunk.conn === connection.id),
      ),
    ]),
  );
  return { file, byPort };
}

interface Row {
  srcPort: number;
  dstPort: number;
  values: string[][];
}

/** tshark's fields, one row per packet; each field's occurrences split (several frames in one packet). */
async function tsharkRows(name: string, decodeAs: string, fields: string[]): Promise<Row[]> {
  const { stdout } = await run(
    TSHARK,
    [
      '-r',
      join(FIXTURES, name),
      '-d',
      decodeAs,
      '-T',
      'fields',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=;',
      '-e',
      'tcp.srcport',
      '-e',
      'tcp.dstport',
      ...fields.flatMap((field) => ['-e', field]),
    ],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [port, to, ...rest] = line.split('\t');
      return { srcPort: Number(port), dstPort: Number(to), values: rest.map((value) => (value === '' ? [] : value.split(';'))) };
    });
}

/** One field's occurrences, in packet order, of the packets one end sent (to one port, if named). */
function column(rows: Row[], srcPort: number, index: number, dstPort?: number): string[] {
  return rows.filter((row) => row.srcPort === srcPort && (dstPort === undefined || row.dstPort === dstPort)).flatMap((row) => row.values[index] ?? []);
}

const messagesOf = (decoded: DecodedConnection, layer: string, dir: 'in' | 'out'): WireMessage[] =>
  (decoded.messages ?? []).filter((message) => message.layer === layer && message.dir === dir).sort((a, b) => a.range.start - b.range.start);

/** Every connection's bytes per direction: ours (the reassembled streams) against tshark's TCP payload lengths. */
async function expectSameBytes(name: string, opened: Opened, serverPort: number): Promise<void> {
  const rows = await tsharkRows(name, `tcp.port==${serverPort},data`, ['tcp.len']);
  for (const [clientPort, decoded] of opened.byPort) {
    const sum = (from: number, to: number) => column(rows, from, 0, to).reduce((total, length) => total + Number(length), 0);
    expect({ in: decoded.streams.in.end, out: decoded.streams.out.end }).toEqual({ in: sum(clientPort, serverPort), out: sum(serverPort, clientPort) });
  }
}

// tshark takes seconds to start (its dissectors load), more on a busy machine: two runs per test.
describe('capture files real tools wrote, opened as the inspector opens them, read as tshark reads them', { timeout: 180_000 }, () => {
  it.each([
    ['http1-curl.pcapng', 'pcapng', 1],
    ['http1-curl.pcap', 'pcap', 1],
    ['http1-curl-sll.pcapng', 'pcapng', 113],
    ['http1-curl-sll2.pcapng', 'pcapng', 276],
  ])('HTTP/1.1 (curl, Python http.server) in %s: exchanges, methods, targets, statuses, bytes', async (name, format, linkType) => {
    const packets = readPacketFile(new Uint8Array(readFileSync(join(FIXTURES, name))));
    expect('format' in packets && packets.format).toBe(format);
    expect('format' in packets && new Set(packets.packets.map((packet) => packet.linkType))).toEqual(new Set([linkType]));
    const opened = open(name);
    expect(opened.file.connections.map((connection) => connection.transport)).toEqual(['http/1.1', 'http/1.1']);
    const rows = await tsharkRows(name, 'tcp.port==18081,http', ['http.request.method', 'http.request.uri', 'http.response.code', 'http.content_length']);
    for (const [port, decoded] of opened.byPort) {
      const ours = decoded.exchanges;
      expect(ours.map((exchange) => exchange.request.method)).toEqual(column(rows, port, 0));
      expect(ours.map((exchange) => exchange.request.target)).toEqual(column(rows, port, 1));
      expect(ours.map((exchange) => String(exchange.response?.status))).toEqual(column(rows, 18081, 2, port));
      expect(ours.map((exchange) => exchange.response?.headers.find(([header]) => header.toLowerCase() === 'content-length')?.[1])).toEqual(
        column(rows, 18081, 3, port),
      );
    }
    await expectSameBytes(name, opened, 18081);
  });

  it('HTTP/2 with prior knowledge (nghttp, nghttpd): every frame, its type and stream, in both directions', async () => {
    const opened = open('h2c-nghttp.pcapng');
    const [[port, decoded]] = [...opened.byPort];
    expect(decoded.connection.transport).toBe('h2c');
    const rows = await tsharkRows('h2c-nghttp.pcapng', 'tcp.port==18082,http2', ['http2.type', 'http2.streamid', 'http2.header.name', 'http2.header.value']);
    for (const [dir, srcPort] of [
      ['in', port],
      ['out', 18082],
    ] as const) {
      const frames = messagesOf(decoded, 'h2-frame', dir);
      expect(frames.map((frame) => `${frameTypeNumber(String(frame.fields?.type))}@${frame.fields?.streamId}`)).toEqual(
        zip(column(rows, srcPort, 0), column(rows, srcPort, 1)).map(([type, stream]) => `${type}@${stream}`),
      );
    }
    expect(decoded.exchanges.map((exchange) => `${exchange.request.method} ${exchange.request.target} ${exchange.response?.status}`)).toEqual([
      'GET /a.txt 200',
      'GET /b.txt 200',
    ]);
    const paths = zip(column(rows, port, 2), column(rows, port, 3))
      .filter(([header]) => header === ':path')
      .map(([, value]) => value);
    expect(paths).toEqual(['/a.txt', '/b.txt']);
    await expectSameBytes('h2c-nghttp.pcapng', opened, 18082);
  });

  it('gRPC over IPv6 (python3-grpcio on both ends): messages, their lengths, the status in the trailers', async () => {
    const opened = open('grpc-python.pcapng');
    const [[port, decoded]] = [...opened.byPort];
    expect(decoded.connection.remote.startsWith('::1:')).toBe(true);
    const rows = await tsharkRows('grpc-python.pcapng', 'tcp.port==18083,http2', ['grpc.message_length', 'http2.header.name', 'http2.header.value']);
    expect(messagesOf(decoded, 'grpc-message', 'in').map((message) => String(message.fields?.length))).toEqual(column(rows, port, 0));
    expect(messagesOf(decoded, 'grpc-message', 'out').map((message) => String(message.fields?.length))).toEqual(column(rows, 18083, 0));
    const trailers = zip(column(rows, 18083, 1), column(rows, 18083, 2));
    const statuses = messagesOf(decoded, 'grpc-status', 'out');
    expect(statuses.map((status) => String(status.fields?.code))).toEqual(trailers.filter(([name]) => name === 'grpc-status').map(([, value]) => value));
    expect(statuses.map((status) => status.fields?.message).filter(Boolean)).toEqual(
      trailers.filter(([name]) => name === 'grpc-message').map(([, value]) => decodeURIComponent(value)),
    );
    await expectSameBytes('grpc-python.pcapng', opened, 18083);
  });

  it('WebSocket (python3-websockets on both ends): the upgrade, every frame, its opcode, mask and length', async () => {
    const opened = open('websocket-python.pcapng');
    const [[port, decoded]] = [...opened.byPort];
    expect(decoded.exchanges.map((exchange) => exchange.response?.status)).toEqual([101]);
    const rows = await tsharkRows('websocket-python.pcapng', 'tcp.port==18084,http', [
      'websocket.opcode',
      'websocket.mask',
      'websocket.payload_length',
      'websocket.payload_length_ext_16',
    ]);
    for (const [dir, srcPort] of [
      ['in', port],
      ['out', 18084],
    ] as const) {
      const frames = messagesOf(decoded, 'ws-frame', dir);
      const lengths = rows
        .filter((row) => row.srcPort === srcPort && (row.values[0]?.length ?? 0) > 0)
        .map((row) => (row.values[3]?.[0] ?? row.values[2]?.[0]) as string);
      expect(frames.map((frame) => String(WS_OPCODES[String(frame.fields?.opcode)]))).toEqual(column(rows, srcPort, 0));
      expect(frames.map((frame) => (frame.fields?.masked ? '1' : '0'))).toEqual(
        column(rows, srcPort, 1).map((mask) => (mask === 'True' || mask === '1' ? '1' : '0')),
      );
      expect(frames.map((frame) => String(frame.fields?.length))).toEqual(lengths);
    }
    await expectSameBytes('websocket-python.pcapng', opened, 18084);
  });

  it('MQTT (mosquitto_pub and mosquitto_sub against mosquitto): every packet, its type, topic, QoS and packet id', async () => {
    const opened = open('mqtt-mosquitto.pcapng');
    expect(opened.file.connections.map((connection) => connection.transport)).toEqual(['mqtt', 'mqtt']);
    const rows = await tsharkRows('mqtt-mosquitto.pcapng', 'tcp.port==18085,mqtt', ['mqtt.msgtype', 'mqtt.topic', 'mqtt.msgid']);
    for (const [port, decoded] of opened.byPort) {
      for (const [dir, srcPort] of [
        ['in', port],
        ['out', 18085],
      ] as const) {
        const ours = messagesOf(decoded, 'mqtt-packet', dir);
        const theirs = rows.filter((row) => row.srcPort === srcPort && (srcPort === port || row.dstPort === port));
        expect(ours.map((packet) => String(MQTT_TYPES.indexOf(String(packet.fields?.type))))).toEqual(theirs.flatMap((row) => row.values[0] ?? []));
        expect(ours.flatMap((packet) => (packet.fields?.topic ?? packet.fields?.topics ?? []) as string)).toEqual(theirs.flatMap((row) => row.values[1] ?? []));
        expect(ours.flatMap((packet) => (packet.fields?.packetId === undefined ? [] : [String(packet.fields.packetId)]))).toEqual(
          theirs.flatMap((row) => row.values[2] ?? []),
        );
      }
    }
    await expectSameBytes('mqtt-mosquitto.pcapng', opened, 18085);
  });

  it('TLS (curl against openssl s_server): found by its ClientHello, said to be encrypted, not decoded', async () => {
    const opened = open('tls-curl.pcapng');
    const [[port, decoded]] = [...opened.byPort];
    const rows = await tsharkRows('tls-curl.pcapng', 'tcp.port==18086,tls', ['tls.handshake.type']);
    expect(column(rows, port, 0)[0]).toBe('1'); // tshark: the client's first handshake message is a ClientHello
    expect(decoded.connection.transport).toBe('tls');
    expect(opened.file.facts[decoded.connection.id]).toEqual({ tls: true });
    expect(decoded.exchanges).toEqual([]);
    expect(decoded.notes.map((note) => [note.dir, note.node.kind, note.node.range.end])).toEqual([
      ['in', 'tls-encrypted', decoded.streams.in.end],
      ['out', 'tls-encrypted', decoded.streams.out.end],
    ]);
    await expectSameBytes('tls-curl.pcapng', opened, 18086);
  });
});

const WS_OPCODES: Record<string, number> = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 };
const MQTT_TYPES = [
  '',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'AUTH',
];
const H2_TYPES = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'];
const frameTypeNumber = (type: string) => String(H2_TYPES.indexOf(type));
const zip = (a: string[], b: string[]): Array<[string, string]> => a.map((value, index) => [value, b[index] ?? '']);
