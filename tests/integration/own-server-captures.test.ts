// "Check my server" through the byte tap: every connection Wirelab opens to a student's server is
// recorded for the session that asked (and no other), decoded by the inspector's own decoders with
// Wirelab as the client, exported to pcapng with Wirelab's port → the student's server, and named
// by the check that opened it. Real servers: the Python REST, WebSocket and SSE starters, a second
// Wirelab instance as the student's gRPC server and MQTT broker, and tiny TCP servers that fail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckedProtocol, CheckReport, CheckResult } from '../../contracts/own-server/check-result.ts';
import { capturesToPcapng } from '../../wire/pcapng/export-pcapng.ts';
import type { CapturedConnection } from '../../wire/types.ts';
import { decodedConnections } from './as-code-capture.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { postOnFreshConnection, startPythonStarter, type RunningStarter } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';

interface Student {
  session: string;
  capture: CaptureClient;
}

let wirelab: RunningServer;
/** another Wirelab on its own port: the student's gRPC server and MQTT broker */
let studentWirelab: RunningServer;
let restStarter: RunningStarter;
let websocketStarter: RunningStarter;
let sseStarter: RunningStarter;
let asker: Student;
let bystander: Student;

async function student(origin: string): Promise<Student> {
  const session = await newSession(origin);
  return { session, capture: await CaptureClient.open(origin, session) };
}

beforeAll(async () => {
  [wirelab, studentWirelab, restStarter, websocketStarter, sseStarter] = await Promise.all([
    startServer({ ownServers: true }),
    startServer(),
    startPythonStarter('rest_server.py'),
    startPythonStarter('websocket_server.py'),
    startPythonStarter('sse_server.py'),
  ]);
  [asker, bystander] = await Promise.all([student(wirelab.origin), student(wirelab.origin)]);
}, 30_000);

afterAll(async () => {
  await Promise.all([asker?.capture.close(), bystander?.capture.close()]);
  await Promise.all([restStarter?.stop(), websocketStarter?.stop(), sseStarter?.stop()]);
  await Promise.all([wirelab?.close(), studentWirelab?.close()]);
});

async function runAs(who: Student, protocol: CheckedProtocol, port: number): Promise<CheckReport> {
  const response = await postOnFreshConnection(`${wirelab.origin}/_wirelab/own-server/checks`, JSON.stringify({ protocol, target: `127.0.0.1:${port}` }), {
    'content-type': 'application/json',
    cookie: `wirelab_session=${who.session}`,
  });
  expect(response.status).toBe(200);
  const report = (await response.json()) as CheckReport;
  expect(report.reachable).toBe(true);
  // the connections' ids are of the process whose capture channel said hello to the asker
  expect(report.captureInstance).toBe(who.capture.messages.find((m) => m.type === 'hello')?.instance);
  // every connection a check names has arrived on the asker's channel, and has closed
  const ids = report.results.flatMap((result) => (result.connections ?? []).map((connection) => connection.id));
  const closed = () => new Set(who.capture.messages.filter((m) => m.type === 'closed').map((m) => m.conn as string));
  await who.capture.waitFor(() => ids.every((id) => closed().has(id)), 10_000);
  return report;
}

function resultOf(report: CheckReport, id: string): CheckResult {
  const result = report.results.find((candidate) => candidate.id === id);
  if (!result) throw new Error(`no check ${id}`);
  return result;
}

function decoded(who: Student, conn: string) {
  const found = decodedConnections(who.capture).find((candidate) => candidate.connection.id === conn);
  if (!found) throw new Error(`connection ${conn} not captured`);
  return found;
}

function announced(who: Student, conn: string): CapturedConnection & { outbound?: boolean } {
  const found = who.capture.connections<CapturedConnection & { outbound?: boolean }>().find((candidate) => candidate.id === conn);
  if (!found) throw new Error(`connection ${conn} not announced`);
  return found;
}

/** Nothing of these connections reached the other session: no announcement, no chunk. */
function expectUnseenBy(who: Student, ids: string[]): void {
  const seen = new Set([...who.capture.connections().map((connection) => connection.id), ...who.capture.chunks().map((chunk) => chunk.conn)]);
  expect(ids.filter((id) => seen.has(id))).toEqual([]);
}

const portOf = (endpoint: string) => Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));

describe("a suite's connections in the asking session's captures", () => {
  it('REST: each check names its HTTP/1.1 connections, decoded with Wirelab as the client; nobody else sees them; pcapng shows Wirelab → the student', async () => {
    const report = await runAs(asker, 'rest', restStarter.port);
    expect(report.counts.failed).toBe(0);
    for (const result of report.results) expect(result.connections?.length, result.id).toBeGreaterThan(0);
    const ids = report.results.flatMap((result) => result.connections!.map((connection) => connection.id));
    expect(new Set(report.results.flatMap((result) => result.connections!.map((connection) => connection.transport)))).toEqual(new Set(['http/1.1']));
    expectUnseenBy(bystander, ids);

    const created = resultOf(report, 'create-201-location').connections![0];
    const connection = announced(asker, created.id);
    expect(connection).toMatchObject({ transport: 'http/1.1', outbound: true });
    // remote is the client's end (Wirelab's own ephemeral port), local the server's (the starter)
    expect(connection.local).toBe(`127.0.0.1:${restStarter.port}`);
    expect(connection.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(portOf(connection.remote)).not.toBe(restStarter.port);

    const { exchanges, streams } = decoded(asker, created.id);
    expect(exchanges[0].request).toMatchObject({ method: 'POST', target: '/api/v1/users', complete: true });
    expect(exchanges[0].response).toMatchObject({ status: 201 });
    // `in` is what Wirelab sent: the request line opens it
    expect(Buffer.from(streams.in.segments[0].bytes.subarray(0, 24)).toString('latin1')).toBe('POST /api/v1/users HTTP/');
    expect(Buffer.from(streams.out.segments[0].bytes.subarray(0, 12)).toString('latin1')).toBe('HTTP/1.1 201');

    const folder = mkdtempSync(join(tmpdir(), 'wirelab-outbound-'));
    const file = join(folder, 'check.pcapng');
    writeFileSync(file, capturesToPcapng([{ connection: { ...connection, closedAt: connection.closedAt ?? Date.now() }, streams }]));
    const packets = (protocolFilter: string) =>
      spawnSync('tshark', ['-r', file, '-Y', protocolFilter, '-T', 'fields', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport'], {
        encoding: 'utf8',
      })
        .stdout.trim()
        .split('\n');
    const wirelabPort = portOf(connection.remote);
    expect(packets('tcp.flags.syn == 1 && tcp.flags.ack == 0')).toEqual([`127.0.0.1\t${wirelabPort}\t127.0.0.1\t${restStarter.port}`]);
    expect(packets('http.request.method == "POST"')).toEqual([`127.0.0.1\t${wirelabPort}\t127.0.0.1\t${restStarter.port}`]);
    expect(packets('http.response.code == 201')).toEqual([`127.0.0.1\t${restStarter.port}\t127.0.0.1\t${wirelabPort}`]);
  }, 60_000);

  it('WebSocket: the upgrade and the frames each way, masked from Wirelab, plain from the server', async () => {
    const report = await runAs(asker, 'websocket', websocketStarter.port);
    expect(report.counts.failed).toBe(0);
    const echo = resultOf(report, 'text-echo').connections!;
    expect(echo).toHaveLength(1);
    const { exchanges, messages = [] } = decoded(asker, echo[0].id);
    expect(exchanges[0].response?.status).toBe(101);
    const frames = messages.filter((message) => message.layer === 'ws-frame');
    expect(frames.some((frame) => frame.dir === 'in')).toBe(true);
    expect(frames.some((frame) => frame.dir === 'out')).toBe(true);
    // a client masks every frame (RFC 6455 §5.3), a server none: the decoder read them as such
    const masked = (dir: 'in' | 'out') => frames.filter((frame) => frame.dir === dir).map((frame) => JSON.stringify(frame.tree).includes('"ws-masking-key"'));
    expect(masked('in').every(Boolean)).toBe(true);
    expect(masked('out').some(Boolean)).toBe(false);
    expect(frames.find((frame) => frame.dir === 'out')?.summary).toMatch(/text/);
    expectUnseenBy(
      bystander,
      report.results.flatMap((result) => (result.connections ?? []).map((connection) => connection.id)),
    );
  }, 60_000);

  it('SSE: the stream over HTTP/1.1, its events read by the SSE layer, from the server', async () => {
    const report = await runAs(asker, 'sse', sseStarter.port);
    expect(report.counts.failed).toBe(0);
    const withId = resultOf(report, 'event-with-id').connections!;
    const events = withId.flatMap((connection) => (decoded(asker, connection.id).messages ?? []).filter((message) => message.layer === 'sse-event'));
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((event) => event.dir))).toEqual(new Set(['out']));
    // the transcript keeps each chunk's size line as it came, and says on a line of its own what it is
    const got = resultOf(report, 'event-with-id').got.split('\n');
    const note = got.findIndex((line) => /^┆ chunk of \d+\u00a0bytes: its size line "[0-9a-f]+" is hexadecimal/.test(line));
    expect(note).toBeGreaterThan(0);
    expect(got[note + 1]).toMatch(/^[0-9a-f]+$/);
    expectUnseenBy(
      bystander,
      report.results.flatMap((result) => (result.connections ?? []).map((c) => c.id)),
    );
  }, 60_000);

  it('gRPC: an h2c connection with its HTTP/2 frames and the gRPC messages and status', async () => {
    const report = await runAs(asker, 'grpc', studentWirelab.port);
    const create = resultOf(report, 'create-user-ok');
    expect(create.outcome).toBe('pass');
    expect(create.connections).toEqual([{ id: expect.any(String), transport: 'h2c' }]);
    const connection = announced(asker, create.connections![0].id);
    expect(connection).toMatchObject({ transport: 'h2c', outbound: true, local: `127.0.0.1:${studentWirelab.port}` });
    const { exchanges, messages = [] } = decoded(asker, connection.id);
    expect(exchanges[0].request).toMatchObject({ method: 'POST', path: '/wirelab.users.v1.UserService/CreateUser' });
    expect(exchanges[0].response?.status).toBe(200);
    const layers = new Set(messages.map((message) => `${message.layer} ${message.dir}`));
    expect(layers).toContain('h2-preface in');
    expect(layers).toContain('h2-frame out');
    const tree = JSON.stringify(exchanges[0]);
    expect(tree).toContain('grpc-');
    expect(tree).toContain('CreateUserRequest');
    // the transcript lists the answer's frames in the order they crossed the wire
    expect(create.got.split('\n').filter((line) => line.startsWith('←'))).toEqual(['← HEADERS', expect.stringMatching(/^← DATA /), '← TRAILERS']);
    expectUnseenBy(
      bystander,
      report.results.flatMap((result) => (result.connections ?? []).map((c) => c.id)),
    );
  }, 60_000);

  it('MQTT: CONNECT from Wirelab, CONNACK from the broker', async () => {
    const report = await runAs(asker, 'mqtt', studentWirelab.port);
    const connack = resultOf(report, 'connect-connack-0');
    expect(connack.outcome).toBe('pass');
    expect(connack.connections?.map((connection) => connection.transport)).toEqual(['mqtt']);
    const { messages = [] } = decoded(asker, connack.connections![0].id);
    const packets = messages.filter((message) => message.layer === 'mqtt-packet').map((message) => `${message.dir} ${message.summary.split(' ')[0]}`);
    expect(packets[0]).toBe('in CONNECT');
    expect(packets[1]).toBe('out CONNACK');
    // several connections for one check, all named (the QoS 1 check: a publisher and a subscriber)
    expect(resultOf(report, 'qos1-puback-delivered').connections!.length).toBeGreaterThanOrEqual(2);
    expectUnseenBy(
      bystander,
      report.results.flatMap((result) => (result.connections ?? []).map((c) => c.id)),
    );
  }, 90_000);
});

/** A TCP server that answers each connection with `answer` and then does what `end` says. */
async function brokenServer(answer: string, end: 'reset' | 'silent'): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(answer, () => {
        if (end === 'reset') setTimeout(() => socket.resetAndDestroy(), 20);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('a failed connection is a fact, and its bytes are still linked', () => {
  it('a server that resets after 11 bytes: "reset … after 11 bytes", in both languages', async () => {
    const { server, port } = await brokenServer('HTTP/1.1 20', 'reset');
    try {
      const report = await runAs(asker, 'rest', port);
      // the preparation's POST failed the same way; this check sends its own GET
      const notFound = resultOf(report, 'not-found-problem');
      expect(notFound.outcome).toBe('fail');
      expect(notFound.difference?.en).toMatch(/^The server (reset|closed) the connection .*after sending 11 bytes/);
      expect(notFound.difference?.ru).toMatch(/11/);
      expect(notFound.difference?.ru).toMatch(/[а-яё]/i);
      expect(notFound.connections).toHaveLength(1);
      const conn = notFound.connections![0].id;
      const { streams } = decoded(asker, conn);
      expect(Buffer.from(streams.out.segments[0].bytes).toString('latin1')).toBe('HTTP/1.1 20');
    } finally {
      server.close();
    }
  }, 60_000);
});
