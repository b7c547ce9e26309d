import { browserErrorIn } from '../browser-error.ts';
import type { HttpParseError } from './parse-http-request.ts';
import type { FetchBlocker } from './fetch-limits.ts';

export const httpEditorStrings = {
  en: {
    run: 'Run',
    runHint: 'Ctrl+Enter or ⌘+Enter',
    running: 'Sending…',
    reset: 'Reset',
    resetHint: 'Put back the original text of this cell (your edits are kept in this browser, across reloads, until then)',
    editorLabel: (cellId: string) => `HTTP request “${cellId}”`,
    waitingForSession: 'Connecting to the server…',
    parseError: (error: HttpParseError) => `Line ${error.line}: ${describeParseErrorEn(error)}`,
    blocker: (blocker: FetchBlocker) => `Line ${blocker.line}: ${describeBlockerEn(blocker)}`,
    dropped: (names: string[]) =>
      `The browser sets ${names.join(', ')} itself and does not let a page send ${names.length > 1 ? 'them' : 'it'}, so ${
        names.length > 1 ? 'these lines were' : 'this line was'
      } not sent. The inspector shows what really went out; “Copy as curl” sends the request exactly as typed.`,
    networkError: (message: string) => `The request did not reach the server: ${browserErrorIn(message, 'en')}`,
    response: 'Response',
    status: 'Status',
    time: 'time',
    headers: 'Headers',
    body: 'Body',
    noBody: 'No body',
    bodyBytes: (bytes: string) => `body ${bytes}`,
    wireBytes: (bytes: string) => `${bytes} on the wire`,
    wireTitle: 'The whole response as it crossed the connection: status line, headers and body',
    problem: 'Problem details (RFC 9457): the server explains what went wrong',
    redirectHidden: 'A redirect: a page only sees that one happened, not its status or Location. The captured bytes below show the real response.',
    notCaptured:
      'The server’s bytes for this request have not come back through the capture channel (is recording switched off?). The response above is what the browser reported.',
    captured: 'Show the bytes in the inspector',
    copyCurl: 'Copy as curl',
    copyCurlHint:
      'A curl command for a terminal. Its header x-wirelab-sandbox carries a token of your session, valid for 8 hours: curl works on the same data as this page and its bytes appear in your inspector, but the token cannot open your inspector or read what you captured.',
    copied: 'Copied',
    copyFailed: 'Could not copy: select the command below and copy it by hand.',
    ms: 'ms',
    sentToMine: (address: string) => `Sent by Wirelab’s server to your server at ${address}; the bytes are in the inspector.`,
    refusedByWirelab: (message: string) => `Not sent to your server: ${message}`,
    refusedStatus: (status: number) => `Wirelab’s server answered ${status} instead of relaying the request.`,
  },
  ru: {
    run: 'Отправить',
    runHint: 'Ctrl+Enter или ⌘+Enter',
    running: 'Отправляем…',
    reset: 'Сбросить',
    resetHint: 'Вернуть исходный текст этой ячейки (до тех пор ваши правки хранятся в этом браузере и переживают перезагрузку)',
    editorLabel: (cellId: string) => `HTTP-запрос «${cellId}»`,
    waitingForSession: 'Подключаемся к серверу…',
    parseError: (error: HttpParseError) => `Строка ${error.line}: ${describeParseErrorRu(error)}`,
    blocker: (blocker: FetchBlocker) => `Строка ${blocker.line}: ${describeBlockerRu(blocker)}`,
    dropped: (names: string[]) =>
      `${names.length > 1 ? 'Заголовки' : 'Заголовок'} ${names.join(', ')} браузер выставляет сам и не даёт странице ${names.length > 1 ? 'их' : 'его'} задавать, поэтому ${
        names.length > 1 ? 'эти строки не отправлены' : 'эта строка не отправлена'
      }. Что ушло на самом деле, видно в инспекторе; «Скопировать как curl» отправит запрос ровно в том виде, как он написан.`,
    networkError: (message: string) => `Запрос не дошёл до сервера: ${browserErrorIn(message, 'ru')}`,
    response: 'Ответ',
    status: 'Статус',
    time: 'время',
    headers: 'Заголовки',
    body: 'Тело',
    noBody: 'Тела нет',
    bodyBytes: (bytes: string) => `тело ${bytes}`,
    wireBytes: (bytes: string) => `${bytes} по сети`,
    wireTitle: 'Весь ответ в том виде, в каком он прошёл по соединению: строка статуса, заголовки и тело',
    problem: 'Problem details (RFC 9457): сервер объясняет, что пошло не так',
    redirectHidden:
      'Перенаправление: странице известно только, что оно было, — ни статуса, ни Location она не видит. Настоящий ответ — в захваченных байтах ниже.',
    notCaptured: 'Байты этого запроса пока не пришли по каналу захвата (может быть, запись выключена?). Выше — ответ в том виде, как его сообщил браузер.',
    captured: 'Показать байты в инспекторе',
    copyCurl: 'Скопировать как curl',
    copyCurlHint:
      'Команда curl для терминала. В её заголовке x-wirelab-sandbox — токен вашей сессии, он действует 8 часов: curl работает с теми же данными, что и эта страница, а его байты появляются в вашем инспекторе, но открыть ваш инспектор или прочитать захваченное этим токеном нельзя.',
    copied: 'Скопировано',
    copyFailed: 'Скопировать не удалось: выделите команду ниже и скопируйте её вручную.',
    ms: 'мс',
    sentToMine: (address: string) => `Запрос отправил сервер Wirelab на ваш сервер ${address}; байты — в инспекторе.`,
    refusedByWirelab: (message: string) => `На ваш сервер не отправлено: ${message}`,
    refusedStatus: (status: number) => `Сервер Wirelab ответил ${status} вместо того, чтобы переслать запрос.`,
  },
};

function describeParseErrorEn(error: HttpParseError): string {
  switch (error.code) {
    case 'empty':
      return 'the cell is empty. Write a request line, e.g. GET /api/v1/users';
    case 'missing-target':
      return `“${error.text}” needs a method and a target, e.g. GET /api/v1/users`;
    case 'space-in-target':
      return `“${error.text}” has a space: spaces separate the method, the target and the version, so write a space inside the path as %20`;
    case 'bad-method':
      return `“${error.text}” is not a method: use letters only, e.g. GET or POST`;
    case 'bad-target':
      return `“${error.text}” is not a target: start it with / (a path) or with http:// (a full URL)`;
    case 'bad-version':
      return `“${error.text}” is not an HTTP version: write HTTP/1.1 or leave it out`;
    case 'header-without-colon':
      return `“${error.text}” is not a header: a header is “Name: value”. Separate the body from the headers with an empty line`;
    case 'bad-header-name':
      return `“${error.text}” is not a header name: no spaces or brackets, e.g. Content-Type`;
    case 'folded-header':
      return 'a header line may not start with a space (line folding is obsolete in HTTP/1.1)';
  }
}

function describeParseErrorRu(error: HttpParseError): string {
  switch (error.code) {
    case 'empty':
      return 'ячейка пуста. Напишите строку запроса, например GET /api/v1/users';
    case 'missing-target':
      return `в «${error.text}» нужны метод и цель запроса, например GET /api/v1/users`;
    case 'space-in-target':
      return `в «${error.text}» есть пробел: пробелы разделяют метод, цель и версию, поэтому пробел внутри пути пишется как %20`;
    case 'bad-method':
      return `«${error.text}» — не метод: только буквы, например GET или POST`;
    case 'bad-target':
      return `«${error.text}» — не цель запроса: начните с / (путь) или с http:// (полный URL)`;
    case 'bad-version':
      return `«${error.text}» — не версия HTTP: напишите HTTP/1.1 или не пишите ничего`;
    case 'header-without-colon':
      return `«${error.text}» — не заголовок: заголовок пишется как «Имя: значение». Тело отделяется от заголовков пустой строкой`;
    case 'bad-header-name':
      return `«${error.text}» — не имя заголовка: без пробелов и скобок, например Content-Type`;
    case 'folded-header':
      return 'строка заголовка не может начинаться с пробела (перенос заголовков в HTTP/1.1 устарел)';
  }
}

function describeBlockerEn(blocker: FetchBlocker): string {
  switch (blocker.code) {
    case 'forbidden-method':
      return `browsers refuse to send ${blocker.method} from a page. Try it with “Copy as curl”`;
    case 'body-not-allowed':
      return `a browser cannot send a body with ${blocker.method}. Remove the body, or use POST`;
    case 'other-origin':
      return `this page sends requests only to its own server, not to ${blocker.origin}. Write the path alone, e.g. /api/v1/users`;
  }
}

function describeBlockerRu(blocker: FetchBlocker): string {
  switch (blocker.code) {
    case 'forbidden-method':
      return `браузер не отправляет ${blocker.method} со страницы. Попробуйте через «Скопировать как curl»`;
    case 'body-not-allowed':
      return `браузер не умеет отправлять тело с ${blocker.method}. Уберите тело или используйте POST`;
    case 'other-origin':
      return `эта страница отправляет запросы только своему серверу, а не ${blocker.origin}. Напишите только путь, например /api/v1/users`;
  }
}
