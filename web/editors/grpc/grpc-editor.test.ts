import { describe, expect, it, vi } from 'vitest';
import { Ajv } from 'ajv';
import { create, ScalarType, toBinary, toJson, type DescMessage } from '@bufbuild/protobuf';
import { ConnectError, Code } from '@connectrpc/connect';
import { ErrorInfoSchema, BadRequestSchema } from '../../../proto/gen/google/rpc/error_details_pb.ts';
import { parseGrpcCell, parseMetadataLines, metadataToLines, GRPC_MAX_TIMEOUT_MS } from './grpc-cell-config.ts';
import { allServices, browserCanCall, findMethod, grpcRegistry, methodPath } from './method-catalog.ts';
import { requestJsonSchema, scalarSchema } from './request-json-schema.ts';
import { detailHeadline, grpcCodeName, statusOfError } from './call-status.ts';
import { appendEvent, applyRunnerMessage, emptyLog, MAX_LOGGED_MESSAGES, parseRunnerMessage, type CallLog, type RunnerServerMessage } from './call-log.ts';
import { runnerUrl } from './runner-channel.ts';
import { CLIENT_DEADLINE_GRACE_MS, clientDeadline } from './run-call.ts';
import { grpcEditorStrings } from './strings.ts';

describe('gRPC cell file', () => {
  it('reads a full cell and fills the defaults of a short one', () => {
    const full = parseGrpcCell(
      JSON.stringify({
        method: '/wirelab.lab.v1.LabService/Slow',
        protocol: 'grpc-web',
        request: { millis: 2000 },
        metadata: { 'x-echo-a': '1' },
        timeoutMs: 500,
      }),
    );
    expect(full).toEqual({
      ok: true,
      config: { method: 'wirelab.lab.v1.LabService/Slow', protocol: 'grpc-web', request: { millis: 2000 }, metadata: { 'x-echo-a': '1' }, timeoutMs: 500 },
    });
    const short = parseGrpcCell('{ "method": "wirelab.users.v1.UserService/GetUser" }');
    expect(short).toEqual({ ok: true, config: { method: 'wirelab.users.v1.UserService/GetUser', protocol: 'connect-json', request: {}, metadata: {} } });
  });

  it('names every problem of a malformed cell', () => {
    expect(parseGrpcCell('{ nope')).toMatchObject({ ok: false, problems: [expect.stringContaining('not valid JSON')] });
    expect(parseGrpcCell('[]')).toMatchObject({ ok: false, problems: ['the cell must be a JSON object'] });
    const bad = parseGrpcCell(
      JSON.stringify({
        method: 'GetUser',
        protocol: 'grpc',
        request: [],
        metadata: { 'X-Upper': 'a', ok: 1 },
        timeoutMs: GRPC_MAX_TIMEOUT_MS + 1,
        extra: true,
      }),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      'unknown field "extra"',
      expect.stringContaining('"method"'),
      expect.stringContaining('"protocol"'),
      expect.stringContaining('"request"'),
      'metadata name "X-Upper" must be a lower-case header name',
      'metadata "ok" must be a string',
      expect.stringContaining('"timeoutMs"'),
    ]);
  });

  it('reads metadata lines and writes them back', () => {
    expect(parseMetadataLines('# a comment\nAuthorization: Bearer wirelab-teacher\n\nx-echo-lang:ru')).toEqual({
      ok: true,
      metadata: { authorization: 'Bearer wirelab-teacher', 'x-echo-lang': 'ru' },
    });
    expect(parseMetadataLines('x: 1\nno colon')).toEqual({ ok: false, line: 2, problem: 'syntax' });
    expect(parseMetadataLines('bad name: 1')).toEqual({ ok: false, line: 1, problem: 'name' });
    // gRPC text values are printable ASCII; fetch would throw a bare TypeError on some of the rest
    expect(parseMetadataLines('x-ok: 1\nx-student: Ада')).toEqual({ ok: false, line: 2, problem: 'value' });
    expect(metadataToLines({ a: '1', 'x-b': 'two words' })).toBe('a: 1\nx-b: two words');
  });
});

describe('method catalog', () => {
  it('finds every method of the served services, and knows which fetch can call', () => {
    const names = allServices().map((service) => service.typeName);
    expect(names).toEqual(expect.arrayContaining(['wirelab.users.v1.UserService', 'wirelab.lab.v1.LabService', 'grpc.health.v1.Health']));
    const getUser = findMethod('/wirelab.users.v1.UserService/GetUser');
    expect(getUser && methodPath(getUser)).toBe('wirelab.users.v1.UserService/GetUser');
    expect(browserCanCall(getUser!)).toBe(true);
    expect(browserCanCall(findMethod('wirelab.lab.v1.LabService/Ticks')!)).toBe(true);
    expect(browserCanCall(findMethod('wirelab.users.v1.UserService/CreateUsers')!)).toBe(false);
    expect(browserCanCall(findMethod('wirelab.users.v1.UserService/Chat')!)).toBe(false);
    expect(findMethod('wirelab.users.v1.UserService/Nope')).toBeUndefined();
    expect(findMethod('not a path')).toBeUndefined();
  });
});

describe('JSON Schema of a request message', () => {
  // Monaco's JSON language service reads draft 7; ajv (draft 7 by default) checks the same schema here.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validatorOf = (message: DescMessage) => ajv.compile(requestJsonSchema(message) as object);
  const input = (path: string) => findMethod(path)!.input;

  it('accepts what protobuf-es itself writes as JSON, for every input type of every service', () => {
    for (const service of allServices()) {
      for (const method of service.methods) {
        const validate = validatorOf(method.input);
        const json = toJson(method.input, create(method.input), { alwaysEmitImplicit: true, registry: grpcRegistry() });
        expect(validate(json), `${methodPath(method)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });

  it('knows enums by name, maps, oneofs, 64-bit integers, proto names and unknown fields', () => {
    const createUser = validatorOf(input('wirelab.users.v1.UserService/CreateUser'));
    expect(createUser({ name: 'Ada', email: 'ada@example.com', status: 'USER_STATUS_ACTIVE', roles: ['ROLE_ADMIN', 2], metadata: { team: 'core' } })).toBe(
      true,
    );
    expect(createUser({ status: 'ACTIVE' })).toBe(false);
    expect(createUser({ metadata: { team: 1 } })).toBe(false);
    expect(createUser({ nickname: 'x' })).toBe(false);

    const getUser = validatorOf(input('wirelab.users.v1.UserService/GetUser'));
    expect(getUser({ id: 1 })).toBe(true);
    expect(getUser({ email: 'a@b.c' })).toBe(true);
    expect(getUser({ id: 1, email: 'a@b.c' })).toBe(false);
    expect(getUser({ id: -1 })).toBe(false);

    const listUsers = validatorOf(input('wirelab.users.v1.UserService/ListUsers'));
    expect(listUsers({ max_users: 3, filter: { status: 'USER_STATUS_ACTIVE' } })).toBe(true);
    expect(listUsers({ maxUsers: 3, filter: { status: 'NOPE' } })).toBe(false);

    const schema = requestJsonSchema(input('wirelab.users.v1.UserService/ListUsers'));
    const root = schema.definitions!['wirelab.users.v1.ListUsersRequest'];
    expect(root.properties!.maxUsers.doNotSuggest).toBeUndefined();
    expect(root.properties!.max_users.doNotSuggest).toBe(true);
    expect(root.properties!.maxUsers.description).toBe('2 max_users: uint32');
  });

  it('writes the well-known types in their JSON forms', () => {
    const user = requestJsonSchema(findMethod('wirelab.users.v1.UserService/GetUser')!.output).definitions!['wirelab.users.v1.User'];
    expect(user.properties!.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
    const stats = requestJsonSchema(findMethod('wirelab.lab.v1.LabService/ServerStats')!.output).definitions!['wirelab.lab.v1.ServerStatsResponse'];
    const validate = ajv.compile({ ...(stats.properties!.uptime as object) });
    expect(validate('1.5s')).toBe(true);
    expect(validate('90 seconds')).toBe(false);
    const int64 = ajv.compile(scalarSchema(ScalarType.INT64) as object);
    expect([int64('-9007199254740993'), int64(5), int64('12a'), int64(1.5)]).toEqual([true, true, false, false]);
    const uint64 = ajv.compile(scalarSchema(ScalarType.UINT64) as object);
    expect([uint64('18446744073709551615'), uint64('-1')]).toEqual([true, false]);
  });
});

describe('status and details', () => {
  const registry = grpcRegistry();

  it('names the codes as gRPC does', () => {
    expect(grpcCodeName(0)).toBe('OK');
    expect(grpcCodeName(1)).toBe('CANCELLED');
    expect(grpcCodeName(4)).toBe('DEADLINE_EXCEEDED');
    expect(grpcCodeName(16)).toBe('UNAUTHENTICATED');
    expect(grpcCodeName(42)).toBe('UNKNOWN_CODE_42');
  });

  it('decodes received google.rpc details, and keeps unknown ones as base64', () => {
    const info = create(ErrorInfoSchema, { reason: 'USER_NOT_FOUND', domain: 'wirelab.dev', metadata: { id: '999' } });
    const error = new ConnectError('user 999 not found', Code.NotFound);
    error.details = [
      { type: 'google.rpc.ErrorInfo', value: toBinary(ErrorInfoSchema, info) },
      { type: 'example.Unknown', value: new Uint8Array([1, 2, 3]) },
    ];
    const status = statusOfError(error, registry);
    expect(status).toEqual({
      code: 5,
      name: 'NOT_FOUND',
      message: 'user 999 not found',
      details: [
        { type: 'google.rpc.ErrorInfo', json: { reason: 'USER_NOT_FOUND', domain: 'wirelab.dev', metadata: { id: '999' } } },
        { type: 'example.Unknown', base64: 'AQID' },
      ],
    });
    expect(detailHeadline(status.details[0])).toBe('ErrorInfo: USER_NOT_FOUND @ wirelab.dev');
    expect(detailHeadline(status.details[1])).toBe('example.Unknown');
    const badRequest = toJson(BadRequestSchema, create(BadRequestSchema, { fieldViolations: [{ field: 'email', description: 'x' }, { field: 'roles[2]' }] }));
    expect(detailHeadline({ type: 'google.rpc.BadRequest', json: badRequest })).toBe('BadRequest: email, roles[2]');
  });
});

describe('call log and the runner', () => {
  const t0 = 1_732_260_000_000;
  const messages: RunnerServerMessage[] = [
    { type: 'started', call: 'c1', t: t0 },
    { type: 'sent', call: 'c1', index: 0, t: t0 + 2 },
    { type: 'headers', call: 'c1', headers: { 'content-type': 'application/grpc+proto' }, t: t0 + 5 },
    { type: 'message', call: 'c1', index: 0, message: { said: { text: 'hi' } }, t: t0 + 6 },
    { type: 'ended', call: 'c1', t: t0 + 9 },
    {
      type: 'status',
      call: 'c1',
      code: 1,
      name: 'CANCELLED',
      message: 'cancelled by the client',
      details: [
        { type: 'google.rpc.ErrorInfo', value: { reason: 'X' } },
        { type: 'x.Y', base64: 'AA==' },
      ],
      trailers: { 'x-wirelab-duration-ms': '12' },
      durationMs: 12,
      t: t0 + 12,
    },
  ];

  it('turns the runner messages of a call into its log, timed from its start', () => {
    let log = emptyLog();
    let startedAt: number | null = null;
    for (const message of messages) ({ log, startedAt } = applyRunnerMessage(log, message, startedAt, [{ text: 'hi' }]));
    expect(log.done).toBe(true);
    expect(log.events).toEqual([
      { kind: 'started', at: 0 },
      { kind: 'sent', index: 0, message: { text: 'hi' }, at: 2 },
      { kind: 'headers', headers: [['content-type', 'application/grpc+proto']], at: 5 },
      { kind: 'message', index: 0, message: { said: { text: 'hi' } }, at: 6 },
      { kind: 'ended', at: 9 },
      {
        kind: 'status',
        status: {
          code: 1,
          name: 'CANCELLED',
          message: 'cancelled by the client',
          details: [
            { type: 'google.rpc.ErrorInfo', json: { reason: 'X' } },
            { type: 'x.Y', base64: 'AA==' },
          ],
        },
        trailers: [['x-wirelab-duration-ms', '12']],
        at: 12,
      },
    ]);
  });

  it('shows as trailers of a failed runner call only what did not come as its response headers', () => {
    let log = emptyLog();
    let startedAt: number | null = null;
    const failed: RunnerServerMessage[] = [
      messages[0],
      { type: 'headers', call: 'c1', headers: { 'content-type': 'application/grpc+proto', date: 'Mon, 23 Nov 2026 14:00:00 GMT' }, t: t0 + 5 },
      {
        ...(messages[5] as Extract<RunnerServerMessage, { type: 'status' }>),
        trailers: { 'content-type': 'application/grpc+proto', date: 'Mon, 23 Nov 2026 14:00:00 GMT', 'grpc-status': '1', 'x-wirelab-duration-ms': '12' },
      },
    ];
    for (const message of failed) ({ log, startedAt } = applyRunnerMessage(log, message, startedAt));
    expect(log.events.at(-1)).toMatchObject({
      kind: 'status',
      trailers: [
        ['grpc-status', '1'],
        ['x-wirelab-duration-ms', '12'],
      ],
    });
  });

  it('labels a Trailers-Only answer as one frame: content-type among the headers, never among the trailers', () => {
    let log = emptyLog();
    let startedAt: number | null = null;
    const trailersOnly: RunnerServerMessage[] = [
      messages[0],
      { type: 'headers', call: 'c1', headers: { 'content-type': 'application/grpc' }, trailersOnly: true, t: t0 + 5 },
      {
        ...(messages[5] as Extract<RunnerServerMessage, { type: 'status' }>),
        code: 12,
        name: 'UNIMPLEMENTED',
        trailers: { 'grpc-status': '12', 'grpc-message': 'Method not found!' },
        trailersOnly: true,
      },
    ];
    for (const message of trailersOnly) ({ log, startedAt } = applyRunnerMessage(log, message, startedAt));
    expect(log.events[1]).toEqual({ kind: 'headers', headers: [['content-type', 'application/grpc']], at: 5, trailersOnly: true });
    expect(log.events[2]).toMatchObject({
      kind: 'status',
      trailersOnly: true,
      trailers: [
        ['grpc-status', '12'],
        ['grpc-message', 'Method not found!'],
      ],
    });
    // an ordinary answer stays unmarked
    expect(applyRunnerMessage(emptyLog(), messages[2], t0).log.events[0]).not.toHaveProperty('trailersOnly');
  });

  it('explains Trailers-Only in both languages', () => {
    for (const lang of ['en', 'ru'] as const) {
      expect(grpcEditorStrings[lang].trailersOnlyNote).toMatch(/Trailers-Only/);
      expect(grpcEditorStrings[lang].trailersOnlyNote).toMatch(/HEADERS/);
      expect(grpcEditorStrings[lang].trailersOnlyNote).toMatch(/content-type/);
    }
    expect(grpcEditorStrings.ru.trailersOnlyNote).toMatch(/кадр/);
  });

  it('ends a call on an error before it started, not on an error about one message', () => {
    const error: RunnerServerMessage = { type: 'error', call: 'c1', reason: 'unknown-method', message: { en: 'no such method', ru: 'нет такого метода' } };
    expect(applyRunnerMessage(emptyLog(), error, null).log.done).toBe(true);
    const running = applyRunnerMessage(emptyLog(), messages[0], null);
    const afterBadMessage = applyRunnerMessage(running.log, { ...error, reason: 'bad-request-message' }, running.startedAt);
    expect(afterBadMessage.log.done).toBe(false);
    expect(afterBadMessage.log.events.at(-1)).toEqual({ kind: 'error', text: error.message, at: 0 });
  });

  it('reads only well-formed runner messages', () => {
    expect(parseRunnerMessage(JSON.stringify(messages[3]))).toEqual(messages[3]);
    expect(parseRunnerMessage('not json')).toBeNull();
    expect(parseRunnerMessage('{"type":"message","index":0}')).toBeNull();
    expect(parseRunnerMessage('{"type":"surprise","call":"c1","t":1}')).toBeNull();
    expect(parseRunnerMessage('{"type":"error","reason":"bad-json","message":{"en":"a","ru":"б"}}')).toMatchObject({ reason: 'bad-json' });
  });

  it(`keeps the newest ${MAX_LOGGED_MESSAGES} messages of a long stream`, () => {
    let log: CallLog = appendEvent(emptyLog(), { kind: 'headers', headers: [], at: 0 });
    for (let index = 0; index < MAX_LOGGED_MESSAGES + 3; index++) log = appendEvent(log, { kind: 'message', index, message: index, at: index });
    const kept = log.events.filter((event) => event.kind === 'message');
    expect(kept).toHaveLength(MAX_LOGGED_MESSAGES);
    expect(kept[0]).toMatchObject({ index: 3 });
    expect(log.events[0].kind).toBe('headers');
    expect(log.droppedMessages).toBe(3);
  });

  it('opens the runner on the page’s own host', () => {
    expect(runnerUrl({ protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/_wirelab/grpc-runner');
    expect(runnerUrl({ protocol: 'https:', host: 'lab.example' })).toBe('wss://lab.example/_wirelab/grpc-runner');
  });

  it('opens the own-server runner with the student’s target, for “my server”', () => {
    expect(runnerUrl({ protocol: 'http:', host: 'localhost:8080' }, ' 127.0.0.1:50051 ')).toBe(
      'ws://localhost:8080/_wirelab/own-server/grpc-runner?target=127.0.0.1%3A50051',
    );
    expect(runnerUrl({ protocol: 'https:', host: 'lab.example' }, '[::1]:50051')).toBe(
      'wss://lab.example/_wirelab/own-server/grpc-runner?target=%5B%3A%3A1%5D%3A50051',
    );
  });
});

describe('strings', () => {
  it('has the same keys in both languages', () => {
    expect(Object.keys(grpcEditorStrings.ru).sort()).toEqual(Object.keys(grpcEditorStrings.en).sort());
    expect(Object.keys(grpcEditorStrings.ru.kinds).sort()).toEqual(Object.keys(grpcEditorStrings.en.kinds).sort());
  });
});

describe('the client side of a deadline', () => {
  it('sends the protocol’s header and gives up only after a grace period', () => {
    vi.useFakeTimers();
    try {
      const connect = new Headers();
      const outer = new AbortController();
      const deadline = clientDeadline('connect-json', 500, connect, outer.signal);
      expect(connect.get('connect-timeout-ms')).toBe('500');
      vi.advanceTimersByTime(500 + CLIENT_DEADLINE_GRACE_MS - 1);
      expect(deadline.signal.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(deadline.signal.aborted).toBe(true);
      expect(deadline.signal.reason).toMatchObject({ code: Code.DeadlineExceeded });

      const grpcWeb = new Headers();
      const cancelled = clientDeadline('grpc-web', 250, grpcWeb, outer.signal);
      expect(grpcWeb.get('grpc-timeout')).toBe('250m');
      outer.abort(new Error('cancel button'));
      expect(cancelled.signal.aborted).toBe(true);
      cancelled.clear();

      const none = new Headers();
      const untouched = new AbortController();
      expect(clientDeadline('connect-binary', undefined, none, untouched.signal).signal).toBe(untouched.signal);
      expect([...none]).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
