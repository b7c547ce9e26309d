import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { readFileSync } from 'node:fs';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { CapturedConnection, WireMessage } from '../../wire/types.ts';
import { evaluateCheck, type Check } from '../../contracts/exercise-checks/evaluate-check.ts';
import { RunnerTestClient, type RunnerMessage } from './runner-client.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ tap: {} });
});
afterAll(async () => {
  await server?.close();
});

type Message = RunnerMessage;

/** The browser's side of this server's runner channel. */
const RunnerClient = { open: (session: string | null) => RunnerTestClient.open(`${server.origin.replace('http', 'ws')}/_wirelab/grpc-runner`, session) };

describe('the gRPC runner channel', () => {
  it('refuses a channel without a session cookie (1008)', async () => {
    const runner = await RunnerClient.open(null);
    expect((await runner.closedWith()).code).toBe(1008);
  });

  it('says hello with the limits and every served method', async () => {
    const runner = await RunnerClient.open(await newSession(server.origin));
    const hello = await runner.next((m) => m.type === 'hello');
    expect(hello.limits).toMatchObject({ maxCalls: 8, maxMessageBytes: 256 * 1024 });
    const users = hello.services.find((s: Message) => s.name === 'wirelab.users.v1.UserService');
    expect(users.methods).toContainEqual(
      expect.objectContaining({ name: 'Chat', path: 'wirelab.users.v1.UserService/Chat', kind: 'bidi_streaming', input: 'wirelab.users.v1.ChatRequest' }),
    );
    await runner.close();
  });

  it('runs a unary call in the session sandbox: started, sent, ended, headers, message, status', async () => {
    const session = await newSession(server.origin);
    const runner = await RunnerClient.open(session);
    runner.send({
      type: 'start',
      call: 'u1',
      method: 'wirelab.users.v1.UserService/CreateUser',
      messages: [{ name: 'Runner', email: 'runner@example.com' }],
      end: true,
    });
    const status = await runner.next((m) => m.call === 'u1' && m.type === 'status');
    expect(status).toMatchObject({ code: 0, name: 'OK' });
    expect(status.trailers['x-wirelab-duration-ms']).toMatch(/^\d/);
    expect(runner.of('u1').map((m) => m.type)).toEqual(['started', 'sent', 'ended', 'headers', 'message', 'status']);
    const created = runner.of('u1').find((m) => m.type === 'message')!.message.user;
    expect(runner.of('u1').find((m) => m.type === 'headers')!.headers['content-type']).toMatch(/^application\/grpc/);

    // The call ran in the browser session's own sandbox: REST with the same cookie sees the user.
    const rest = await fetch(`${server.origin}/api/v1/users/${created.id}`, { headers: { cookie: `wirelab_session=${session}` } });
    expect((await rest.json()).email).toBe('runner@example.com');
    await runner.close();
  });

  it('drives a bidi Chat step by step, and reports a NOT_FOUND status with its details', async () => {
    const runner = await RunnerClient.open(await newSession(server.origin));
    runner.send({ type: 'start', call: 'chat', method: '/wirelab.users.v1.UserService/Chat' });
    await runner.next((m) => m.call === 'chat' && m.type === 'message' && m.index === 0);
    runner.send({ type: 'send', call: 'chat', message: { userId: 1, text: 'hi' } });
    const said = await runner.next((m) => m.call === 'chat' && m.type === 'message' && m.index === 1);
    expect(said.message.said).toMatchObject({ userId: 1, userName: 'Ada Lovelace', text: 'hi' });
    runner.send({ type: 'end', call: 'chat' });
    expect(await runner.next((m) => m.call === 'chat' && m.type === 'status')).toMatchObject({ name: 'OK' });

    runner.send({ type: 'start', call: 'nf', method: 'wirelab.users.v1.UserService/GetUser', messages: [{ id: 4242 }], end: true });
    const notFound = await runner.next((m) => m.call === 'nf' && m.type === 'status');
    expect(notFound).toMatchObject({ code: 5, name: 'NOT_FOUND' });
    expect(notFound.details[0]).toMatchObject({ type: 'google.rpc.ErrorInfo', value: { reason: 'USER_NOT_FOUND' } });
    await runner.close();
  });

  it('cancels a call (CANCELLED) and honours a deadline (DEADLINE_EXCEEDED)', async () => {
    const runner = await RunnerClient.open(await newSession(server.origin));
    runner.send({ type: 'start', call: 't', method: 'wirelab.lab.v1.LabService/Ticks', messages: [{ count: 100, intervalMs: 100 }], end: true });
    await runner.next((m) => m.call === 't' && m.type === 'message');
    runner.send({ type: 'cancel', call: 't' });
    expect(await runner.next((m) => m.call === 't' && m.type === 'status')).toMatchObject({ name: 'CANCELLED' });

    runner.send({ type: 'start', call: 's', method: 'wirelab.lab.v1.LabService/Slow', timeoutMs: 200, messages: [{ millis: 5000 }], end: true });
    expect(await runner.next((m) => m.call === 's' && m.type === 'status')).toMatchObject({ name: 'DEADLINE_EXCEEDED' });
    await runner.close();
  });

  it('answers mistakes with bilingual errors and keeps the channel open', async () => {
    const runner = await RunnerClient.open(await newSession(server.origin));
    runner.send('not json');
    const badJson = await runner.next((m) => m.type === 'error' && m.reason === 'bad-json');
    expect(badJson.message.ru).toMatch(/JSON/);
    runner.send({ type: 'start', call: 'x', method: 'no.Such/Method' });
    expect((await runner.next((m) => m.call === 'x' && m.type === 'error')).reason).toBe('unknown-method');
    runner.send({ type: 'start', call: 'y', method: 'wirelab.lab.v1.LabService/Echo', metadata: { cookie: 'x' } });
    expect((await runner.next((m) => m.call === 'y' && m.type === 'error')).reason).toBe('reserved-header');
    runner.send({ type: 'start', call: 'z', method: 'wirelab.lab.v1.LabService/Echo', messages: [{ nope: 1 }] });
    expect((await runner.next((m) => m.call === 'z' && m.type === 'error')).reason).toBe('bad-request-message');
    runner.send({ type: 'send', call: 'ghost', message: {} });
    expect((await runner.next((m) => m.call === 'ghost' && m.type === 'error')).reason).toBe('unknown-call');

    runner.send({ type: 'start', call: 'ok', method: 'wirelab.lab.v1.LabService/Echo', messages: [{ message: 'still open' }], end: true });
    const echoed = await runner.next((m) => m.call === 'ok' && m.type === 'message');
    expect(echoed.message.message).toBe('still open');
    expect(echoed.message.httpVersion).toBe('HTTP/2');
    await runner.close();
  });

  it('allows 4 channels per session; a fifth is closed with 1013', async () => {
    const session = await newSession(server.origin);
    const channels = [];
    for (let i = 0; i < 4; i++) {
      const channel = await RunnerClient.open(session);
      await channel.next((m) => m.type === 'hello');
      channels.push(channel);
    }
    const fifth = await RunnerClient.open(session);
    expect((await fifth.closedWith()).code).toBe(1013);
    await channels[0].close();
    // A closed channel frees its place (once the server has seen the close: until then, 1013).
    let again = await RunnerClient.open(session);
    for (let attempt = 0; attempt < 50; attempt++) {
      await again.next((m) => m.type === 'hello').catch(() => undefined);
      if (!again.closed) break;
      expect(again.closed.code).toBe(1013);
      again = await RunnerClient.open(session);
    }
    expect(again.messages[0]?.type).toBe('hello');
    await Promise.all([...channels.slice(1), again].map((c) => c.close()));
  });

  it('closes with 1009 on a control message over 256 KiB', async () => {
    const runner = await RunnerClient.open(await newSession(server.origin));
    runner.send({ type: 'send', call: 'big', message: { text: 'x'.repeat(300 * 1024) } });
    expect((await runner.closedWith()).code).toBe(1009);
  });

  it("gives the runner's h2c connection to the session: the inspector sees the client's HTTP/2 frames", async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const runner = await RunnerClient.open(session);
    const marker = `runner-marker-${Math.random().toString(36).slice(2)}`;
    runner.send({ type: 'start', call: 'e', method: 'wirelab.lab.v1.LabService/Echo', messages: [{ message: marker }], end: true });
    await runner.next((m) => m.call === 'e' && m.type === 'status');
    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'h2c' && capture.bytes(c.id, 'in').includes(marker)));
    const conn = capture.connections().find((c) => c.transport === 'h2c' && capture.bytes(c.id, 'in').includes(marker))!;
    expect(capture.bytes(conn.id, 'in').subarray(0, 24).toString('latin1')).toBe('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    await runner.close();
    await capture.close();
  });

  it('passes the bidi-chat exercise only for two messages in one call, not for two calls of one message each', async () => {
    const lesson = JSON.parse(readFileSync(new URL('../../lessons/04-grpc/lesson.json', import.meta.url), 'utf8')) as {
      exercises: Record<string, { check: Check }>;
    };
    const check = lesson.exercises['bidi-chat'].check;
    const chatMessages = (capture: CaptureClient): WireMessage[] => {
      const chunks = capture.chunks();
      return capture.connections<CapturedConnection>().flatMap(
        (connection) =>
          decodeConnection(
            connection,
            chunks.filter((chunk) => chunk.conn === connection.id).map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) })),
          ).messages ?? [],
      );
    };
    const chat = async (runner: RunnerTestClient, call: string, texts: string[]) => {
      runner.send({ type: 'start', call, method: '/wirelab.users.v1.UserService/Chat' });
      for (const text of texts) runner.send({ type: 'send', call, message: { userId: 1, text } });
      runner.send({ type: 'end', call });
      await runner.next((m) => m.call === call && m.type === 'status');
    };
    const requestsOf = (messages: WireMessage[]) =>
      messages.filter((m) => m.layer === 'grpc-message' && m.fields?.dir === 'request' && m.fields?.method === '/wirelab.users.v1.UserService/Chat');

    const apart = await newSession(server.origin);
    const apartCapture = await CaptureClient.open(server.origin, apart);
    const apartRunner = await RunnerClient.open(apart);
    await chat(apartRunner, 'first', ['one']);
    await chat(apartRunner, 'second', ['two']);
    await apartCapture.waitFor(() => requestsOf(chatMessages(apartCapture)).length === 2);
    expect(evaluateCheck(check, [], undefined, chatMessages(apartCapture)).passed).toBe(false);

    const together = await newSession(server.origin);
    const togetherCapture = await CaptureClient.open(server.origin, together);
    const togetherRunner = await RunnerClient.open(together);
    await chat(togetherRunner, 'both', ['one', 'two']);
    await togetherCapture.waitFor(() => requestsOf(chatMessages(togetherCapture)).length === 2);
    expect(evaluateCheck(check, [], undefined, chatMessages(togetherCapture)).passed).toBe(true);

    await Promise.all([apartRunner.close(), togetherRunner.close(), apartCapture.close(), togetherCapture.close()]);
  });
});
