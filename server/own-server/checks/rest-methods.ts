// REST checks beyond the basic sixteen (checks/rest.ts), from the categories outside suites test an
// HTTP API in (issue 38, item 6): method semantics (RFC 9110 §9, REDbot's HEAD and Allow), content
// negotiation and media types (§8.3, §12.5, §15.5.16), errors as RFC 9457 problem details, and the
// paging Wirelab's contract teaches (lesson 2: Link with first, prev, next, last; RFC 8288).
import type { Bilingual } from '../../../shared/bilingual.ts';
import type { CheckDefinition, Expectation } from '../check-kit.ts';
import { httpExchange, mediaType, parseJson, type HttpAnswer } from '../http-exchange.ts';
import { ACCEPT, exchange, headerText, isProblem, newUser, noUser, problemIs, statusIs, USERS, verdictOf, type RestState } from './rest-kit.ts';

const methodsOf = (answer: HttpAnswer) =>
  headerText(answer, 'allow')
    .split(',')
    .map((method) => method.trim().toUpperCase())
    .filter(Boolean);

function allowLists(answer: HttpAnswer, present: string[], absent: string[]): Expectation {
  const methods = methodsOf(answer);
  const listed = headerText(answer, 'allow') || (answer.headers.allow === undefined ? '—' : '""');
  return [
    present.every((method) => methods.includes(method)) && absent.every((method) => !methods.includes(method)),
    {
      en: `Allow: ${listed}; it should list ${present.join(' and ')}${absent.length ? `, not ${absent.join(', ')}` : ''}`,
      ru: `Allow: ${listed}; в нём должны быть ${present.join(' и ')}${absent.length ? `, но не ${absent.join(', ')}` : ''}`,
    },
  ];
}

/** The body that follows a HEAD answer's headers in the raw bytes, if the server sent one. */
const bodyAfterHead = (got: string) => (got.includes('\n\n') ? got.slice(got.indexOf('\n\n') + 2) : '');

export const methodChecks: CheckDefinition<RestState>[] = [
  {
    id: 'head-like-get',
    name: { en: 'HEAD: the headers of GET, no body', ru: 'HEAD: заголовки GET без тела' },
    expected: { en: '200, the same Content-Type and ETag as GET, not one byte of body', ru: '200, те же Content-Type и ETag, что у GET, и ни байта тела' },
    why: {
      clause: 'RFC 9110 §9.3.2, §9.1',
      text: {
        en: "Every general-purpose server MUST support HEAD: GET's answer without its content, so a client checks a resource (its ETag, its size) without downloading it.",
        ru: 'Любой сервер общего назначения ОБЯЗАН поддерживать HEAD: ответ GET без содержимого, чтобы клиент проверил ресурс (ETag, размер), не скачивая его.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      const get = await httpExchange(context, { method: 'GET', path: first.path, headers: ACCEPT });
      const head = await httpExchange(context, { method: 'HEAD', path: first.path, headers: ACCEPT });
      return verdictOf(
        [get, head],
        [
          statusIs(head, 200),
          [bodyAfterHead(head.got).length === 0, { en: 'the HEAD answer came with a body', ru: 'ответ на HEAD пришёл с телом' }],
          [
            mediaType(head.headers) === mediaType(get.headers),
            {
              en: `Content-Type ${mediaType(head.headers) || 'none'}, GET's is ${mediaType(get.headers) || 'none'}`,
              ru: `Content-Type: ${mediaType(head.headers) || 'нет'}, а у GET — ${mediaType(get.headers) || 'нет'}`,
            },
          ],
          [
            headerText(head, 'etag') === headerText(get, 'etag'),
            {
              en: `ETag ${headerText(head, 'etag') || 'none'}, GET's is ${headerText(get, 'etag') || 'none'}`,
              ru: `ETag: ${headerText(head, 'etag') || 'нет'}, а у GET — ${headerText(get, 'etag') || 'нет'}`,
            },
          ],
        ],
      );
    },
  },
  {
    id: 'options-allow',
    name: { en: 'OPTIONS on the collection: what it allows', ru: 'OPTIONS на коллекцию: что она разрешает' },
    expected: {
      en: '2xx with Allow listing GET and POST (a 405 with such an Allow is right too: OPTIONS is optional)',
      ru: '2xx и Allow с GET и POST (405 с таким Allow тоже верен: OPTIONS не обязателен)',
    },
    why: {
      clause: 'RFC 9110 §9.3.7, §10.2.1',
      text: {
        en: 'OPTIONS asks what a resource can do; Allow answers with the methods it supports. A server need not implement OPTIONS, but whatever it answers must not hide a method that works.',
        ru: 'OPTIONS спрашивает, что умеет ресурс; Allow отвечает списком поддерживаемых методов. Реализовывать OPTIONS не обязательно, но ответ не должен скрывать работающий метод.',
      },
    },
    run: (context) =>
      exchange(context, { method: 'OPTIONS', path: USERS }, (answer) => [
        [
          (answer.status >= 200 && answer.status < 300) || answer.status === 405,
          { en: `status ${answer.status}, not 2xx or 405`, ru: `статус ${answer.status}, а не 2xx или 405` },
        ],
        allowLists(answer, ['GET', 'POST'], []),
      ]),
  },
  {
    id: 'allow-lists-methods',
    name: { en: 'A 405 lists the methods that work', ru: '405 перечисляет работающие методы' },
    expected: {
      en: 'DELETE on the collection: 405 with Allow listing GET and POST, not DELETE',
      ru: 'DELETE на коллекцию: 405 и Allow с GET и POST, без DELETE',
    },
    why: {
      clause: 'RFC 9110 §10.2.1, §15.5.6',
      text: {
        en: 'Allow lists the methods the resource supports: a client reads it to find what it may do instead, so a method missing from it is one the client never tries.',
        ru: 'Allow перечисляет методы, которые ресурс поддерживает: клиент читает его, чтобы понять, что можно вместо этого, и метод, которого там нет, он не попробует.',
      },
    },
    run: (context) =>
      exchange(context, { method: 'DELETE', path: USERS }, (answer) => [statusIs(answer, 405), allowLists(answer, ['GET', 'POST'], ['DELETE'])]),
  },
  {
    id: 'member-post-405',
    name: { en: 'POST on one user: 405 with Allow', ru: 'POST на одного пользователя: 405 и Allow' },
    expected: { en: '405 with Allow listing GET, not POST; nothing created', ru: '405 и Allow с GET, без POST; ничего не создано' },
    why: {
      clause: 'RFC 9110 §15.5.6, §9.3.3',
      text: {
        en: 'Users are created on the collection; a POST to one user is a method this resource does not support: 405, and Allow says what it does.',
        ru: 'Пользователей создают на коллекции; POST на одного пользователя — метод, которого этот ресурс не поддерживает: 405, а Allow говорит, что он умеет.',
      },
    },
    async run(context, { first, strays, runTag }) {
      if (!first.path) return noUser(first);
      return exchange(
        context,
        { method: 'POST', path: first.path, body: newUser('member-post', runTag) },
        (answer) => [statusIs(answer, 405), allowLists(answer, ['GET'], ['POST'])],
        strays,
      );
    },
  },
  {
    id: 'unknown-path-404',
    name: { en: 'A path that is not there: 404', ru: 'Несуществующий путь: 404' },
    expected: { en: '404 for /api/v1/wirelab-no-such-collection', ru: '404 на /api/v1/wirelab-no-such-collection' },
    why: {
      clause: 'RFC 9110 §15.5.5',
      text: {
        en: 'A URL the server has nothing at is 404: a 200 there (a catch-all page, say) tells a client a typo worked.',
        ru: 'URL, по которому у сервера ничего нет, — это 404; 200 там (например, страница-заглушка на всё) говорит клиенту, что опечатка сработала.',
      },
    },
    run: (context) => exchange(context, { method: 'GET', path: '/api/v1/wirelab-no-such-collection' }, (answer) => [statusIs(answer, 404)]),
  },
];

export const negotiationChecks: CheckDefinition<RestState>[] = [
  {
    id: 'accept-unsatisfiable',
    name: { en: 'Accept the server cannot give: 406 or JSON', ru: 'Accept, который сервер не может дать: 406 или JSON' },
    expected: {
      en: '406 Not Acceptable, or the user as application/json (ignoring Accept is allowed); never a 5xx or JSON labelled XML',
      ru: '406 Not Acceptable или пользователь в application/json (игнорировать Accept разрешено); никаких 5xx и JSON с ярлыком XML',
    },
    why: {
      clause: 'RFC 9110 §12.5.1, §15.5.7',
      text: {
        en: 'For an Accept it cannot satisfy a server either answers 406 or disregards the header and sends its default representation. Both are right; an error or a mislabelled body is not.',
        ru: 'На Accept, который нельзя удовлетворить, сервер либо отвечает 406, либо не учитывает заголовок и шлёт представление по умолчанию. Верно и то и другое; ошибка или тело с чужим ярлыком — нет.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      return exchange(context, { method: 'GET', path: first.path, headers: { accept: 'application/xml' } }, (answer) => [
        [
          answer.status === 406 || (answer.status === 200 && mediaType(answer.headers) === 'application/json' && parseJson(answer.text) !== undefined),
          {
            en: `status ${answer.status} with Content-Type ${mediaType(answer.headers) || 'none'}: neither 406 nor the JSON default`,
            ru: `статус ${answer.status}, Content-Type: ${mediaType(answer.headers) || 'нет'} — ни 406, ни JSON по умолчанию`,
          },
        ],
      ]);
    },
  },
  {
    id: 'json-with-charset-201',
    name: { en: 'application/json; charset=utf-8 is JSON', ru: 'application/json; charset=utf-8 — это JSON' },
    expected: { en: '201: a media type with a parameter is still application/json', ru: '201: тип с параметром — всё равно application/json' },
    why: {
      clause: 'RFC 9110 §8.3.1',
      text: {
        en: 'A media type is type/subtype and optional parameters; clients (browsers, requests, axios) often add "; charset=utf-8". Comparing the whole header as a string refuses them.',
        ru: 'Тип данных — это тип/подтип и необязательные параметры; клиенты (браузеры, requests, axios) часто добавляют «; charset=utf-8». Сравнение заголовка целиком как строки их отвергает.',
      },
    },
    run: (context, { strays, runTag }) =>
      exchange(
        context,
        { method: 'POST', path: USERS, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(newUser('charset', runTag)) },
        (answer) => [statusIs(answer, 201)],
        strays,
      ),
  },
  {
    id: 'empty-json-body-400',
    name: { en: 'An empty JSON body: 400 problem+json', ru: 'Пустое тело JSON: 400 problem+json' },
    expected: { en: '400 with application/problem+json', ru: '400 с application/problem+json' },
    why: {
      clause: 'RFC 8259 §2; RFC 9110 §15.5.1',
      text: {
        en: 'Zero bytes are not a JSON text (one value is the least): a body that says application/json and is empty is malformed, 400, not an empty object.',
        ru: 'Ноль байт — не JSON-текст (минимум одно значение): тело с application/json, но пустое, — синтаксически неверно, это 400, а не пустой объект.',
      },
    },
    run: (context, { strays }) =>
      exchange(
        context,
        { method: 'POST', path: USERS, headers: { 'content-type': 'application/json' }, body: '' },
        (answer) => [statusIs(answer, 400), problemIs(answer, 400)],
        strays,
      ),
  },
];

export const problemChecks: CheckDefinition<RestState>[] = [
  {
    id: 'conflict-problem',
    name: { en: 'The 409 is problem+json', ru: '409 — в виде problem+json' },
    expected: { en: '409 with application/problem+json: "status": 409 and a "title"', ru: '409 с application/problem+json: "status": 409 и "title"' },
    why: {
      clause: 'RFC 9457 §3, §3.1.2',
      text: {
        en: 'Every error in the same shape, a conflict too: the client reads which field clashed the way it reads a 404.',
        ru: 'Каждая ошибка в одном виде, и конфликт тоже: клиент узнаёт, какое поле столкнулось, так же, как читает 404.',
      },
    },
    async run(context, { first, strays }) {
      if (first.id === null) return noUser(first);
      return exchange(
        context,
        { method: 'POST', path: USERS, body: { name: 'Duplicate', email: first.email } },
        (answer) => [statusIs(answer, 409), problemIs(answer, 409)],
        strays,
      );
    },
  },
  {
    id: 'unsupported-media-type-problem',
    name: { en: 'The 415 is problem+json', ru: '415 — в виде problem+json' },
    expected: { en: '415 with application/problem+json: "status": 415 and a "title"', ru: '415 с application/problem+json: "status": 415 и "title"' },
    why: {
      clause: 'RFC 9457 §3, §3.1.2; RFC 9110 §15.5.16',
      text: {
        en: 'The problem\'s "status" MUST be the answer\'s status code; the client learns in the same shape as every other error that it sent the wrong media type.',
        ru: 'Поле "status" проблемы ОБЯЗАНО совпадать с кодом ответа; о неверном типе данных клиент узнаёт в том же виде, что и о любой другой ошибке.',
      },
    },
    run: (context, { strays }) =>
      exchange(
        context,
        { method: 'POST', path: USERS, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Ada&email=ada%40example.com' },
        (answer) => [statusIs(answer, 415), [isProblem(answer, 415), problemIs(answer, 415)[1]]],
        strays,
      ),
  },
];

/** The targets of a Link header by relation (RFC 8288 §3): `<url>; rel="next"`, rel may hold several. */
export function linkTargets(answer: HttpAnswer): Map<string, string> {
  const targets = new Map<string, string>();
  for (const match of headerText(answer, 'link').matchAll(/<([^>]*)>([^,<]*)/g)) {
    const rel = /rel="?([^";]+)"?/i.exec(match[2])?.[1] ?? '';
    for (const name of rel.toLowerCase().split(/\s+/).filter(Boolean)) if (!targets.has(name)) targets.set(name, match[1]);
  }
  return targets;
}

/**
 * A Link target as a path to request: a relative reference (`?page=2`, `users?page=2`) resolved
 * against the URL of the request whose answer carried it (RFC 8288 §3.1, RFC 3986 §5), not
 * against `/`; an absolute URL on the server's own origin as its path.
 */
export function pathOf(target: string, requestPath: string): string {
  const url = new URL(target, new URL(requestPath, 'http://student.invalid'));
  return url.pathname + url.search;
}

const itemIds = (answer: HttpAnswer) => {
  const items = (parseJson(answer.text) as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? items.map((item) => JSON.stringify((item as { id?: unknown } | null)?.id)) : null;
};

const noLink = (rel: string, answer: HttpAnswer): Bilingual => ({
  en: `no Link rel="${rel}" (Link: ${headerText(answer, 'link') || 'none'})`,
  ru: `нет Link rel="${rel}" (Link: ${headerText(answer, 'link') || 'нет'})`,
});

export const pagingChecks: CheckDefinition<RestState>[] = [
  {
    id: 'pagination-next-page',
    name: { en: 'Following rel="next" gives the next user', ru: 'Переход по rel="next" даёт следующего пользователя' },
    expected: { en: '200 and one user, not the one on the first page', ru: '200 и один пользователь, не тот, что на первой странице' },
    why: {
      clause: "RFC 8288 §3; Wirelab's contract (lesson 2)",
      text: {
        en: 'A client follows next instead of building URLs: the link must lead to the following page, not to the same one again.',
        ru: 'Клиент идёт по next, а не собирает URL сам: ссылка должна вести на следующую страницу, а не на ту же снова.',
      },
    },
    async run(context) {
      const page = await httpExchange(context, { method: 'GET', path: `${USERS}?page=1&limit=1`, headers: ACCEPT });
      const next = linkTargets(page).get('next');
      if (!next) return verdictOf([page], [[false, noLink('next', page)]]);
      const following = await httpExchange(context, { method: 'GET', path: pathOf(next, `${USERS}?page=1&limit=1`), headers: ACCEPT });
      const [one, two] = [itemIds(page), itemIds(following)];
      return verdictOf(
        [page, following],
        [
          statusIs(following, 200),
          [
            two?.length === 1,
            { en: '"items" of the next page is not a list of one user', ru: '"items" следующей страницы — не список из одного пользователя' },
            following,
          ],
          [
            two?.[0] !== one?.[0],
            { en: `the next page repeats the first (id ${two?.[0]})`, ru: `следующая страница повторяет первую (id ${two?.[0]})` },
            following,
          ],
        ],
      );
    },
  },
  {
    id: 'pagination-prev-link',
    name: { en: 'Page 2 links back with rel="prev"', ru: 'Страница 2 ссылается назад через rel="prev"' },
    expected: {
      en: 'Link rel="prev" on page 2, leading to the first page\'s user',
      ru: 'Link rel="prev" на странице 2, ведущий к пользователю первой страницы',
    },
    why: {
      clause: "RFC 8288 §3; Wirelab's contract (lesson 2)",
      text: {
        en: 'The contract gives first, prev, next and last: a client pages back the way it came without counting pages itself.',
        ru: 'Контракт даёт first, prev, next и last: клиент листает назад тем же путём, не считая страницы сам.',
      },
    },
    async run(context) {
      const first = await httpExchange(context, { method: 'GET', path: `${USERS}?page=1&limit=1`, headers: ACCEPT });
      const second = await httpExchange(context, { method: 'GET', path: `${USERS}?page=2&limit=1`, headers: ACCEPT });
      const prev = linkTargets(second).get('prev');
      if (!prev) return verdictOf([first, second], [statusIs(second, 200), [false, noLink('prev', second), second]]);
      const back = await httpExchange(context, { method: 'GET', path: pathOf(prev, `${USERS}?page=2&limit=1`), headers: ACCEPT });
      return verdictOf(
        [first, second, back],
        [
          statusIs(back, 200),
          [
            JSON.stringify(itemIds(back)) === JSON.stringify(itemIds(first)),
            { en: 'rel="prev" leads to another page than page 1', ru: 'rel="prev" ведёт не на страницу 1' },
            back,
          ],
        ],
      );
    },
  },
  {
    id: 'pagination-first-page',
    name: { en: 'Page 1: no rel="prev", rel="first" leads to itself', ru: 'Страница 1: нет rel="prev", rel="first" ведёт на неё же' },
    expected: {
      en: 'GET ?page=1&limit=1: a Link without rel="prev", and its rel="first" gives the same user',
      ru: 'GET ?page=1&limit=1: Link без rel="prev", а его rel="first" даёт того же пользователя',
    },
    why: {
      clause: "RFC 8288 §3; Wirelab's contract (lesson 2)",
      text: {
        en: 'A client pages back while there is a prev: a prev on the first page leads it to a page 0 that does not exist. first is where paging starts over.',
        ru: 'Клиент листает назад, пока есть prev: prev на первой странице уводит его на несуществующую страницу 0. first — то место, откуда листание начинается заново.',
      },
    },
    async run(context) {
      const path = `${USERS}?page=1&limit=1`;
      const page = await httpExchange(context, { method: 'GET', path, headers: ACCEPT });
      const links = linkTargets(page);
      const prev = links.get('prev');
      const first = links.get('first');
      const before: Expectation[] = [
        statusIs(page, 200),
        [
          prev === undefined,
          {
            en: `page 1 has rel="prev" (<${prev}>): there is no page before the first`,
            ru: `у страницы 1 есть rel="prev" (<${prev}>): до первой страницы ничего нет`,
          },
          page,
        ],
        [first !== undefined, noLink('first', page), page],
      ];
      if (!first || before.some(([met]) => !met)) return verdictOf([page], before);
      const again = await httpExchange(context, { method: 'GET', path: pathOf(first, path), headers: ACCEPT });
      return verdictOf(
        [page, again],
        [
          statusIs(again, 200),
          [
            JSON.stringify(itemIds(again)) === JSON.stringify(itemIds(page)),
            { en: `rel="first" (<${first}>) leads to another page than page 1`, ru: `rel="first" (<${first}>) ведёт не на страницу 1` },
            again,
          ],
        ],
      );
    },
  },
  {
    id: 'pagination-last-page',
    name: { en: 'rel="last" leads to the end: no rel="next" there', ru: 'rel="last" ведёт в конец: там нет rel="next"' },
    expected: {
      en: 'GET ?page=1&limit=2 (then limit=3), then its rel="last": 200, at least one user, no rel="next", and rel="prev" when it is not page 1',
      ru: 'GET ?page=1&limit=2 (затем limit=3), затем его rel="last": 200, хотя бы один пользователь, нет rel="next", а rel="prev" есть, если это не страница 1',
    },
    why: {
      clause: "RFC 8288 §3; Wirelab's contract (lesson 2)",
      text: {
        en: 'A client reads pages while there is a next: a next on the last page sends it on to empty pages, and a last that falls short of the end hides users.',
        ru: 'Клиент читает страницы, пока есть next: next на последней странице гонит его дальше по пустым страницам, а last, не доходящий до конца, прячет пользователей.',
      },
    },
    async run(context) {
      // limit 2, then 3: a last page rounded down is caught whatever the count, unless it divides by both
      const exchanges: HttpAnswer[] = [];
      for (const limit of [2, 3]) {
        const path = `${USERS}?page=1&limit=${limit}`;
        const page = await httpExchange(context, { method: 'GET', path, headers: ACCEPT });
        exchanges.push(page);
        const last = linkTargets(page).get('last');
        if (!last) return verdictOf(exchanges, [statusIs(page, 200), [false, noLink('last', page), page]]);
        const end = await httpExchange(context, { method: 'GET', path: pathOf(last, path), headers: ACCEPT });
        exchanges.push(end);
        const links = linkTargets(end);
        const ids = itemIds(end);
        const isFirstPage = JSON.stringify(ids) === JSON.stringify(itemIds(page));
        const judged = verdictOf(exchanges, [
          statusIs(end, 200),
          [(ids?.length ?? 0) > 0, { en: `the page rel="last" (<${last}>) leads to is empty`, ru: `страница, куда ведёт rel="last" (<${last}>), пуста` }, end],
          [
            !links.has('next'),
            {
              en: `the page rel="last" (<${last}>) leads to has rel="next" (<${links.get('next')}>): either last falls short of the end or next goes past it`,
              ru: `у страницы, куда ведёт rel="last" (<${last}>), есть rel="next" (<${links.get('next')}>): либо last не доходит до конца, либо next уводит за него`,
            },
            end,
          ],
          [isFirstPage || links.has('prev'), noLink('prev', end), end],
        ]);
        if (judged.outcome === 'fail') return judged;
      }
      return verdictOf(exchanges, []);
    },
  },
];
