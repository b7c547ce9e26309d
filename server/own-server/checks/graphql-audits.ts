// graphql-http's MUST audits (github.com/graphql/graphql-http, src/audits/server.ts) a GraphQL over
// HTTP server must pass: each check is one audit, named with its id, sending what the audit sends
// (issue 38, item 6). Its SHOULD and MAY audits are left out: the report has no "warning" grade,
// and a server the spec allows must never fail.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { verdict, type CheckDefinition, type Expectation } from '../check-kit.ts';
import { GRAPHQL_PATH, readGraphqlBody } from '../graphql-client.ts';
import { httpExchange, mediaType, type HttpAnswer } from '../http-exchange.ts';
import type { GraphqlState } from './graphql-users.ts';

const TYPENAME = '{ __typename }';

const status200 = (answer: HttpAnswer): Expectation => [
  answer.status === 200,
  { en: `status ${answer.status}, not 200`, ru: `статус ${answer.status}, а не 200` },
];

function noErrors(answer: HttpAnswer): Expectation {
  const body = readGraphqlBody(answer.text);
  const errors = body?.errors;
  return [
    body !== null && (!errors || errors.length === 0),
    body === null
      ? { en: 'the body is not a GraphQL response (a JSON object)', ru: 'тело — не ответ GraphQL (JSON-объект)' }
      : { en: `the answer has errors: ${JSON.stringify(errors)?.slice(0, 300)}`, ru: `в ответе есть ошибки: ${JSON.stringify(errors)?.slice(0, 300)}` },
  ];
}

function utf8Body(answer: HttpAnswer): Expectation {
  let decodes = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(answer.bytes);
  } catch {
    decodes = false;
  }
  return [decodes, { en: 'the body is not valid UTF-8', ru: 'тело — некорректный UTF-8' }];
}

interface Audit {
  /** graphql-http's audit id, as its report prints it. */
  audit: string;
  id: string;
  title: string;
  name: Bilingual;
  expected: Bilingual;
  text: Bilingual;
  body: Record<string, unknown>;
  contentType?: string;
  judge(answer: HttpAnswer): Expectation[];
}

const nullParameter = (parameter: 'operationName' | 'variables' | 'extensions', audit: string): Audit => ({
  audit,
  id: `null-${parameter.replace('operationName', 'operation-name')}-${audit}`,
  title: `MUST allow null {${parameter}} parameter when accepting application/json`,
  name: { en: `"${parameter}": null is allowed`, ru: `"${parameter}": null допустим` },
  expected: { en: `{ __typename } with "${parameter}": null: 200, no errors`, ru: `{ __typename } с "${parameter}": null: 200, без ошибок` },
  text: {
    en: `A client library sends "${parameter}": null when it has none; that is the same as leaving it out.`,
    ru: `Клиентская библиотека шлёт "${parameter}": null, когда его нет; это то же, что не прислать его вовсе.`,
  },
  body: { query: TYPENAME, [parameter]: null },
  judge: (answer) => [status200(answer), noErrors(answer)],
});

const AUDITS: Audit[] = [
  {
    audit: '4655',
    id: 'accept-json-4655',
    title: 'MUST accept application/json and match the content-type',
    name: { en: 'Accept: application/json is answered as JSON', ru: 'На Accept: application/json отвечают JSON' },
    expected: {
      en: '{ __typename } with Accept: application/json: 200, Content-Type application/json',
      ru: '{ __typename } с Accept: application/json: 200, Content-Type application/json',
    },
    text: {
      en: 'application/json is the type every GraphQL client understands; the answer must be of the type asked for.',
      ru: 'application/json понимает любой клиент GraphQL; ответ должен быть того типа, который просили.',
    },
    body: { query: TYPENAME },
    judge: (answer) => [
      status200(answer),
      [
        mediaType(answer.headers) === 'application/json',
        { en: `Content-Type is ${mediaType(answer.headers) || 'missing'}`, ru: `Content-Type: ${mediaType(answer.headers) || 'нет'}` },
      ],
    ],
  },
  {
    audit: '82A3',
    id: 'utf8-response-82A3',
    title: 'MUST use utf-8 encoding when responding',
    name: { en: 'The answer is UTF-8', ru: 'Ответ в UTF-8' },
    expected: { en: '200, a body that decodes as UTF-8', ru: '200 и тело, которое декодируется как UTF-8' },
    text: { en: 'GraphQL over HTTP answers are always UTF-8.', ru: 'Ответы GraphQL over HTTP всегда в UTF-8.' },
    body: { query: TYPENAME },
    judge: (answer) => [status200(answer), utf8Body(answer)],
  },
  {
    audit: 'BF61',
    id: 'utf8-request-BF61',
    title: 'MUST accept utf-8 encoded request',
    name: { en: 'A UTF-8 request with emoji is accepted', ru: 'Запрос в UTF-8 с эмодзи принимается' },
    expected: {
      en: 'Content-Type: application/json; charset=utf-8 and a query with "Run🏃Swim🏊" in it: 200',
      ru: 'Content-Type: application/json; charset=utf-8 и запрос с "Run🏃Swim🏊": 200',
    },
    text: { en: 'A request body is UTF-8; characters outside the BMP must come through.', ru: 'Тело запроса в UTF-8; символы вне BMP должны проходить.' },
    body: { query: '{ __type(name: "Run🏃Swim🏊") { name } }' },
    contentType: 'application/json; charset=utf-8',
    judge: (answer) => [status200(answer)],
  },
  {
    audit: '78D5',
    id: 'utf8-assumed-78D5',
    title: 'MUST assume utf-8 in request if encoding is unspecified',
    name: { en: 'No charset means UTF-8', ru: 'Без charset — значит UTF-8' },
    expected: {
      en: 'Content-Type: application/json without charset, a Cyrillic string: 200',
      ru: 'Content-Type: application/json без charset, строка на кириллице: 200',
    },
    text: { en: 'Without a charset parameter the server reads the body as UTF-8.', ru: 'Без параметра charset сервер читает тело как UTF-8.' },
    body: { query: '{ __type(name: "Пользователь") { name } }' },
    judge: (answer) => [status200(answer)],
  },
  {
    audit: 'B8B3',
    id: 'string-operation-name-B8B3',
    title: 'MUST allow string {operationName} parameter when accepting application/json',
    name: { en: 'operationName naming the only operation', ru: 'operationName, называющий единственную операцию' },
    expected: {
      en: 'query Query { __typename } with "operationName": "Query": 200, no errors',
      ru: 'query Query { __typename } с "operationName": "Query": 200, без ошибок',
    },
    text: {
      en: "Clients such as Apollo always send the operation's name, even for a document with one operation.",
      ru: 'Клиенты вроде Apollo всегда шлют имя операции, даже если в документе она одна.',
    },
    body: { operationName: 'Query', query: 'query Query { __typename }' },
    judge: (answer) => [status200(answer), noErrors(answer)],
  },
  nullParameter('operationName', '0220'),
  nullParameter('variables', '0221'),
  nullParameter('extensions', '0222'),
  {
    audit: '28B9',
    id: 'map-variables-28B9',
    title: 'MUST allow map {variables} parameter when accepting application/json',
    name: { en: 'Variables of an introspection query', ru: 'Переменные запроса интроспекции' },
    expected: {
      en: 'query Type($name: String!) { __type(name: $name) { name } } with variables {"name": "sometype"}: 200, no errors',
      ru: 'query Type($name: String!) { __type(name: $name) { name } } с variables {"name": "sometype"}: 200, без ошибок',
    },
    text: { en: "variables is a JSON object of the values the operation's variables take.", ru: 'variables — JSON-объект значений переменных операции.' },
    body: { query: 'query Type($name: String!) { __type(name: $name) { name } }', variables: { name: 'sometype' } },
    judge: (answer) => [status200(answer), noErrors(answer)],
  },
  {
    audit: '1B7A',
    id: 'map-extensions-1B7A',
    title: 'MUST allow map {extensions} parameter when accepting application/json',
    name: { en: 'An extensions map is allowed', ru: 'Словарь extensions допустим' },
    expected: {
      en: '{ __typename } with "extensions": {"some": "value"}: 200, no errors',
      ru: '{ __typename } с "extensions": {"some": "value"}: 200, без ошибок',
    },
    text: {
      en: 'extensions carries what clients add (persisted query hashes, tracing); a server that does not use it must still accept it.',
      ru: 'В extensions клиенты кладут своё (хэши сохранённых запросов, трассировку); сервер, который их не использует, всё равно обязан принять.',
    },
    body: { query: TYPENAME, extensions: { some: 'value' } },
    judge: (answer) => [status200(answer), noErrors(answer)],
  },
];

export const auditChecks: CheckDefinition<GraphqlState>[] = AUDITS.map((audit) => ({
  id: audit.id,
  name: audit.name,
  expected: audit.expected,
  why: { clause: `GraphQL over HTTP, graphql-http audit ${audit.audit}: ${audit.title}`, text: audit.text },
  async run(context) {
    const answer = await httpExchange(context, {
      method: 'POST',
      path: GRAPHQL_PATH,
      headers: { accept: 'application/json', 'content-type': audit.contentType ?? 'application/json' },
      body: audit.body,
    });
    return verdict(answer.sent, answer.got, audit.judge(answer));
  },
}));
