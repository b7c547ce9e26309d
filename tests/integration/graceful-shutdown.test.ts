import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Health, HealthCheckResponse_ServingStatus as Serving } from '../../proto/gen/grpc/health/v1/health_pb.ts';
import { LifecycleService } from '../../proto/gen/wirelab/lab/v1/lifecycle_pb.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ tap: {} });
});
afterAll(async () => {
  await server?.close();
});

type Message = Record<string, any>;

/** The browser's side of the runner channel: sends control messages, keeps what comes back. */
async function openRunner(session: string) {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/_wirelab/grpc-runner`, { headers: { cookie: `wirelab_session=${session}` } });
  const messages: Message[] = [];
  socket.on('message', (raw) => messages.push(JSON.parse(String(raw))));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    next: (match: (m: Message) => boolean) => until(() => messages.find(match)),
    close: () => socket.close(),
  };
}

async function until<T>(find: () => T | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not seen in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** HTTP/2 frames of one direction of a captured connection (the client preface skipped). */
function h2Frames(bytes: Buffer): Array<{ type: number; streamId: number; payload: Buffer }> {
  const frames = [];
  let at = bytes.subarray(0, 24).toString('latin1').startsWith('PRI * HTTP/2.0') ? 24 : 0;
  while (at + 9 <= bytes.length) {
    const length = bytes.readUIntBE(at, 3);
    frames.push({ type: bytes[at + 3], streamId: bytes.readUInt32BE(at + 5) & 0x7fffffff, payload: bytes.subarray(at + 9, at + 9 + length) });
    at += 9 + length;
  }
  return frames;
}

function clients(session: string) {
  const transport = createConnectTransport({
    baseUrl: server.origin,
    httpVersion: '1.1',
    interceptors: [
      (next) => (req) => {
        req.header.set('cookie', `wirelab_session=${session}`);
        return next(req);
      },
    ],
  });
  return { lifecycle: createClient(LifecycleService, transport), health: createClient(Health, transport) };
}

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error('the call succeeded');
}

describe("a sandbox's graceful shutdown (LifecycleService)", () => {
  it("NOT_SERVING for Watch, GOAWAY on the runner's connection, the open stream finishes, new calls UNAVAILABLE, then back", async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const { lifecycle, health } = clients(session);

    // Health/Watch from "the page" (HTTP/1.1): the status now, then every change.
    const watchAbort = new AbortController();
    const seen: Serving[] = [];
    const watching = (async () => {
      for await (const answer of health.watch({ service: 'wirelab.users.v1.UserService' }, { signal: watchAbort.signal })) seen.push(answer.status);
    })().catch(() => undefined);
    await until(() => (seen.length ? true : undefined));

    // An in-flight call on the runner's h2c connection.
    const runner = await openRunner(session);
    runner.send({ type: 'start', call: 'chat', method: 'wirelab.users.v1.UserService/Chat' });
    runner.send({ type: 'send', call: 'chat', message: { userId: 1, text: 'before' } });
    await runner.next((m) => m.call === 'chat' && m.type === 'message' && m.message.said?.text === 'before');

    const answer = await lifecycle.gracefulShutdown({ graceMs: 5000, restartAfterMs: 5000 });
    expect(answer).toMatchObject({ connectionsNotified: 1, graceMs: 5000, restartAfterMs: 5000 });
    await until(() => (seen.includes(Serving.NOT_SERVING) ? true : undefined));
    expect((await health.check({ service: 'wirelab.users.v1.UserService' })).status).toBe(Serving.NOT_SERVING);

    // The open stream goes on after the GOAWAY and ends normally.
    runner.send({ type: 'send', call: 'chat', message: { userId: 1, text: 'after' } });
    await runner.next((m) => m.call === 'chat' && m.type === 'message' && m.message.said?.text === 'after');
    runner.send({ type: 'end', call: 'chat' });
    expect(await runner.next((m) => m.call === 'chat' && m.type === 'status')).toMatchObject({ name: 'OK' });

    // A new call (on a new connection) is refused while the server is down.
    runner.send({ type: 'start', call: 'late', method: 'wirelab.users.v1.UserService/GetUser', messages: [{ id: 1 }], end: true });
    const late = await runner.next((m) => m.call === 'late' && m.type === 'status');
    expect(late).toMatchObject({ name: 'UNAVAILABLE' });
    expect(late.details[0]).toMatchObject({ type: 'google.rpc.RetryInfo' });
    expect(late.details[1]).toMatchObject({
      type: 'google.rpc.LocalizedMessage',
      value: { locale: 'ru-RU', message: expect.stringMatching(/^сервер завершает работу/) },
    });
    // Calls of lesson 5 fail too: the status names the cell that stopped the server, so the editor can link to it.
    expect(late.details[2]).toMatchObject({
      type: 'google.rpc.ErrorInfo',
      value: { reason: 'SANDBOX_SHUT_DOWN', domain: 'wirelab.dev', metadata: { lesson: 'grpc', section: 'graceful-shutdown' } },
    });

    // The tap recorded the GOAWAY on the student's connection: last-stream-id 1, the Chat.
    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'h2c' && h2Frames(capture.bytes(c.id, 'out')).some((f) => f.type === 7)));
    const conn = capture.connections().find((c) => c.transport === 'h2c' && h2Frames(capture.bytes(c.id, 'out')).some((f) => f.type === 7))!;
    const goaway = h2Frames(capture.bytes(conn.id, 'out')).find((f) => f.type === 7)!;
    expect(goaway.streamId).toBe(0);
    expect(goaway.payload.readUInt32BE(0) & 0x7fffffff).toBe(1);
    expect(goaway.payload.readUInt32BE(4)).toBe(0); // NO_ERROR
    // After the GOAWAY the server still sent the Chat's answer to "after" on stream 1.
    const afterGoaway = h2Frames(capture.bytes(conn.id, 'out')).slice(h2Frames(capture.bytes(conn.id, 'out')).indexOf(goaway) + 1);
    expect(afterGoaway.some((f) => f.type === 0 && f.streamId === 1 && f.payload.includes(Buffer.from('after')))).toBe(true);

    // The restart: SERVING again for Watch, and calls work.
    await until(() => (seen.at(-1) === Serving.SERVING && seen.length >= 3 ? true : undefined), 10_000);
    expect(seen).toEqual([Serving.SERVING, Serving.NOT_SERVING, Serving.SERVING]);
    runner.send({ type: 'start', call: 'back', method: 'wirelab.users.v1.UserService/GetUser', messages: [{ id: 1 }], end: true });
    expect(await runner.next((m) => m.call === 'back' && m.type === 'status')).toMatchObject({ name: 'OK' });

    watchAbort.abort();
    await watching;
    runner.close();
    await capture.close();
  }, 30_000);

  it('another sandbox is not affected, and the shared sandbox cannot be shut down', async () => {
    const mine = clients(await newSession(server.origin));
    const other = clients(await newSession(server.origin));
    await mine.lifecycle.gracefulShutdown({ graceMs: 1000, restartAfterMs: 60_000 });
    expect((await other.health.check({ service: '' })).status).toBe(Serving.SERVING);
    expect((await mine.health.check({ service: '' })).status).toBe(Serving.NOT_SERVING);
    // A second shutdown while down is one more refused call.
    expect((await failure(mine.lifecycle.gracefulShutdown({}))).code).toBe(Code.Unavailable);

    const shared = createClient(LifecycleService, createConnectTransport({ baseUrl: server.origin, httpVersion: '1.1' }));
    expect((await failure(shared.gracefulShutdown({}))).code).toBe(Code.FailedPrecondition);
    expect((await failure(other.lifecycle.gracefulShutdown({ graceMs: 40_000 }))).code).toBe(Code.InvalidArgument);
    expect((await failure(other.lifecycle.gracefulShutdown({ graceMs: 5000, restartAfterMs: 2000 }))).code).toBe(Code.InvalidArgument);
  });

  it('SetServingStatus flips what Check, List and Watch report in the sandbox only', async () => {
    const mine = clients(await newSession(server.origin));
    const other = clients(await newSession(server.origin));
    const abort = new AbortController();
    const seen: Serving[] = [];
    const watching = (async () => {
      for await (const answer of mine.health.watch({ service: 'wirelab.lab.v1.LabService' }, { signal: abort.signal })) seen.push(answer.status);
    })().catch(() => undefined);
    await until(() => (seen.length ? true : undefined));
    expect(await mine.lifecycle.setServingStatus({ service: 'wirelab.lab.v1.LabService', status: Serving.NOT_SERVING })).toMatchObject({
      previous: Serving.SERVING,
      status: Serving.NOT_SERVING,
    });
    await until(() => (seen.length >= 2 ? true : undefined));
    expect((await mine.health.list({})).statuses['wirelab.lab.v1.LabService'].status).toBe(Serving.NOT_SERVING);
    expect((await other.health.check({ service: 'wirelab.lab.v1.LabService' })).status).toBe(Serving.SERVING);
    await mine.lifecycle.setServingStatus({ service: 'wirelab.lab.v1.LabService', status: Serving.SERVING });
    await until(() => (seen.length >= 3 ? true : undefined));
    expect(seen).toEqual([Serving.SERVING, Serving.NOT_SERVING, Serving.SERVING]);
    expect((await failure(mine.lifecycle.setServingStatus({ service: 'no.such.Service', status: Serving.SERVING }))).code).toBe(Code.NotFound);
    expect((await failure(mine.lifecycle.setServingStatus({ service: '', status: Serving.SERVICE_UNKNOWN }))).code).toBe(Code.InvalidArgument);
    abort.abort();
    await watching;
  });
});
