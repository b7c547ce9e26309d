import type { Lang } from '../../kit/lang-context.ts';
import { describeJsonError } from '../json-error.ts';
import type { EmitInputError } from './emit-input.ts';
import type { ServerGoingAway } from './server-going-away.ts';

export const socketIoConsoleStrings = {
  en: {
    consoleLabel: (cellId: string) => `Socket.IO console “${cellId}”`,
    namespace: 'Namespace',
    auth: 'auth (JSON)',
    authHint: 'Sent in the CONNECT packet; the server may refuse it with CONNECT_ERROR',
    transports: 'Transports',
    transportsHint: 'In this order: with polling first the client upgrades to websocket when it can',
    connect: 'Connect',
    disconnect: 'Disconnect',
    drop: 'Drop the transport',
    dropHint:
      'Closes the Engine.IO transport under the socket, as a lost network would. The client notices and reconnects by itself: a new session, a new sid, a new handshake.',
    dropNote:
      'A page cannot cut a TCP connection silently; “Drop the transport” closes it from the client’s side without telling Socket.IO, which reconnects as after a real drop.',
    state: { idle: 'not connected', connecting: 'connecting', connected: 'connected', reconnecting: 'reconnecting', closed: 'disconnected' } as Record<
      string,
      string
    >,
    transport: (name: string) => `transport: ${name}`,
    event: 'Event',
    args: 'Arguments (JSON list)',
    ack: 'ask for an ack',
    ackHint: 'The last argument becomes a callback: the server’s reply comes back as an ACK packet with the same id',
    emit: 'Emit',
    presets: 'Presets',
    presetHint: 'Emit this event now',
    emitError: (error: EmitInputError) =>
      error.code === 'bad-event'
        ? `Event name: ${error.reason}`
        : error.code === 'args-not-json'
          ? `The arguments are not JSON: ${describeJsonError(error.message, 'en')}`
          : 'The arguments must be a JSON list, e.g. ["lobby"]',
    authError: (message: string) =>
      message === 'not-object' ? 'auth must be a JSON object, e.g. {"name":"student"}' : `auth is not JSON: ${describeJsonError(message, 'en')}`,
    noTransport: 'Choose at least one transport.',
    notConnected: 'Connect first.',
    connecting: (namespace: string, transports: string[]) => `Connecting to namespace ${namespace}, transports ${transports.join(' → ')}…`,
    engineOpen: (sid: string, transport: string) => `Engine.IO session ${sid} open over ${transport}`,
    upgrading: (transport: string) => `Probing ${transport} (ping "probe" / pong "probe")…`,
    upgraded: (transport: string) => `Upgraded to ${transport}: polling is over, the session continues on the new transport`,
    upgradeFailed: (message: string) => `Upgrade failed, staying on polling: ${clientReason(message, 'en')}`,
    connected: (id: string) => `Connected, socket id ${id}`,
    connectError: (message: string, willRetry: boolean) =>
      `Connection refused: ${clientReason(message, 'en')}${willRetry ? ' — the client retries' : ' — the server said no, so the client does not retry'}`,
    disconnected: (reason: string, willRetry: boolean) => `Disconnected: ${clientReason(reason, 'en')}${willRetry ? ' — the client reconnects by itself' : ''}`,
    serverWentAway: (away: ServerGoingAway) =>
      `Disconnected: the server stopped or is restarting (${
        away.transport === 'websocket'
          ? `the WebSocket closed with ${away.code}${away.reason ? ` “${away.reason}”` : ''}`
          : 'the waiting poll was answered with Engine.IO’s close packet'
      }) — the client reconnects by itself`,
    serverNotBack: (message: string) => `The server is not back yet (${clientReason(message, 'en')}) — the client tries again`,
    reconnectAttempt: (attempt: number) => `Reconnect attempt ${attempt}`,
    reconnected: (attempt: number) => `Reconnected after ${attempt} attempt${attempt === 1 ? '' : 's'}`,
    emitted: (event: string, ack: boolean) => `${event}${ack ? ' (waiting for an ack)' : ''}`,
    ackReply: (event: string) => `ack for ${event}`,
    ackTimeout: (event: string, ms: number) => `No ack for ${event} within ${ms} ms`,
    dropped: 'Transport closed from this page…',
    showOpen: 'open packet',
  },
  ru: {
    consoleLabel: (cellId: string) => `Консоль Socket.IO «${cellId}»`,
    namespace: 'Пространство имён',
    auth: 'auth (JSON)',
    authHint: 'Уходит в пакете CONNECT; сервер может отказать пакетом CONNECT_ERROR',
    transports: 'Транспорты',
    transportsHint: 'В этом порядке: если первым стоит polling, клиент при возможности перейдёт на websocket',
    connect: 'Подключиться',
    disconnect: 'Отключиться',
    drop: 'Оборвать транспорт',
    dropHint:
      'Закрывает транспорт Engine.IO под сокетом, как это сделал бы обрыв сети. Клиент замечает это и сам переподключается: новая сессия, новый sid, новое рукопожатие.',
    dropNote:
      'Страница не может тихо оборвать TCP-соединение; «Оборвать транспорт» закрывает его со стороны клиента, не предупреждая Socket.IO, и тот переподключается, как после настоящего обрыва.',
    state: { idle: 'не подключено', connecting: 'подключается', connected: 'подключено', reconnecting: 'переподключается', closed: 'отключено' } as Record<
      string,
      string
    >,
    transport: (name: string) => `транспорт: ${name}`,
    event: 'Событие',
    args: 'Аргументы (список JSON)',
    ack: 'запросить подтверждение',
    ackHint: 'Последним аргументом станет функция обратного вызова: ответ сервера придёт пакетом ACK с тем же id',
    emit: 'Отправить',
    presets: 'Заготовки',
    presetHint: 'Отправить это событие',
    emitError: (error: EmitInputError) =>
      error.code === 'bad-event'
        ? `Имя события: ${error.reason}`
        : error.code === 'args-not-json'
          ? `Аргументы — некорректный JSON: ${describeJsonError(error.message, 'ru')}`
          : 'Аргументы должны быть списком JSON, например ["lobby"]',
    authError: (message: string) =>
      message === 'not-object'
        ? 'auth должен быть объектом JSON, например {"name":"student"}'
        : `auth — некорректный JSON: ${describeJsonError(message, 'ru')}`,
    noTransport: 'Выберите хотя бы один транспорт.',
    notConnected: 'Сначала подключитесь.',
    connecting: (namespace: string, transports: string[]) => `Подключаемся к пространству имён ${namespace}, транспорты ${transports.join(' → ')}…`,
    engineOpen: (sid: string, transport: string) => `Сессия Engine.IO ${sid} открыта через ${transport}`,
    upgrading: (transport: string) => `Проверяем ${transport} (ping "probe" / pong "probe")…`,
    upgraded: (transport: string) => `Переход на ${transport}: polling закончен, сессия продолжается на новом транспорте`,
    upgradeFailed: (message: string) => `Переход не удался, остаёмся на polling: ${clientReason(message, 'ru')}`,
    connected: (id: string) => `Подключено, id сокета ${id}`,
    connectError: (message: string, willRetry: boolean) =>
      `Подключение отклонено: ${clientReason(message, 'ru')}${willRetry ? ' — клиент попробует снова' : ' — сервер отказал, поэтому клиент не повторяет попытку'}`,
    disconnected: (reason: string, willRetry: boolean) => `Отключено: ${clientReason(reason, 'ru')}${willRetry ? ' — клиент переподключится сам' : ''}`,
    serverWentAway: (away: ServerGoingAway) =>
      `Отключено: сервер остановлен или перезапускается (${
        away.transport === 'websocket'
          ? `WebSocket закрыт с кодом ${away.code}${away.reason ? `, причина «${away.reason}»` : ''}`
          : 'на ожидающий запрос polling сервер ответил пакетом close Engine.IO'
      }) — клиент переподключится сам`,
    serverNotBack: (message: string) => `Сервер ещё не вернулся (${clientReason(message, 'ru')}) — клиент попробует снова`,
    reconnectAttempt: (attempt: number) => `Попытка переподключения ${attempt}`,
    reconnected: (attempt: number) => `Переподключились, попыток: ${attempt}`,
    emitted: (event: string, ack: boolean) => `${event}${ack ? ' (ждём подтверждения)' : ''}`,
    ackReply: (event: string) => `подтверждение для ${event}`,
    ackTimeout: (event: string, ms: number) => `Подтверждение для ${event} не пришло за ${ms} мс`,
    dropped: 'Транспорт закрыт со стороны страницы…',
    showOpen: 'пакет open',
  },
};

// The Socket.IO and Engine.IO clients name their reasons in English ("forced close", "probe
// error: socket closed"); the console says them in the reader's language. A reason not listed
// here (a newer client's) is shown as the client wrote it.
const CLIENT_REASONS: Record<string, Record<Lang, string>> = {
  'io server disconnect': { en: 'the server disconnected this socket', ru: 'сервер отключил этот сокет' },
  'io client disconnect': { en: 'the page disconnected this socket', ru: 'страница отключила этот сокет' },
  'forced close': { en: 'the page closed the connection', ru: 'страница сама закрыла соединение' },
  'forced server close': { en: 'the server closed the connection', ru: 'сервер закрыл соединение' },
  'ping timeout': { en: 'no ping from the server in time', ru: 'ping от сервера не пришёл вовремя' },
  'transport close': {
    en: 'the connection closed (the server stopped, or the network dropped)',
    ru: 'соединение закрылось (сервер остановился или пропала сеть)',
  },
  'transport error': { en: 'the connection failed', ru: 'ошибка соединения' },
  'parse error': { en: 'the server sent a packet the client cannot read', ru: 'сервер прислал пакет, который клиент не смог разобрать' },
  'xhr poll error': { en: 'a polling request failed', ru: 'запрос polling не удался' },
  'websocket error': { en: 'the WebSocket connection failed', ru: 'WebSocket-соединение не удалось' },
  timeout: { en: 'no answer in time', ru: 'ответа нет слишком долго' },
  'socket closed': { en: 'the connection closed during the probe', ru: 'соединение закрылось во время проверки' },
  'transport closed': { en: 'the new transport closed during the probe', ru: 'новый транспорт закрылся во время проверки' },
};

/** A client-side reason in `lang`; "probe error: …" (the failed upgrade probe) included. */
export function clientReason(reason: string, lang: Lang): string {
  const probe = /^probe error(?::\s*(.*))?$/.exec(reason);
  if (probe) {
    const cause = probe[1] ? clientReason(probe[1], lang) : '';
    const what = lang === 'ru' ? 'проверка нового транспорта (probe) не прошла' : 'the probe of the new transport failed';
    return cause ? `${what}: ${cause}` : what;
  }
  return CLIENT_REASONS[reason]?.[lang] ?? reason;
}
