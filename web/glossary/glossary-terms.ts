/**
 * The course's terms in both languages: ONE Russian term per thing, the Russian (and English)
 * variants we do not write, a short definition in each language, the lessons that use it.
 *
 * This file is the reference the texts are held to: `terminology.test.ts` fails when a Russian
 * lesson text or UI string uses a `wrongRu` variant (an English one a `wrongEn`), and
 * `glossary-data.test.ts` when a term lacks a language or its lesson list is not true.
 * The page `/ru/glossary`, `/en/glossary` shows it; the search (web/search) searches it.
 *
 * Variants are matched in any form of their words (web/text/word-stem.ts): «фрейм» catches
 * «фреймы» and «фреймов», «тройное рукопожатие» catches «Тройного рукопожатия». `allowRu`/`allowEn`
 * name words that merely start like a variant («фреймворк» is not «фрейм»).
 */
export interface GlossaryTerm {
  /** the anchor on the glossary page: `/en/glossary#frame` */
  id: string;
  en: string;
  ru: string;
  /** other accepted names and short forms (the search finds the term by them too) */
  alsoEn?: string[];
  alsoRu?: string[];
  /** what we do not write for this thing (calques, slang, a second word for it) */
  wrongRu?: string[];
  wrongEn?: string[];
  allowRu?: string[];
  allowEn?: string[];
  definition: { en: string; ru: string };
  /** the lessons' slugs (folder without its number), in course order */
  lessons: string[];
}

export const GLOSSARY: GlossaryTerm[] = [
  // ── the way a request travels
  {
    id: 'tcp-connection',
    en: 'TCP connection',
    ru: 'TCP-соединение',
    alsoEn: ['connection'],
    alsoRu: ['соединение'],
    wrongRu: ['коннект', 'коннекшн', 'конекшн'],
    definition: {
      en: 'A two-way, ordered stream of bytes between two programs, opened by a handshake. HTTP/1.1, HTTP/2, WebSocket and MQTT all travel inside one.',
      ru: 'Двусторонний упорядоченный поток байтов между двумя программами; открывается рукопожатием. Внутри него едут HTTP/1.1, HTTP/2, WebSocket и MQTT.',
    },
    lessons: ['how-a-request-travels', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'graphql', 'mqtt', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'three-way-handshake',
    en: 'three-way handshake',
    ru: 'трёхэтапное рукопожатие',
    alsoEn: ['SYN, SYN-ACK, ACK'],
    wrongRu: ['тройное рукопожатие', 'трёхстороннее рукопожатие', 'трёхшаговое рукопожатие'],
    definition: {
      en: 'The three TCP segments (SYN, SYN-ACK, ACK) that open a connection before any byte of the request is sent.',
      ru: 'Три сегмента TCP (SYN, SYN-ACK, ACK), которыми открывается соединение, прежде чем уйдёт хоть один байт запроса.',
    },
    lessons: ['how-a-request-travels'],
  },
  {
    id: 'handshake',
    en: 'handshake',
    ru: 'рукопожатие',
    wrongRu: ['хендшейк', 'хэндшейк', 'хендшэйк'],
    definition: {
      en: 'The first exchange of a connection or protocol, in which both sides agree how they will talk: TCP\'s SYN/ACK, WebSocket\'s Upgrade request and 101 answer, Socket.IO\'s open packet.',
      ru: 'Первый обмен в соединении или протоколе, в котором стороны договариваются, как будут говорить: SYN/ACK у TCP, запрос Upgrade и ответ 101 у WebSocket, пакет open у Socket.IO.',
    },
    lessons: ['how-a-request-travels', 'websockets', 'socket-io', 'graphql', 'mqtt', 'message-queues'],
  },
  {
    id: 'request',
    en: 'request',
    ru: 'запрос',
    wrongRu: ['реквест'],
    definition: {
      en: 'What a client sends to ask for something: in HTTP a method, a path, headers and maybe a body.',
      ru: 'То, что клиент отправляет, чтобы что-то попросить: в HTTP это метод, путь, заголовки и, возможно, тело.',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'graphql', 'rest-gateway', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'response',
    en: 'response',
    ru: 'ответ',
    wrongRu: ['респонс'],
    definition: {
      en: 'What the server sends back to a request: in HTTP a status code, headers and a body.',
      ru: 'То, что сервер присылает на запрос: в HTTP это код статуса, заголовки и тело.',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'graphql', 'rest-gateway', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'method',
    en: 'method',
    ru: 'метод',
    definition: {
      en: 'The verb of an HTTP request (GET, POST, PUT, PATCH, DELETE…): what the client wants done with the resource. In gRPC, a method is one procedure of a service.',
      ru: 'Глагол HTTP-запроса (GET, POST, PUT, PATCH, DELETE…): что клиент хочет сделать с ресурсом. В gRPC метод — одна процедура сервиса.',
    },
    lessons: ['how-a-request-travels', 'rest', 'grpc', 'grpc-in-the-browser', 'websockets', 'long-polling', 'graphql', 'rest-gateway', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'status-code',
    en: 'status code',
    ru: 'код статуса',
    alsoEn: ['status'],
    alsoRu: ['статус'],
    wrongRu: ['код состояния', 'статус-код', 'статускод'],
    definition: {
      en: 'The three digits at the start of an HTTP response that say how it went: 2xx success, 3xx go elsewhere, 4xx the client\'s mistake, 5xx the server\'s.',
      ru: 'Три цифры в начале HTTP-ответа, которые говорят, чем всё кончилось: 2xx — успех, 3xx — идите в другое место, 4xx — ошибка клиента, 5xx — ошибка сервера.',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'websockets', 'server-sent-events', 'long-polling', 'graphql', 'rest-gateway', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'header',
    en: 'header',
    ru: 'заголовок',
    alsoRu: ['заголовки'],
    wrongRu: ['хедер', 'хэдер'],
    definition: {
      en: 'A `Name: value` line of an HTTP message that describes it: its content type, length, cache rules, who is asking.',
      ru: 'Строка вида `Имя: значение` в HTTP-сообщении, которая его описывает: тип содержимого, длина, правила кэширования, кто спрашивает.',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'graphql', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'body',
    en: 'body',
    ru: 'тело',
    wrongRu: ['боди'],
    definition: {
      en: 'The bytes of an HTTP message after its headers and the empty line: the JSON, the form or the file itself.',
      ru: 'Байты HTTP-сообщения после заголовков и пустой строки: сам JSON, форма или файл.',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'graphql', 'rest-gateway', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'keep-alive',
    en: 'keep-alive',
    ru: 'keep-alive',
    wrongRu: ['кипалайв', 'кип-алайв'],
    wrongEn: ['keepalive'],
    definition: {
      en: 'Keeping a connection open after an exchange so the next one skips the handshake; in MQTT, the longest silence (in seconds) after which the broker considers the client gone.',
      ru: 'Соединение остаётся открытым после обмена, и следующему не нужно новое рукопожатие; в MQTT — самое долгое молчание (в секундах), после которого брокер считает клиента пропавшим.',
    },
    lessons: ['how-a-request-travels', 'websockets', 'server-sent-events', 'mqtt', 'choosing-a-protocol'],
  },
  {
    id: 'multiplexing',
    en: 'multiplexing',
    ru: 'мультиплексирование',
    alsoEn: ['multiplexes'],
    alsoRu: ['мультиплексирует'],
    definition: {
      en: 'Carrying many independent conversations over one connection at once, each in its own stream, as HTTP/2 does.',
      ru: 'Несколько независимых разговоров одновременно по одному соединению, каждый в своём потоке, как в HTTP/2.',
    },
    lessons: ['how-a-request-travels', 'socket-io', 'server-sent-events', 'choosing-a-protocol'],
  },
  {
    id: 'frame',
    en: 'frame',
    ru: 'кадр',
    wrongRu: ['фрейм'],
    allowRu: ['фреймворк'],
    allowEn: ['framework'],
    definition: {
      en: 'One unit of a binary protocol\'s wire format with a small header of its own: HTTP/2 sends HEADERS and DATA frames, WebSocket sends text, binary, ping, pong and close frames.',
      ru: 'Единица передачи в двоичном протоколе со своим небольшим заголовком: HTTP/2 шлёт кадры HEADERS и DATA, WebSocket — текстовые, двоичные кадры, ping, pong и close.',
    },
    lessons: ['how-a-request-travels', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'graphql', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'stream',
    en: 'stream',
    ru: 'поток',
    alsoEn: ['streaming'],
    wrongRu: ['стрим', 'стриминг', 'стримить'],
    definition: {
      en: 'A sequence of data that arrives piece by piece instead of all at once; in HTTP/2, one request and its response, numbered, inside a shared connection.',
      ru: 'Данные, которые приходят по частям, а не целиком; в HTTP/2 — один запрос и ответ на него под своим номером внутри общего соединения.',
    },
    lessons: ['how-a-request-travels', 'rest', 'grpc', 'grpc-in-the-browser', 'websockets', 'server-sent-events', 'long-polling', 'graphql', 'rest-gateway', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'message',
    en: 'message',
    ru: 'сообщение',
    wrongRu: ['мессадж', 'месседж'],
    definition: {
      en: 'One complete piece of data that a protocol hands to the program: a WebSocket message (maybe several frames), a protobuf message, an MQTT PUBLISH.',
      ru: 'Законченная порция данных, которую протокол отдаёт программе: сообщение WebSocket (возможно, из нескольких кадров), сообщение protobuf, PUBLISH в MQTT.',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'long-polling', 'graphql', 'rest-gateway', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'payload',
    en: 'payload',
    ru: 'полезная нагрузка',
    wrongRu: ['пейлоад', 'пэйлоад'],
    definition: {
      en: 'The data a frame or packet carries for the application, as opposed to the protocol\'s own header bytes.',
      ru: 'Данные, которые кадр или пакет несёт для приложения, в отличие от служебных байтов заголовка самого протокола.',
    },
    lessons: ['websockets', 'socket-io', 'server-sent-events', 'mqtt', 'message-queues'],
  },
  {
    id: 'byte-offset',
    en: 'offset',
    ru: 'смещение',
    wrongRu: ['офсет', 'оффсет'],
    definition: {
      en: 'A position counted from the start: the byte where a request\'s body begins, or how far a consumer has read in a partition.',
      ru: 'Позиция, отсчитанная от начала: байт, с которого начинается тело запроса, или место, до которого потребитель дочитал партицию.',
    },
    lessons: ['how-a-request-travels', 'server-sent-events', 'long-polling', 'mqtt', 'message-queues'],
  },
  {
    id: 'proxy',
    en: 'proxy',
    ru: 'прокси',
    alsoEn: ['reverse proxy'],
    alsoRu: ['обратный прокси'],
    wrongRu: ['проксик'],
    definition: {
      en: 'A program in the middle that receives requests and passes them on; a reverse proxy stands in front of servers and may buffer, time out or close long-lived connections.',
      ru: 'Программа посередине, которая принимает запросы и передаёт их дальше; обратный прокси стоит перед серверами и может буферизовать, обрывать по таймауту или закрывать долгие соединения.',
    },
    lessons: ['how-a-request-travels', 'rest', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'graphql', 'rest-gateway', 'build-your-own-server'],
  },
  {
    id: 'load-balancer',
    en: 'load balancer',
    ru: 'балансировщик нагрузки',
    alsoRu: ['балансировщик'],
    wrongRu: ['балансер', 'лоадбалансер', 'лоад-балансер'],
    definition: {
      en: 'A proxy that spreads connections or requests over several instances of a server; with long-lived connections it balances connections, not messages.',
      ru: 'Прокси, который распределяет соединения или запросы между несколькими экземплярами сервера; при долгих соединениях он распределяет соединения, а не сообщения.',
    },
    lessons: ['grpc', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'build-your-own-server'],
  },
  {
    id: 'timeout',
    en: 'timeout',
    ru: 'таймаут',
    wrongRu: ['тайм-аут'],
    definition: {
      en: 'How long a side waits before it gives up on an answer or on a silent connection.',
      ru: 'Сколько сторона ждёт, прежде чем перестать ждать ответа или закрыть молчащее соединение.',
    },
    lessons: ['websockets', 'server-sent-events', 'long-polling'],
  },
  // ── REST
  {
    id: 'resource',
    en: 'resource',
    ru: 'ресурс',
    definition: {
      en: 'A thing a REST API names with a URL (a user, a post, a list of comments) and lets you read or change with HTTP methods.',
      ru: 'То, что REST API называет URL-адресом (пользователь, пост, список комментариев) и позволяет читать или менять методами HTTP.',
    },
    lessons: ['how-a-request-travels', 'rest', 'grpc', 'rest-gateway', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'idempotent',
    en: 'idempotent',
    ru: 'идемпотентный',
    alsoEn: ['idempotency'],
    alsoRu: ['идемпотентность', 'идемпотентен'],
    definition: {
      en: 'A request is idempotent when sending it twice leaves the server as sending it once would (PUT, DELETE): safe to retry after a lost answer.',
      ru: 'Запрос идемпотентен, если повторная отправка оставляет сервер в том же состоянии, что и одна (PUT, DELETE): его можно безопасно повторить, когда ответ потерялся.',
    },
    lessons: ['how-a-request-travels', 'rest', 'grpc', 'grpc-in-the-browser', 'mqtt', 'message-queues'],
  },
  {
    id: 'etag',
    en: 'ETag',
    ru: 'ETag',
    definition: {
      en: 'A response header naming one version of a resource; sent back in `If-None-Match` it gets `304 Not Modified`, in `If-Match` it guards an update against someone else\'s.',
      ru: 'Заголовок ответа с меткой версии ресурса; отправленный обратно в `If-None-Match`, он даёт `304 Not Modified`, а в `If-Match` защищает изменение от чужого.',
    },
    lessons: ['how-a-request-travels', 'rest', 'graphql', 'rest-gateway', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'caching',
    en: 'caching',
    ru: 'кэширование',
    alsoEn: ['cache'],
    alsoRu: ['кэш'],
    wrongRu: ['кеш', 'кеширование', 'кешировать', 'кешируется', 'кеширует'],
    definition: {
      en: 'Keeping a copy of an answer to reuse it instead of asking again; HTTP describes it with headers (`Cache-Control`, `ETag`) and keys it by URL.',
      ru: 'Хранение копии ответа, чтобы не спрашивать снова; HTTP описывает его заголовками (`Cache-Control`, `ETag`) и находит копию по URL.',
    },
    lessons: ['rest', 'protocol-buffers', 'grpc', 'websockets', 'graphql', 'rest-gateway', 'choosing-a-protocol'],
  },
  {
    id: 'pagination',
    en: 'pagination',
    ru: 'пагинация',
    wrongRu: ['пейджинг', 'пейджинация'],
    definition: {
      en: 'Handing out a long list page by page, by an offset and a limit or by a cursor.',
      ru: 'Выдача длинного списка по страницам: по смещению и размеру страницы или по курсору.',
    },
    lessons: ['rest', 'build-your-own-server'],
  },
  {
    id: 'cursor',
    en: 'cursor',
    ru: 'курсор',
    definition: {
      en: 'An opaque marker of where the client stopped reading (a page, an event stream); the next request sends it back and gets what comes after.',
      ru: 'Непрозрачная метка места, где клиент остановился (страница, лента событий); следующий запрос отправляет её обратно и получает то, что идёт дальше.',
    },
    lessons: ['rest', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'choosing-a-protocol'],
  },
  {
    id: 'content-negotiation',
    en: 'content negotiation',
    ru: 'согласование содержимого',
    definition: {
      en: 'The client says which formats or versions it accepts (`Accept`), the server picks one and says so (`Content-Type`, `Vary`).',
      ru: 'Клиент говорит, какие форматы или версии он принимает (`Accept`), сервер выбирает один и сообщает об этом (`Content-Type`, `Vary`).',
    },
    lessons: ['how-a-request-travels', 'rest'],
  },
  {
    id: 'versioning',
    en: 'versioning',
    ru: 'версионирование',
    alsoRu: ['версионировать'],
    definition: {
      en: 'Changing an API without breaking its old clients: a new path (`/api/v2`), a header or a media type per version.',
      ru: 'Изменение API так, чтобы не сломать старых клиентов: новый путь (`/api/v2`), заголовок или тип содержимого для каждой версии.',
    },
    lessons: ['rest', 'websockets'],
  },
  // ── Protocol Buffers
  {
    id: 'schema',
    en: 'schema',
    ru: 'схема',
    definition: {
      en: 'The description both sides agree on: which messages or types exist and which fields they hold (a `.proto` file, a GraphQL schema).',
      ru: 'Описание, о котором договорились обе стороны: какие есть сообщения или типы и какие в них поля (файл `.proto`, схема GraphQL).',
    },
    lessons: ['rest', 'protocol-buffers', 'graphql', 'mqtt', 'message-queues', 'build-your-own-server'],
  },
  {
    id: 'field-number',
    en: 'field number',
    ru: 'номер поля',
    definition: {
      en: 'The number a `.proto` file gives each field; it, not the name, goes on the wire, so it must never change once data exists.',
      ru: 'Число, которое файл `.proto` даёт каждому полю; по проводу идёт оно, а не имя, поэтому его нельзя менять, когда данные уже есть.',
    },
    lessons: ['protocol-buffers', 'choosing-a-protocol'],
  },
  {
    id: 'tag',
    en: 'tag',
    ru: 'тег',
    wrongRu: ['тэг'],
    definition: {
      en: 'In protobuf, the varint before each field\'s value: the field number and the wire type packed together (`number << 3 | wire type`).',
      ru: 'В protobuf — varint перед значением каждого поля: номер поля и тип кодирования вместе (`номер << 3 | тип`).',
    },
    lessons: ['protocol-buffers'],
  },
  {
    id: 'varint',
    en: 'varint',
    ru: 'varint',
    wrongRu: ['варинт'],
    definition: {
      en: 'A variable-length integer: seven bits per byte, the top bit saying "more follows", so small numbers take one byte.',
      ru: 'Целое число переменной длины: по семь битов в байте, старший бит говорит «дальше ещё», поэтому маленькие числа занимают один байт.',
    },
    lessons: ['protocol-buffers', 'mqtt', 'choosing-a-protocol'],
  },
  {
    id: 'serialization',
    en: 'serialization',
    ru: 'сериализация',
    alsoRu: ['кодирование'],
    alsoEn: ['encoding'],
    definition: {
      en: 'Turning a value in memory into bytes to send or store (JSON, protobuf), and back.',
      ru: 'Превращение значения из памяти в байты для передачи или хранения (JSON, protobuf) и обратно.',
    },
    lessons: ['how-a-request-travels', 'protocol-buffers', 'grpc-in-the-browser'],
  },
  // ── gRPC
  {
    id: 'call',
    en: 'call',
    ru: 'вызов',
    alsoEn: ['RPC'],
    definition: {
      en: 'One use of a remote method in gRPC: its request messages, its response messages and the status that ends it.',
      ru: 'Одно обращение к удалённому методу в gRPC: его сообщения запроса, сообщения ответа и статус, которым оно заканчивается.',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'socket-io', 'server-sent-events', 'graphql', 'rest-gateway', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'unary-call',
    en: 'unary call',
    ru: 'унарный вызов',
    definition: {
      en: 'A gRPC call with one request message and one response message.',
      ru: 'Вызов gRPC с одним сообщением запроса и одним сообщением ответа.',
    },
    lessons: ['grpc', 'grpc-in-the-browser'],
  },
  {
    id: 'server-streaming',
    en: 'server streaming',
    ru: 'серверный поток',
    alsoEn: ['server-streaming'],
    definition: {
      en: 'A gRPC call with one request and a stream of response messages; client streaming is the other way round, bidirectional streaming both.',
      ru: 'Вызов gRPC с одним запросом и потоком сообщений ответа; при клиентском потоке — наоборот, при двунаправленном — в обе стороны.',
    },
    lessons: ['grpc', 'grpc-in-the-browser', 'rest-gateway'],
  },
  {
    id: 'envelope',
    en: 'envelope',
    ru: 'конверт',
    wrongRu: ['энвелоп'],
    definition: {
      en: 'The five bytes before each gRPC message in the body: one flags byte (compressed? trailers?) and four bytes of length.',
      ru: 'Пять байтов перед каждым сообщением gRPC в теле: байт флагов (сжато ли, трейлеры ли) и четыре байта длины.',
    },
    lessons: ['how-a-request-travels', 'rest', 'grpc', 'grpc-in-the-browser', 'socket-io', 'rest-gateway', 'choosing-a-protocol'],
  },
  {
    id: 'metadata',
    en: 'metadata',
    ru: 'метаданные',
    wrongRu: ['метадата'],
    definition: {
      en: 'gRPC\'s name for the key–value pairs sent beside the messages, as HTTP/2 headers: authorization, request ids.',
      ru: 'Так gRPC называет пары «ключ — значение», которые идут рядом с сообщениями в заголовках HTTP/2: авторизация, идентификаторы запросов.',
    },
    lessons: ['grpc', 'grpc-in-the-browser'],
  },
  {
    id: 'trailers',
    en: 'trailers',
    ru: 'трейлеры',
    alsoEn: ['trailer'],
    alsoRu: ['трейлер'],
    wrongRu: ['трэйлеры', 'концевые заголовки'],
    definition: {
      en: 'Headers sent after the body; gRPC puts its `grpc-status` and `grpc-message` there, because the outcome is known only at the end.',
      ru: 'Заголовки, которые идут после тела; gRPC кладёт туда `grpc-status` и `grpc-message`, потому что результат известен только в конце.',
    },
    lessons: ['grpc', 'grpc-in-the-browser', 'choosing-a-protocol'],
  },
  {
    id: 'grpc-status',
    en: 'gRPC status',
    ru: 'статус gRPC',
    alsoEn: ['grpc-status'],
    definition: {
      en: 'The code that ends every gRPC call (OK, NOT_FOUND, DEADLINE_EXCEEDED, UNAVAILABLE…), sent in the trailers, apart from the HTTP status.',
      ru: 'Код, которым заканчивается каждый вызов gRPC (OK, NOT_FOUND, DEADLINE_EXCEEDED, UNAVAILABLE…); идёт в трейлерах, отдельно от HTTP-статуса.',
    },
    lessons: ['grpc', 'graphql', 'rest-gateway'],
  },
  {
    id: 'deadline',
    en: 'deadline',
    ru: 'дедлайн',
    wrongRu: ['крайний срок', 'дэдлайн'],
    definition: {
      en: 'The moment by which a gRPC client needs the answer; sent as `grpc-timeout`, it ends the call with DEADLINE_EXCEEDED on both sides when it passes.',
      ru: 'Момент, к которому клиенту gRPC нужен ответ; передаётся в `grpc-timeout` и, когда наступает, завершает вызов с DEADLINE_EXCEEDED на обеих сторонах.',
    },
    lessons: ['grpc', 'grpc-in-the-browser', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'cancellation',
    en: 'cancellation',
    ru: 'отмена',
    alsoEn: ['cancel'],
    definition: {
      en: 'The client says it no longer needs the answer; in HTTP/2 one RST_STREAM frame, and the server stops working on the call.',
      ru: 'Клиент сообщает, что ответ больше не нужен; в HTTP/2 это один кадр RST_STREAM, и сервер прекращает работу над вызовом.',
    },
    lessons: ['grpc', 'graphql', 'mqtt', 'build-your-own-server'],
  },
  {
    id: 'retry',
    en: 'retry',
    ru: 'повторная попытка',
    alsoRu: ['повтор'],
    wrongRu: ['ретрай'],
    definition: {
      en: 'Sending a failed request again; safe for idempotent requests, and spaced out with exponential backoff so a struggling server is not flooded.',
      ru: 'Повторная отправка неудавшегося запроса; безопасна для идемпотентных запросов, а паузы растут по экспоненте, чтобы не завалить и без того перегруженный сервер.',
    },
    lessons: ['how-a-request-travels', 'rest', 'grpc', 'server-sent-events', 'message-queues', 'build-your-own-server'],
  },
  {
    id: 'exponential-backoff',
    en: 'exponential backoff',
    ru: 'экспоненциальная задержка',
    alsoEn: ['backoff'],
    wrongRu: ['экспоненциальная пауза', 'экспоненциальная отсрочка', 'бэкофф'],
    definition: {
      en: 'Waiting twice as long (or so, with some randomness) before each new retry or reconnection.',
      ru: 'Перед каждой новой попыткой или переподключением ждать примерно вдвое дольше, чем в прошлый раз (с долей случайности).',
    },
    lessons: ['grpc', 'websockets'],
  },
  {
    id: 'gateway',
    en: 'gateway',
    ru: 'шлюз',
    wrongRu: ['гейтвей', 'гейтвэй'],
    definition: {
      en: 'A server in front of others that translates between protocols, here REST/JSON in front of gRPC (transcoding).',
      ru: 'Сервер перед другими серверами, который переводит с одного протокола на другой, здесь — REST/JSON перед gRPC (транскодирование).',
    },
    lessons: ['rest', 'rest-gateway'],
  },
  {
    id: 'transcoding',
    en: 'transcoding',
    ru: 'транскодирование',
    definition: {
      en: 'Turning a REST request with JSON into a gRPC call and its answer back, following the `google.api.http` annotations of the `.proto`.',
      ru: 'Превращение REST-запроса с JSON в вызов gRPC и его ответа обратно по аннотациям `google.api.http` в `.proto`.',
    },
    lessons: ['protocol-buffers', 'rest-gateway'],
  },
  // ── WebSocket
  {
    id: 'upgrade',
    en: 'upgrade',
    ru: 'upgrade',
    alsoRu: ['переход на WebSocket'],
    wrongRu: ['апгрейд'],
    definition: {
      en: 'An HTTP/1.1 request with `Upgrade: websocket` that, answered `101 Switching Protocols`, turns the same connection into a WebSocket.',
      ru: 'HTTP/1.1-запрос с заголовком `Upgrade: websocket`; после ответа `101 Switching Protocols` то же соединение становится WebSocket.',
    },
    lessons: ['websockets', 'socket-io', 'server-sent-events'],
  },
  {
    id: 'opcode',
    en: 'opcode',
    ru: 'opcode',
    wrongRu: ['опкод'],
    definition: {
      en: 'Four bits of a WebSocket frame that say what it is: text (1), binary (2), close (8), ping (9), pong (10) or a continuation (0).',
      ru: 'Четыре бита кадра WebSocket, которые говорят, что это за кадр: текст (1), двоичный (2), close (8), ping (9), pong (10) или продолжение (0).',
    },
    lessons: ['websockets', 'socket-io', 'build-your-own-server'],
  },
  {
    id: 'masking',
    en: 'masking',
    ru: 'маскирование',
    alsoEn: ['masked'],
    wrongRu: ['маскировка'],
    definition: {
      en: 'Every frame a browser sends over a WebSocket is XORed with a fresh four-byte key, so a confused proxy cannot take its bytes for an HTTP request.',
      ru: 'Каждый кадр, который браузер отправляет по WebSocket, складывается по XOR с новым четырёхбайтовым ключом, чтобы запутавшийся прокси не принял его байты за HTTP-запрос.',
    },
    lessons: ['websockets'],
  },
  {
    id: 'fragmentation',
    en: 'fragmentation',
    ru: 'фрагментация',
    alsoEn: ['fragment'],
    alsoRu: ['фрагмент'],
    definition: {
      en: 'Sending one WebSocket message as several frames: the first carries the opcode, the rest are continuations, the last has FIN set.',
      ru: 'Отправка одного сообщения WebSocket несколькими кадрами: первый несёт opcode, остальные — продолжения, у последнего выставлен FIN.',
    },
    lessons: ['websockets', 'graphql'],
  },
  {
    id: 'ping-pong',
    en: 'ping/pong',
    ru: 'ping/pong',
    alsoEn: ['ping', 'pong'],
    alsoRu: ['ping', 'пинг'],
    wrongRu: ['понг'],
    definition: {
      en: 'A control frame or packet that asks "are you there?" and its answer; it keeps idle connections open through proxies and finds dead ones.',
      ru: 'Управляющий кадр или пакет с вопросом «ты здесь?» и ответ на него; держит простаивающее соединение открытым через прокси и находит оборванные.',
    },
    lessons: ['websockets', 'socket-io', 'graphql', 'mqtt', 'build-your-own-server'],
  },
  {
    id: 'heartbeat',
    en: 'heartbeat',
    ru: 'heartbeat',
    alsoEn: ['heartbeats'],
    wrongRu: ['сердцебиение', 'пульс'],
    definition: {
      en: 'A small message sent at a fixed interval only to show the connection is alive (Socket.IO\'s ping, SSE\'s comment line).',
      ru: 'Небольшое сообщение, которое шлют через равные промежутки только затем, чтобы показать, что соединение живо (ping в Socket.IO, строка-комментарий в SSE).',
    },
    lessons: ['websockets', 'socket-io', 'server-sent-events', 'build-your-own-server'],
  },
  {
    id: 'close-code',
    en: 'close code',
    ru: 'код закрытия',
    wrongRu: ['close-код', 'код close'],
    definition: {
      en: 'The two-byte number in a WebSocket close frame saying why the connection ends: 1000 normal, 1001 going away, 1009 too big, 4000–4999 the application\'s own.',
      ru: 'Двухбайтовое число в кадре close, которое говорит, почему соединение закрывается: 1000 — штатно, 1001 — уход, 1009 — слишком большое, 4000–4999 — коды самого приложения.',
    },
    lessons: ['websockets', 'graphql', 'build-your-own-server'],
  },
  {
    id: 'subprotocol',
    en: 'subprotocol',
    ru: 'подпротокол',
    definition: {
      en: 'The application protocol spoken inside a WebSocket, agreed in the handshake by `Sec-WebSocket-Protocol` (`graphql-transport-ws`, `mqtt`).',
      ru: 'Прикладной протокол внутри WebSocket, о котором договариваются в рукопожатии заголовком `Sec-WebSocket-Protocol` (`graphql-transport-ws`, `mqtt`).',
    },
    lessons: ['websockets', 'graphql'],
  },
  {
    id: 'reconnection',
    en: 'reconnection',
    ru: 'переподключение',
    alsoEn: ['reconnect'],
    wrongRu: ['реконнект', 'переконнект'],
    definition: {
      en: 'Opening a new connection after the old one broke, and picking up where it left off (a `Last-Event-ID`, a persistent session).',
      ru: 'Открытие нового соединения, когда старое оборвалось, и продолжение с того же места (`Last-Event-ID`, постоянная сессия).',
    },
    lessons: ['websockets', 'socket-io', 'server-sent-events', 'long-polling', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  // ── Socket.IO
  {
    id: 'transport',
    en: 'transport',
    ru: 'транспорт',
    definition: {
      en: 'How Socket.IO (Engine.IO) carries its packets: HTTP long polling first, then a WebSocket after the upgrade.',
      ru: 'Способ, которым Socket.IO (Engine.IO) доставляет пакеты: сначала HTTP long polling, после перехода — WebSocket.',
    },
    lessons: ['websockets', 'socket-io', 'long-polling'],
  },
  {
    id: 'acknowledgement',
    en: 'acknowledgement',
    ru: 'подтверждение',
    alsoEn: ['ack'],
    alsoRu: ['ack'],
    wrongRu: ['квитанция', 'квиток'],
    definition: {
      en: 'The receiver\'s answer that a message arrived (or was handled): a Socket.IO ack with its id, MQTT\'s PUBACK, a queue consumer\'s ack.',
      ru: 'Ответ получателя, что сообщение дошло (или обработано): ack в Socket.IO с его номером, PUBACK в MQTT, ack потребителя очереди.',
    },
    lessons: ['how-a-request-travels', 'websockets', 'socket-io', 'graphql', 'message-queues'],
  },
  {
    id: 'namespace',
    en: 'namespace',
    ru: 'пространство имён',
    wrongRu: ['неймспейс', 'нэймспейс'],
    definition: {
      en: 'A separate channel of Socket.IO over the same connection (`/`, `/admin`), with its own handlers and rooms.',
      ru: 'Отдельный канал Socket.IO поверх того же соединения (`/`, `/admin`) со своими обработчиками и комнатами.',
    },
    lessons: ['socket-io', 'server-sent-events'],
  },
  {
    id: 'room',
    en: 'room',
    ru: 'комната',
    wrongRu: ['рум'],
    definition: {
      en: 'A named group of connections on the server; a message sent to the room reaches every member.',
      ru: 'Именованная группа соединений на сервере; сообщение в комнату получают все её участники.',
    },
    lessons: ['websockets', 'socket-io', 'mqtt'],
  },
  // ── SSE and long polling
  {
    id: 'sse-event',
    en: 'SSE event',
    ru: 'событие SSE',
    wrongRu: ['ивент'],
    definition: {
      en: 'A block of `field: value` lines ended by an empty line in a `text/event-stream` response: `id`, `event`, `data`, `retry`.',
      ru: 'Блок строк `поле: значение`, который заканчивается пустой строкой, в ответе `text/event-stream`: `id`, `event`, `data`, `retry`.',
    },
    lessons: ['server-sent-events'],
  },
  {
    id: 'last-event-id',
    en: 'Last-Event-ID',
    ru: 'Last-Event-ID',
    definition: {
      en: 'The header an EventSource sends when it reconnects: the id of the last event it got, so the server can send what was missed.',
      ru: 'Заголовок, который EventSource отправляет при переподключении: id последнего полученного события, чтобы сервер прислал пропущенное.',
    },
    lessons: ['websockets', 'server-sent-events', 'long-polling', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'long-polling',
    en: 'long polling',
    ru: 'long polling',
    alsoRu: ['долгий опрос'],
    wrongRu: ['длинный опрос', 'лонг-поллинг', 'лонгполлинг'],
    definition: {
      en: 'The server holds a request open until there is news or a timeout, and the client asks again at once: push over plain HTTP requests.',
      ru: 'Сервер держит запрос открытым, пока не появится новость или не истечёт таймаут, а клиент сразу спрашивает снова: доставка с сервера поверх обычных HTTP-запросов.',
    },
    lessons: ['websockets', 'socket-io', 'server-sent-events', 'long-polling', 'choosing-a-protocol'],
  },
  {
    id: 'polling',
    en: 'polling',
    ru: 'polling',
    alsoRu: ['опрос'],
    wrongRu: ['поллинг'],
    definition: {
      en: 'Asking the server again and again whether something has changed; plain polling asks on a timer, long polling waits for the answer.',
      ru: 'Раз за разом спрашивать сервер, не изменилось ли что-нибудь; обычный polling спрашивает по таймеру, long polling ждёт ответа.',
    },
    lessons: ['rest', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'choosing-a-protocol'],
  },
  // ── GraphQL
  {
    id: 'resolver',
    en: 'resolver',
    ru: 'резолвер',
    wrongRu: ['резольвер', 'распознаватель'],
    definition: {
      en: 'The server function that produces one field of a GraphQL type.',
      ru: 'Серверная функция, которая вычисляет одно поле типа GraphQL.',
    },
    lessons: ['graphql'],
  },
  {
    id: 'mutation',
    en: 'mutation',
    ru: 'мутация',
    definition: {
      en: 'A GraphQL operation that changes data; always sent with POST, run one after another.',
      ru: 'Операция GraphQL, которая меняет данные; всегда отправляется через POST, выполняется по очереди.',
    },
    lessons: ['graphql', 'build-your-own-server'],
  },
  {
    id: 'subscription',
    en: 'subscription',
    ru: 'подписка',
    wrongRu: ['сабскрипшн', 'сабскрипция'],
    definition: {
      en: 'Asking to be sent new data as it appears: a GraphQL subscription over a WebSocket, an MQTT SUBSCRIBE to a topic filter.',
      ru: 'Просьба присылать новые данные, как только они появятся: подписка GraphQL по WebSocket, SUBSCRIBE в MQTT на фильтр тем.',
    },
    lessons: ['rest', 'grpc', 'graphql', 'mqtt', 'message-queues'],
  },
  {
    id: 'n-plus-one',
    en: 'N+1 problem',
    ru: 'проблема N+1',
    alsoEn: ['N+1'],
    alsoRu: ['N+1'],
    definition: {
      en: 'One query for a list and then one more per item; GraphQL resolvers fall into it unless loading is batched.',
      ru: 'Один запрос за списком и ещё по одному на каждый элемент; резолверы GraphQL попадают в эту ловушку, если загрузка не пакетная.',
    },
    lessons: ['rest', 'graphql'],
  },
  {
    id: 'batching',
    en: 'batching',
    ru: 'пакетная загрузка',
    alsoEn: ['batched loading', 'DataLoader'],
    wrongRu: ['батчинг'],
    definition: {
      en: 'Collecting the keys several resolvers ask for and fetching them with one query (DataLoader).',
      ru: 'Ключи, которые просят несколько резолверов, собираются вместе и загружаются одним запросом (DataLoader).',
    },
    lessons: ['graphql'],
  },
  {
    id: 'introspection',
    en: 'introspection',
    ru: 'интроспекция',
    definition: {
      en: 'Asking a GraphQL server for its own schema with a query; editors build completion and checks from it.',
      ru: 'Запрос к серверу GraphQL за его собственной схемой; по ней редакторы строят подсказки и проверки.',
    },
    lessons: ['graphql'],
  },
  // ── MQTT and queues
  {
    id: 'broker',
    en: 'broker',
    ru: 'брокер',
    definition: {
      en: 'The server in the middle of publish/subscribe: publishers send it messages, it delivers them to every subscriber whose filter matches.',
      ru: 'Сервер посередине модели «издатель — подписчик»: издатели отправляют ему сообщения, он доставляет их каждому подписчику, чей фильтр подходит.',
    },
    lessons: ['websockets', 'server-sent-events', 'long-polling', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'publisher',
    en: 'publisher',
    ru: 'издатель',
    wrongRu: ['паблишер'],
    definition: {
      en: 'A client that sends messages to a topic without knowing who, if anyone, will receive them.',
      ru: 'Клиент, который отправляет сообщения в тему, не зная, кто их получит и получит ли вообще.',
    },
    lessons: ['mqtt', 'message-queues'],
  },
  {
    id: 'subscriber',
    en: 'subscriber',
    ru: 'подписчик',
    wrongRu: ['сабскрайбер'],
    definition: {
      en: 'A client that has subscribed to a topic filter and receives the messages published to matching topics.',
      ru: 'Клиент, подписанный на фильтр тем; получает сообщения, опубликованные в подходящие темы.',
    },
    lessons: ['mqtt', 'message-queues', 'choosing-a-protocol'],
  },
  {
    id: 'topic',
    en: 'topic',
    ru: 'тема',
    wrongRu: ['топик'],
    definition: {
      en: 'The address of an MQTT message, levels split by `/` (`orders/42`); subscribers choose topics by filters with the wildcards `+` and `#`.',
      ru: 'Адрес сообщения MQTT из уровней через `/` (`orders/42`); подписчики выбирают темы фильтрами с подстановочными знаками `+` и `#`.',
    },
    lessons: ['mqtt', 'message-queues'],
  },
  {
    id: 'wildcard',
    en: 'wildcard',
    ru: 'подстановочный знак',
    wrongRu: ['вайлдкард', 'джокер'],
    definition: {
      en: '`+` (one topic level) or `#` (all the remaining levels) in an MQTT topic filter.',
      ru: '`+` (один уровень темы) или `#` (все оставшиеся уровни) в фильтре тем MQTT.',
    },
    lessons: ['mqtt', 'message-queues', 'build-your-own-server'],
  },
  {
    id: 'qos',
    en: 'QoS',
    ru: 'QoS',
    alsoEn: ['quality of service'],
    alsoRu: ['уровень QoS'],
    definition: {
      en: 'MQTT\'s delivery guarantee per message: 0 at most once, 1 at least once (PUBACK), 2 exactly once (PUBREC, PUBREL, PUBCOMP).',
      ru: 'Гарантия доставки сообщения в MQTT: 0 — не более одного раза, 1 — хотя бы один раз (PUBACK), 2 — ровно один раз (PUBREC, PUBREL, PUBCOMP).',
    },
    lessons: ['mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'at-least-once',
    en: 'at-least-once delivery',
    ru: 'доставка хотя бы один раз',
    alsoEn: ['at least once'],
    alsoRu: ['хотя бы один раз'],
    wrongRu: ['как минимум один раз', 'по крайней мере один раз'],
    definition: {
      en: 'A message is sent again until it is acknowledged, so it may arrive twice: the receiver must tolerate duplicates.',
      ru: 'Сообщение отправляют снова, пока не придёт подтверждение, поэтому оно может прийти дважды: получатель должен спокойно переносить дубликаты.',
    },
    lessons: ['mqtt', 'message-queues'],
  },
  {
    id: 'retained-message',
    en: 'retained message',
    ru: 'сохранённое сообщение',
    alsoEn: ['retained', 'retain'],
    wrongRu: ['удерживаемое сообщение', 'удержанное сообщение'],
    definition: {
      en: 'The last message of a topic published with the retain flag; the broker keeps it and hands it at once to every new subscriber.',
      ru: 'Последнее сообщение темы, опубликованное с флагом retain; брокер хранит его и сразу отдаёт каждому новому подписчику.',
    },
    lessons: ['mqtt', 'message-queues', 'build-your-own-server'],
  },
  {
    id: 'persistent-session',
    en: 'persistent session',
    ru: 'постоянная сессия',
    wrongRu: ['персистентная сессия', 'устойчивая сессия'],
    definition: {
      en: 'An MQTT session the broker keeps after the client disconnects (clean session off): its subscriptions and the QoS 1 and 2 messages it missed.',
      ru: 'Сессия MQTT, которую брокер хранит после отключения клиента (чистая сессия выключена): его подписки и пропущенные сообщения QoS 1 и 2.',
    },
    lessons: ['mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
  {
    id: 'clean-session',
    en: 'clean session',
    ru: 'чистая сессия',
    definition: {
      en: 'A CONNECT flag: the broker forgets the client\'s session when it leaves and starts from nothing next time.',
      ru: 'Флаг CONNECT: брокер забывает сессию клиента, когда тот уходит, и в следующий раз начинает с нуля.',
    },
    lessons: ['mqtt'],
  },
  {
    id: 'last-will',
    en: 'last will',
    ru: 'завещание',
    wrongRu: ['последняя воля'],
    definition: {
      en: 'A message the client leaves with the broker at CONNECT; the broker publishes it if the client vanishes without a DISCONNECT.',
      ru: 'Сообщение, которое клиент оставляет брокеру в CONNECT; брокер публикует его, если клиент пропадёт без DISCONNECT.',
    },
    lessons: ['mqtt', 'message-queues'],
  },
  {
    id: 'message-queue',
    en: 'message queue',
    ru: 'очередь сообщений',
    alsoEn: ['queue'],
    alsoRu: ['очередь'],
    definition: {
      en: 'Messages wait in order until a consumer takes them, so the sender need not wait for the receiver, nor the receiver be up.',
      ru: 'Сообщения ждут по порядку, пока их не заберёт потребитель, так что отправителю не нужно ждать получателя, а получателю — быть запущенным.',
    },
    lessons: ['protocol-buffers', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'mqtt', 'message-queues', 'choosing-a-protocol'],
  },
  {
    id: 'consumer',
    en: 'consumer',
    ru: 'потребитель',
    wrongRu: ['консьюмер', 'консюмер'],
    definition: {
      en: 'A program that takes messages off a queue or topic and handles them, acknowledging each when it is done.',
      ru: 'Программа, которая забирает сообщения из очереди или темы и обрабатывает их, подтверждая каждое, когда закончит.',
    },
    lessons: ['long-polling', 'mqtt', 'message-queues'],
  },
  {
    id: 'consumer-group',
    en: 'consumer group',
    ru: 'группа потребителей',
    definition: {
      en: 'Consumers that share the work: each message (each partition) goes to one member of the group, not to all.',
      ru: 'Потребители, которые делят работу: каждое сообщение (каждая партиция) достаётся одному участнику группы, а не всем.',
    },
    lessons: ['mqtt', 'message-queues'],
  },
  {
    id: 'partition',
    en: 'partition',
    ru: 'партиция',
    wrongRu: ['партишн'],
    definition: {
      en: 'One ordered part of a topic; messages with the same key go to the same partition, so their order is kept.',
      ru: 'Упорядоченная часть темы; сообщения с одним ключом попадают в одну партицию, поэтому их порядок сохраняется.',
    },
    lessons: ['mqtt', 'message-queues'],
  },
  {
    id: 'fan-out',
    en: 'fan-out',
    ru: 'веерная рассылка',
    alsoRu: ['fan-out'],
    wrongRu: ['фан-аут', 'фанаут'],
    definition: {
      en: 'One message delivered to every subscriber, each with its own copy (as opposed to a consumer group, where one takes it).',
      ru: 'Одно сообщение доставляется каждому подписчику, у каждого своя копия (в отличие от группы потребителей, где его забирает один).',
    },
    lessons: ['websockets', 'message-queues'],
  },
  // ── Wirelab itself
  {
    id: 'inspector',
    en: 'inspector',
    ru: 'инспектор',
    definition: {
      en: 'Wirelab\'s panel that shows the real bytes each of your connections carried, decoded layer by layer.',
      ru: 'Панель Wirelab, которая показывает настоящие байты каждого вашего соединения, разобранные слой за слоем.',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'graphql', 'rest-gateway', 'mqtt', 'message-queues', 'choosing-a-protocol'],
  },
  {
    id: 'sandbox',
    en: 'sandbox',
    ru: 'песочница',
    wrongRu: ['сэндбокс', 'сендбокс'],
    definition: {
      en: 'Your private copy of the demo data on the server: what you create or delete changes only it.',
      ru: 'Ваша личная копия учебных данных на сервере: всё, что вы создаёте или удаляете, меняет только её.',
    },
    lessons: ['how-a-request-travels', 'rest', 'grpc', 'websockets', 'socket-io', 'server-sent-events', 'long-polling', 'rest-gateway', 'mqtt', 'message-queues'],
  },
  {
    id: 'cell',
    en: 'cell',
    ru: 'ячейка',
    definition: {
      en: 'A live editor inside a lesson that sends a real request (or opens a real connection) when you press Run.',
      ru: 'Живой редактор внутри урока, который по нажатию кнопки отправляет настоящий запрос (или открывает настоящее соединение).',
    },
    lessons: ['how-a-request-travels', 'rest', 'protocol-buffers', 'grpc', 'grpc-in-the-browser', 'server-sent-events', 'long-polling', 'graphql', 'rest-gateway', 'mqtt', 'message-queues', 'choosing-a-protocol', 'build-your-own-server'],
  },
];
