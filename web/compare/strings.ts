import type { JobKind, Protocol } from './lab-types.ts';

type ProtocolNames = Record<Protocol, string>;

const protocolNamesEn: ProtocolNames = {
  rest: 'REST v1 (JSON)',
  'graphql-post': 'GraphQL POST',
  'graphql-get': 'GraphQL GET',
  'connect-json': 'Connect JSON',
  'connect-binary': 'Connect binary',
  'grpc-web': 'gRPC-Web',
  'grpc-native': 'gRPC (h2c, runner)',
  'rest-gateway': 'REST gateway (/v1)',
  sse: 'SSE',
  websocket: 'WebSocket',
  'socket-io': 'Socket.IO',
  'long-polling': 'Long polling',
  'graphql-sub': 'GraphQL subscription',
  'grpc-stream': 'gRPC stream (runner)',
  mqtt: 'MQTT over WebSocket',
};

const protocolNamesRu: ProtocolNames = {
  ...protocolNamesEn,
  rest: 'REST v1 (JSON)',
  'grpc-native': 'gRPC (h2c, через раннер)',
  'rest-gateway': 'REST-шлюз (/v1)',
  'long-polling': 'Long polling',
  'graphql-sub': 'GraphQL-подписка',
  'grpc-stream': 'Поток gRPC (раннер)',
  mqtt: 'MQTT поверх WebSocket',
};

type JobNames = Record<JobKind, string>;

export const compareStrings = {
  en: {
    title: 'Comparison lab',
    navLink: 'Comparison lab',
    intro:
      'One job, every protocol that can do it, against the real server. Each number below is taken from the bytes the tap captured on this session’s connections while the run was going on — nothing is estimated. Bytes are TCP payload as the server read and wrote it (no TCP/IP headers); times are the tap’s timestamps on the server, so the loopback network is not in them.',
    job: 'Job',
    jobs: {
      read: 'Read one user with their posts',
      list: 'List users',
      create: 'Create a user',
      events: 'Receive the next N events as they happen',
    } satisfies JobNames,
    jobNotes: {
      read: 'REST needs two requests (the user, then the posts); GraphQL asks for both in one. The gRPC API has no posts: Connect, gRPC-Web, gRPC and the gateway read the user only.',
      list: 'REST and GraphQL answer one JSON document; Connect, gRPC-Web and gRPC stream one message per user (ListUsers), the gateway one JSON line per user.',
      create: 'A new user each run (an event for every subscriber of your sandbox). GraphQL over GET cannot: mutations are POST only.',
      events:
        'The lab subscribes, then creates users one by one through the gRPC runner on a connection of its own (left out of the measure) and waits for each event to arrive. Then it watches the idle connection.',
    } satisfies JobNames,
    size: 'Users',
    repetitions: 'Runs per protocol',
    connection: 'Connection',
    warm: 'warm (one unmeasured run first)',
    cold: 'cold (measure the first run)',
    coldNote:
      'Cold/warm: the lab can open a new connection only where it owns one (WebSocket, EventSource, Socket.IO, MQTT, the gRPC runner’s channel). fetch() reuses whatever keep-alive connection the browser already holds; the "new TCP" column shows what really happened.',
    httpVersionNote:
      'HTTP/1.1 or HTTP/2? The browser picks, not the page: over plain http:// it always speaks HTTP/1.1 (browsers do HTTP/2 only over TLS). Only the gRPC runner (a client inside the server) and tools like curl --http2-prior-knowledge speak h2c here — that is why native gRPC is the one HTTP/2 row.',
    events: 'Events',
    idle: 'Idle window',
    seconds: 's',
    protocols: 'Protocols',
    run: 'Run',
    running: 'Running…',
    progress: (name: string, step: number, steps: number) => `${name}: ${step} of ${steps}`,
    downloadCsv: 'Download CSV',
    seeded: (count: number) => `Your sandbox had fewer users than the list asks for: the lab created ${count} more first (not measured).`,
    noResults: 'Press "Run": the lab runs the job over every protocol you picked and fills the table.',
    charts: {
      bytes: 'Bytes on the wire (up + down)',
      overhead: 'Of them, protocol overhead (headers, framing)',
      roundTrips: 'HTTP round trips',
      total: 'Total time, median (ms)',
      latency: 'Latency per event, median (ms)',
      idle: 'Idle cost (bytes per minute)',
    },
    columns: {
      protocol: 'Protocol',
      wire: 'Wire',
      up: 'Up, bytes (headers + payload)',
      down: 'Down, bytes (headers + payload)',
      opened: 'New TCP',
      roundTrips: 'Round trips',
      ttfb: 'TTFB, ms (median, range)',
      total: 'Total, ms (median, range)',
      latency: 'Latency/event, ms',
      idle: 'Idle, B/min',
      items: 'Got',
      sql: 'SQL',
    },
    openInInspector: 'Show in the inspector',
    inspectorTitle: 'The selected run in the inspector',
    inspectorHint: 'Click a row to open its first exchange in the inspector.',
    claimsTitle: 'The notes’ claims, measured',
    claimNotRun: 'Not measured yet:',
    claimRunHint: (job: string) => `run "${job}" to test it.`,
    verdict: 'What the lab measured',
  },
  ru: {
    title: 'Лаборатория сравнения',
    navLink: 'Лаборатория сравнения',
    intro:
      'Одна задача — все протоколы, которые с ней справляются, на настоящем сервере. Каждое число ниже взято из байтов, которые перехватчик записал на соединениях этой сессии во время прогона, — ничего не оценивается на глаз. Байты — это полезная нагрузка TCP, как сервер её прочитал и записал (без заголовков TCP/IP); время — по меткам перехватчика на сервере, поэтому сеть loopback в него не входит.',
    job: 'Задача',
    jobs: {
      read: 'Прочитать пользователя с его постами',
      list: 'Получить список пользователей',
      create: 'Создать пользователя',
      events: 'Получить следующие N событий по мере их появления',
    } satisfies JobNames,
    jobNotes: {
      read: 'REST нужно два запроса (пользователь, потом его посты); GraphQL просит и то и другое одним. В gRPC API постов нет: Connect, gRPC-Web, gRPC и шлюз читают только пользователя.',
      list: 'REST и GraphQL отвечают одним JSON-документом; Connect, gRPC-Web и gRPC передают поток — по сообщению на пользователя (ListUsers), шлюз — по строке JSON на пользователя.',
      create: 'Каждый прогон создаёт нового пользователя (событие для всех подписчиков вашей песочницы). GraphQL через GET не может: мутации — только POST.',
      events:
        'Лаборатория подписывается, затем по одному создаёт пользователей через раннер gRPC на отдельном соединении (оно в замер не входит) и ждёт, пока придёт каждое событие. Потом наблюдает за простаивающим соединением.',
    } satisfies JobNames,
    size: 'Пользователей',
    repetitions: 'Прогонов на протокол',
    connection: 'Соединение',
    warm: 'тёплое (сначала один прогон без замера)',
    cold: 'холодное (замер с первого прогона)',
    coldNote:
      'Холодное или тёплое: новое соединение лаборатория может открыть только там, где оно её собственное (WebSocket, EventSource, Socket.IO, MQTT, канал раннера gRPC). fetch() берёт то keep-alive-соединение, которое браузер уже держит; что произошло на самом деле, видно в столбце «новых TCP».',
    httpVersionNote:
      'HTTP/1.1 или HTTP/2? Выбирает браузер, а не страница: по обычному http:// он всегда говорит на HTTP/1.1 (HTTP/2 браузеры ведут только поверх TLS). На h2c здесь говорят только раннер gRPC (клиент внутри сервера) и инструменты вроде curl --http2-prior-knowledge — поэтому единственная строка с HTTP/2 — нативный gRPC.',
    events: 'Событий',
    idle: 'Окно простоя',
    seconds: 'с',
    protocols: 'Протоколы',
    run: 'Запустить',
    running: 'Идёт прогон…',
    progress: (name: string, step: number, steps: number) => `${name}: ${step} из ${steps}`,
    downloadCsv: 'Скачать CSV',
    seeded: (count: number) => `В вашей песочнице меньше пользователей, чем просит список: лаборатория сначала создала ещё ${count} (в замер это не входит).`,
    noResults: 'Нажмите «Запустить»: лаборатория выполнит задачу по каждому выбранному протоколу и заполнит таблицу.',
    charts: {
      bytes: 'Байты в проводе (туда + обратно)',
      overhead: 'Из них накладные расходы протокола (заголовки, кадры)',
      roundTrips: 'Обмены запрос — ответ HTTP',
      total: 'Общее время, медиана (мс)',
      latency: 'Задержка события, медиана (мс)',
      idle: 'Цена простоя (байт в минуту)',
    },
    columns: {
      protocol: 'Протокол',
      wire: 'Транспорт',
      up: 'Туда, байт (заголовки + данные)',
      down: 'Обратно, байт (заголовки + данные)',
      opened: 'Новых TCP',
      roundTrips: 'Обменов',
      ttfb: 'До первого байта, мс (медиана, разброс)',
      total: 'Всего, мс (медиана, разброс)',
      latency: 'Задержка события, мс',
      idle: 'Простой, байт/мин',
      items: 'Получено',
      sql: 'SQL',
    },
    openInInspector: 'Показать в инспекторе',
    inspectorTitle: 'Выбранный прогон в инспекторе',
    inspectorHint: 'Щёлкните строку, чтобы открыть её первый обмен в инспекторе.',
    claimsTitle: 'Утверждения из конспектов — на замерах',
    claimNotRun: 'Ещё не измерено:',
    claimRunHint: (job: string) => `запустите задачу «${job}», чтобы проверить.`,
    verdict: 'Что намерила лаборатория',
  },
};

export const protocolNames = { en: protocolNamesEn, ru: protocolNamesRu };

export type CompareStrings = (typeof compareStrings)['en'];
