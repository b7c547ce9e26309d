// The gRPC suite's second half (issue 38, item 6): the four kinds of call, the wire rules of
// PROTOCOL-HTTP2.md a client relies on (content type, where grpc-status goes, timeout units,
// custom metadata), an unknown service, and server reflection v1alpha and file_containing_symbol.
// Client and bidirectional streaming and reflection are "not offered" when the server answers
// UNIMPLEMENTED: a server may leave them out, never pass them by leaving them out.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { randomBytes } from 'node:crypto';
import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import {
  ChatRequestSchema,
  ChatResponseSchema,
  CreateUsersRequestSchema,
  CreateUsersResponseSchema,
  GetUserRequestSchema,
  GetUserResponseSchema,
  ListUsersRequestSchema,
  ListUsersResponseSchema,
} from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { ServerReflectionRequestSchema, ServerReflectionResponseSchema } from '../../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import { notOffered, verdict, type CheckDefinition, type Observation, type SuiteContext, type Expectation } from '../check-kit.ts';
import { grpcCall, type GrpcAnswer } from '../grpc-client.ts';
import { SERVICE, STATUS, createThroughGrpc, deleteThroughGrpc, noUser, statusIs, statusName, type GrpcState } from './grpc-calls.ts';

const PROTOCOL = 'gRPC over HTTP/2 (PROTOCOL-HTTP2.md)';

/** Runs `use` with two users of the check's own in the store (ListUsers needs two to stream), deleted after. */
async function withTwoUsers<T>(context: SuiteContext, tag: string, use: () => Promise<T>): Promise<T> {
  const made = [await createThroughGrpc(context, `${tag}-a`), await createThroughGrpc(context, `${tag}-b`)];
  try {
    return await use();
  } finally {
    for (const user of made) await deleteThroughGrpc(context, user);
  }
}

function positionsOf(answer: GrpcAnswer): string {
  try {
    return answer.messages.map((message) => fromBinary(ListUsersResponseSchema, message).position).join(', ');
  } catch {
    return 'unreadable';
  }
}

const listUsers = (context: SuiteContext, intervalMs: number, timeout?: string) =>
  grpcCall(context, {
    path: `${SERVICE}/ListUsers`,
    messages: [toBinary(ListUsersRequestSchema, create(ListUsersRequestSchema, { maxUsers: 2, intervalMs }))],
    timeout,
  });

const twoPositions = (answer: GrpcAnswer): Expectation => [
  positionsOf(answer) === '1, 2',
  {
    en: `${answer.messages.length} messages with positions [${positionsOf(answer)}], not two with 1, 2 (max_users: 2)`,
    ru: `сообщений: ${answer.messages.length}, позиции [${positionsOf(answer)}], а не два сообщения с позициями 1, 2 (max_users: 2)`,
  },
];

/** UNIMPLEMENTED (or a 404 a client reads as it) means the server leaves this out: not offered. */
function leftOut(answer: GrpcAnswer, what: Bilingual): Observation | null {
  if (answer.status !== STATUS.UNIMPLEMENTED && answer.httpStatus !== 404) return null;
  return notOffered(answer.sent, answer.got, {
    en: `The server does not offer ${what.en} (grpc-status ${statusName(answer.status)}); not counted as a pass.`,
    ru: `Сервер не предлагает ${what.ru} (grpc-status ${statusName(answer.status)}); за пройденную проверку это не считается.`,
  });
}

const streamingChecks: CheckDefinition<GrpcState>[] = [
  {
    id: 'server-stream-list-users',
    name: { en: 'Server streaming: ListUsers sends one message per user', ru: 'Серверный поток: ListUsers шлёт по сообщению на пользователя' },
    expected: {
      en: 'two users made by the check, then ListUsers with max_users 2: two messages, positions 1 and 2, then grpc-status 0',
      ru: 'проверка создаёт двух пользователей, затем ListUsers с max_users 2: два сообщения с позициями 1 и 2, затем grpc-status 0',
    },
    why: {
      clause: `${PROTOCOL}: server streaming; users.proto: ListUsers`,
      text: {
        en: 'A server stream is many length-prefixed messages on one HTTP/2 stream, the status once at the end in the trailers.',
        ru: 'Серверный поток — много сообщений с префиксом длины в одном потоке HTTP/2 и статус один раз в конце, в трейлерах.',
      },
    },
    async run(context) {
      const answer = await withTwoUsers(context, 'list', () => listUsers(context, 0));
      return verdict(answer.sent, answer.got, [statusIs(answer, STATUS.OK), twoPositions(answer)]);
    },
  },
  {
    id: 'client-stream-create-users',
    name: { en: 'Client streaming: CreateUsers answers once for all', ru: 'Клиентский поток: CreateUsers отвечает один раз за всех' },
    expected: {
      en: 'if offered: three users sent (the third invalid), one CreateUsersResponse: created 2, failed 1, the third result an error with code 3 INVALID_ARGUMENT',
      ru: 'если предлагается: отправлены три пользователя (третий неверный), один CreateUsersResponse: created 2, failed 1, третий результат — ошибка с кодом 3 INVALID_ARGUMENT',
    },
    why: {
      clause: `${PROTOCOL}: client streaming; users.proto: CreateUsers`,
      text: {
        en: 'The client sends many messages and half-closes; the server answers once, and one bad item does not fail the others.',
        ru: 'Клиент шлёт много сообщений и закрывает свою сторону; сервер отвечает один раз, и один плохой элемент не роняет остальные.',
      },
    },
    async run(context) {
      const tag = randomBytes(4).toString('hex');
      const users = [
        { name: 'Wirelab stream a', email: `wirelab-grpc-stream-a-${tag}@example.com` },
        { name: 'Wirelab stream b', email: `wirelab-grpc-stream-b-${tag}@example.com` },
        { name: '', email: 'not-an-email' },
      ];
      const answer = await grpcCall(context, {
        path: `${SERVICE}/CreateUsers`,
        messages: users.map((user) => toBinary(CreateUsersRequestSchema, create(CreateUsersRequestSchema, { user }))),
      });
      const absent = leftOut(answer, { en: 'client streaming (CreateUsers)', ru: 'клиентский поток (CreateUsers)' });
      if (absent) return absent;
      const reply = answer.messages.length === 1 ? fromBinary(CreateUsersResponseSchema, answer.messages[0]) : undefined;
      for (const result of reply?.results ?? []) {
        if (result.outcome.case === 'user') await deleteThroughGrpc(context, { email: '', created: null, userId: result.outcome.value.id });
      }
      const third = reply?.results[2]?.outcome;
      return verdict(answer.sent, answer.got, [
        statusIs(answer, STATUS.OK),
        [reply !== undefined, { en: `${answer.messages.length} response messages, not one`, ru: `ответных сообщений: ${answer.messages.length}, а не одно` }],
        [
          reply?.created === 2 && reply.failed === 1,
          { en: `created ${reply?.created}, failed ${reply?.failed}, not 2 and 1`, ru: `created ${reply?.created}, failed ${reply?.failed}, а не 2 и 1` },
        ],
        [
          third?.case === 'error' && third.value.code === STATUS.INVALID_ARGUMENT,
          { en: 'the third result is not an error with code 3 INVALID_ARGUMENT', ru: 'третий результат — не ошибка с кодом 3 INVALID_ARGUMENT' },
        ],
      ]);
    },
  },
  {
    id: 'bidi-stream-chat',
    name: { en: 'Bidirectional streaming: Chat answers what was said', ru: 'Двусторонний поток: Chat отвечает на сказанное' },
    expected: {
      en: 'if offered: a ChatRequest as the suite\'s user gets a ChatResponse "said" with the same text, then grpc-status 0 after the client half-closes',
      ru: 'если предлагается: на ChatRequest от пользователя проверки приходит ChatResponse "said" с тем же текстом, затем grpc-status 0 после того, как клиент закрыл свою сторону',
    },
    why: {
      clause: `${PROTOCOL}: bidirectional streaming; users.proto: Chat`,
      text: {
        en: 'Both sides stream at once on one HTTP/2 stream; the server ends the call when the client is done.',
        ru: 'Обе стороны шлют сообщения одновременно в одном потоке HTTP/2; сервер завершает вызов, когда клиент закончил.',
      },
    },
    async run(context, state) {
      if (state.userId === null) return noUser(state);
      const text = `Привет from the check ${randomBytes(3).toString('hex')}`;
      const answer = await grpcCall(context, {
        path: `${SERVICE}/Chat`,
        messages: [toBinary(ChatRequestSchema, create(ChatRequestSchema, { userId: state.userId, text }))],
      });
      const absent = leftOut(answer, { en: 'bidirectional streaming (Chat)', ru: 'двусторонний поток (Chat)' });
      if (absent) return absent;
      const said = answer.messages.some((message) => {
        const event = fromBinary(ChatResponseSchema, message).event;
        return event.case === 'said' && event.value.text === text && event.value.userId === state.userId;
      });
      return verdict(answer.sent, answer.got, [
        statusIs(answer, STATUS.OK),
        [said, { en: `no "said" response with the text ${JSON.stringify(text)}`, ru: `нет ответа "said" с текстом ${JSON.stringify(text)}` }],
      ]);
    },
  },
];

const wireChecks: CheckDefinition<GrpcState>[] = [
  {
    id: 'response-content-type-grpc',
    name: { en: 'The answer is application/grpc', ru: 'Ответ — application/grpc' },
    expected: {
      en: 'CreateUser answered with Content-Type application/grpc (or application/grpc+…)',
      ru: 'CreateUser ответил с Content-Type application/grpc (или application/grpc+…)',
    },
    why: {
      clause: `${PROTOCOL}: Response-Headers (Content-Type)`,
      text: {
        en: 'A gRPC client refuses an answer of another type before it reads a message: it cannot know the body is gRPC.',
        ru: 'Клиент gRPC отвергает ответ другого типа, не читая сообщений: он не может знать, что тело — gRPC.',
      },
    },
    async run(_context, state) {
      if (!state.created) return noUser(state);
      const type = state.created.contentType;
      return verdict(state.created.sent, state.created.got, [
        [/^application\/grpc([+;]|$)/.test(type), { en: `Content-Type is ${type || 'missing'}`, ru: `Content-Type: ${type || 'нет'}` }],
      ]);
    },
  },
  {
    id: 'status-in-trailers',
    name: { en: 'With messages, grpc-status comes in the trailers', ru: 'С сообщениями grpc-status приходит в трейлерах' },
    expected: {
      en: 'CreateUser: HEADERS without grpc-status, DATA, then trailers with grpc-status',
      ru: 'CreateUser: HEADERS без grpc-status, DATA, затем трейлеры с grpc-status',
    },
    why: {
      clause: `${PROTOCOL}: Response (Trailers-Only)`,
      text: {
        en: 'grpc-status in the first HEADERS makes the answer Trailers-Only: a client ends the call there and drops the messages after it.',
        ru: 'grpc-status в первых HEADERS делает ответ Trailers-Only: клиент завершает вызов на них и отбрасывает сообщения после.',
      },
    },
    async run(_context, state) {
      if (!state.created || state.created.messages.length === 0) return noUser(state);
      return verdict(state.created.sent, state.created.got, [
        [!state.created.statusInHeaders, { en: 'grpc-status came in the HEADERS before the message', ru: 'grpc-status пришёл в HEADERS перед сообщением' }],
        [state.created.statusInTrailers, { en: 'no grpc-status in the trailers', ru: 'в трейлерах нет grpc-status' }],
      ]);
    },
  },
  {
    id: 'deadline-in-seconds-ok',
    name: { en: 'A deadline the call meets: OK', ru: 'Дедлайн, в который вызов успевает: OK' },
    expected: {
      en: 'ListUsers of two users 300 ms apart with grpc-timeout: 5S (seconds) ends OK with both',
      ru: 'ListUsers двух пользователей с паузой 300 мс и grpc-timeout: 5S (секунды) заканчивается OK с обоими',
    },
    why: {
      clause: `${PROTOCOL}: Timeout (TimeoutUnit H, M, S, m, u, n)`,
      text: {
        en: 'grpc-timeout carries a unit; a server that misreads 5S as 5 ms cuts calls that had plenty of time.',
        ru: 'В grpc-timeout есть единица; сервер, прочитавший 5S как 5 мс, обрывает вызовы, у которых времени было с запасом.',
      },
    },
    async run(context) {
      const answer = await withTwoUsers(context, 'deadline-ok', () => listUsers(context, 300, '5S'));
      return verdict(answer.sent, answer.got, [statusIs(answer, STATUS.OK), twoPositions(answer)]);
    },
  },
  {
    id: 'custom-metadata-accepted',
    name: { en: 'Custom metadata, text and binary, is accepted', ru: 'Свои метаданные, текстовые и двоичные, принимаются' },
    expected: {
      en: 'GetUser with x-wirelab-check: a text value and x-wirelab-check-bin: unpadded base64 answers OK with the user',
      ru: 'GetUser с x-wirelab-check (текст) и x-wirelab-check-bin (base64 без дополнения) отвечает OK с пользователем',
    },
    why: {
      clause: `${PROTOCOL}: Custom-Metadata (Binary-Header, base64 with or without padding)`,
      text: {
        en: 'Clients and proxies add metadata the server does not know (tracing, auth); the server must accept it, -bin values decoded from base64.',
        ru: 'Клиенты и прокси добавляют метаданные, которых сервер не знает (трассировка, авторизация); сервер обязан их принять, значения -bin — из base64.',
      },
    },
    async run(context, state) {
      if (state.userId === null) return noUser(state);
      const answer = await grpcCall(context, {
        path: `${SERVICE}/GetUser`,
        messages: [toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'id', value: state.userId } }))],
        metadata: { 'x-wirelab-check': 'metadata test', 'x-wirelab-check-bin': '3q2+7w' },
      });
      const user = answer.status === STATUS.OK && answer.messages[0] ? fromBinary(GetUserResponseSchema, answer.messages[0]).user : undefined;
      return verdict(answer.sent, answer.got, [
        statusIs(answer, STATUS.OK),
        [user?.email === state.email, { en: "the user's email differs", ru: 'email пользователя другой' }],
      ]);
    },
  },
  {
    id: 'unknown-service-unimplemented',
    name: { en: 'An unknown service: UNIMPLEMENTED', ru: 'Неизвестный сервис: UNIMPLEMENTED' },
    expected: {
      en: 'grpc-status 12 UNIMPLEMENTED for /wirelab.nosuch.v1.NoSuchService/Call (an HTTP 404 without grpc-status counts too)',
      ru: 'grpc-status 12 UNIMPLEMENTED на /wirelab.nosuch.v1.NoSuchService/Call (HTTP 404 без grpc-status тоже подходит)',
    },
    why: {
      clause: 'gRPC status codes (statuscodes.md): UNIMPLEMENTED',
      text: {
        en: 'A service the server does not host is UNIMPLEMENTED, whatever catch-all routing it has.',
        ru: 'Сервис, которого на сервере нет, — UNIMPLEMENTED, какая бы маршрутизация «по умолчанию» там ни была.',
      },
    },
    async run(context) {
      const answer = await grpcCall(context, { path: '/wirelab.nosuch.v1.NoSuchService/Call', messages: [new Uint8Array()] });
      return verdict(answer.sent, answer.got, [statusIs(answer, STATUS.UNIMPLEMENTED)]);
    },
  },
];

function reflectionCall(context: SuiteContext, version: 'v1' | 'v1alpha', request: MessageInitShape<typeof ServerReflectionRequestSchema>) {
  // v1alpha has v1's messages field for field: one encoding serves both
  return grpcCall(context, {
    path: `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
    messages: [toBinary(ServerReflectionRequestSchema, create(ServerReflectionRequestSchema, request))],
  });
}

const reflectionText: Bilingual = {
  en: 'Tools still on the older package (grpcurl before 1.9, Postman, Debian’s grpc-go) ask grpc.reflection.v1alpha; a server offering reflection answers both.',
  ru: 'Инструменты на старом пакете (grpcurl до 1.9, Postman, grpc-go из Debian) спрашивают grpc.reflection.v1alpha; сервер с рефлексией отвечает на оба.',
};

const reflectionChecks: CheckDefinition<GrpcState>[] = [
  {
    id: 'reflection-v1alpha-offered',
    name: { en: 'Reflection v1alpha lists UserService', ru: 'Рефлексия v1alpha называет UserService' },
    expected: {
      en: 'if offered: grpc.reflection.v1alpha list_services includes wirelab.users.v1.UserService',
      ru: 'если предлагается: list_services в grpc.reflection.v1alpha содержит wirelab.users.v1.UserService',
    },
    why: { clause: 'gRPC server reflection (server-reflection.md): v1alpha', text: reflectionText },
    async run(context) {
      const answer = await reflectionCall(context, 'v1alpha', { messageRequest: { case: 'listServices', value: '*' } });
      const absent = leftOut(answer, { en: 'reflection v1alpha', ru: 'рефлексию v1alpha' });
      if (absent) return absent;
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
  {
    id: 'reflection-file-containing-symbol',
    name: { en: 'Reflection describes UserService', ru: 'Рефлексия описывает UserService' },
    expected: {
      en: 'if offered: file_containing_symbol wirelab.users.v1.UserService answers with a FileDescriptorProto declaring it',
      ru: 'если предлагается: file_containing_symbol wirelab.users.v1.UserService отвечает FileDescriptorProto, где он объявлен',
    },
    why: {
      clause: 'gRPC server reflection (server-reflection.md): file_containing_symbol',
      text: {
        en: 'Listing names is not enough to call a method: grpcurl asks for the file declaring the service to learn its messages.',
        ru: 'Одних имён мало, чтобы вызвать метод: grpcurl просит файл, где объявлен сервис, чтобы узнать его сообщения.',
      },
    },
    async run(context) {
      const answer = await reflectionCall(context, 'v1', { messageRequest: { case: 'fileContainingSymbol', value: 'wirelab.users.v1.UserService' } });
      const absent = leftOut(answer, { en: 'server reflection', ru: 'рефлексию сервера' });
      if (absent) return absent;
      const reply = answer.messages[0] ? fromBinary(ServerReflectionResponseSchema, answer.messages[0]) : undefined;
      const files = reply?.messageResponse.case === 'fileDescriptorResponse' ? reply.messageResponse.value.fileDescriptorProto : [];
      const declares = files.some((bytes) => {
        const file = fromBinary(FileDescriptorProtoSchema, bytes);
        return file.package === 'wirelab.users.v1' && file.service.some((service) => service.name === 'UserService');
      });
      return verdict(answer.sent, answer.got, [
        statusIs(answer, STATUS.OK),
        [
          declares,
          {
            en: `${files.length} files came, none declaring wirelab.users.v1.UserService`,
            ru: `пришло файлов: ${files.length}, ни в одном нет wirelab.users.v1.UserService`,
          },
        ],
      ]);
    },
  },
];

export const moreGrpcChecks: CheckDefinition<GrpcState>[] = [...streamingChecks, ...wireChecks, ...reflectionChecks];
