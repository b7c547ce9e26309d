import type { WordRule } from './wrong-terms.ts';

/**
 * One Russian word per thing for the course's everyday words that are not glossary terms: the
 * calques a native lecturer strikes out and the second names that drifted in between lessons
 * (issue 39). `terminology.test.ts` holds every `ru.md` and the Russian UI strings to this list as
 * it holds them to the glossary. `ru` says what to write; `wrongRu` is matched in any form of its
 * words (web/text/word-stem.ts), so a short word is listed in each form it takes.
 */
export const HOUSE_WORDS: WordRule[] = [
  {
    id: 'on-the-wire',
    en: 'on the wire',
    // «на проводе» is Russian for "on the phone"
    ru: 'в канале, по сети, в трафике, в байтах',
    wrongRu: ['на проводе', 'по проводу', 'в проводе'],
  },
  {
    id: 'how-a-request-travels',
    en: 'how a request travels',
    ru: 'путь запроса',
    wrongRu: ['путешествует запрос', 'путешествие запроса'],
  },
  {
    id: 'moving-part',
    en: 'one more moving part',
    ru: 'ещё один компонент, который надо эксплуатировать',
    wrongRu: ['движущаяся часть'],
  },
  {
    id: 'be-something',
    en: 'be the retry policy, stay connected',
    // «побудьте» is English "be …" word for word
    ru: 'сыграйте роль…, оставайтесь…',
    wrongRu: ['побудьте'],
  },
  {
    id: 'email',
    en: 'email',
    ru: 'email',
    // the postal service of lesson 12's analogy is «почтовое отделение», «почтовый ящик»
    // (every form of «почта» would also catch «почти»: the forms are listed exactly)
    wrongRu: ['=почта', '=почты', '=почте', '=почту', '=почтой', 'имейл', 'емейл', 'мейл'],
  },
  {
    id: 'status-line',
    en: 'status line',
    ru: 'строка статуса',
    wrongRu: ['строка состояния', 'статусная строка'],
  },
  {
    id: 'chunk',
    en: 'chunk (chunked transfer coding)',
    ru: 'кусок',
    wrongRu: ['чанк'],
  },
  {
    id: 'dashboard',
    en: 'live dashboard',
    // lesson 12's console is named dashboard, in Latin letters, like every cell
    ru: 'живая панель',
    wrongRu: ['дашборд'],
  },
  {
    id: 'producer',
    en: 'producer (Kafka)',
    ru: 'издатель',
    wrongRu: ['продюсер', 'производитель сообщений'],
  },
  {
    id: 'logs',
    en: 'logs (of a server or proxy)',
    // «журнал» is Kafka's log and a console's list of events, never a server's logs
    ru: 'логи',
    wrongRu: ['журналирование', 'журнал прокси', 'журнал сервера', 'серверный журнал', 'журнал ошибок'],
  },
  {
    id: 'wrapper',
    en: 'wrapper object (REST, Socket.IO)',
    // «конверт» is the glossary's gRPC envelope (and lesson 01's paper one)
    ru: 'обёртка',
    wrongRu: ['конверт ответа', 'конверт JSON'],
  },
  {
    id: 'binary',
    en: 'binary (format, frame, encoding)',
    ru: 'двоичный',
    wrongRu: ['бинарный'],
  },
  {
    id: 'prefix',
    en: 'prefix (a header name, a length prefix)',
    ru: 'префикс',
    wrongRu: ['приставка'],
  },
  {
    id: 'skeleton',
    en: 'skeleton (a starter server whose TODOs the student writes)',
    // the complete versions are «готовые версии»; a skeleton is not a finished server
    ru: 'заготовка',
    wrongRu: ['готовый сервер'],
  },
  {
    id: 'course-sources',
    en: 'our seminar notes (students never see them)',
    ru: 'многие примеры, учебники',
    wrongRu: ['семинарские конспекты', 'наши конспекты'],
  },
  {
    id: 'query-parameter',
    en: 'query parameter (the URL after `?`)',
    // «строка запроса» is the request line (lesson 01), never the URL's query
    ru: 'параметр запроса',
    wrongRu: ['query-параметр', 'квери-параметр'],
  },
];
