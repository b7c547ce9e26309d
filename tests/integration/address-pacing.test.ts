// Pacing per client address at the socket (server/limits/address-gate.ts): a client that floods
// is not parsed and refused request by request — its connections stop being read (TCP
// backpressure) until its address's buckets refill, while a student on another address gets
// every answer; past its connections per address, a new connection is closed at accept; in one
// turn of the event loop an address's reads past its share wait for the next turns.
// Mechanisms, counts and states only: how fast anything goes is bench/soak.ts's business.
import { connect, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

/** Linux routes all of 127.0.0.0/8 to loopback: other client addresses without other machines. */
const STUDENT = '127.0.0.1';
const ABUSER = '127.0.0.2';
const HOARDER = '127.0.0.3';
const UPLOADER = '127.0.0.4';
const PIPELINER = '127.0.0.5';
const CROWD = '127.0.0.6';
const NEIGHBOUR = '127.0.0.7';
const REQUESTS_PER_ADDRESS = 20;
const BYTES_PER_ADDRESS = 64 * 1024;
const CONNECTIONS_PER_ADDRESS = 6;
/** requests the abuser sends on each of its keep-alive connections, one after another: far more than its pace lets through */
const FLOOD = 300;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    // Neither the per-session nor the per-address rates may refuse here: only the pace acts.
    rateLimit: { max: 100_000, timeWindowMs: 10_000 },
    clientLimits: {
      rates: { rest: { perAddress: 100_000 } },
      // a refill of 2 requests a second: slower than any test step, so counts are not timings
      pacing: {
        requestsPerAddress: REQUESTS_PER_ADDRESS,
        bytesPerAddress: BYTES_PER_ADDRESS,
        bytesBurstPerAddress: BYTES_PER_ADDRESS,
        connectionsPerAddress: CONNECTIONS_PER_ADDRESS,
        windowMs: 10_000,
      },
    },
  });
});

afterAll(async () => {
  await server.close();
});

const gate = () => server.app.onePort.gate!;

function studentAsks(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, localAddress: STUDENT, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

interface RawConnection {
  socket: Socket;
  /** the statuses of the HTTP/1.1 answers received so far */
  statuses(): string[];
  closed: Promise<void>;
}

/** A raw connection from `from`, reading the HTTP/1.1 status lines that come back on it. */
async function rawConnection(from: string, onAnswer: (connection: RawConnection) => void = () => {}): Promise<RawConnection> {
  const socket = connect({ host: '127.0.0.1', port: server.port, localAddress: from });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  const statuses = () => [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]);
  const connection: RawConnection = { socket, statuses, closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) };
  let answered = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    for (; answered < statuses().length; answered++) onAnswer(connection);
  });
  socket.on('error', () => {});
  return connection;
}

const GET_USER = 'GET /api/v1/users/1 HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: application/json\r\n\r\n';

describe('pacing per client address, before parsing', () => {
  it('pauses a flooding address instead of answering it request by request; a student elsewhere gets every answer', async () => {
    // As a script with a keep-alive agent does: the next request as soon as an answer comes.
    const nextRequest = (connection: RawConnection) => {
      if (connection.statuses().length < FLOOD) connection.socket.write(GET_USER);
    };
    const flood = await Promise.all([rawConnection(ABUSER, nextRequest), rawConnection(ABUSER, nextRequest)]);
    for (const { socket } of flood) socket.write(GET_USER);
    await vi.waitFor(() => expect(gate().pace(ABUSER).paused).toBeGreaterThan(0), { timeout: 20_000 });

    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await studentAsks('/api/v1/users/1'));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(gate().pace(STUDENT).pausesSoFar).toBe(0);

    // Paused, not refused: the abuser has had about its bucket's worth of answers, each a 200,
    // and its next request waits unread in its own connection.
    const statusesOfAbuser = flood.flatMap((connection) => connection.statuses());
    expect(statusesOfAbuser.length).toBeGreaterThanOrEqual(REQUESTS_PER_ADDRESS - 2);
    expect(statusesOfAbuser.length).toBeLessThan(FLOOD);
    expect(new Set(statusesOfAbuser)).toEqual(new Set(['200']));
    expect(gate().pace(ABUSER).paused).toBeGreaterThan(0);
    expect(gate().pace(ABUSER).connections).toBe(2);
    for (const { socket } of flood) socket.destroy();
    await vi.waitFor(() => expect(gate().pace(ABUSER)).toMatchObject({ connections: 0, paused: 0 }), { timeout: 20_000 });
  });

  it('paces requests pipelined in one read as separate reads: each one past the pause waits for the bucket, none is refused', async () => {
    const pastThePace = 4;
    const pipelined = await rawConnection(PIPELINER);
    pipelined.socket.write(GET_USER.repeat(REQUESTS_PER_ADDRESS + 1 + pastThePace));
    await vi.waitFor(() => expect(pipelined.statuses()).toHaveLength(REQUESTS_PER_ADDRESS + 1 + pastThePace), { timeout: 20_000 });
    expect(new Set(pipelined.statuses())).toEqual(new Set(['200']));
    // The 21st paused the connection; each resume pays for one request and the next overspends
    // again: one pause per two requests past the pace (a read parsed whole would pause once).
    expect(gate().pace(PIPELINER).pausesSoFar).toBeGreaterThanOrEqual(1 + pastThePace / 2);
    pipelined.socket.destroy();
  });

  it('closes a connection at accept past the connections per address; another address still connects', async () => {
    const held = await Promise.all(Array.from({ length: CONNECTIONS_PER_ADDRESS }, () => rawConnection(HOARDER)));
    await vi.waitFor(() => expect(gate().pace(HOARDER).connections).toBe(CONNECTIONS_PER_ADDRESS), { timeout: 20_000 });
    const extra = await rawConnection(HOARDER);
    extra.socket.write(GET_USER);
    await extra.closed;
    expect(extra.statuses()).toEqual([]);
    expect(gate().pace(HOARDER).refusedConnectionsSoFar).toBe(1);
    expect(await studentAsks('/api/v1/users/1')).toBe(200);
    for (const { socket } of held) socket.destroy();
    await vi.waitFor(() => expect(gate().pace(HOARDER).connections).toBe(0), { timeout: 20_000 });
  });

  it('gives an address two reads a turn of the event loop: the rest of its reads that turn wait, and are answered in the next turns', async () => {
    const crowd = await Promise.all(Array.from({ length: CONNECTIONS_PER_ADDRESS }, () => rawConnection(CROWD)));
    const neighbour = await rawConnection(NEIGHBOUR);
    // each connection accepted and answered once: its next request is read as soon as it is there
    for (const { socket } of [...crowd, neighbour]) socket.write(GET_USER);
    const answered = (times: number) => (connection: RawConnection) => connection.statuses().length === times;
    await vi.waitFor(() => expect([...crowd, neighbour].every(answered(1))).toBe(true), { timeout: 20_000 });
    const spent = vi.spyOn(gate(), 'spendBytes');
    // Written in one run of this thread (the server's too): every request is in its socket
    // before the loop next looks at the network, and all seven are read in that one turn.
    for (const { socket } of [...crowd, neighbour]) socket.write(GET_USER);
    await vi.waitFor(() => expect([...crowd, neighbour].every(answered(2))).toBe(true), { timeout: 20_000 });
    const waited = (address: string) =>
      spent.mock.calls.flatMap((call, i) => (call[0]?.replace('::ffff:', '') === address ? [spent.mock.results[i]!.value] : []));
    const [crowdWaited, neighbourWaited] = [waited(CROWD), waited(NEIGHBOUR)];
    spent.mockRestore();
    expect(crowdWaited).toEqual([false, false, true, true, true, true]);
    expect(neighbourWaited).toEqual([false]);
    // waited, not refused: every one answered
    expect(new Set([...crowd, neighbour].flatMap((connection) => connection.statuses()))).toEqual(new Set(['200']));
    expect(gate().pace(CROWD)).toMatchObject({ paused: 0, pausesSoFar: 0 });
    for (const { socket } of [...crowd, neighbour]) socket.destroy();
  });

  it('pauses a connection that sends more bytes than its address may, until its bucket refills', async () => {
    const upload = await rawConnection(UPLOADER);
    const body = Buffer.alloc(4 * BYTES_PER_ADDRESS, 'x');
    // Connect's echo takes a body of up to 1 MiB: nothing refuses this one by its length
    upload.socket.write(
      `POST /wirelab.lab.v1.LabService/Echo HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    upload.socket.write(body);
    await vi.waitFor(() => expect(gate().pace(UPLOADER).paused).toBe(1), { timeout: 20_000 });
    // the request is not answered (nor refused): its body waits in the uploader's own buffers
    expect(upload.statuses()).toEqual([]);
    expect(gate().pace(UPLOADER).connections).toBe(1);
    // (a paused connection that holds 16 KiB unparsed is not read: the server learns that it
    // closed when it is resumed)
    upload.socket.destroy();
  });
});
