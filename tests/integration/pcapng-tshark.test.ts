import { execFile } from 'node:child_process';
import http2 from 'node:http2';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LabService } from '../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { decodeConnection } from '../../wire/decode-connection.ts';
import { capturesToPcapng, type ExportedConnection } from '../../wire/pcapng/export-pcapng.ts';
import { parseEndpoint } from '../../wire/pcapng/tcp-packets.ts';
import type { CaptureChunk, CapturedConnection, DecodedConnection, WireNode } from '../../wire/types.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const run = promisify(execFile);
const TSHARK = '/usr/bin/tshark';

let server: RunningServer;
let workDir: string;

beforeAll(async () => {
  if (!existsSync(TSHARK)) {
    throw new Error(`${TSHARK} is missing: this test checks exported pcapng files with Wireshark's dissectors. Install the Debian package "tshark".`);
  }
  server = await startServer();
  workDir = mkdtempSync(join(tmpdir(), 'wirelab-pcapng-'));
});
afterAll(async () => {
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** What the capture channel told: every connection of the session with its chunks. */
function captured(capture: CaptureClient): Array<{ connection: CapturedConnection; chunks: CaptureChunk[] }> {
  const closed = new Map(capture.messages.filter((m) => m.type === 'closed').map((m) => [m.conn as string, m.t as number]));
  const chunks: CaptureChunk[] = capture.chunks().map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
  return capture.connections<CapturedConnection>().map((connection) => {
    const closedAt = closed.get(connection.id);
    return { connection: closedAt === undefined ? connection : { ...connection, closedAt }, chunks: chunks.filter((chunk) => chunk.conn === connection.id) };
  });
}

/** Requests one after another on one h2c connection (HTTP/2 with prior knowledge), bodies read. */
async function h2Requests(origin: string, session: string, paths: string[]): Promise<void> {
  const client = http2.connect(origin);
  try {
    for (const path of paths) {
      await new Promise<void>((resolve, reject) => {
        const stream = client.request({ ':path': path, cookie: `wirelab_session=${session}`, accept: 'application/json' });
        stream.on('error', reject);
        stream.resume();
        stream.on('end', () => resolve());
      });
    }
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

/** Real traffic of one session: HTTP/1.1 keep-alive (curl), h2c (curl), gRPC (h2c), WebSocket. */
async function sessionTraffic(session: string): Promise<void> {
  const origin = server.origin;
  const cookie = `Cookie: wirelab_session=${session}`;
  // Two requests on one kept-alive connection, the second a POST with a body.
  await run('curl', [
    '-s',
    '-H',
    cookie,
    '-o',
    '/dev/null',
    `${origin}/api/v1/users?page=1&limit=2`,
    '--next',
    '-s',
    '-H',
    cookie,
    '-H',
    'content-type: application/json',
    '-d',
    '{"name":"Pcap Tester","email":"pcap@example.org"}',
    '-o',
    '/dev/null',
    `${origin}/api/v1/users`,
  ]);
  // Node's http2 client, not curl: curl 7.88 fails to reuse an h2c connection for a second URL
  // ("Error in the HTTP2 framing layer", against a bare Node http2 server too).
  await h2Requests(origin, session, ['/api/v1/users/1', '/api/v1/users?limit=1']);

  const lab = createClient(LabService, createGrpcTransport({ baseUrl: origin }));
  const headers = { 'x-wirelab-sandbox': session };
  await lab.echo({ message: 'to Wireshark and back' }, { headers });
  for await (const tick of lab.ticks({ count: 3, intervalMs: 1 }, { headers })) void tick;

  const socket = new WebSocket(`${origin.replace('http', 'ws')}/ws/echo`, { headers: { cookie: `wirelab_session=${session}` } });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const echoes: unknown[] = [];
  socket.on('message', (data) => echoes.push(data));
  socket.send('hello, Wireshark');
  socket.send(Buffer.alloc(300, 7));
  socket.send('x'.repeat(10_000));
  while (echoes.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => {
    socket.once('close', resolve);
    socket.close(1000, 'done');
  });
}

type Json = unknown;

/** Every value under `key` anywhere in `node`, in document order (tshark's JSON keeps the frame order). */
function collect(node: Json, key: string): Json[] {
  const found: Json[] = [];
  const walk = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [name, inner] of Object.entries(value)) {
        if (name === key) found.push(...(Array.isArray(inner) ? inner : [inner]));
        else walk(inner);
      }
    }
  };
  walk(node);
  return found;
}

const asList = (value: Json): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

interface TsharkPacket {
  layers: Record<string, Json>;
  clientPort: number;
  dir: 'in' | 'out';
  micros: number;
}

/** tshark's reading of the file, packet by packet, with Wireshark's own dissectors. */
async function tsharkPackets(file: string, serverPort: number): Promise<TsharkPacket[]> {
  // The app's port as HTTP, as Wireshark does for 8080 by default; h2c is then found by the
  // HTTP/2 heuristic on its connection preface, and gRPC by its content-type.
  const { stdout } = await run(TSHARK, ['-r', file, '-d', `tcp.port==${serverPort},http`, '-T', 'json', '--no-duplicate-keys'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as Array<{ _source: { layers: Record<string, Json> } }>).map(({ _source: { layers } }) => {
    const tcp = layers.tcp as Record<string, string>;
    const source = Number(tcp['tcp.srcport']);
    const [seconds, fraction = ''] = String((layers.frame as Record<string, string>)['frame.time_epoch']).split('.');
    return {
      layers,
      clientPort: source === serverPort ? Number(tcp['tcp.dstport']) : source,
      dir: source === serverPort ? 'out' : 'in',
      micros: Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6)),
    };
  });
}

/** The HPACK fields our inspector shows in the HEADERS/CONTINUATION frames of one direction. */
function ourHeaderFields(decoded: DecodedConnection, dir: 'in' | 'out'): string[] {
  const fields: string[] = [];
  const walk = (node: WireNode): void => {
    if (node.kind === 'hpack-field') fields.push(`${node.label}: ${node.value ?? ''}`);
    else node.children?.forEach(walk);
  };
  for (const message of decoded.messages ?? []) if (message.layer === 'h2-frame' && message.dir === dir) walk(message.tree);
  return fields;
}

const WS_OPCODES: Record<string, number> = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 };

describe('exported pcapng in tshark', () => {
  it('dissects every connection of a session as our inspector decodes it: HTTP/1.1, HTTP/2, gRPC, WebSocket', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    await sessionTraffic(session);
    // Everything is in once the HTTP/1.1 and WebSocket connections closed and the gRPC calls' trailers came.
    await capture.waitFor(() => {
      const all = captured(capture);
      const done = all.filter(({ connection, chunks }) => {
        const decoded = decodeConnection(connection, chunks);
        if (connection.transport === 'http/1.1') return connection.closedAt !== undefined;
        return decoded.exchanges.length > 0 && decoded.exchanges.every((exchange) => exchange.response?.complete);
      });
      return all.length >= 4 && done.length === all.length;
    }, 10_000);
    await capture.close();

    const connections = captured(capture);
    const decoded = new Map(
      connections.map(({ connection, chunks }) => [
        parseEndpoint(connection.remote)!.port,
        { connection, chunks, result: decodeConnection(connection, chunks) },
      ]),
    );
    expect([...decoded.values()].map(({ connection }) => connection.transport).sort()).toEqual(['h2c', 'h2c', 'http/1.1', 'http/1.1']);
    const exported: ExportedConnection[] = [...decoded.values()].map(({ connection, result }) => ({ connection, streams: result.streams }));
    const file = join(workDir, 'session.pcapng');
    writeFileSync(file, capturesToPcapng(exported));

    const packets = await tsharkPackets(file, server.port);
    expect(new Set(packets.map((packet) => packet.clientPort))).toEqual(new Set(decoded.keys()));

    for (const [port, { connection, chunks, result }] of decoded) {
      const own = packets.filter((packet) => packet.clientPort === port);
      const label = `${connection.id} (${connection.transport})`;

      // The TCP payloads are exactly the captured bytes, at the captured times (µs).
      for (const dir of ['in', 'out'] as const) {
        const payload = Buffer.concat(
          own
            .filter((packet) => packet.dir === dir)
            .flatMap((packet) => {
              const hex = (packet.layers.tcp as Record<string, string>)['tcp.payload'];
              return hex ? [Buffer.from(hex.replace(/:/g, ''), 'hex')] : [];
            }),
        );
        expect(payload.equals(capture.bytes(connection.id, dir)), `${label} ${dir} bytes`).toBe(true);
        const firstChunk = chunks.filter((chunk) => chunk.dir === dir).sort((a, b) => a.offset - b.offset)[0];
        const firstData = own.find((packet) => packet.dir === dir && (packet.layers.tcp as Record<string, string>)['tcp.payload']);
        expect(firstData?.micros, `${label} ${dir} first byte time`).toBe(Math.round(firstChunk.t * 1000));
      }

      if (connection.transport === 'http/1.1') {
        const http = own.map((packet) => packet.layers.http).filter(Boolean);
        const theirRequests = http.flatMap((layer) => {
          const methods = collect(layer, 'http.request.method');
          const uris = collect(layer, 'http.request.uri');
          return methods.map((method, index) => `${method} ${uris[index]}`);
        });
        expect(theirRequests, `${label} requests`).toEqual(result.exchanges.map((exchange) => `${exchange.request.method} ${exchange.request.target}`));
        expect(http.flatMap((layer) => collect(layer, 'http.response.code')).map(Number), `${label} statuses`).toEqual(
          result.exchanges.map((exchange) => exchange.response?.status),
        );
      } else {
        for (const dir of ['in', 'out'] as const) {
          const http2 = own
            .filter((packet) => packet.dir === dir)
            .map((packet) => packet.layers.http2)
            .filter(Boolean);
          const names = http2.flatMap((layer) => collect(layer, 'http2.header.name'));
          const values = http2.flatMap((layer) => collect(layer, 'http2.header.value'));
          expect(names.length, `${label} ${dir} header count`).toBeGreaterThan(0);
          expect(
            names.map((name, index) => `${name}: ${values[index]}`),
            `${label} ${dir} HTTP/2 headers`,
          ).toEqual(ourHeaderFields(result, dir));
        }
      }

      // gRPC messages: the length in each 5-byte prefix, per direction.
      for (const dir of ['in', 'out'] as const) {
        const theirs = own
          .filter((packet) => packet.dir === dir)
          .flatMap((packet) => collect(packet.layers.grpc, 'grpc.message_length'))
          .map(Number);
        const ours = (result.messages ?? [])
          .filter((message) => message.layer === 'grpc-message' && message.dir === dir)
          .map((message) => message.fields?.length);
        expect(theirs, `${label} ${dir} gRPC message lengths`).toEqual(ours);
      }

      // WebSocket frames: opcode and payload length, per direction.
      for (const dir of ['in', 'out'] as const) {
        const theirs = own
          .filter((packet) => packet.dir === dir)
          .flatMap((packet) => asList(packet.layers.websocket))
          .map((frame) => {
            const fields = frame as Record<string, string>;
            const length = fields['websocket.payload_length_ext_64'] ?? fields['websocket.payload_length_ext_16'] ?? fields['websocket.payload_length'];
            return `${Number(fields['websocket.opcode'])} ${Number(length)}`;
          });
        const ours = (result.messages ?? [])
          .filter((message) => message.layer === 'ws-frame' && message.dir === dir)
          .map((message) => `${WS_OPCODES[String(message.fields?.opcode)]} ${message.fields?.length}`);
        expect(theirs, `${label} ${dir} WebSocket frames`).toEqual(ours);
      }
    }

    // What was measured really was there: each kind of traffic shows up in tshark's reading.
    const all = (key: string): Json[] => packets.flatMap((packet) => collect(packet.layers, key));
    expect(all('http.request.method')).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect(all('http2.header.value')).toEqual(
      expect.arrayContaining(['/wirelab.lab.v1.LabService/Echo', '/wirelab.lab.v1.LabService/Ticks', '/api/v1/users/1']),
    );
    expect(all('grpc.message_length').length).toBeGreaterThanOrEqual(5);
    expect(all('websocket.opcode')).toEqual(expect.arrayContaining(['1', '2', '8']));

    // Checked as Wireshark can check them: no bad checksum, no TCP analysis complaint, nothing malformed.
    const { stdout: complaints } = await run(TSHARK, [
      '-r',
      file,
      '-d',
      `tcp.port==${server.port},http`,
      '-o',
      'ip.check_checksum:TRUE',
      '-o',
      'tcp.check_checksum:TRUE',
      '-Y',
      'ip.checksum.status == 0 || tcp.checksum.status == 0 || tcp.analysis.flags || _ws.malformed || _ws.expert.severity >= error',
    ]);
    expect(complaints).toBe('');

    // A hole in the recording (the keep-alive connection's first exchange evicted): tshark sees
    // the sequence jump ("previous segment not captured") and, like our decoder, only the second request.
    const [keepAlivePort, keepAlive] = [...decoded].find(([, { result }]) => result.exchanges.length === 2)!;
    const second = keepAlive.result.exchanges[1];
    const kept = keepAlive.chunks.filter((chunk) => chunk.offset >= (chunk.dir === 'in' ? second.request.range.start : second.response!.range.start));
    expect(kept.length).toBeLessThan(keepAlive.chunks.length);
    const holed = decodeConnection(keepAlive.connection, kept);
    const holedFile = join(workDir, 'hole.pcapng');
    writeFileSync(holedFile, capturesToPcapng([{ connection: keepAlive.connection, streams: holed.streams }]));
    const holedPackets = await tsharkPackets(holedFile, server.port);
    expect(holedPackets.every((packet) => packet.clientPort === keepAlivePort)).toBe(true);
    const lost = holedPackets.filter((packet) => collect(packet.layers.tcp, 'tcp.analysis.lost_segment').length > 0);
    expect(lost.map((packet) => packet.dir).sort()).toEqual(['in', 'out']);
    const requests = holedPackets.flatMap((packet) =>
      collect(packet.layers.http, 'http.request.method').map((method) => `${method} ${collect(packet.layers.http, 'http.request.uri')[0]}`),
    );
    expect(requests).toEqual(holed.exchanges.map((exchange) => `${exchange.request.method} ${exchange.request.target}`));
    expect(requests).toEqual(['POST /api/v1/users']);
  }, 60_000);
});

describe('pcapng segments in tshark', () => {
  it('reassembles a chunk split into 65 495-byte segments, over IPv6, with good checksums', async () => {
    // A server write larger than one TCP segment arrives as one chunk: the writer splits it.
    const body = Buffer.alloc(150_000, 'w');
    const request = Buffer.from('GET /big HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n');
    const response = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
    const at = Date.now();
    const connection: CapturedConnection = { id: 'c1', transport: 'http/1.1', remote: '::1:50123', local: '::1:8080', openedAt: at, closedAt: at + 9 };
    const chunks: CaptureChunk[] = [
      { conn: 'c1', seq: 1, dir: 'in', t: at + 1, offset: 0, data: request },
      { conn: 'c1', seq: 2, dir: 'out', t: at + 2.5, offset: 0, data: response },
    ];
    const { streams, exchanges } = decodeConnection(connection, chunks);
    const file = join(workDir, 'big.pcapng');
    writeFileSync(file, capturesToPcapng([{ connection, streams }]));

    const { stdout } = await run(TSHARK, [
      '-r',
      file,
      '-o',
      'tcp.check_checksum:TRUE',
      '-T',
      'fields',
      '-e',
      'ipv6.src',
      '-e',
      'tcp.len',
      '-e',
      'tcp.checksum.status',
      '-e',
      'http.response.code',
      '-e',
      'http.content_length',
      '-e',
      'tcp.analysis.flags',
    ]);
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.every(([source]) => source === '::1')).toBe(true);
    expect(rows.every((row) => row[2] === '1')).toBe(true);
    expect(rows.map((row) => row[5]).filter(Boolean)).toEqual([]);
    const lengths = rows.map((row) => Number(row[1])).filter((length) => length > 0);
    expect(Math.max(...lengths)).toBe(65_495);
    expect(lengths.reduce((total, length) => total + length, 0)).toBe(request.length + response.length);
    const answered = rows.filter((row) => row[3]);
    expect(answered.map((row) => [Number(row[3]), Number(row[4])])).toEqual([[exchanges[0].response!.status, exchanges[0].response!.body.length]]);
  }, 60_000);
});
