// "Check my server" for GraphQL: the schema of Wirelab's own /graphql (users, their posts, the
// createUser and deleteUser mutations, the userChanged subscription; server/protocols/graphql/
// README.md) over HTTP as the GraphQL over HTTP spec serves it, and subscriptions over
// graphql-transport-ws (graphql-subscriptions.ts). The suite creates users with a mutation and
// deletes every one it made.
import { defineSuite, failed, verdict, type CheckDefinition, type Observation, type Expectation } from '../check-kit.ts';
import { markedUnique } from '../wirelab-itself.ts';
import { dig, errorsAreWellFormed, getGraphql, GRAPHQL_RESPONSE_JSON, nestedUserQuery, postGraphql, type GraphqlAnswer } from '../graphql-client.ts';
import { auditChecks } from './graphql-audits.ts';
import { httpRuleChecks } from './graphql-http-rules.ts';
import { subscriptionChecks } from './graphql-subscriptions.ts';
import { createUserByMutation, idOf, TOO_DEEP, type GraphqlState, type MadeUser } from './graphql-users.ts';
import { EventWaits } from '../event-waits.ts';

const noUser = (user: MadeUser): Observation =>
  failed('', user.error ?? user.answer?.got ?? '', {
    en: 'No user to check this on: the createUser mutation gave no id (see "mutation-create-user").',
    ru: 'Не на ком проверить: мутация createUser не вернула id (см. «mutation-create-user»).',
  });

function statusIs(answer: GraphqlAnswer, status: number): Expectation {
  return [answer.status === status, { en: `status ${answer.status}, not ${status}`, ru: `статус ${answer.status}, а не ${status}` }];
}

function typeIs(answer: GraphqlAnswer, type: string): Expectation {
  return [answer.type === type, { en: `Content-Type is ${answer.type || 'missing'}, not ${type}`, ru: `Content-Type: ${answer.type || 'нет'}, а не ${type}` }];
}

function dataWithoutErrors(answer: GraphqlAnswer): Expectation[] {
  const errors = answer.body?.errors;
  return [
    [answer.body !== null, { en: 'the body is not a JSON object', ru: 'тело — не JSON-объект' }],
    [
      !errors || errors.length === 0,
      { en: `the answer has errors: ${JSON.stringify(errors)?.slice(0, 300)}`, ru: `в ответе есть ошибки: ${JSON.stringify(errors)?.slice(0, 300)}` },
    ],
    [typeof answer.body?.data === 'object' && answer.body.data !== null, { en: 'there is no "data" object', ru: 'нет объекта "data"' }],
  ];
}

function errorsWithoutData(answer: GraphqlAnswer, needLocations: boolean): Expectation[] {
  const shape = needLocations ? '"message" and "locations" ({line, column})' : '"message"';
  return [
    [answer.body !== null, { en: 'the body is not a JSON object', ru: 'тело — не JSON-объект' }],
    [
      errorsAreWellFormed(answer.body?.errors ?? null, needLocations),
      { en: `"errors" is not a list of errors each with ${shape}`, ru: `"errors" — не список ошибок, в каждой из которых есть ${shape}` },
    ],
    [
      answer.body?.hasData === false,
      { en: 'the answer has a "data" entry: nothing should have run', ru: 'в ответе есть поле "data", а выполняться ничего не должно было' },
    ],
  ];
}

const judged = (answer: GraphqlAnswer, expectations: Expectation[]): Observation => verdict(answer.sent, answer.got, expectations);

const OVER_HTTP = 'GraphQL over HTTP';

const queryChecks: CheckDefinition<GraphqlState>[] = [
  {
    id: 'post-query-200',
    name: { en: 'A query over POST: 200 with data', ru: 'Запрос через POST: 200 и data' },
    expected: {
      en: '200, application/json, {"data": {"users": {"nodes": [...]}}} and no errors',
      ru: '200, application/json, {"data": {"users": {"nodes": [...]}}} и никаких ошибок',
    },
    why: {
      clause: `${OVER_HTTP}, «POST», «application/json»`,
      text: {
        en: 'A POST carries {query, variables, operationName} as JSON; a client that accepts application/json gets the GraphQL response as application/json, with data once the operation ran.',
        ru: 'POST несёт {query, variables, operationName} в JSON; клиент, принимающий application/json, получает ответ GraphQL в application/json, с data, если операция выполнилась.',
      },
    },
    async run(context) {
      const answer = await postGraphql(context, { query: '{ users(first: 2) { nodes { id name email } } }' });
      return judged(answer, [
        statusIs(answer, 200),
        typeIs(answer, 'application/json'),
        ...dataWithoutErrors(answer),
        [Array.isArray(dig(answer.body?.data, 'users', 'nodes')), { en: 'data.users.nodes is not a list', ru: 'data.users.nodes — не список' }],
      ]);
    },
  },
  {
    id: 'get-query-200',
    name: { en: 'A query over GET, in the URL: 200 with data', ru: 'Запрос через GET, в URL: 200 и data' },
    expected: { en: '200 and data for GET /graphql?query=…', ru: '200 и data на GET /graphql?query=…' },
    why: {
      clause: `${OVER_HTTP}, «GET»`,
      text: {
        en: 'A query may go as GET with its parameters in the URL (query=, variables= as JSON): it is safe, so caches and links can use it.',
        ru: 'Запрос (query) можно отправить через GET с параметрами в URL (query=, variables= в JSON): он безопасен, поэтому его могут кэшировать и давать ссылкой.',
      },
    },
    async run(context) {
      const answer = await getGraphql(context, { query: '{ users(first: 1) { nodes { id } } }' });
      return judged(answer, [statusIs(answer, 200), ...dataWithoutErrors(answer)]);
    },
  },
  {
    id: 'mutation-create-user',
    name: { en: 'A mutation creates a user', ru: 'Мутация создаёт пользователя' },
    expected: { en: '200, data.createUser with an id and the email sent', ru: '200, data.createUser с id и отправленным email' },
    why: {
      clause: 'GraphQL spec §6.2.2 (Mutation)',
      text: {
        en: 'A mutation changes data and answers with what it made, here the new user and its id; its root fields run one after another.',
        ru: 'Мутация меняет данные и отвечает тем, что сделала, — здесь новым пользователем и его id; её корневые поля выполняются по очереди.',
      },
    },
    async run(_context, { made }) {
      if (!made.answer) return noUser(made);
      return judged(made.answer, [
        statusIs(made.answer, 200),
        ...dataWithoutErrors(made.answer),
        [made.id !== null, { en: 'data.createUser has no id', ru: 'в data.createUser нет id' }],
        [
          dig(made.answer.body?.data, 'createUser', 'email') === made.email,
          { en: 'data.createUser.email is not the email sent', ru: 'data.createUser.email — не тот email, что был отправлен' },
        ],
      ]);
    },
  },
  {
    id: 'variables',
    name: { en: 'Variables fill the arguments', ru: 'Переменные подставляются в аргументы' },
    expected: {
      en: 'query($id: ID!) { user(id: $id) { id email } } with {"id": the new user\'s id}: that user',
      ru: 'query($id: ID!) { user(id: $id) { id email } } с {"id": id нового пользователя}: этот пользователь',
    },
    why: {
      clause: `${OVER_HTTP}, «Request Parameters»; GraphQL spec §6.1.2`,
      text: {
        en: 'Values travel apart from the document, in "variables": the document stays the same (and cacheable), and no value is pasted into the query text.',
        ru: 'Значения передаются отдельно от документа, в "variables": документ остаётся тем же (и кэшируемым), и ни одно значение не вклеивается в текст запроса.',
      },
    },
    async run(context, { made }) {
      if (!made.id) return noUser(made);
      const answer = await postGraphql(context, { query: 'query UserById($id: ID!) { user(id: $id) { id email } }', variables: { id: made.id } });
      return judged(answer, [
        statusIs(answer, 200),
        ...dataWithoutErrors(answer),
        [
          dig(answer.body?.data, 'user', 'email') === made.email,
          { en: 'data.user is not the user whose id was sent', ru: 'data.user — не тот пользователь, чей id был отправлен' },
        ],
      ]);
    },
  },
  {
    id: 'operation-name',
    name: { en: 'operationName picks one of two operations', ru: 'operationName выбирает одну из двух операций' },
    expected: {
      en: 'with operationName "WithEmail": data.user has email and no name (the other operation did not run)',
      ru: 'с operationName "WithEmail": в data.user есть email и нет name (другая операция не выполнялась)',
    },
    why: {
      clause: 'GraphQL spec §6.1 (GetOperation); GraphQL over HTTP, «Request Parameters»',
      text: {
        en: 'A document may hold several operations; operationName says which one to run, and only that one runs.',
        ru: 'В документе может быть несколько операций; operationName говорит, какую выполнить, и выполняется только она.',
      },
    },
    async run(context, { made }) {
      if (!made.id) return noUser(made);
      const id = JSON.stringify(made.id);
      const query = `query WithName { user(id: ${id}) { name } }\nquery WithEmail { user(id: ${id}) { email } }`;
      const answer = await postGraphql(context, { query, operationName: 'WithEmail' });
      const user = dig(answer.body?.data, 'user') as Record<string, unknown> | undefined;
      return judged(answer, [
        statusIs(answer, 200),
        ...dataWithoutErrors(answer),
        [
          user?.email === made.email && !('name' in (user ?? {})),
          {
            en: `data.user is ${JSON.stringify(user)}, not the WithEmail operation's answer`,
            ru: `data.user — ${JSON.stringify(user)}, а не ответ операции WithEmail`,
          },
        ],
      ]);
    },
  },
];

const errorChecks: CheckDefinition<GraphqlState>[] = [
  {
    id: 'syntax-error-400',
    name: { en: 'A syntax error: 400, errors with locations, no data', ru: 'Синтаксическая ошибка: 400, errors с locations, без data' },
    expected: {
      en: `with Accept: ${GRAPHQL_RESPONSE_JSON}: 400, that media type, "errors" with "message" and "locations", no "data"`,
      ru: `с Accept: ${GRAPHQL_RESPONSE_JSON}: 400, этот же тип, "errors" с "message" и "locations", без "data"`,
    },
    why: {
      clause: `${OVER_HTTP}, «application/graphql-response+json»; GraphQL spec §7.1.2`,
      text: {
        en: 'A document that cannot be parsed never runs, so there is no data; with the GraphQL media type the status says so too (4xx), and each error points at the line and column.',
        ru: 'Документ, который не разобрать, не выполняется, поэтому data нет; с медиатипом GraphQL это говорит и статус (4xx), а каждая ошибка указывает строку и столбец.',
      },
    },
    async run(context) {
      const answer = await postGraphql(context, { query: '{ users(first: 1 { nodes { id } } }' }, GRAPHQL_RESPONSE_JSON);
      return judged(answer, [statusIs(answer, 400), typeIs(answer, GRAPHQL_RESPONSE_JSON), ...errorsWithoutData(answer, true)]);
    },
  },
  {
    id: 'validation-error-200',
    name: { en: 'An unknown field: errors, no data (200 with application/json)', ru: 'Неизвестное поле: errors без data (200 с application/json)' },
    expected: {
      en: 'with Accept: application/json: 200, application/json, "errors" with "message" and "locations", no "data"',
      ru: 'с Accept: application/json: 200, application/json, "errors" с "message" и "locations", без "data"',
    },
    why: {
      clause: `${OVER_HTTP}, «application/json»; GraphQL spec §5.3.1`,
      text: {
        en: 'A field the schema lacks fails validation, so nothing runs; with the legacy application/json the status stays 200 (old clients read only the body), and the errors tell what is wrong.',
        ru: 'Поле, которого нет в схеме, не проходит проверку (validation), и ничего не выполняется; со старым application/json статус остаётся 200 (старые клиенты читают только тело), а errors говорят, что не так.',
      },
    },
    async run(context) {
      const answer = await postGraphql(context, { query: '{ users(first: 1) { nodes { wirelabNoSuchField } } }' });
      return judged(answer, [statusIs(answer, 200), typeIs(answer, 'application/json'), ...errorsWithoutData(answer, true)]);
    },
  },
  {
    id: 'depth-limit',
    name: { en: 'A query nested too deep is refused', ru: 'Слишком глубокий запрос отклоняется' },
    expected: {
      en: `a query ${TOO_DEEP} levels deep (the contract allows 8): "errors" with a "message", no "data" (or "data": null), no 5xx`,
      ru: `запрос глубиной ${TOO_DEEP} уровней (контракт допускает 8): "errors" с "message", без "data" (или "data": null), без 5xx`,
    },
    why: {
      clause: "Wirelab's contract (depth 8, server/protocols/graphql/README.md); OWASP GraphQL Cheat Sheet, query limiting",
      text: {
        en: "Types that refer to each other (a user's posts, a post's author) let one request ask for a huge tree. The spec leaves limits to the server; a server that has none can be brought down by one request, so it refuses too deep a document before running anything.",
        ru: 'Типы, ссылающиеся друг на друга (посты пользователя, автор поста), позволяют одним запросом запросить огромное дерево. Спецификация оставляет ограничения серверу; сервер без них можно уронить одним запросом, поэтому слишком глубокий документ он отклоняет, ничего не выполняя.',
      },
    },
    async run(context, { made }) {
      if (!made.id) return noUser(made);
      const answer = await postGraphql(context, { query: nestedUserQuery(TOO_DEEP, made.id) });
      return judged(answer, [
        [
          answer.status < 500,
          { en: `status ${answer.status}: the server broke instead of refusing`, ru: `статус ${answer.status}: сервер сломался, а не отказал` },
        ],
        // Refused before execution, "data" is absent (GraphQL §7.1.2); a server that refuses in
        // its execution answers "data": null — nothing ran either way. Only data that is there ran.
        [
          answer.body?.hasData !== true || answer.body.data === null,
          {
            en: `the query ran (the answer has "data" that is not null): nothing refused ${TOO_DEEP} levels`,
            ru: `запрос выполнился (в ответе есть "data", и это не null): ${TOO_DEEP} уровней никто не отклонил`,
          },
        ],
        [answer.body !== null, { en: 'the body is not a JSON object', ru: 'тело — не JSON-объект' }],
        [
          errorsAreWellFormed(answer.body?.errors ?? null, false),
          { en: '"errors" is not a list of errors each with "message"', ru: '"errors" — не список ошибок, в каждой из которых есть "message"' },
        ],
      ]);
    },
  },
  {
    id: 'get-mutation-405',
    name: { en: 'A mutation over GET: 405 with Allow: POST', ru: 'Мутация через GET: 405 и Allow: POST' },
    expected: {
      en: '405 Method Not Allowed, an Allow header naming POST, nothing created',
      ru: '405 Method Not Allowed, заголовок Allow с POST, ничего не создано',
    },
    why: {
      clause: `${OVER_HTTP}, «GET»; RFC 9110 §15.5.6`,
      text: {
        en: 'GET is safe: a link, a prefetch or a cache may send it. A mutation over GET MUST be refused with 405, and a 405 carries Allow.',
        ru: 'GET безопасен: его может отправить ссылка, предзагрузка или кэш. Мутацию через GET сервер ОБЯЗАН отклонить с 405, а ответ 405 несёт Allow.',
      },
    },
    async run(context, state) {
      const email = `wirelab-graphql-get-${markedUnique(context)}@example.com`;
      const answer = await getGraphql(context, { query: `mutation { createUser(input: { name: "Made over GET", email: ${JSON.stringify(email)} }) { id } }` });
      // a server that ran it anyway made a user: clean that up too
      const madeAnyway = idOf(dig(answer.body?.data, 'createUser', 'id'));
      if (madeAnyway) state.createdIds.push(madeAnyway);
      return judged(answer, [
        statusIs(answer, 405),
        [
          /\bPOST\b/i.test(String(answer.headers.allow ?? '')),
          { en: `Allow is ${answer.headers.allow ?? 'missing'}, not one naming POST`, ru: `Allow: ${answer.headers.allow ?? 'нет'}, а должен называть POST` },
        ],
        [!madeAnyway, { en: 'the mutation ran: a user was created', ru: 'мутация выполнилась: пользователь создан' }],
      ]);
    },
  },
];

export const graphqlSuite = defineSuite<GraphqlState>({
  async prepare(context) {
    const state: GraphqlState = { made: { id: null, email: '', answer: null }, createdIds: [], waits: new EventWaits() };
    state.made = await createUserByMutation(context, state, 'made');
    return state;
  },
  checks: [...queryChecks, ...errorChecks, ...auditChecks, ...httpRuleChecks, ...subscriptionChecks],
  async cleanUp(context, { createdIds }) {
    for (const id of createdIds) {
      await postGraphql(context, { query: 'mutation Remove($id: ID!) { deleteUser(id: $id) }', variables: { id } }).catch(() => undefined);
    }
  },
});
