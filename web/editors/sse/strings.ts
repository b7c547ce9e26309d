import { browserErrorIn } from '../browser-error.ts';
export const sseConsoleStrings = {
  en: {
    consoleLabel: (cellId: string) => `Server-Sent Events console “${cellId}”`,
    url: 'URL',
    client: 'Client',
    eventSource: 'EventSource (the browser’s own)',
    fetchReader: 'fetch (reads every line)',
    clientHint:
      'EventSource reconnects by itself and hands your code only id, event and data. The fetch client shows every field, comments and retry included, but reconnects only when you press Reconnect.',
    connect: 'Connect',
    disconnect: 'Disconnect',
    reconnect: (id: string) => `Reconnect with Last-Event-ID: ${id}`,
    reconnectHint: 'Sends the GET again with the id of the last event seen, as EventSource does after a drop',
    dropClient: 'Drop and resume',
    dropClientHint: 'Cuts the connection from this page, then opens the stream again with Last-Event-ID',
    state: { idle: 'not connected', connecting: 'connecting', connected: 'connected', reconnecting: 'reconnecting', closed: 'closed' } as Record<
      string,
      string
    >,
    lastId: (id: string) => `last id: ${id}`,
    noLastId: 'no id seen yet',
    opening: (url: string, lastId: string | null, client: string) => `GET ${url} with ${client}${lastId !== null ? `, Last-Event-ID: ${lastId}` : ''}`,
    opened: (status: number, contentType: string) => `Stream open: ${status}, ${contentType}`,
    openedEventSource: 'Stream open',
    lost: (lastId: string) =>
      `The stream broke. EventSource reconnects by itself after the retry delay${lastId ? `, sending Last-Event-ID: ${lastId}` : ' (no id seen, so it sends none)'}`,
    gaveUp: 'EventSource gave up: the answer was not a 200 text/event-stream, so it will not reconnect',
    ended: 'The server ended the response',
    serverStopping: (lastId: string) =>
      `The server stopped or is restarting: after its server.shutdown event it ended the stream. EventSource reconnects by itself after the retry delay${lastId ? `, sending Last-Event-ID: ${lastId}` : ''}`,
    serverNotBack: 'The server is not back yet — EventSource tries again after the retry delay',
    gaveUpWhileAway: 'EventSource gave up: the server was still stopping (its answer was not a 200 text/event-stream). Press Connect once it is back.',
    serverEndedFetch: (lastId: string | null) =>
      `The server stopped or is restarting: after its server.shutdown event it ended the stream. The fetch client does not reconnect by itself: once the server is back, press ${lastId ? `“Reconnect with Last-Event-ID: ${lastId}”` : 'Connect'}.`,
    notEventStream: (status: number, contentType: string) => `The answer is ${status} ${contentType || '(no Content-Type)'}, not a 200 text/event-stream`,
    failed: (message: string) => `The request failed: ${browserErrorIn(message, 'en')}`,
    closedByPage: 'Closed by this page',
    comment: 'comment',
    retryField: (ms: number) => `retry: ${ms} ms (the reconnection delay from now on)`,
    idOnly: (id: string) => `id: ${id} without data: nothing is dispatched, but the last event id is now ${id}`,
    eventSourceHides: 'EventSource does not show comments or retry to the page: switch to the fetch client, or look in the inspector.',
    dropUnavailable: 'This server has no way to end a stream on request: “Drop and resume” cuts it from the page instead.',
  },
  ru: {
    consoleLabel: (cellId: string) => `Консоль Server-Sent Events «${cellId}»`,
    url: 'URL',
    client: 'Клиент',
    eventSource: 'EventSource (встроенный в браузер)',
    fetchReader: 'fetch (читает каждую строку)',
    clientHint:
      'EventSource переподключается сам и отдаёт вашему коду только id, event и data. Клиент на fetch показывает все поля, включая комментарии и retry, но переподключается, только когда вы нажмёте «Переподключиться».',
    connect: 'Подключиться',
    disconnect: 'Отключиться',
    reconnect: (id: string) => `Переподключиться с Last-Event-ID: ${id}`,
    reconnectHint: 'Повторяет GET с id последнего полученного события — так делает EventSource после обрыва',
    dropClient: 'Оборвать и продолжить',
    dropClientHint: 'Обрывает соединение со стороны страницы и сразу открывает поток заново с Last-Event-ID',
    state: { idle: 'не подключено', connecting: 'подключается', connected: 'подключено', reconnecting: 'переподключается', closed: 'закрыто' } as Record<
      string,
      string
    >,
    lastId: (id: string) => `последний id: ${id}`,
    noLastId: 'id ещё не было',
    opening: (url: string, lastId: string | null, client: string) => `GET ${url} через ${client}${lastId !== null ? `, Last-Event-ID: ${lastId}` : ''}`,
    opened: (status: number, contentType: string) => `Поток открыт: ${status}, ${contentType}`,
    openedEventSource: 'Поток открыт',
    lost: (lastId: string) =>
      `Поток оборвался. EventSource переподключится сам после паузы retry${lastId ? ` и отправит Last-Event-ID: ${lastId}` : ' (id не было, поэтому заголовка не будет)'}`,
    gaveUp: 'EventSource сдался: ответ — не 200 text/event-stream, переподключаться он не будет',
    ended: 'Сервер завершил ответ',
    serverStopping: (lastId: string) =>
      `Сервер остановлен или перезапускается: после события server.shutdown он завершил поток. EventSource переподключится сам после паузы retry${lastId ? ` и отправит Last-Event-ID: ${lastId}` : ''}`,
    serverNotBack: 'Сервер ещё не вернулся — EventSource попробует снова после паузы retry',
    gaveUpWhileAway: 'EventSource сдался: сервер ещё выключался (ответ — не 200 text/event-stream). Когда сервер вернётся, нажмите «Подключиться».',
    serverEndedFetch: (lastId: string | null) =>
      `Сервер остановлен или перезапускается: после события server.shutdown он завершил поток. Клиент на fetch сам не переподключается: когда сервер вернётся, нажмите ${lastId ? `«Переподключиться с Last-Event-ID: ${lastId}»` : '«Подключиться»'}.`,
    notEventStream: (status: number, contentType: string) => `Ответ — ${status} ${contentType || '(без Content-Type)'}, а не 200 text/event-stream`,
    failed: (message: string) => `Запрос не удался: ${browserErrorIn(message, 'ru')}`,
    closedByPage: 'Закрыто страницей',
    comment: 'комментарий',
    retryField: (ms: number) => `retry: ${ms} мс (пауза перед переподключением отныне)`,
    idOnly: (id: string) => `id: ${id} без data: событие не доставляется, но последний id теперь ${id}`,
    eventSourceHides: 'EventSource не показывает странице комментарии и retry: переключитесь на клиент fetch или посмотрите в инспектор.',
    dropUnavailable: 'Этот сервер не умеет завершать поток по просьбе, поэтому «Оборвать и продолжить» обрывает его со стороны страницы.',
  },
};
