import type { CheckedProtocol } from '../../contracts/own-server/check-result.ts';

type ProtocolTexts = Record<CheckedProtocol, string>;

/** What each suite expects the student's server to serve (server/own-server/README.md, "The suites"). */
const protocolPathsEn: ProtocolTexts = {
  rest: 'the users resource at /api/v1/users',
  websocket: 'an echo at /ws/echo',
  sse: 'an event stream at /api/v1/events, events made by POST /api/v1/users',
  grpc: 'UserService from proto/ over h2c, and health',
  graphql: 'users at /graphql over HTTP, subscriptions over graphql-transport-ws',
  mqtt: 'an MQTT 3.1.1 broker over TCP: QoS 0–2, retained messages, wildcards, sessions, wills, refusals',
  gateway: 'REST over your gRPC UserService as users.proto’s google.api.http maps it: /v1/users, proto3 JSON, gRPC codes as HTTP statuses',
  'long-polling': 'long polling at GET /api/v1/poll?since=…&timeout=…, events made by POST /api/v1/users',
  'socket-io':
    'lesson 07’s chat over Socket.IO v5 on Engine.IO v4 (long-polling) at /socket.io/: handshake, CONNECT with a name, chat:join with an ack, chat:message',
  'grpc-websocket':
    'the seminar’s “WebSockets and gRPC in one service”: UserService over gRPC at this address, a WebSocket at /events on the same port or the next one; users created over gRPC arrive as events, users created on the WebSocket are found over gRPC',
};

const protocolPathsRu: ProtocolTexts = {
  rest: 'ресурс пользователей по адресу /api/v1/users',
  websocket: 'эхо по адресу /ws/echo',
  sse: 'поток событий по адресу /api/v1/events, события создаёт POST /api/v1/users',
  grpc: 'UserService из proto/ поверх h2c и health',
  graphql: 'пользователи на /graphql через HTTP, подписки по graphql-transport-ws',
  mqtt: 'брокер MQTT 3.1.1 поверх TCP: QoS 0–2, сохранённые сообщения, подстановочные знаки, сессии, завещания, отказы',
  gateway:
    'REST поверх вашего gRPC-сервиса UserService так, как его отображают google.api.http из users.proto: /v1/users, JSON proto3, коды gRPC как HTTP-статусы',
  'long-polling': 'long polling: GET /api/v1/poll?since=…&timeout=…, события создаёт POST /api/v1/users',
  'socket-io': 'чат урока 07 по Socket.IO v5 поверх Engine.IO v4 (long-polling) на /socket.io/: рукопожатие, CONNECT с именем, chat:join с ack, chat:message',
  'grpc-websocket':
    'задача семинара «WebSocket и gRPC в одном сервисе»: UserService по gRPC на этом адресе, WebSocket на /events на том же порту или на следующем; созданные через gRPC пользователи приходят событиями, созданные через WebSocket находятся через gRPC',
};

const protocolNames: ProtocolTexts = {
  rest: 'REST',
  websocket: 'WebSocket',
  sse: 'SSE',
  grpc: 'gRPC',
  graphql: 'GraphQL',
  mqtt: 'MQTT',
  gateway: 'gRPC gateway',
  'long-polling': 'Long polling',
  'socket-io': 'Socket.IO',
  'grpc-websocket': 'gRPC + WebSocket',
};

export const ownServerStrings = {
  en: {
    title: 'My server',
    intro:
      'You wrote a server — now check it against the same contract Wirelab’s own server keeps. Wirelab connects to your server, sends real requests and frames, and for each check tells you what it sent, what it expected and why (the clause of the spec), and what came back.',
    allowedTitle: 'Only your own computer',
    allowed:
      'Wirelab connects only to the machine your browser runs on: if you work on the computer where Wirelab runs, that is 127.0.0.1 (any loopback address, or localhost); in a class, only the address your own computer connects from — never anyone else’s. The connections last while this page waits for the result: Cancel, or closing the page, stops the check and closes them.',
    protocolLegend: 'Protocol',
    protocolNames,
    protocolPaths: protocolPathsEn,
    targetLabel: 'Your server (host:port)',
    targetHint: 'For example 127.0.0.1:8000. Remembered in this browser.',
    tryWirelab: 'To see what passing looks like, aim at Wirelab’s own server:',
    run: 'Run the checks',
    cancel: 'Cancel',
    running: 'Checking your server… (a suite takes up to a minute)',
    cancelled: 'Cancelled: the check was stopped and its connections closed.',
    refusedTitle: 'No check ran',
    wirelabItselfNote:
      'This is Wirelab’s own server: every check passes here (but for gRPC + WebSocket, the seminar’s task, which Wirelab does not serve at /events). It shows what passing looks like, and it proves nothing about your server — a lesson’s exercise counts only your own.',
    cellLabel: (cell: string) => `Check your server: ${cell}`,
    runNotCaptured:
      'This run’s bytes did not come back through the capture channel in time (is recording switched off?), and the lesson’s exercise hears of a run only through them. The report above is what the check route answered.',
    exerciseVerdict: 'The server’s verdict for the exercise:',
    fixedByRun: 'Fixed by this run:',
    outcomes: { pass: 'Pass', fail: 'Fail', 'not-offered': 'Not offered' },
    expected: 'Expected',
    why: 'Why',
    difference: 'What differed',
    failingRequest: 'Failed request',
    failingRequestBytes: 'The failed request',
    transcript: 'What was sent and what came back',
    sent: 'Sent',
    got: 'Came back',
    nothingSent: '(nothing was sent)',
    nothingCame: '(nothing came back)',
    openInInspector: 'Open its bytes in the inspector',
    openConnection: (n: number, total: number) => `Connection ${n} of ${total}: its bytes in the inspector`,
    failedRequest: 'The check did not run:',
    unreadableAnswer: (status: number) => `The server answered ${status} with something that is not a check report.`,
    networkError: 'Wirelab’s server did not answer. Is it still running?',
    startersTitle: 'No server yet? Start from a skeleton',
    starters:
      'The repository has small skeleton servers to start from (their TODOs are yours to write), in Python (starters/python/) and Go (starters/go/): see the README in each folder. For the protocol chosen above, from the repository’s folder, in the venv of starters/python/requirements.txt, one command a line, the same in PowerShell and zsh (for the gateway, the gRPC server in one terminal and the gateway in another; on Debian without a venv, /usr/bin/python3 for python):',
    startersMqtt:
      'There is no starter broker in the repository: Debian’s mosquitto (2.x) passes every MQTT check, and listens only on this machine when started with just a port. For the lesson’s exercise, first run the checks against it with a configuration that names a listener but not allow_anonymous true (they fail), then add that line and run them again (lesson 15 gives the steps):',
    startersGo:
      'The same skeleton in Go, from the repository’s folder (Go 1.19 or newer; for gRPC, protoc and its two Go plugins, as starters/go/README.md says):',
    startersZip: 'Download every skeleton as one zip (with the .proto files the gRPC ones need)',
    cliTitle: 'The same checks in a terminal',
    cli: 'The same suite, one line per check, with an exit code for scripts and CI:',
  },
  ru: {
    title: 'Мой сервер',
    intro:
      'Вы написали свой сервер — проверьте, выполняет ли он тот же контракт, что и собственный сервер Wirelab. Wirelab подключается к вашему серверу, отправляет настоящие запросы и кадры и для каждой проверки показывает, что отправил, чего ожидал и почему (пункт спецификации) и что пришло в ответ.',
    allowedTitle: 'Только ваш собственный компьютер',
    allowed:
      'Wirelab подключается только к той машине, на которой работает ваш браузер: если вы работаете за тем же компьютером, где запущен Wirelab, это 127.0.0.1 (любой loopback-адрес или localhost); на занятии — только адрес, с которого подключается ваш собственный компьютер, и никогда чужой. Соединения живут, пока страница ждёт результата: кнопка «Отмена» или закрытие страницы останавливает проверку и закрывает их.',
    protocolLegend: 'Протокол',
    protocolNames,
    protocolPaths: protocolPathsRu,
    targetLabel: 'Ваш сервер (host:port)',
    targetHint: 'Например, 127.0.0.1:8000. Браузер запомнит адрес.',
    tryWirelab: 'Чтобы увидеть, как выглядят пройденные проверки, проверьте сам сервер Wirelab:',
    run: 'Запустить проверки',
    cancel: 'Отмена',
    running: 'Проверяем ваш сервер… (набор проверок занимает до минуты)',
    cancelled: 'Отменено: проверка остановлена, её соединения закрыты.',
    refusedTitle: 'Ни одна проверка не запускалась',
    wirelabItselfNote:
      'Это собственный сервер Wirelab: здесь проходят все проверки (кроме «gRPC + WebSocket» — задачи семинара, которую Wirelab на /events не обслуживает). Так выглядит успех, но о вашем сервере это ничего не говорит — упражнения урока засчитывают только ваш собственный.',
    cellLabel: (cell: string) => `Проверка вашего сервера: ${cell}`,
    runNotCaptured:
      'Байты этого прогона не пришли по каналу захвата вовремя (может быть, запись выключена?), а упражнение урока узнаёт о прогоне только по ним. Выше — отчёт в том виде, как его вернул маршрут проверок.',
    exerciseVerdict: 'Вердикт сервера по упражнению:',
    fixedByRun: 'Исправлено этим запуском:',
    outcomes: { pass: 'Пройдена', fail: 'Не пройдена', 'not-offered': 'Не предлагается' },
    expected: 'Ожидалось',
    why: 'Почему',
    difference: 'Что не так',
    failingRequest: 'Запрос, не прошедший проверку',
    failingRequestBytes: 'Запрос, не прошедший проверку',
    transcript: 'Что отправлено и что пришло в ответ',
    sent: 'Отправлено',
    got: 'Пришло в ответ',
    nothingSent: '(ничего не отправлено)',
    nothingCame: '(ничего не пришло)',
    openInInspector: 'Открыть её байты в инспекторе',
    openConnection: (n: number, total: number) => `Соединение ${n} из ${total}: его байты в инспекторе`,
    failedRequest: 'Проверка не запустилась:',
    unreadableAnswer: (status: number) => `Сервер ответил ${status}, но это не отчёт о проверке.`,
    networkError: 'Сервер Wirelab не ответил. Он всё ещё запущен?',
    startersTitle: 'Сервера ещё нет? Начните с заготовки',
    starters:
      'В репозитории есть небольшие заготовки серверов, с которых можно начать (места с TODO пишете вы), — на Python (starters/python/) и на Go (starters/go/): как их запускать, написано в README каждой папки. Для выбранного выше протокола — из папки репозитория, в виртуальном окружении из starters/python/requirements.txt, по команде в строке, одинаково в PowerShell и zsh (для шлюза gRPC-сервер — в одном терминале, шлюз — в другом; в Debian без venv вместо python — /usr/bin/python3):',
    startersMqtt:
      'Готового брокера в репозитории нет: mosquitto из Debian (2.x) проходит все проверки MQTT, а запущенный только с номером порта принимает подключения лишь с этой машины. Для упражнения урока сначала запустите проверки на брокере с файлом настроек, где есть listener, но нет allow_anonymous true (они не пройдут), затем добавьте эту строку и запустите их снова (шаги — в уроке 15):',
    startersGo:
      'Та же заготовка на Go — из папки репозитория (Go 1.19 или новее; для gRPC — protoc и два его плагина для Go, как сказано в starters/go/README.ru.md):',
    startersZip: 'Скачать все заготовки одним архивом zip (с файлами .proto, нужными для gRPC)',
    cliTitle: 'Те же проверки в терминале',
    cli: 'Тот же набор проверок, по строке на проверку, с кодом выхода для скриптов и CI:',
  },
};
