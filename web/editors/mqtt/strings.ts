import type { HexError } from '../console-kit/hex.ts';
import type { TopicError } from './topic-rules.ts';

function topicErrorEn(error: TopicError, what: 'name' | 'filter'): string {
  switch (error.code) {
    case 'empty':
      return what === 'name' ? 'Type a topic, e.g. sensors/kitchen/temp' : 'Type a topic filter, e.g. sensors/# or sensors/+/temp';
    case 'too-long':
      return `The topic is ${error.bytes} bytes in UTF-8; MQTT allows 65 535 (a 2-byte length).`;
    case 'null-character':
      return 'A topic may not contain the character U+0000.';
    case 'wildcard-in-name':
      return `“${error.char}” is a wildcard: it belongs in a subscription’s filter, never in the topic of a message you publish.`;
    case 'hash-not-last':
      return `“#” stands for all the remaining levels, so it must be the last level; here it is level ${error.level}.`;
    case 'wildcard-inside-level':
      return `“${error.char}” must fill a whole level on its own (between two “/”), as in sensors/${error.char}${error.char === '+' ? '/temp' : ''}; level ${error.level} mixes it with other characters.`;
    case 'reserved':
      return 'Topics starting with “$” belong to the broker ($SYS/…); this broker refuses them to clients.';
  }
}

function topicErrorRu(error: TopicError, what: 'name' | 'filter'): string {
  switch (error.code) {
    case 'empty':
      return what === 'name' ? 'Введите тему, например sensors/kitchen/temp' : 'Введите фильтр тем, например sensors/# или sensors/+/temp';
    case 'too-long':
      return `Тема занимает ${error.bytes} байт в UTF-8, а MQTT допускает 65 535 (длина — два байта).`;
    case 'null-character':
      return 'В теме не может быть символа U+0000.';
    case 'wildcard-in-name':
      return `«${error.char}» — подстановочный знак: он пишется в фильтре подписки и никогда — в теме публикуемого сообщения.`;
    case 'hash-not-last':
      return `«#» означает «все оставшиеся уровни», поэтому стоит только последним уровнем, а здесь это уровень ${error.level}.`;
    case 'wildcard-inside-level':
      return `«${error.char}» должен занимать уровень целиком (между двумя «/»), как в sensors/${error.char}${error.char === '+' ? '/temp' : ''}; на уровне ${error.level} он смешан с другими символами.`;
    case 'reserved':
      return 'Темы, начинающиеся с «$», принадлежат брокеру ($SYS/…); этот брокер не даёт их клиентам.';
  }
}

export const mqttConsoleStrings = {
  en: {
    consoleLabel: (cellId: string) => `MQTT console “${cellId}”`,
    connection: 'Connection',
    clientId: 'Client id',
    clientIdHint: 'Empty: mqtt.js makes one up (mqttjs_…). A persistent session needs your own.',
    clean: 'Clean session',
    cleanHint: 'On: the broker forgets this client’s session at connect. Off: it keeps subscriptions and queues QoS 1 and 2 messages while you are away.',
    keepAlive: 'Keep-alive, s',
    keepAliveHint: 'The client promises a packet at least this often (PINGREQ when idle); the broker drops it after 1.5× without one. 0: off.',
    will: 'Last will',
    willHint: 'What the broker publishes for you if your connection ends without DISCONNECT.',
    willTopic: 'Will topic',
    willPayload: 'Will message',
    qos: 'QoS',
    retain: 'Retain',
    retainHint: 'The broker keeps the last retained message of a topic and gives it to every new subscriber at once.',
    connect: 'Connect',
    disconnect: 'Disconnect',
    disconnectHint: 'Sends DISCONNECT, then closes: a clean goodbye, the will is thrown away.',
    drop: 'Drop connection',
    dropHint: 'Closes the WebSocket without DISCONNECT, as a lost network would: the broker publishes your will.',
    reset: 'Reset',
    resetHint: 'Put back the lesson’s starting values',
    state: { IDLE: 'not connected', CONNECTING: 'connecting', CONNECTED: 'connected', CLOSED: 'closed' } as Record<string, string>,
    subscribeSection: 'Subscribe',
    filter: 'Topic filter',
    filterHint: '+ matches one level, # every level below: sensors/+/temp, sensors/#',
    subscribe: 'Subscribe',
    unsubscribe: 'Unsubscribe',
    subscriptions: 'Subscriptions',
    noSubscriptions: 'none',
    granted: (qos: string) => `granted ${qos}`,
    publishSection: 'Publish',
    topic: 'Topic',
    payload: 'Payload',
    format: { text: 'text', json: 'JSON', hex: 'bytes in hex' } as Record<string, string>,
    publish: 'Publish',
    size: (bytes: number) => `${bytes} B`,
    notConnected: 'Connect first.',
    keepAliveError: 'Keep-alive is a whole number of seconds from 0 to 65 535.',
    clientIdNeeded: 'A persistent session (clean session off) needs a client id: the broker keeps the session under it.',
    topicError: (error: TopicError, what: 'name' | 'filter') => topicErrorEn(error, what),
    hexError: (error: HexError) =>
      error.code === 'not-hex'
        ? `“${error.char}” is not a hex digit: write bytes as pairs such as 01 02 ff`
        : error.code === 'odd-digits'
          ? `${error.digits} hex digits: a byte is two digits, so the count must be even`
          : 'Type at least one byte, e.g. 01 02 ff',
    jsonError: (description: string) => `Not JSON: ${description}. Fix it, or choose “text” to send it as it is.`,
    connecting: (clientId: string, clean: boolean, keepAlive: number, willTopic: string | null) =>
      `Connecting to /mqtt as ${clientId ? `“${clientId}”` : 'a made-up client id'}, clean session ${clean ? 'on' : 'off'}, keep-alive ${keepAlive} s${willTopic ? `, will on ${willTopic}` : ''}…`,
    connected: (sessionPresent: boolean) =>
      `Connected. ${sessionPresent ? 'The broker still had your session (session present = 1).' : 'A new session (session present = 0).'}`,
    refused: (code: number, meaning: string) => `The broker refused the connection: CONNACK return code ${code} (${meaning}).`,
    closed: (how: 'disconnect' | 'drop' | 'lost', code: number | null): string =>
      how === 'disconnect'
        ? 'Closed after DISCONNECT: the broker discarded the will.'
        : how === 'drop'
          ? 'Connection dropped without DISCONNECT: the broker publishes the will, if there is one.'
          : `The connection ended: the broker closed it, or the network went away${code === null ? '' : ` (the WebSocket closed with code ${code})`}.`,
    noConnack: (seconds: number) =>
      `No CONNACK: the broker did not answer CONNECT within ${seconds} s, so the console closed the connection. Press Connect to try again.`,
    notOpened: (path: string, code: number | null) =>
      `The WebSocket to ${path} did not open${code === null ? '' : ` (closed with code ${code})`}: the server refused the handshake or cannot be reached. Nothing was sent to the broker.`,
    serverRestarting: 'The server stopped or is restarting (the WebSocket closed with 1001): press Connect once it is back.',
    failed: (message: string) => `Error: ${message}`,
    subscribing: (filter: string, qos: number) => `Subscribing to ${filter} with QoS ${qos}`,
    subscribeRefused: (filter: string) => `The broker refused ${filter} (SUBACK 0x80).`,
    handshake: 'handshake',
    packet: 'packet',
    message: 'message',
    messageLine: (topic: string, qos: number, retain: boolean, dup: boolean) => `${topic} · QoS ${qos}${retain ? ' · retained' : ''}${dup ? ' · DUP' : ''}`,
    hexPayload: (hex: string) => `bytes: ${hex}`,
  },
  ru: {
    consoleLabel: (cellId: string) => `Консоль MQTT «${cellId}»`,
    connection: 'Подключение',
    clientId: 'Идентификатор клиента',
    clientIdHint: 'Пусто — mqtt.js придумает сам (mqttjs_…). Для постоянной сессии нужен свой.',
    clean: 'Чистая сессия',
    cleanHint: 'Включено: брокер забывает сессию клиента при подключении. Выключено: хранит подписки и копит сообщения QoS 1 и 2, пока вас нет.',
    keepAlive: 'Keep-alive, с',
    keepAliveHint:
      'Клиент обещает присылать пакет не реже этого (в тишине — PINGREQ); брокер разрывает соединение после 1,5 такого срока без пакетов. 0 — выключено.',
    will: 'Завещание (last will)',
    willHint: 'Что брокер опубликует за вас, если соединение закончится без DISCONNECT.',
    willTopic: 'Тема завещания',
    willPayload: 'Текст завещания',
    qos: 'QoS',
    retain: 'Retain',
    retainHint: 'Брокер хранит последнее сохранённое (retained) сообщение темы и сразу отдаёт его каждому новому подписчику.',
    connect: 'Подключиться',
    disconnect: 'Отключиться',
    disconnectHint: 'Отправляет DISCONNECT и закрывает соединение: вежливое прощание, завещание выбрасывается.',
    drop: 'Оборвать соединение',
    dropHint: 'Закрывает WebSocket без DISCONNECT, как при пропавшей сети: брокер публикует ваше завещание.',
    reset: 'Сбросить',
    resetHint: 'Вернуть начальные значения из урока',
    state: { IDLE: 'не подключено', CONNECTING: 'подключается', CONNECTED: 'подключено', CLOSED: 'закрыто' } as Record<string, string>,
    subscribeSection: 'Подписка',
    filter: 'Фильтр тем',
    filterHint: '+ — ровно один уровень, # — все уровни ниже: sensors/+/temp, sensors/#',
    subscribe: 'Подписаться',
    unsubscribe: 'Отписаться',
    subscriptions: 'Подписки',
    noSubscriptions: 'нет',
    granted: (qos: string) => `выдано ${qos}`,
    publishSection: 'Публикация',
    topic: 'Тема',
    payload: 'Полезная нагрузка',
    format: { text: 'текст', json: 'JSON', hex: 'байты в hex' } as Record<string, string>,
    publish: 'Опубликовать',
    size: (bytes: number) => `${bytes} Б`,
    notConnected: 'Сначала подключитесь.',
    keepAliveError: 'Keep-alive — целое число секунд от 0 до 65 535.',
    clientIdNeeded: 'Постоянной сессии (чистая сессия выключена) нужен идентификатор клиента: под ним брокер хранит сессию.',
    topicError: (error: TopicError, what: 'name' | 'filter') => topicErrorRu(error, what),
    hexError: (error: HexError) =>
      error.code === 'not-hex'
        ? `«${error.char}» — не шестнадцатеричная цифра: пишите байты парами, например 01 02 ff`
        : error.code === 'odd-digits'
          ? `Цифр: ${error.digits}. Байт — это две цифры, поэтому их число должно быть чётным`
          : 'Введите хотя бы один байт, например 01 02 ff',
    jsonError: (description: string) => `Это не JSON: ${description}. Исправьте или выберите «текст», чтобы отправить как есть.`,
    connecting: (clientId: string, clean: boolean, keepAlive: number, willTopic: string | null) =>
      `Подключаемся к /mqtt ${clientId ? `как «${clientId}»` : 'с придуманным идентификатором'}, чистая сессия ${clean ? 'включена' : 'выключена'}, keep-alive ${keepAlive} с${willTopic ? `, завещание в теме ${willTopic}` : ''}…`,
    connected: (sessionPresent: boolean) =>
      `Подключено. ${sessionPresent ? 'Брокер сохранил вашу сессию (session present = 1).' : 'Новая сессия (session present = 0).'}`,
    refused: (code: number, meaning: string) => `Брокер отказал в подключении: код ответа CONNACK ${code} (${meaning}).`,
    closed: (how: 'disconnect' | 'drop' | 'lost', code: number | null): string =>
      how === 'disconnect'
        ? 'Закрыто после DISCONNECT: брокер выбросил завещание.'
        : how === 'drop'
          ? 'Соединение оборвано без DISCONNECT: брокер публикует завещание, если оно есть.'
          : `Соединение закончилось: его закрыл брокер или пропала сеть${code === null ? '' : ` (WebSocket закрыт с кодом ${code})`}.`,
    noConnack: (seconds: number) =>
      `Нет CONNACK: брокер не ответил на CONNECT за ${seconds} с, и консоль закрыла соединение. Нажмите «Подключиться», чтобы попробовать снова.`,
    notOpened: (path: string, code: number | null) =>
      `WebSocket к ${path} не открылся${code === null ? '' : ` (закрыт с кодом ${code})`}: сервер отказал в рукопожатии или недоступен. Брокеру ничего не отправлено.`,
    serverRestarting: 'Сервер остановлен или перезапускается (WebSocket закрыт с кодом 1001): когда он вернётся, нажмите «Подключиться».',
    failed: (message: string) => `Ошибка: ${message}`,
    subscribing: (filter: string, qos: number) => `Подписываемся на ${filter} с QoS ${qos}`,
    subscribeRefused: (filter: string) => `Брокер отказал в подписке на ${filter} (SUBACK 0x80).`,
    handshake: 'рукопожатие',
    packet: 'пакет',
    message: 'сообщение',
    messageLine: (topic: string, qos: number, retain: boolean, dup: boolean) => `${topic} · QoS ${qos}${retain ? ' · сохранённое' : ''}${dup ? ' · DUP' : ''}`,
    hexPayload: (hex: string) => `байты: ${hex}`,
  },
};
