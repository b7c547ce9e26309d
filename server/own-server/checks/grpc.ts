// "Check my server" for gRPC: wirelab.users.v1.UserService from proto/ over h2c, the standard
// health service, deadlines and unknown methods; gRPC-Web, Connect and server reflection are
// reported as "not offered" when the server does not speak them — never as a pass.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { CreateUserRequestSchema, GetUserRequestSchema, GetUserResponseSchema, ListUsersRequestSchema } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { HealthCheckRequestSchema, HealthCheckResponseSchema, HealthCheckResponse_ServingStatus } from '../../../proto/gen/grpc/health/v1/health_pb.ts';
import { ServerReflectionRequestSchema, ServerReflectionResponseSchema } from '../../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import { defineSuite, notOffered, passed, verdict, type CheckDefinition, type SuiteContext } from '../check-kit.ts';
import { grpcCall, frameMessage } from '../grpc-client.ts';
import { httpExchange, mediaType, parseJson, type HttpAnswer, type HttpRequestSpec } from '../http-exchange.ts';
import { moreGrpcChecks } from './grpc-streams.ts';
import { validationChecks } from './grpc-validation.ts';
import { SERVICE, STATUS, createThroughGrpc, deleteThroughGrpc, noUser, statusIs, statusName, type GrpcState } from './grpc-calls.ts';

const serviceChecks: CheckDefinition<GrpcState>[] = [
  {
    id: 'create-user-ok',
    name: { en: 'CreateUser answers OK with the new user', ru: 'CreateUser отвечает OK и новым пользователем' },
    expected: {
      en: 'grpc-status 0 in the trailers, a CreateUserResponse with a user id',
      ru: 'grpc-status 0 в трейлерах, CreateUserResponse с id пользователя',
    },
    why: {
      clause: 'gRPC over HTTP/2 (PROTOCOL-HTTP2.md): Response',
      text: {
        en: 'A gRPC answer is HTTP 200, length-prefixed messages, and the real outcome in the trailers: grpc-status 0 is OK.',
        ru: 'Ответ gRPC — это HTTP 200, сообщения с префиксом длины и настоящий итог в трейлерах: grpc-status 0 — это OK.',
      },
    },
    async run(_context, state) {
      if (!state.created) return noUser(state);
      return verdict(state.created.sent, state.created.got, [
        [state.created.httpStatus === 200, { en: `HTTP status ${state.created.httpStatus}, not 200`, ru: `HTTP-статус ${state.created.httpStatus}, а не 200` }],
        statusIs(state.created, STATUS.OK),
        [state.userId !== null && state.userId > 0, { en: 'the response has no user with an id', ru: 'в ответе нет пользователя с id' }],
      ]);
    },
  },
  {
    id: 'get-user-ok',
    name: { en: 'GetUser reads the created user', ru: 'GetUser читает созданного пользователя' },
    expected: { en: 'OK and the same email', ru: 'OK и тот же email' },
    why: {
      clause: 'users.proto: GetUser',
      text: { en: 'The contract: GetUser by id returns that user.', ru: 'Контракт: GetUser по id возвращает этого пользователя.' },
    },
    async run(context, state) {
      if (state.userId === null) return noUser(state);
      const answer = await grpcCall(context, {
        path: `${SERVICE}/GetUser`,
        messages: [toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: state.userId } }))],
      });
      const user = answer.messages[0] ? fromBinary(GetUserResponseSchema, answer.messages[0]).user : undefined;
      return verdict(answer.sent, answer.got, [
        statusIs(answer, STATUS.OK),
        [user?.email === state.email, { en: "the user's email differs", ru: 'email пользователя другой' }],
      ]);
    },
  },
  {
    id: 'not-found-status',
    name: { en: 'An unknown user: NOT_FOUND', ru: 'Несуществующий пользователь: NOT_FOUND' },
    expected: { en: 'grpc-status 5 NOT_FOUND', ru: 'grpc-status 5 NOT_FOUND' },
    why: {
      clause: 'gRPC status codes (statuscodes.md): NOT_FOUND',
      text: {
        en: 'A status code, not an empty message or UNKNOWN, tells the client what went wrong.',
        ru: 'Код статуса, а не пустое сообщение или UNKNOWN, говорит клиенту, что пошло не так.',
      },
    },
    async run(context) {
      const answer = await grpcCall(context, {
        path: `${SERVICE}/GetUser`,
        messages: [toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: 2_147_483_000 } }))],
      });
      return verdict(answer.sent, answer.got, [statusIs(answer, STATUS.NOT_FOUND)]);
    },
  },
  {
    id: 'invalid-argument-status',
    name: { en: 'Invalid fields: INVALID_ARGUMENT', ru: 'Неверные поля: INVALID_ARGUMENT' },
    expected: {
      en: 'grpc-status 3 INVALID_ARGUMENT for an empty name and an email without @',
      ru: 'grpc-status 3 INVALID_ARGUMENT на пустое имя и email без @',
    },
    why: {
      clause: 'gRPC status codes (statuscodes.md): INVALID_ARGUMENT',
      text: {
        en: "The client sent something wrong whatever the server's state: INVALID_ARGUMENT, not INTERNAL.",
        ru: 'Клиент прислал неверное независимо от состояния сервера: INVALID_ARGUMENT, а не INTERNAL.',
      },
    },
    async run(context) {
      const answer = await grpcCall(context, {
        path: `${SERVICE}/CreateUser`,
        messages: [toBinary(CreateUserRequestSchema, create(CreateUserRequestSchema, { name: '', email: 'not-an-email' }))],
      });
      return verdict(answer.sent, answer.got, [statusIs(answer, STATUS.INVALID_ARGUMENT)]);
    },
  },
  {
    id: 'unknown-method-unimplemented',
    name: { en: 'An unknown method: UNIMPLEMENTED', ru: 'Неизвестный метод: UNIMPLEMENTED' },
    expected: {
      en: 'grpc-status 12 UNIMPLEMENTED (an HTTP 404 without grpc-status counts too: gRPC clients read it as UNIMPLEMENTED)',
      ru: 'grpc-status 12 UNIMPLEMENTED (HTTP 404 без grpc-status тоже подходит: клиенты gRPC читают его как UNIMPLEMENTED)',
    },
    why: {
      clause: 'gRPC status codes (statuscodes.md): UNIMPLEMENTED; PROTOCOL-HTTP2.md: HTTP to gRPC status mapping',
      text: {
        en: 'A method the server does not have is UNIMPLEMENTED, so an old server and a new client can tell what is missing.',
        ru: 'Метод, которого у сервера нет, — UNIMPLEMENTED: так старый сервер и новый клиент понимают, чего не хватает.',
      },
    },
    async run(context) {
      const answer = await grpcCall(context, { path: `${SERVICE}/NoSuchMethod`, messages: [new Uint8Array()] });
      return verdict(answer.sent, answer.got, [statusIs(answer, STATUS.UNIMPLEMENTED)]);
    },
  },
  {
    id: 'deadline-exceeded',
    name: { en: 'A deadline the call cannot meet: DEADLINE_EXCEEDED', ru: 'Дедлайн, в который вызов не успевает: DEADLINE_EXCEEDED' },
    expected: {
      en: 'two users made by the check, then ListUsers with a 5 s pause between users and grpc-timeout: 300m ends with grpc-status 4 from the server (this client does not enforce the deadline itself)',
      ru: 'проверка создаёт двух пользователей, затем ListUsers с паузой 5 с между пользователями и grpc-timeout: 300m заканчивается grpc-status 4 от сервера (этот клиент сам дедлайн не соблюдает)',
    },
    why: {
      clause: 'gRPC over HTTP/2 (PROTOCOL-HTTP2.md): Timeout',
      text: {
        en: 'grpc-timeout tells the server how long the client will wait; past it the server stops the work and answers DEADLINE_EXCEEDED.',
        ru: 'grpc-timeout говорит серверу, сколько клиент будет ждать; после этого сервер прекращает работу и отвечает DEADLINE_EXCEEDED.',
      },
    },
    async run(context) {
      // The stream pauses between users only: with fewer than two in the store it ends OK at
      // once, whatever the server does with deadlines. So the check makes two of its own.
      const made = [await createThroughGrpc(context, 'deadline-a'), await createThroughGrpc(context, 'deadline-b')];
      try {
        const request = create(ListUsersRequestSchema, { maxUsers: 2, intervalMs: 5_000 });
        const answer = await grpcCall(context, { path: `${SERVICE}/ListUsers`, messages: [toBinary(ListUsersRequestSchema, request)], timeout: '300m' });
        return verdict(answer.sent, answer.got, [statusIs(answer, STATUS.DEADLINE_EXCEEDED)]);
      } finally {
        for (const user of made) await deleteThroughGrpc(context, user);
      }
    },
  },
  {
    id: 'health-serving',
    name: { en: 'Health check: SERVING', ru: 'Проверка здоровья: SERVING' },
    expected: { en: 'grpc.health.v1.Health/Check answers OK with status SERVING', ru: 'grpc.health.v1.Health/Check отвечает OK со статусом SERVING' },
    why: {
      clause: 'gRPC health checking (health-checking.md)',
      text: {
        en: 'Load balancers and Kubernetes ask this standard service whether to send traffic here.',
        ru: 'Балансировщики и Kubernetes спрашивают этот стандартный сервис, можно ли слать сюда трафик.',
      },
    },
    async run(context) {
      const answer = await grpcCall(context, {
        path: '/grpc.health.v1.Health/Check',
        messages: [toBinary(HealthCheckRequestSchema, create(HealthCheckRequestSchema, { service: '' }))],
      });
      const status = answer.messages[0] ? fromBinary(HealthCheckResponseSchema, answer.messages[0]).status : undefined;
      return verdict(answer.sent, answer.got, [
        statusIs(answer, STATUS.OK),
        [
          status === HealthCheckResponse_ServingStatus.SERVING,
          {
            en: `the status is ${servingName(status, 'en')}, not SERVING (1)`,
            ru: `статус — ${servingName(status, 'ru')}, а не SERVING (1)`,
          },
        ],
      ]);
    },
  },
];

/** A health status by its name in health.proto, the number after it: `NOT_SERVING (2)`. */
function servingName(status: HealthCheckResponse_ServingStatus | undefined, language: 'en' | 'ru'): string {
  if (status === undefined) return language === 'en' ? 'absent (no HealthCheckResponse)' : 'не прислан (нет HealthCheckResponse)';
  return `${HealthCheckResponse_ServingStatus[status] ?? 'UNKNOWN_VALUE'} (${status})`;
}

const notSpoken = (what: string, ru: string, detail: string): Bilingual => ({
  en: `The server does not offer ${what} (${detail}); fine for a plain gRPC server, and not counted as a pass.`,
  ru: `Сервер не предлагает ${ru} (${detail}); для обычного gRPC-сервера это нормально, но за пройденную проверку не считается.`,
});

/**
 * An HTTP/1.1 request to the server, or null when the server does not speak HTTP/1.1 at all: a
 * server of plain gRPC answers it with HTTP/2 bytes (a GOAWAY frame) or hangs up. A timeout is
 * not that, and stays a failure.
 */
async function overHttp1(context: SuiteContext, spec: HttpRequestSpec): Promise<HttpAnswer | { http1Refused: string }> {
  try {
    return await httpExchange(context, { ...spec, silenceIsAnAnswer: true });
  } catch (error) {
    const message = (error as Error).message;
    if (/Parse Error|socket hang up|ECONNRESET/.test(message)) return { http1Refused: message };
    throw error;
  }
}

const offeredChecks: CheckDefinition<GrpcState>[] = [
  {
    id: 'grpc-web-offered',
    name: { en: 'gRPC-Web over HTTP/1.1', ru: 'gRPC-Web по HTTP/1.1' },
    expected: {
      en: 'if offered: 200, application/grpc-web+proto, grpc-status in a trailer frame or the headers',
      ru: 'если предлагается: 200, application/grpc-web+proto, grpc-status в кадре трейлеров или в заголовках',
    },
    why: {
      clause: 'gRPC-Web (PROTOCOL-WEB.md)',
      text: {
        en: 'Browsers cannot read HTTP/2 trailers; gRPC-Web carries them in the body so fetch can call the service.',
        ru: 'Браузер не читает трейлеры HTTP/2; gRPC-Web кладёт их в тело, чтобы сервис можно было вызвать через fetch.',
      },
    },
    async run(context, state) {
      const body = frameMessage(toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: state.userId ?? 1 } })));
      const spec = {
        method: 'POST',
        path: `${SERVICE}/GetUser`,
        headers: { 'content-type': 'application/grpc-web+proto', accept: 'application/grpc-web+proto', 'x-grpc-web': '1' },
        body,
      };
      const answer = await overHttp1(context, spec);
      if ('http1Refused' in answer)
        return notOffered(`POST ${spec.path} HTTP/1.1`, answer.http1Refused, notSpoken('gRPC-Web', 'gRPC-Web', 'no HTTP/1.1 at all'));
      if (!mediaType(answer.headers).startsWith('application/grpc-web')) {
        return notOffered(
          answer.sent,
          answer.got,
          notSpoken('gRPC-Web', 'gRPC-Web', `HTTP ${answer.status}, ${mediaType(answer.headers) || 'no Content-Type'}`),
        );
      }
      const trailerFrame = answer.bytes.includes(Buffer.from('grpc-status:'));
      return verdict(answer.sent, answer.got, [
        [answer.status === 200, { en: `HTTP status ${answer.status}, not 200`, ru: `HTTP-статус ${answer.status}, а не 200` }],
        [trailerFrame || answer.headers['grpc-status'] !== undefined, { en: 'no grpc-status anywhere in the answer', ru: 'в ответе нигде нет grpc-status' }],
      ]);
    },
  },
  {
    id: 'connect-offered',
    name: { en: 'Connect: unary JSON over plain HTTP', ru: 'Connect: унарный JSON по обычному HTTP' },
    expected: {
      en: 'if offered: application/json, 200 with the user or a Connect error {"code": …}',
      ru: 'если предлагается: application/json, 200 с пользователем или ошибка Connect {"code": …}',
    },
    why: {
      clause: 'Connect protocol (connectrpc.com/docs/protocol): unary',
      text: {
        en: 'Connect answers a POST with a JSON body with plain JSON, so curl alone can call the service.',
        ru: 'Connect отвечает на POST с JSON-телом обычным JSON, так что сервис можно вызвать одним curl.',
      },
    },
    async run(context, state) {
      const spec = { method: 'POST', path: `${SERVICE}/GetUser`, headers: { 'connect-protocol-version': '1' }, body: { id: state.userId ?? 1 } };
      const answer = await overHttp1(context, spec);
      if ('http1Refused' in answer) return notOffered(`POST ${spec.path} HTTP/1.1`, answer.http1Refused, notSpoken('Connect', 'Connect', 'no HTTP/1.1 at all'));
      const body = parseJson(answer.text) as { code?: unknown; user?: unknown } | undefined;
      const speaksConnect =
        mediaType(answer.headers) === 'application/json' && (answer.status === 200 ? body?.user !== undefined : typeof body?.code === 'string');
      if (!speaksConnect)
        return notOffered(answer.sent, answer.got, notSpoken('Connect', 'Connect', `HTTP ${answer.status}, ${mediaType(answer.headers) || 'no Content-Type'}`));
      return passed(answer.sent, answer.got);
    },
  },
  {
    id: 'reflection-offered',
    name: { en: 'Server reflection lists UserService', ru: 'Рефлексия сервера называет UserService' },
    expected: {
      en: 'if offered: grpc.reflection.v1 list_services includes wirelab.users.v1.UserService',
      ru: 'если предлагается: list_services в grpc.reflection.v1 содержит wirelab.users.v1.UserService',
    },
    why: {
      clause: 'gRPC server reflection (server-reflection.md)',
      text: {
        en: 'Reflection lets grpcurl and buf curl call a server without its .proto files.',
        ru: 'Рефлексия позволяет grpcurl и buf curl вызывать сервер без его .proto-файлов.',
      },
    },
    async run(context) {
      const request = create(ServerReflectionRequestSchema, { messageRequest: { case: 'listServices', value: '*' } });
      const answer = await grpcCall(context, {
        path: '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
        messages: [toBinary(ServerReflectionRequestSchema, request)],
      });
      if (answer.status === STATUS.UNIMPLEMENTED || answer.httpStatus === 404) {
        return notOffered(answer.sent, answer.got, notSpoken('server reflection', 'рефлексию сервера', `grpc-status ${statusName(answer.status)}`));
      }
      const reply = answer.messages[0] ? fromBinary(ServerReflectionResponseSchema, answer.messages[0]) : undefined;
      const services = reply?.messageResponse.case === 'listServicesResponse' ? reply.messageResponse.value.service.map((service) => service.name) : [];
      return verdict(answer.sent, answer.got, [
        statusIs(answer, STATUS.OK),
        [
          services.includes('wirelab.users.v1.UserService'),
          { en: `the listed services are ${services.join(', ') || 'none'}`, ru: `перечислены сервисы: ${services.join(', ') || 'никаких'}` },
        ],
      ]);
    },
  },
];

export const grpcSuite = defineSuite<GrpcState>({
  prepare: (context) => createThroughGrpc(context),
  checks: [...serviceChecks, ...validationChecks, ...offeredChecks, ...moreGrpcChecks],
  cleanUp: deleteThroughGrpc,
});
