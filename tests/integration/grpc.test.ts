import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type Client, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code as RpcCode } from '../../proto/gen/google/rpc/code_pb.ts';
import { BadRequestSchema, ErrorInfoSchema, ResourceInfoSchema, RetryInfoSchema } from '../../proto/gen/google/rpc/error_details_pb.ts';
import { Health, HealthCheckResponse_ServingStatus as Serving } from '../../proto/gen/grpc/health/v1/health_pb.ts';
import { ServerReflection } from '../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import { LabService } from '../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { ChatRequestSchema, Role, UserService, UserStatus, type ChatRequest } from '../../proto/gen/wirelab/users/v1/users_pb.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

type Kind = 'grpc (h2c)' | 'grpc-web (HTTP/1.1)' | 'connect json (HTTP/1.1)' | 'connect binary (HTTP/1.1)';
const KINDS: Kind[] = ['grpc (h2c)', 'grpc-web (HTTP/1.1)', 'connect json (HTTP/1.1)', 'connect binary (HTTP/1.1)'];

function transport(kind: Kind): Transport {
  const baseUrl = server.origin;
  switch (kind) {
    case 'grpc (h2c)':
      return createGrpcTransport({ baseUrl });
    case 'grpc-web (HTTP/1.1)':
      return createGrpcWebTransport({ baseUrl, httpVersion: '1.1' });
    case 'connect json (HTTP/1.1)':
      return createConnectTransport({ baseUrl, httpVersion: '1.1' });
    case 'connect binary (HTTP/1.1)':
      return createConnectTransport({ baseUrl, httpVersion: '1.1', useBinaryFormat: true });
  }
}

function users(kind: Kind): Client<typeof UserService> {
  return createClient(UserService, transport(kind));
}

function lab(kind: Kind): Client<typeof LabService> {
  return createClient(LabService, transport(kind));
}

/** The error a call failed with (fails the test if it succeeded). */
async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error('the call succeeded; it should have failed');
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

function uniqueSandbox(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}

describe('every protocol on the one port', () => {
  it.each(KINDS)('unary GetUser and Echo over %s', async (kind) => {
    const { user } = await users(kind).getUser({ key: { case: 'id', value: 1 } });
    expect(user?.name).toBe('Ada Lovelace');
    expect(user?.roles).toEqual([Role.ADMIN, Role.AUTHOR]);
    expect(user?.createdAt?.seconds).toBeGreaterThan(0n);

    const echo = await lab(kind).echo({ message: 'привет' }, { headers: { 'x-echo-lang': 'ru' } });
    expect(echo.message).toBe('привет');
    expect(echo.protocol).toBe(kind.startsWith('grpc-web') ? 'grpc-web' : kind.split(' ')[0]);
    expect(echo.httpVersion).toBe(kind === 'grpc (h2c)' ? 'HTTP/2' : 'HTTP/1.1');
    expect(echo.requestMetadata['x-echo-lang']).toBe('ru');
  });

  it.each(KINDS)('server streaming ListUsers over %s', async (kind) => {
    const messages = await collect(users(kind).listUsers({ maxUsers: 3, filter: { status: UserStatus.ACTIVE } }));
    expect(messages.map((m) => m.position)).toEqual([1, 2, 3]);
    expect(messages.every((m) => m.user?.status === UserStatus.ACTIVE)).toBe(true);
  });

  it.each(['grpc (h2c)', 'connect binary (HTTP/1.1)'] as Kind[])('client streaming CreateUsers over %s', async (kind) => {
    const sandbox = uniqueSandbox('cs');
    async function* requests() {
      yield { user: { name: 'Первый', email: 'first@example.com' } };
      yield { user: { name: 'Second', email: 'not-an-email' } };
      yield { user: { name: 'Third', email: 'third@example.com', roles: [Role.AUTHOR] } };
    }
    const summary = await users(kind).createUsers(requests(), { headers: { 'x-wirelab-sandbox': sandbox } });
    expect(summary.created).toBe(2);
    expect(summary.failed).toBe(1);
    expect(summary.results.map((r) => r.outcome.case)).toEqual(['user', 'error', 'user']);
    const failed = summary.results[1].outcome;
    expect(failed.case === 'error' && failed.value.code).toBe(Code.InvalidArgument);
  });

  it('bidi Chat over gRPC on h2c: the server speaks first, answers each message, and pushes user changes', async () => {
    const sandbox = uniqueSandbox('chat');
    const client = users('grpc (h2c)');
    const outgoing = new Outbox<ChatRequest>();
    const responses = client.chat(outgoing, { headers: { 'x-wirelab-sandbox': sandbox } })[Symbol.asyncIterator]();

    const first = await responses.next();
    expect(first.value?.event.case).toBe('notice');
    outgoing.push(create(ChatRequestSchema, { userId: 2, text: 'hello' }));
    const said = await responses.next();
    expect(said.value?.event).toMatchObject({ case: 'said', value: { userId: 2, userName: 'Alan Turing', text: 'hello' } });

    // A change to the sandbox's users made by another client appears in the open chat.
    const created = await users('connect json (HTTP/1.1)').createUser(
      { name: 'Newcomer', email: 'new@example.com' },
      { headers: { 'x-wirelab-sandbox': sandbox } },
    );
    const changed = await responses.next();
    expect(changed.value?.event).toMatchObject({ case: 'userChanged', value: { event: 'user.created', userId: created.user?.id } });

    outgoing.end();
    expect((await responses.next()).done).toBe(true);
  });
});

/** A request stream a test pushes into, message by message. */
class Outbox<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length > 0) yield this.items.shift()!;
      else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

describe('the same domain and sandbox as REST', () => {
  it('a user created over gRPC is in the REST API of the same sandbox, and only there', async () => {
    const sandbox = uniqueSandbox('same');
    const { user } = await users('grpc (h2c)').createUser(
      { name: 'Grace Again', email: 'grace.again@example.com', roles: [Role.REVIEWER], metadata: { team: 'navy' } },
      { headers: { 'x-wirelab-sandbox': sandbox } },
    );
    const rest = await fetch(`${server.origin}/api/v1/users/${user!.id}`, { headers: { 'x-wirelab-sandbox': sandbox } });
    expect(rest.status).toBe(200);
    expect(await rest.json()).toMatchObject({ id: user!.id, email: 'grace.again@example.com', roles: ['reviewer'], metadata: { team: 'navy' } });
    const shared = await fetch(`${server.origin}/api/v1/users?q=grace.again`);
    expect((await shared.json()).items).toEqual([]);
  });
});

describe('errors as gRPC statuses with details', () => {
  it.each(['grpc (h2c)', 'connect json (HTTP/1.1)', 'grpc-web (HTTP/1.1)'] as Kind[])('NOT_FOUND with ErrorInfo and ResourceInfo over %s', async (kind) => {
    const error = await failure(users(kind).getUser({ key: { case: 'id', value: 9999 } }));
    expect(error.code).toBe(Code.NotFound);
    const [info] = error.findDetails(ErrorInfoSchema);
    expect(info).toMatchObject({ reason: 'USER_NOT_FOUND', domain: 'wirelab.dev', metadata: { id: '9999' } });
    expect(error.findDetails(ResourceInfoSchema)[0]?.resourceName).toBe('users/9999');
  });

  it('INVALID_ARGUMENT with one BadRequest violation per bad field, in proto paths', async () => {
    const error = await failure(users('grpc (h2c)').createUser({ name: 'X', email: 'nope', roles: [Role.AUTHOR, 7 as Role] }));
    expect(error.code).toBe(Code.InvalidArgument);
    const fields = error.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['roles[1]']));
    const domainError = await failure(users('grpc (h2c)').createUser({ name: 'X', email: 'nope' }));
    expect(domainError.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual(['email']);
  });

  it('ALREADY_EXISTS for a taken email', async () => {
    const error = await failure(
      users('grpc (h2c)').createUser({ name: 'Ada', email: 'ADA@example.com' }, { headers: { 'x-wirelab-sandbox': uniqueSandbox('dup') } }),
    );
    expect(error.code).toBe(Code.AlreadyExists);
    expect(error.findDetails(ErrorInfoSchema)[0]?.reason).toBe('EMAIL_TAKEN');
  });
});

describe('LabService demonstrations', () => {
  it.each(['grpc (h2c)', 'connect json (HTTP/1.1)'] as Kind[])(
    'DEADLINE_EXCEEDED when Slow outlives the deadline over %s, and RecentCalls records it',
    async (kind) => {
      const sandbox = uniqueSandbox('slow');
      // The client's own timer gives up at its deadline too.
      expect((await failure(lab(kind).slow({ millis: 5000 }, { timeoutMs: 300 }))).code).toBe(Code.DeadlineExceeded);

      // The deadline as bare metadata: the client does not time out by itself, so only the
      // server's timer can end the call.
      const deadline: Record<string, string> = kind === 'grpc (h2c)' ? { 'grpc-timeout': '300m' } : { 'connect-timeout-ms': '300' };
      const error = await failure(lab(kind).slow({ millis: 5000 }, { headers: { 'x-wirelab-sandbox': sandbox, ...deadline } }));
      expect(error.code).toBe(Code.DeadlineExceeded);
      // The server's own record of the call: the handler was stopped by the deadline.
      await waitFor(async () => {
        const { calls } = await lab(kind).recentCalls({ limit: 5 }, { headers: { 'x-wirelab-sandbox': sandbox } });
        const slow = calls.find((c) => c.procedure === '/wirelab.lab.v1.LabService/Slow');
        return (slow?.code as number | undefined) === Code.DeadlineExceeded && slow?.deadline !== undefined;
      });
    },
  );

  it('ServerStats: UNAUTHENTICATED without a token, PERMISSION_DENIED for a student, OK for a teacher', async () => {
    const client = lab('grpc (h2c)');
    const anonymous = await failure(client.serverStats({}));
    expect(anonymous.code).toBe(Code.Unauthenticated);
    expect(anonymous.metadata.get('www-authenticate')).toMatch(/^Bearer/);
    const student = await failure(client.serverStats({}, { headers: { authorization: 'Bearer wirelab-student' } }));
    expect(student.code).toBe(Code.PermissionDenied);
    const teacher = await client.serverStats({}, { headers: { authorization: 'Bearer wirelab-teacher' } });
    expect(teacher.subject).toBe('teacher');
    expect(teacher.callsServed).toBeGreaterThan(0);
  });

  it('Flaky fails UNAVAILABLE with RetryInfo as often as asked, then succeeds', async () => {
    const client = lab('connect binary (HTTP/1.1)');
    const key = uniqueSandbox('flaky');
    for (const attempt of [1, 2]) {
      const error = await failure(client.flaky({ key, failures: 2 }));
      expect(error.code).toBe(Code.Unavailable);
      expect(error.rawMessage).toContain(`attempt ${attempt}`);
      expect(error.findDetails(RetryInfoSchema)[0]?.retryDelay).toBeDefined();
    }
    expect((await client.flaky({ key, failures: 2 })).attempt).toBe(3);
  });

  it('Fail answers exactly the status asked for, with details', async () => {
    const error = await failure(lab('grpc-web (HTTP/1.1)').fail({ code: RpcCode.RESOURCE_EXHAUSTED, withDetails: true }));
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.findDetails(ErrorInfoSchema)[0]?.reason).toBe('DEMO_RESOURCE_EXHAUSTED');
  });

  it('Ticks cancelled by the client is recorded as cancelled', async () => {
    const sandbox = uniqueSandbox('ticks');
    const abort = new AbortController();
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const tick of lab('grpc (h2c)').ticks({ count: 100, intervalMs: 50 }, { signal: abort.signal, headers: { 'x-wirelab-sandbox': sandbox } })) {
          seen.push(tick.tick);
          if (tick.tick === 2) abort.abort();
        }
      })(),
    );
    expect(error.code).toBe(Code.Canceled);
    expect(seen).toEqual([1, 2]);
    await waitFor(async () => {
      const { calls } = await lab('grpc (h2c)').recentCalls({}, { headers: { 'x-wirelab-sandbox': sandbox } });
      return calls.some((c) => c.procedure.endsWith('/Ticks') && c.cancelledByClient);
    });
  });
});

describe('deadlines on a server stream', () => {
  it('Ticks past its deadline ends DEADLINE_EXCEEDED after the ticks that fit, and is recorded so', async () => {
    const sandbox = uniqueSandbox('tickdl');
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const tick of lab('grpc (h2c)').ticks(
          { count: 100, intervalMs: 100 },
          { headers: { 'x-wirelab-sandbox': sandbox, 'grpc-timeout': '250m' } },
        ))
          seen.push(tick.tick);
      })(),
    );
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(100);
    await waitFor(async () => {
      const { calls } = await lab('grpc (h2c)').recentCalls({}, { headers: { 'x-wirelab-sandbox': sandbox } });
      const ticks = calls.find((c) => c.procedure.endsWith('/Ticks'));
      return (ticks?.code as number | undefined) === Code.DeadlineExceeded && !ticks?.cancelledByClient;
    });
  });
});

describe('health and reflection', () => {
  it('Check answers SERVING, NOT_FOUND for an unknown service', async () => {
    const health = createClient(Health, transport('grpc (h2c)'));
    expect((await health.check({ service: '' })).status).toBe(Serving.SERVING);
    expect((await health.check({ service: 'wirelab.users.v1.UserService' })).status).toBe(Serving.SERVING);
    expect((await failure(health.check({ service: 'no.such.Service' }))).code).toBe(Code.NotFound);
  });

  it('Watch streams the status now, then each change', async () => {
    const health = createClient(Health, transport('grpc (h2c)'));
    const abort = new AbortController();
    const watch = health.watch({ service: 'wirelab.lab.v1.LabService' }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await watch.next()).value?.status).toBe(Serving.SERVING);
    server.app.grpc.health.set('wirelab.lab.v1.LabService', Serving.NOT_SERVING);
    try {
      expect((await watch.next()).value?.status).toBe(Serving.NOT_SERVING);
    } finally {
      server.app.grpc.health.set('wirelab.lab.v1.LabService', Serving.SERVING);
    }
    expect((await watch.next()).value?.status).toBe(Serving.SERVING);
    abort.abort();
  });

  it('reflection lists the services and gives the file of a symbol', async () => {
    const reflection = createClient(ServerReflection, transport('grpc (h2c)'));
    async function* ask() {
      yield { messageRequest: { case: 'listServices' as const, value: '' } };
      yield { messageRequest: { case: 'fileContainingSymbol' as const, value: 'wirelab.users.v1.UserService' } };
    }
    const [list, file] = await collect(reflection.serverReflectionInfo(ask()));
    const names = list.messageResponse.case === 'listServicesResponse' ? list.messageResponse.value.service.map((s) => s.name) : [];
    expect(names).toEqual(
      expect.arrayContaining(['wirelab.users.v1.UserService', 'wirelab.lab.v1.LabService', 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection']),
    );
    expect(file.messageResponse.case).toBe('fileDescriptorResponse');
    const protos = file.messageResponse.case === 'fileDescriptorResponse' ? file.messageResponse.value.fileDescriptorProto : [];
    // The file itself first, then its imports.
    expect(Buffer.from(protos[0]).toString('latin1')).toContain('wirelab/users/v1/users.proto');
    expect(protos.length).toBeGreaterThan(3);
  });
});

describe('REST transcoding from google.api.http', () => {
  it('GET /v1/users/{id} and POST /v1/users', async () => {
    const sandbox = uniqueSandbox('tc');
    const got = await fetch(`${server.origin}/v1/users/4`, { headers: { 'x-wirelab-sandbox': sandbox } });
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ user: { id: 4, name: 'Андрей Ершов', status: 'USER_STATUS_ACTIVE', roles: ['ROLE_AUTHOR'] } });

    const posted = await fetch(`${server.origin}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': sandbox },
      body: JSON.stringify({ name: 'Transcoded', email: 'tc@example.com', roles: ['ROLE_READER'] }),
    });
    expect(posted.status).toBe(200);
    const { user } = await posted.json();
    const viaGrpc = await users('grpc (h2c)').getUser({ key: { case: 'id', value: user.id } }, { headers: { 'x-wirelab-sandbox': sandbox } });
    expect(viaGrpc.user?.email).toBe('tc@example.com');
  });

  it('PATCH and DELETE with path variables; query parameters for ListUsers (newline-delimited JSON)', async () => {
    const sandbox = uniqueSandbox('tc');
    const headers = { 'content-type': 'application/json', 'x-wirelab-sandbox': sandbox };
    const patched = await fetch(`${server.origin}/v1/users/2`, { method: 'PATCH', headers, body: JSON.stringify({ name: 'A. M. Turing' }) });
    expect((await patched.json()).user).toMatchObject({ id: 2, name: 'A. M. Turing', version: 2 });
    const deleted = await fetch(`${server.origin}/v1/users/3`, { method: 'DELETE', headers: { 'x-wirelab-sandbox': sandbox } });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({});

    const listed = await fetch(`${server.origin}/v1/users?max_users=20&filter.status=USER_STATUS_INACTIVE`, { headers });
    expect(listed.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await listed.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.result.user.id)).toEqual([6, 9]);
  });

  it('errors are google.rpc.Status JSON with the HTTP status of the gRPC code', async () => {
    const missing = await fetch(`${server.origin}/v1/users/9999`);
    expect(missing.status).toBe(404);
    const status = await missing.json();
    expect(status).toMatchObject({ code: Code.NotFound, message: expect.stringContaining('9999') });
    expect(status.details[0]).toMatchObject({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'USER_NOT_FOUND' });

    const invalid = await fetch(`${server.origin}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"X","email":"bad"}',
    });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).details[0]).toMatchObject({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'email' }] });

    const unknownField = await fetch(`${server.origin}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"nickname":"x"}',
    });
    expect(unknownField.status).toBe(400);
    expect((await unknownField.json()).code).toBe(Code.InvalidArgument);

    const badQuery = await fetch(`${server.origin}/v1/users?colour=red`);
    expect(badQuery.status).toBe(400);

    const tooLarge = await fetch(`${server.origin}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Big', email: 'big@example.com', metadata: { note: 'x'.repeat(70 * 1024) } }),
    });
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).code).toBe(Code.ResourceExhausted);

    const notJson = await fetch(`${server.origin}/v1/users`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(notJson.status).toBe(415);
    expect((await notJson.json()).code).toBe(Code.InvalidArgument);
  });
});

describe('limits', () => {
  it.each(['grpc (h2c)', 'connect binary (HTTP/1.1)'] as Kind[])(
    'a request message over 1 MiB gets RESOURCE_EXHAUSTED over %s, and the server goes on serving',
    async (kind) => {
      const client = lab(kind);
      const error = await failure(client.echo({ message: 'x'.repeat(1024 * 1024 + 10) }));
      expect(error.code).toBe(Code.ResourceExhausted);
      expect((await client.echo({ message: 'still here' })).message).toBe('still here');
      expect((await users('grpc (h2c)').getUser({ key: { case: 'id', value: 1 } })).user?.id).toBe(1);
    },
  );

  it('a deadline over 5 minutes is refused', async () => {
    const error = await failure(lab('grpc (h2c)').slow({ millis: 1 }, { timeoutMs: 6 * 60_000 }));
    expect(error.code).toBe(Code.InvalidArgument);
  });
});

describe('the byte tap and native gRPC', () => {
  it('records the h2c connection of a gRPC client for the session it names', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const marker = `tap-marker-${Math.random().toString(36).slice(2)}`;
    const client = createClient(LabService, createGrpcTransport({ baseUrl: server.origin }));
    const echo = await client.echo({ message: marker }, { headers: { 'x-wirelab-sandbox': session } });
    expect(echo.message).toBe(marker);

    await capture.waitFor(() => capture.connections().some((c) => c.transport === 'h2c' && capture.bytes(c.id, 'out').includes(marker)));
    const conn = capture.connections().find((c) => c.transport === 'h2c' && capture.bytes(c.id, 'out').includes(marker))!;
    const sent = capture.bytes(conn.id, 'in');
    expect(sent.subarray(0, 24).toString('latin1')).toBe('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    // The request's DATA frame carries the gRPC message: a 5-byte prefix, then the protobuf.
    expect(sent.includes(marker)).toBe(true);
    await capture.close();
  });
});

describe('shutdown', () => {
  it('turns health NOT_SERVING for watchers, then ends the open streams with UNAVAILABLE and closes', async () => {
    const own = await startServer();
    const health = createClient(Health, createGrpcTransport({ baseUrl: own.origin }));
    const statuses: Serving[] = [];
    const watched = (async () => {
      for await (const { status } of health.watch({ service: '' })) statuses.push(status);
    })();
    await waitFor(async () => statuses.length === 1);
    const closing = own.close();
    const error = await failure(watched);
    expect(statuses).toEqual([Serving.SERVING, Serving.NOT_SERVING]);
    expect(error.code).toBe(Code.Unavailable);
    await closing;
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
