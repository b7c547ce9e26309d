// More of GraphQL over HTTP's MUSTs (issue 38, item 6): graphql-http's MUST audits not in
// graphql-audits.ts (2C94/03D4, which send the same request, and 13EE), EE52 (its suite lists it
// but does not run it), 51FE (a SHOULD there until the spec's watershed; the spec says MUST), the
// spec's status rules for application/graphql-response+json, its GET parameters in the URL, and
// unknown request properties. Each is a MUST of the spec (github.com/graphql/graphql-over-http,
// spec/GraphQLOverHTTP.md); its SHOULDs are left out: the report has no "warning" grade.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { verdict, type CheckDefinition, type SuiteContext, type Expectation } from '../check-kit.ts';
import { getGraphql, GRAPHQL_PATH, GRAPHQL_RESPONSE_JSON, readGraphqlBody, type GraphqlAnswer, type GraphqlRequest } from '../graphql-client.ts';
import { httpExchange, type HttpAnswer } from '../http-exchange.ts';
import type { GraphqlState } from './graphql-users.ts';

const SPEC = 'GraphQL over HTTP';
const TYPENAME = '{ __typename }';
const TYPE_BY_NAME = 'query Type($name: String!) { __type(name: $name) { name } }';

const statusIs = (answer: HttpAnswer, status: number): Expectation => [
  answer.status === status,
  { en: `status ${answer.status}, not ${status}`, ru: `статус ${answer.status}, а не ${status}` },
];

function noErrors(answer: HttpAnswer): Expectation {
  const body = readGraphqlBody(answer.text);
  return [
    body !== null && (!body.errors || body.errors.length === 0),
    body === null
      ? { en: 'the body is not a GraphQL response (a JSON object)', ru: 'тело — не ответ GraphQL (JSON-объект)' }
      : {
          en: `the answer has errors: ${JSON.stringify(body.errors)?.slice(0, 300)}`,
          ru: `в ответе есть ошибки: ${JSON.stringify(body.errors)?.slice(0, 300)}`,
        },
  ];
}

const post = (headers: Record<string, string | undefined>, body: Record<string, unknown>) => (context: SuiteContext) =>
  httpExchange(context, { method: 'POST', path: GRAPHQL_PATH, headers: { 'content-type': 'application/json', ...headers }, body });

const postChecks: CheckDefinition<GraphqlState>[] = [
  {
    id: 'post-no-accept-2C94',
    name: { en: 'A POST without Accept is answered', ru: 'На POST без Accept отвечают' },
    expected: { en: '{ __typename } as application/json, no Accept header: 200', ru: '{ __typename } в application/json без заголовка Accept: 200' },
    why: {
      clause: `${SPEC}, «POST»: a server MUST support POST requests encoded with application/json; graphql-http audits 2C94 and 03D4`,
      text: {
        en: 'curl and many scripts send no Accept at all; a server must still run a well-formed POST (which type it answers with is only a SHOULD).',
        ru: 'curl и многие скрипты не шлют Accept вовсе; корректный POST сервер всё равно обязан выполнить (каким типом отвечать — лишь рекомендация).',
      },
    },
    async run(context) {
      const answer = await post({ accept: undefined }, { query: TYPENAME })(context);
      return verdict(answer.sent, answer.got, [statusIs(answer, 200)]);
    },
  },
  {
    id: 'string-query-13EE',
    name: { en: 'A successful answer has no "errors" entry', ru: 'В успешном ответе нет поля "errors"' },
    expected: {
      en: '{ __typename } with Accept: application/json: 200 and no "errors" entry at all',
      ru: '{ __typename } с Accept: application/json: 200 и никакого поля "errors"',
    },
    why: {
      clause: `${SPEC}, graphql-http audit 13EE: MUST allow string {query} parameter when accepting application/json; GraphQL spec §7.1.2 (errors, if present, is not empty)`,
      text: {
        en: 'Clients tell success from failure by the presence of "errors"; an empty "errors": [] on a query that ran is a response the GraphQL spec does not allow.',
        ru: 'Клиенты отличают успех от неудачи по наличию "errors"; пустой "errors": [] у выполненного запроса — ответ, которого спецификация GraphQL не допускает.',
      },
    },
    async run(context) {
      const answer = await post({ accept: 'application/json' }, { query: TYPENAME })(context);
      const body = readGraphqlBody(answer.text);
      const parsed = body === null ? null : (JSON.parse(answer.text) as Record<string, unknown>);
      return verdict(answer.sent, answer.got, [
        statusIs(answer, 200),
        [body !== null, { en: 'the body is not a JSON object', ru: 'тело — не JSON-объект' }],
        [
          parsed === null || !('errors' in parsed),
          {
            en: `the answer has an "errors" entry: ${JSON.stringify(parsed?.errors)?.slice(0, 300)}`,
            ru: `в ответе есть поле "errors": ${JSON.stringify(parsed?.errors)?.slice(0, 300)}`,
          },
        ],
      ]);
    },
  },
  {
    id: 'unknown-property-ignored',
    name: { en: 'An unknown request property is ignored', ru: 'Неизвестное свойство запроса игнорируется' },
    expected: { en: '{ __typename } with "wirelabUnknown": 1 beside it: 200, no errors', ru: '{ __typename } и рядом "wirelabUnknown": 1: 200, без ошибок' },
    why: {
      clause: `${SPEC}, «Request Parameters»: servers receiving a request with additional properties MUST ignore properties they do not understand`,
      text: {
        en: 'Tools add their own properties (a document id, a hash); a server that refuses what it does not know breaks every such client.',
        ru: 'Инструменты добавляют свои свойства (id документа, хэш); сервер, отвергающий незнакомое, ломает всех таких клиентов.',
      },
    },
    async run(context) {
      const answer = await post({ accept: 'application/json' }, { query: TYPENAME, wirelabUnknown: 1 })(context);
      return verdict(answer.sent, answer.got, [statusIs(answer, 200), noErrors(answer)]);
    },
  },
];

const GRAPHQL_TYPE_RULE = `${SPEC}, «application/graphql-response+json»`;

const statusChecks: CheckDefinition<GraphqlState>[] = [
  {
    id: 'data-2xx-EE52',
    name: { en: 'Data with the GraphQL media type: a 2xx status', ru: 'Данные с медиатипом GraphQL: статус 2xx' },
    expected: {
      en: `{ __typename } with Accept: ${GRAPHQL_RESPONSE_JSON}: a 2xx status and "data" that is not null`,
      ru: `{ __typename } с Accept: ${GRAPHQL_RESPONSE_JSON}: статус 2xx и "data", не равное null`,
    },
    why: {
      clause: `${GRAPHQL_TYPE_RULE}: if the response contains data that is not null, the server MUST reply with a 2xx status code (graphql-http audit EE52, listed there but not run)`,
      text: {
        en: 'With the GraphQL media type the status is read by gateways, logs and monitoring: an operation that ran is a success there too.',
        ru: 'С медиатипом GraphQL статус читают шлюзы, журналы и мониторинг: выполненная операция должна быть успехом и для них.',
      },
    },
    async run(context) {
      const answer = await post({ accept: GRAPHQL_RESPONSE_JSON }, { query: TYPENAME })(context);
      const body = readGraphqlBody(answer.text);
      return verdict(answer.sent, answer.got, [
        [answer.status >= 200 && answer.status < 300, { en: `status ${answer.status}, not 2xx`, ru: `статус ${answer.status}, а не 2xx` }],
        [body?.hasData === true && body.data !== null, { en: 'there is no "data" that is not null', ru: 'нет "data", отличного от null' }],
      ]);
    },
  },
  {
    id: 'no-data-4xx-51FE',
    name: { en: 'A validation error with the GraphQL media type: 4xx or 5xx', ru: 'Ошибка валидации с медиатипом GraphQL: 4xx или 5xx' },
    expected: {
      en: `{ wirelabNoSuchField } with Accept: ${GRAPHQL_RESPONSE_JSON}: no "data", a 4xx or 5xx status`,
      ru: `{ wirelabNoSuchField } с Accept: ${GRAPHQL_RESPONSE_JSON}: без "data", статус 4xx или 5xx`,
    },
    why: {
      clause: `${GRAPHQL_TYPE_RULE}: if the response does not contain the data entry, the server MUST reply with a 4xx or 5xx status code (graphql-http audit 51FE, graded SHOULD there until its watershed)`,
      text: {
        en: 'A document that fails validation never runs: with the GraphQL media type a 200 would tell every proxy and log that it succeeded.',
        ru: 'Документ, не прошедший проверку, не выполняется: 200 с медиатипом GraphQL сказал бы каждому прокси и журналу, что всё удалось.',
      },
    },
    async run(context) {
      const answer = await post({ accept: GRAPHQL_RESPONSE_JSON }, { query: '{ wirelabNoSuchField }' })(context);
      const body = readGraphqlBody(answer.text);
      return verdict(answer.sent, answer.got, [
        [body !== null && !body.hasData, { en: 'the answer is not errors without "data"', ru: 'ответ — не ошибки без "data"' }],
        [answer.status >= 400 && answer.status < 600, { en: `status ${answer.status}, not 4xx or 5xx`, ru: `статус ${answer.status}, а не 4xx или 5xx` }],
      ]);
    },
  },
];

interface GetRule {
  id: string;
  name: Bilingual;
  expected: Bilingual;
  rule: string;
  text: Bilingual;
  request: GraphqlRequest;
  judge(answer: GraphqlAnswer): Expectation[];
}

const GET_RULES: GetRule[] = [
  {
    id: 'get-variables-json',
    name: { en: 'GET: variables as JSON in the URL', ru: 'GET: variables в URL в виде JSON' },
    expected: {
      en: `GET /graphql?query=${TYPE_BY_NAME}&variables={"name":"sometype"}: 200, no errors`,
      ru: `GET /graphql?query=${TYPE_BY_NAME}&variables={"name":"sometype"}: 200, без ошибок`,
    },
    rule: 'each of the {variables} and {extensions} parameters MUST be encoded as a JSON string (graphql-http audit 6A70)',
    text: {
      en: 'In a URL every parameter is a string: variables come as JSON, and the server decodes them before running the query.',
      ru: 'В URL любой параметр — строка: variables приходят в JSON, и сервер раскодирует их, прежде чем выполнить запрос.',
    },
    request: { query: TYPE_BY_NAME, variables: { name: 'sometype' } },
    judge: (answer) => [statusIs(answer, 200), noErrors(answer)],
  },
  {
    id: 'get-extensions-json',
    name: { en: 'GET: extensions as JSON in the URL', ru: 'GET: extensions в URL в виде JSON' },
    expected: {
      en: 'GET /graphql?query={ __typename }&extensions={"some":"value"}: 200, no errors',
      ru: 'GET /graphql?query={ __typename }&extensions={"some":"value"}: 200, без ошибок',
    },
    rule: 'each of the {variables} and {extensions} parameters MUST be encoded as a JSON string',
    text: {
      en: 'Persisted-query clients put their hash in extensions of a GET; a server that does not use it must still run the query.',
      ru: 'Клиенты сохранённых запросов кладут хэш в extensions у GET; сервер, который его не использует, всё равно обязан выполнить запрос.',
    },
    request: { query: TYPENAME, extensions: { some: 'value' } },
    judge: (answer) => [statusIs(answer, 200), noErrors(answer)],
  },
  {
    id: 'get-operation-name',
    name: { en: 'GET: operationName in the URL picks the operation', ru: 'GET: operationName в URL выбирает операцию' },
    expected: {
      en: 'GET with query "query A { a: __typename } query B { b: __typename }" and operationName=B: 200, data.b and no data.a',
      ru: 'GET с query "query A { a: __typename } query B { b: __typename }" и operationName=B: 200, data.b и никакого data.a',
    },
    rule: 'the {operationName} parameter, if present and not the empty string, represents the name of the operation to be executed',
    text: {
      en: 'A GET carries the same parameters as a POST: with two operations in the document, operationName in the URL says which one runs.',
      ru: 'GET несёт те же параметры, что и POST: если в документе две операции, operationName в URL говорит, какая выполняется.',
    },
    request: { query: 'query A { a: __typename } query B { b: __typename }', operationName: 'B' },
    judge: (answer) => {
      const data = (answer.body?.data ?? null) as Record<string, unknown> | null;
      return [
        statusIs(answer, 200),
        noErrors(answer),
        [
          typeof data?.b === 'string' && !('a' in (data ?? {})),
          { en: `data is ${JSON.stringify(data)}, not operation B's answer`, ru: `data — ${JSON.stringify(data)}, а не ответ операции B` },
        ],
      ];
    },
  },
];

const getChecks: CheckDefinition<GraphqlState>[] = GET_RULES.map((rule) => ({
  id: rule.id,
  name: rule.name,
  expected: rule.expected,
  why: { clause: `${SPEC}, «GET»: ${rule.rule}`, text: rule.text },
  async run(context) {
    const answer = await getGraphql(context, rule.request);
    return verdict(answer.sent, answer.got, rule.judge(answer));
  },
}));

export const httpRuleChecks: CheckDefinition<GraphqlState>[] = [...postChecks, ...statusChecks, ...getChecks];
