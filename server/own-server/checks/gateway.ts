// "Check my server" for a REST gateway in front of the gRPC UserService: the routes users.proto's
// google.api.http annotations give (GET/POST/PATCH/DELETE /v1/users…), proto3 JSON in and out,
// gRPC codes mapped to HTTP statuses and the error body {code, message, details} as
// grpc-gateway's runtime writes them (runtime/errors.go: HTTPStatusFromCode, DefaultHTTPErrorHandler).
import type { Bilingual } from '../../../shared/bilingual.ts';
import { defineSuite, failed, notOffered, verdict, type CheckDefinition, type SuiteContext, type Expectation } from '../check-kit.ts';
import { markedUnique } from '../wirelab-itself.ts';
import { httpExchange, mediaType, parseJson, type HttpAnswer, type HttpRequestSpec } from '../http-exchange.ts';

const USERS = '/v1/users';
/** gRPC codes the suite expects, with the HTTP status grpc-gateway's HTTPStatusFromCode maps each to. */
const CODES = {
  INVALID_ARGUMENT: { code: 3, http: 400 },
  NOT_FOUND: { code: 5, http: 404 },
  ALREADY_EXISTS: { code: 6, http: 409 },
  UNIMPLEMENTED: { code: 12, http: 501 },
} as const;
type ExpectedCode = (typeof CODES)[keyof typeof CODES];

interface GatewayState {
  email: string;
  id: number | null;
  created: HttpAnswer | null;
  error?: string;
  /** Paths of users a check made though it should not have (a duplicate let through): deleted by the clean-up. */
  strays: string[];
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{"user": {...}}`, the CreateUserResponse/GetUserResponse/UpdateUserResponse in proto3 JSON. */
function userOf(answer: HttpAnswer): JsonObject | undefined {
  const body = parseJson(answer.text);
  return isObject(body) && isObject(body.user) ? body.user : undefined;
}

const GATEWAY_CLAUSE = 'gRPC-Gateway runtime (errors.go): HTTPStatusFromCode, DefaultHTTPErrorHandler';

function statusIs(answer: HttpAnswer, status: number): Expectation {
  return [answer.status === status, { en: `status ${answer.status}, not ${status}`, ru: `статус ${answer.status}, а не ${status}` }];
}

function jsonType(answer: HttpAnswer): Expectation {
  const type = mediaType(answer.headers);
  return [
    type === 'application/json',
    { en: `Content-Type ${type || 'none'}, not application/json`, ru: `Content-Type ${type || 'нет'}, а не application/json` },
  ];
}

/** The gateway's error: the HTTP status of the gRPC code, and a google.rpc.Status as JSON. */
function errorExpectations(answer: HttpAnswer, expected: ExpectedCode): Array<Expectation> {
  const body = parseJson(answer.text);
  const status = isObject(body) ? body : {};
  return [
    statusIs(answer, expected.http),
    jsonType(answer),
    [
      status.code === expected.code,
      {
        en: `the body's "code" is ${JSON.stringify(status.code) ?? 'absent'}, not ${expected.code} (the gRPC code, a number: the body is a google.rpc.Status)`,
        ru: `"code" в теле — ${JSON.stringify(status.code) ?? 'отсутствует'}, а не ${expected.code} (код gRPC числом: тело — это google.rpc.Status)`,
      },
    ],
    [typeof status.message === 'string' && status.message.length > 0, { en: 'the body has no "message" text', ru: 'в теле нет текста "message"' }],
    [status.details === undefined || Array.isArray(status.details), { en: '"details" is not a list', ru: '"details" — не список' }],
  ];
}

const errorExpected = (expected: ExpectedCode): Bilingual => ({
  en: `${expected.http}, application/json {"code": ${expected.code}, "message": "…", "details": […]}`,
  ru: `${expected.http}, application/json {"code": ${expected.code}, "message": "…", "details": […]}`,
});

const noUser = (state: GatewayState) =>
  failed('', state.error ?? state.created?.got ?? '', {
    en: 'No user to check this on: POST /v1/users did not answer 200 with {"user": {"id": …}} (see the first check).',
    ru: 'Не на ком проверить: POST /v1/users не ответил 200 с {"user": {"id": …}} (см. первую проверку).',
  });

/** Keys of a JSON object, nested, that proto3's JSON mapping would have written in lowerCamelCase. */
function snakeKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => snakeKeys(item, path));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(key.includes('_') ? [`${path}${key}`] : []),
    ...(key === 'metadata' ? [] : snakeKeys(inner, `${path}${key}.`)),
  ]);
}

const exchange = (context: SuiteContext, spec: HttpRequestSpec) => httpExchange(context, { ...spec, headers: { accept: 'application/json', ...spec.headers } });

function newUser(context: SuiteContext, tag: string): { name: string; email: string } {
  return { name: `Wirelab gateway ${tag}`, email: `wirelab-gateway-${tag}-${markedUnique(context)}@example.com` };
}

const userPath = (id: number) => `${USERS}/${id}`;

const creationChecks: CheckDefinition<GatewayState>[] = [
  {
    id: 'post-body-star',
    name: { en: 'POST /v1/users: the whole body is the CreateUserRequest', ru: 'POST /v1/users: всё тело — это CreateUserRequest' },
    expected: {
      en: '200, application/json {"user": {"id": <number>, "email": <as sent>, …}} for {"name", "email"}',
      ru: '200, application/json {"user": {"id": <число>, "email": <как отправлен>, …}} на {"name", "email"}',
    },
    why: {
      clause: 'users.proto: CreateUser, google.api.http post: "/v1/users" body: "*"',
      text: {
        en: 'body: "*" maps the whole JSON body onto the request message; a gateway answers a call that ended OK with 200 and the response message, not 201.',
        ru: 'body: "*" отображает всё JSON-тело на сообщение запроса; шлюз отвечает на вызов, закончившийся OK, статусом 200 и сообщением ответа, а не 201.',
      },
    },
    async run(_context, state) {
      if (!state.created) return noUser(state);
      const user = userOf(state.created);
      return verdict(state.created.sent, state.created.got, [
        statusIs(state.created, 200),
        jsonType(state.created),
        [
          typeof user?.id === 'number',
          {
            en: 'no "user" with a numeric "id" in the body (uint32 is a JSON number in proto3 JSON)',
            ru: 'в теле нет "user" с числовым "id" (uint32 в JSON proto3 — число)',
          },
        ],
        [user?.email === state.email, { en: "the user's email is not the one sent", ru: 'email пользователя не тот, что отправлен' }],
      ]);
    },
  },
  {
    id: 'proto3-json-names',
    name: { en: 'proto3 JSON: lowerCamelCase names, enums by name', ru: 'JSON proto3: имена в lowerCamelCase, перечисления по имени' },
    expected: {
      en: '200 for a user sent with "status": "USER_STATUS_ACTIVE", "roles": ["ROLE_AUTHOR"]; in the answer, enums (when set) by name, and no snake_case key (createdAt, not created_at)',
      ru: '200 на пользователя с "status": "USER_STATUS_ACTIVE", "roles": ["ROLE_AUTHOR"]; в ответе перечисления (если заданы) по имени и ни одного ключа в snake_case (createdAt, а не created_at)',
    },
    why: {
      clause: 'users.proto: fields by json_name, enums by name (Protocol Buffers ProtoJSON format)',
      text: {
        en: 'The JSON mapping names fields by their lowerCamelCase json_name and writes enum values by name; a parser accepts both spellings of a name.',
        ru: 'Отображение в JSON называет поля их json_name в lowerCamelCase и пишет значения перечислений по имени; разборщик принимает оба написания имени.',
      },
    },
    async run(context, state) {
      const body = { ...newUser(context, 'json'), status: 'USER_STATUS_ACTIVE', roles: ['ROLE_AUTHOR'] };
      const answer = await exchange(context, { method: 'POST', path: USERS, body });
      const user = userOf(answer);
      if (typeof user?.id === 'number') state.strays.push(userPath(user.id));
      const snake = snakeKeys(parseJson(answer.text));
      return verdict(answer.sent, answer.got, [
        [
          user !== undefined,
          {
            en: 'no "user" object in the body: the request\'s enum names were not accepted',
            ru: 'в теле нет объекта "user": имена перечислений в запросе не приняты',
          },
        ],
        [
          user?.status === undefined || typeof user.status === 'string',
          {
            en: `"status" is ${JSON.stringify(user?.status)}, a number: proto3 JSON writes an enum by its name ("USER_STATUS_ACTIVE")`,
            ru: `"status" — ${JSON.stringify(user?.status)}, число: JSON proto3 пишет перечисление по имени ("USER_STATUS_ACTIVE")`,
          },
        ],
        [
          !Array.isArray(user?.roles) || user.roles.every((role) => typeof role === 'string'),
          {
            en: `"roles" is ${JSON.stringify(user?.roles)}: proto3 JSON writes each enum by its name ("ROLE_AUTHOR")`,
            ru: `"roles" — ${JSON.stringify(user?.roles)}: JSON proto3 пишет каждое значение перечисления по имени ("ROLE_AUTHOR")`,
          },
        ],
        [
          snake.length === 0,
          {
            en: `snake_case keys: ${snake.join(', ')} (proto3 JSON writes lowerCamelCase: createdAt)`,
            ru: `ключи в snake_case: ${snake.join(', ')} (JSON proto3 пишет lowerCamelCase: createdAt)`,
          },
        ],
      ]);
    },
  },
  {
    id: 'invalid-argument-400',
    name: { en: 'INVALID_ARGUMENT → 400 with the status body', ru: 'INVALID_ARGUMENT → 400 с телом статуса' },
    expected: errorExpected(CODES.INVALID_ARGUMENT),
    why: {
      clause: GATEWAY_CLAUSE,
      text: {
        en: 'An empty name and an email without @: the gRPC service answers INVALID_ARGUMENT, which the gateway maps to 400, with the google.rpc.Status as JSON.',
        ru: 'Пустое имя и email без @: gRPC-сервис отвечает INVALID_ARGUMENT, а шлюз отображает его в 400 и отдаёт google.rpc.Status в JSON.',
      },
    },
    async run(context, state) {
      const answer = await exchange(context, { method: 'POST', path: USERS, body: { name: '', email: 'not-an-email' } });
      const made = userOf(answer)?.id;
      if (typeof made === 'number') state.strays.push(userPath(made));
      return verdict(answer.sent, answer.got, errorExpectations(answer, CODES.INVALID_ARGUMENT));
    },
  },
  {
    id: 'already-exists-409',
    name: { en: 'ALREADY_EXISTS → 409', ru: 'ALREADY_EXISTS → 409' },
    expected: errorExpected(CODES.ALREADY_EXISTS),
    why: {
      clause: GATEWAY_CLAUSE,
      text: {
        en: 'A second user with a taken email: the service answers ALREADY_EXISTS, and HTTPStatusFromCode maps it to 409 Conflict.',
        ru: 'Второй пользователь с занятым email: сервис отвечает ALREADY_EXISTS, и HTTPStatusFromCode отображает его в 409 Conflict.',
      },
    },
    async run(context, state) {
      if (state.id === null) return noUser(state);
      const answer = await exchange(context, { method: 'POST', path: USERS, body: { name: 'Wirelab gateway duplicate', email: state.email } });
      const made = userOf(answer)?.id;
      if (typeof made === 'number' && made !== state.id) state.strays.push(userPath(made));
      return verdict(answer.sent, answer.got, errorExpectations(answer, CODES.ALREADY_EXISTS));
    },
  },
  {
    id: 'malformed-json-400',
    name: { en: 'A body that is not JSON → 400', ru: 'Тело — не JSON → 400' },
    expected: errorExpected(CODES.INVALID_ARGUMENT),
    why: {
      clause: GATEWAY_CLAUSE,
      text: {
        en: 'The gateway cannot decode the body into CreateUserRequest: it answers INVALID_ARGUMENT itself (400), never 500, and the service is not called.',
        ru: 'Шлюз не может разобрать тело в CreateUserRequest: он сам отвечает INVALID_ARGUMENT (400), а не 500, и сервис не вызывается.',
      },
    },
    async run(context) {
      const answer = await exchange(context, { method: 'POST', path: USERS, headers: { 'content-type': 'application/json' }, body: '{"name": "half' });
      return verdict(answer.sent, answer.got, errorExpectations(answer, CODES.INVALID_ARGUMENT));
    },
  },
];

const readingChecks: CheckDefinition<GatewayState>[] = [
  {
    id: 'get-path-variable',
    name: { en: 'GET /v1/users/{id}: the id from the path', ru: 'GET /v1/users/{id}: id из пути' },
    expected: { en: '200, application/json {"user": {…}} with the same id and email', ru: '200, application/json {"user": {…}} с тем же id и email' },
    why: {
      clause: 'users.proto: GetUser, google.api.http get: "/v1/users/{id}"',
      text: {
        en: 'The path variable {id} fills the request field id; GET has no body.',
        ru: 'Переменная пути {id} заполняет поле запроса id; у GET нет тела.',
      },
    },
    async run(context, state) {
      if (state.id === null) return noUser(state);
      const answer = await exchange(context, { method: 'GET', path: userPath(state.id) });
      const user = userOf(answer);
      return verdict(answer.sent, answer.got, [
        statusIs(answer, 200),
        jsonType(answer),
        [user?.id === state.id && user?.email === state.email, { en: 'not the same user (id and email)', ru: 'не тот же пользователь (id и email)' }],
      ]);
    },
  },
  {
    id: 'not-found-404',
    name: { en: 'NOT_FOUND → 404 with the status body', ru: 'NOT_FOUND → 404 с телом статуса' },
    expected: errorExpected(CODES.NOT_FOUND),
    why: {
      clause: GATEWAY_CLAUSE,
      text: {
        en: 'GET of a user nobody made: the service answers NOT_FOUND, the gateway 404 with {"code": 5, "message", "details"}.',
        ru: 'GET пользователя, которого никто не создавал: сервис отвечает NOT_FOUND, шлюз — 404 с {"code": 5, "message", "details"}.',
      },
    },
    async run(context) {
      const answer = await exchange(context, { method: 'GET', path: userPath(2_147_483_000) });
      return verdict(answer.sent, answer.got, errorExpectations(answer, CODES.NOT_FOUND));
    },
  },
  {
    id: 'list-query-stream',
    name: { en: 'GET /v1/users?maxUsers=1: a query parameter, a stream of results', ru: 'GET /v1/users?maxUsers=1: параметр запроса, поток результатов' },
    expected: {
      en: '200 and exactly one line {"result": {"user": {…}, "position": 1}} (one message of the server stream)',
      ru: '200 и ровно одна строка {"result": {"user": {…}, "position": 1}} (одно сообщение серверного потока)',
    },
    why: {
      clause: 'users.proto: ListUsers, google.api.http get: "/v1/users"; grpc-gateway: query parameters, server streaming',
      text: {
        en: 'Fields not bound by the path or body come from the query (by JSON or proto name); each message of a server stream is one line {"result": …}.',
        ru: 'Поля, не занятые путём или телом, берутся из строки запроса (по JSON- или proto-имени); каждое сообщение серверного потока — строка {"result": …}.',
      },
    },
    async run(context) {
      const answer = await exchange(context, { method: 'GET', path: `${USERS}?maxUsers=1` });
      const lines = answer.text.split('\n').filter((line) => line.trim() !== '');
      const first = parseJson(lines[0] ?? '');
      const result = isObject(first) && isObject(first.result) ? first.result : undefined;
      return verdict(answer.sent, answer.got, [
        statusIs(answer, 200),
        [
          lines.length === 1,
          {
            en: `${lines.length} lines, not 1 (maxUsers=1 asks for one message)`,
            ru: `строк: ${lines.length}, а не 1 (maxUsers=1 просит одно сообщение)`,
          },
        ],
        [
          isObject(result?.user) && result?.position === 1,
          { en: 'the line is not {"result": {"user": {…}, "position": 1}}', ru: 'строка — не {"result": {"user": {…}, "position": 1}}' },
        ],
      ]);
    },
  },
];

const changingChecks: CheckDefinition<GatewayState>[] = [
  {
    id: 'patch-partial-update',
    name: { en: 'PATCH /v1/users/{id}: the body and the path together', ru: 'PATCH /v1/users/{id}: тело и путь вместе' },
    expected: {
      en: '200 with the new name and the old email; if UpdateUser is not implemented: 501 with code 12 (not offered)',
      ru: '200 с новым именем и прежним email; если UpdateUser не реализован — 501 с кодом 12 (не предлагается)',
    },
    why: {
      clause: 'users.proto: UpdateUser, google.api.http patch: "/v1/users/{id}" body: "*"',
      text: {
        en: 'body: "*" with a path variable: the body fills the message, the path fills id; fields the body leaves out stay as they were.',
        ru: 'body: "*" с переменной пути: тело заполняет сообщение, путь — id; поля, которых нет в теле, остаются как были.',
      },
    },
    async run(context, state) {
      if (state.id === null) return noUser(state);
      const answer = await exchange(context, { method: 'PATCH', path: userPath(state.id), body: { name: 'Wirelab gateway renamed' } });
      const body = parseJson(answer.text);
      if (answer.status === 501 && isObject(body) && body.code === CODES.UNIMPLEMENTED.code) {
        return notOffered(answer.sent, answer.got, {
          en: 'UpdateUser is not implemented (501, code 12 UNIMPLEMENTED, mapped right): not counted as a pass.',
          ru: 'UpdateUser не реализован (501, код 12 UNIMPLEMENTED, отображён верно): за пройденную проверку не считается.',
        });
      }
      const user = userOf(answer);
      return verdict(answer.sent, answer.got, [
        statusIs(answer, 200),
        [user?.name === 'Wirelab gateway renamed', { en: 'the name did not change', ru: 'имя не изменилось' }],
        [user?.email === state.email && user?.id === state.id, { en: 'the email or id changed too', ru: 'изменились и email или id' }],
      ]);
    },
  },
  {
    id: 'delete-empty-200',
    name: { en: 'DELETE /v1/users/{id}: 200 {} (Empty), then 404', ru: 'DELETE /v1/users/{id}: 200 {} (Empty), затем 404' },
    expected: { en: '200 with {} for the delete, then GET → 404 with code 5', ru: '200 с {} на удаление, затем GET → 404 с кодом 5' },
    why: {
      clause: 'users.proto: DeleteUser returns google.protobuf.Empty, google.api.http delete: "/v1/users/{id}"',
      text: {
        en: 'The gateway writes the response message as JSON: Empty is {} with 200, not a 204 without a body.',
        ru: 'Шлюз пишет сообщение ответа как JSON: Empty — это {} со статусом 200, а не 204 без тела.',
      },
    },
    async run(context, state) {
      if (state.id === null) return noUser(state);
      const path = userPath(state.id);
      const deleted = await exchange(context, { method: 'DELETE', path });
      if (deleted.status === 200) state.id = null;
      const after = await exchange(context, { method: 'GET', path });
      return verdict(`${deleted.sent}\n\n${after.sent}`, `${deleted.got}\n\n${after.got}`, [
        statusIs(deleted, 200),
        [
          deleted.text.replace(/\s/g, '') === '{}',
          { en: `the body is ${JSON.stringify(deleted.text)}, not {}`, ru: `тело — ${JSON.stringify(deleted.text)}, а не {}` },
        ],
        ...errorExpectations(after, CODES.NOT_FOUND),
      ]);
    },
  },
];

async function createUser(context: SuiteContext): Promise<GatewayState> {
  const body = newUser(context, 'main');
  try {
    const created = await exchange(context, { method: 'POST', path: USERS, body });
    // any 2xx: a 201 fails the first check, and the rest still have a user to work on
    const id = created.status >= 200 && created.status < 300 ? userOf(created)?.id : undefined;
    return { email: body.email, created, id: typeof id === 'number' ? id : null, strays: [] };
  } catch (error) {
    return { email: body.email, created: null, id: null, error: (error as Error).message, strays: [] };
  }
}

export const gatewaySuite = defineSuite<GatewayState>({
  prepare: createUser,
  checks: [...creationChecks, ...readingChecks, ...changingChecks],
  async cleanUp(context, state) {
    const paths = [...(state.id === null ? [] : [userPath(state.id)]), ...state.strays];
    for (const path of paths) await exchange(context, { method: 'DELETE', path }).catch(() => undefined);
  },
});
