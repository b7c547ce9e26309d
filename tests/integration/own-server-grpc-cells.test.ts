// A lesson's gRPC cell aimed at "my server" (server/own-server/grpc-relay.ts): the runner's channel
// at /_wirelab/own-server/grpc-runner?target=…, with every call made by Wirelab to the Python gRPC
// starter over h2c — each call kind, a status with details, the bytes in the asking session's
// captures only — and what it refuses or tells as a fact instead of a status.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_SERVER_RUNNER_PATH } from '../../contracts/grpc-runner/messages.ts';
import { decodedConnections } from './as-code-capture.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { PYTHON, startPythonStarter, STARTERS, type RunningStarter } from './own-server-starters.ts';
import { RunnerTestClient, type RunnerMessage } from './runner-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const stubs = mkdtempSync(join(tmpdir(), 'wirelab-grpc-stubs-'));
let wirelab: RunningServer;
let starter: RunningStarter;

beforeAll(async () => {
  await promisify(execFile)(PYTHON, [`${STARTERS}generate_grpc_stubs.py`, stubs]);
  [wirelab, starter] = await Promise.all([startServer({ ownServers: true }), startPythonStarter('grpc_server.py', '', { GRPC_STUBS: stubs })]);
}, 30_000);
afterAll(async () => {
  await Promise.all([starter?.stop(), wirelab?.close()]);
  rmSync(stubs, { recursive: true, force: true });
});

const USERS = 'wirelab.users.v1.UserService';
const channel = (session: string | null, target = `127.0.0.1:${starter.port}`) =>
  RunnerTestClient.open(`${wirelab.origin.replace('http', 'ws')}${OWN_SERVER_RUNNER_PATH}?target=${encodeURIComponent(target)}`, session);
const statusOf = (runner: RunnerTestClient, call: string) => runner.next((m) => m.call === call && m.type === 'status', 15_000);
const messagesOf = (runner: RunnerTestClient, call: string) =>
  runner
    .of(call)
    .filter((m) => m.type === 'message')
    .map((m) => m.message);

describe('a gRPC cell aimed at my server (the Python starter)', () => {
  it('unary: the call goes to the starter over h2c, recorded for the asking session only, without its cookie', async () => {
    const [asker, bystander] = [await newSession(wirelab.origin), await newSession(wirelab.origin)];
    const [askerCapture, bystanderCapture] = [await CaptureClient.open(wirelab.origin, asker), await CaptureClient.open(wirelab.origin, bystander)];
    const runner = await channel(asker);
    try {
      const hello = await runner.next((m) => m.type === 'hello');
      expect(hello.target).toBe(`http://127.0.0.1:${starter.port}`);
      runner.send({ type: 'start', call: 'u1', method: `${USERS}/GetUser`, metadata: { 'x-lesson': 'grpc' }, messages: [{ id: 1 }], end: true });
      const status = await statusOf(runner, 'u1');
      expect(status).toMatchObject({ code: 0, name: 'OK' });
      expect(runner.of('u1').find((m) => m.type === 'headers')!.headers['content-type']).toBe('application/grpc');
      expect(messagesOf(runner, 'u1')).toEqual([{ user: expect.objectContaining({ id: 1, name: 'Ada Lovelace' }) }]);

      const outbound = () =>
        askerCapture.connections<{ id: string; transport: string; outbound?: boolean; local: string }>().filter((c) => c.outbound && c.transport === 'h2c');
      await askerCapture.waitFor(
        () =>
          outbound().length > 0 && decodedConnections(askerCapture).some((d) => d.connection.id === outbound()[0].id && d.exchanges.some((e) => e.response)),
      );
      const connection = outbound()[0];
      expect(connection.local).toBe(`127.0.0.1:${starter.port}`);
      const exchange = decodedConnections(askerCapture).find((d) => d.connection.id === connection.id)!.exchanges[0];
      expect(exchange.request).toMatchObject({ method: 'POST', path: `/${USERS}/GetUser` });
      const tree = JSON.stringify(exchange);
      expect(tree).toContain('GetUserRequest');
      expect(tree).toContain('x-lesson');
      expect(tree).not.toContain('wirelab_session');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const seen = [...bystanderCapture.connections().map((c) => c.id), ...bystanderCapture.chunks().map((c) => c.conn)];
      expect(seen).not.toContain(connection.id);
    } finally {
      await Promise.all([runner.close(), askerCapture.close(), bystanderCapture.close()]);
    }
  }, 30_000);

  it('server streaming, client streaming and bidi streaming on the same channel', async () => {
    const runner = await channel(await newSession(wirelab.origin));
    try {
      runner.send({ type: 'start', call: 'list', method: `${USERS}/ListUsers`, metadata: {}, messages: [{ maxUsers: 3 }], end: true });
      expect(await statusOf(runner, 'list')).toMatchObject({ name: 'OK' });
      expect(messagesOf(runner, 'list').map((m) => m.position)).toEqual([1, 2, 3]);

      runner.send({ type: 'start', call: 'many', method: `${USERS}/CreateUsers`, metadata: {}, messages: [], end: false });
      runner.send({ type: 'send', call: 'many', message: { user: { name: 'Аня', email: 'anya@example.com' } } });
      runner.send({ type: 'send', call: 'many', message: { user: { name: '', email: 'nobody' } } });
      await runner.next((m) => m.call === 'many' && m.type === 'sent' && m.index === 1);
      runner.send({ type: 'end', call: 'many' });
      expect(await statusOf(runner, 'many')).toMatchObject({ name: 'OK' });
      expect(messagesOf(runner, 'many')).toEqual([expect.objectContaining({ created: 1, failed: 1 })]);

      runner.send({ type: 'start', call: 'chat', method: `${USERS}/Chat`, metadata: {}, messages: [{ userId: 1, text: 'привет' }], end: false });
      const said = await runner.next((m) => m.call === 'chat' && m.type === 'message');
      expect(said.message.said).toEqual({ userId: 1, userName: 'Ada Lovelace', text: 'привет' });
      runner.send({ type: 'send', call: 'chat', message: { userId: 999, text: 'эй' } });
      const notice = await runner.next((m) => m.call === 'chat' && m.type === 'message' && m.index === 1);
      expect(notice.message.notice).toEqual({ text: 'no such user' });
      runner.send({ type: 'end', call: 'chat' });
      expect(await statusOf(runner, 'chat')).toMatchObject({ name: 'OK' });
    } finally {
      await runner.close();
    }
  }, 30_000);

  it('a status error with its details and trailers, as the starter sent them', async () => {
    const runner = await channel(await newSession(wirelab.origin));
    try {
      runner.send({ type: 'start', call: 'bad', method: `${USERS}/CreateUser`, metadata: {}, messages: [{ name: '', email: 'x' }], end: true });
      const status = await statusOf(runner, 'bad');
      expect(status).toMatchObject({ code: 3, name: 'INVALID_ARGUMENT', message: expect.stringContaining('email must look like') });
      expect(status.details).toEqual([
        {
          type: 'google.rpc.BadRequest',
          value: {
            fieldViolations: [
              { field: 'name', description: 'must not be empty' },
              { field: 'email', description: 'must look like x@y.z' },
            ],
          },
        },
      ]);
      expect(Object.keys({ ...status.trailers, ...runner.of('bad').find((m) => m.type === 'headers')?.headers })).toContain('grpc-status-details-bin');

      runner.send({ type: 'start', call: 'gone', method: `${USERS}/GetUser`, metadata: {}, messages: [{ id: 4242 }], end: true });
      expect(await statusOf(runner, 'gone')).toMatchObject({ name: 'NOT_FOUND', message: 'no such user' });
    } finally {
      await runner.close();
    }
  }, 30_000);

  it('tells as facts, in both languages: another machine, nothing listening, no grpc-status; no session: 1008', async () => {
    const session = await newSession(wirelab.origin);
    const factOf = async (target: string, method = `${USERS}/GetUser`, message: object = { id: 1 }) => {
      const runner = await channel(session, target);
      try {
        runner.send({ type: 'start', call: 'f', method, metadata: {}, messages: [message], end: true });
        const error = await runner.next((m) => m.call === 'f' && (m.type === 'error' || m.type === 'status'), 15_000);
        expect(error.type).toBe('error');
        expect(error.message.ru).toMatch(/[а-яё]/i);
        return error as RunnerMessage;
      } finally {
        await runner.close();
      }
    };
    const elsewhere = await factOf('192.0.2.1:50051');
    expect(elsewhere.reason).toBe('refused');
    expect(elsewhere.message.en).toMatch(/192\.0\.2\.1/);
    const nobody = await factOf('127.0.0.1:1');
    expect(nobody).toMatchObject({ reason: 'connection', message: { en: expect.stringMatching(/^Connection refused: nothing listens at 127\.0\.0\.1:1/) } });

    // an HTTP/2 server that answers 200 and ends the stream with no grpc-status at all
    const statusless: Http2Server = createHttp2Server((request, response) => {
      request.resume();
      request.once('end', () => {
        response.writeHead(200, { 'content-type': 'application/grpc' });
        response.end();
      });
    });
    await new Promise<void>((resolve) => statusless.listen(0, '127.0.0.1', resolve));
    try {
      const missing = await factOf(`127.0.0.1:${(statusless.address() as { port: number }).port}`, `${USERS}/ListUsers`, { maxUsers: 1 });
      expect(missing).toMatchObject({ reason: 'no-grpc-status', message: { en: expect.stringMatching(/without grpc-status/) } });
    } finally {
      statusless.close();
    }

    const anonymous = await channel(null);
    expect((await anonymous.closedWith()).code).toBe(1008);
  }, 40_000);

  it('ends the call and its connection when the page’s channel closes', async () => {
    const session = await newSession(wirelab.origin);
    const capture = await CaptureClient.open(wirelab.origin, session);
    try {
      const runner = await channel(session);
      runner.send({ type: 'start', call: 'slow', method: `${USERS}/ListUsers`, metadata: {}, messages: [{ maxUsers: 3, intervalMs: 60_000 }], end: true });
      await runner.next((m) => m.call === 'slow' && m.type === 'message');
      const outbound = () => capture.connections<{ id: string; outbound?: boolean }>().find((c) => c.outbound);
      await capture.waitFor(() => outbound() !== undefined);
      const connection = outbound()!;
      expect(capture.messages.some((m) => m.type === 'closed' && m.conn === connection.id)).toBe(false);
      await runner.close();
      // the page is gone: Wirelab's connection to the student's server closes, with the stream in the middle
      await capture.waitFor(() => capture.messages.some((m) => m.type === 'closed' && m.conn === connection.id));
    } finally {
      await capture.close();
    }
  }, 30_000);
});
