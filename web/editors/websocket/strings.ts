import type { HexError } from '../console-kit/hex.ts';
import type { CloseError } from './close-request.ts';

export const websocketConsoleStrings = {
  en: {
    consoleLabel: (cellId: string) => `WebSocket console “${cellId}”`,
    url: 'URL',
    subprotocols: 'Subprotocols',
    subprotocolsHint: 'Names to offer in Sec-WebSocket-Protocol, separated by commas; empty offers none',
    connect: 'Connect',
    disconnect: 'Disconnect',
    state: { CONNECTING: 'connecting', OPEN: 'open', CLOSING: 'closing', CLOSED: 'closed', IDLE: 'not connected' } as Record<string, string>,
    chosenSubprotocol: (name: string) => `subprotocol: ${name}`,
    noSubprotocol: 'no subprotocol chosen',
    message: 'Message',
    asText: 'text',
    asHex: 'bytes in hex',
    send: 'Send',
    repeat: '×10',
    repeatHint: 'Repeat the text ten times: a quick way to a long message',
    size: (bytes: number) => `${bytes} B`,
    presets: 'Presets',
    presetHint: 'Send this message now',
    closeCode: 'Code',
    closeReason: 'Reason',
    closeWithCode: 'Close with code',
    closeCodeHint: 'Empty: a close frame without a code. A page may send 1000 or 3000–4999.',
    dropUnavailable:
      'A page cannot cut a TCP connection without a close frame, and only /ws/echo can be asked to cut it from the server side. Closing the tab or losing the network is what produces 1006.',
    drop: 'Drop connection',
    dropHint: 'Asks /ws/echo to cut the TCP connection without a close frame ({"wirelab":"drop"}): the browser reports 1006, as after a lost network.',
    hexError: (error: HexError) =>
      error.code === 'not-hex'
        ? `“${error.char}” is not a hex digit: write bytes as pairs such as 01 02 ff`
        : error.code === 'odd-digits'
          ? `${error.digits} hex digits: a byte is two digits, so the count must be even`
          : 'Type at least one byte, e.g. 01 02 ff',
    closeError: (error: CloseError) =>
      error.code === 'code-not-number'
        ? `“${error.text}” is not a number`
        : error.code === 'code-not-allowed'
          ? `A page may not send ${error.value}: only 1000 and 3000–4999. The other codes are for servers and for the browser itself.`
          : error.code === 'reason-without-code'
            ? 'A reason needs a code: in the close frame the reason follows the 2-byte code.'
            : `The reason is ${error.bytes} bytes in UTF-8; a close frame has room for 123.`,
    notOpen: 'Connect first.',
    openedWith: (protocol: string, extensions: string) =>
      `Connection open${protocol ? `, subprotocol ${protocol}` : ', no subprotocol'}${extensions ? `, extensions ${extensions}` : ''}`,
    connecting: (url: string, protocols: string[]) => `Connecting to ${url}${protocols.length > 0 ? `, offering ${protocols.join(', ')}` : ''}…`,
    connectingToMine: (address: string, path: string, protocols: string[]) =>
      `Connecting to your server ${address}${path} through Wirelab’s server${protocols.length > 0 ? `, offering ${protocols.join(', ')}` : ''}…`,
    closedLine: (code: number, reason: string, clean: boolean) =>
      `Closed: code ${code}${reason ? `, reason “${reason}”` : ''}${clean ? '' : ' (not clean: no close handshake)'} — ${closeMeaningEn(code)}`,
    closing: (code?: number, reason?: string) => `Closing${code !== undefined ? ` with ${code}` : ' without a code'}${reason ? `, reason “${reason}”` : ''}…`,
    serverRestarting: 'The server stopped or is restarting: press Connect once it is back.',
    failed: 'The connection failed (the browser does not say why: look at the handshake in the inspector).',
    textMessage: 'text',
    binaryMessage: 'binary',
    showHandshake: 'handshake',
    closeFrame: 'close frame',
  },
  ru: {
    consoleLabel: (cellId: string) => `Консоль WebSocket «${cellId}»`,
    url: 'URL',
    subprotocols: 'Подпротоколы',
    subprotocolsHint: 'Имена для Sec-WebSocket-Protocol через запятую; пусто — не предлагать ни одного',
    connect: 'Подключиться',
    disconnect: 'Отключиться',
    state: { CONNECTING: 'подключается', OPEN: 'открыто', CLOSING: 'закрывается', CLOSED: 'закрыто', IDLE: 'не подключено' } as Record<string, string>,
    chosenSubprotocol: (name: string) => `подпротокол: ${name}`,
    noSubprotocol: 'подпротокол не выбран',
    message: 'Сообщение',
    asText: 'текст',
    asHex: 'байты в hex',
    send: 'Отправить',
    repeat: '×10',
    repeatHint: 'Повторить текст десять раз: быстрый способ получить длинное сообщение',
    size: (bytes: number) => `${bytes} Б`,
    presets: 'Заготовки',
    presetHint: 'Отправить это сообщение',
    closeCode: 'Код',
    closeReason: 'Причина',
    closeWithCode: 'Закрыть с кодом',
    closeCodeHint: 'Пусто — кадр close без кода. Страница может отправить 1000 или 3000–4999.',
    dropUnavailable:
      'Страница не может сама оборвать TCP-соединение без кадра close, а попросить об этом сервер можно только на /ws/echo. Код 1006 получается, когда закрывают вкладку или пропадает сеть.',
    drop: 'Оборвать соединение',
    dropHint: 'Просит /ws/echo оборвать TCP-соединение без кадра close ({"wirelab":"drop"}): браузер сообщит код 1006, как при пропавшей сети.',
    hexError: (error: HexError) =>
      error.code === 'not-hex'
        ? `«${error.char}» — не шестнадцатеричная цифра: пишите байты парами, например 01 02 ff`
        : error.code === 'odd-digits'
          ? `Цифр: ${error.digits}. Байт — это две цифры, поэтому их число должно быть чётным`
          : 'Введите хотя бы один байт, например 01 02 ff',
    closeError: (error: CloseError) =>
      error.code === 'code-not-number'
        ? `«${error.text}» — не число`
        : error.code === 'code-not-allowed'
          ? `Страница не может отправить ${error.value}: только 1000 и 3000–4999. Остальные коды — для серверов и самого браузера.`
          : error.code === 'reason-without-code'
            ? 'Причине нужен код: в кадре close причина идёт после двухбайтового кода.'
            : `Причина занимает ${error.bytes} байт в UTF-8, а в кадре close помещается 123.`,
    notOpen: 'Сначала подключитесь.',
    openedWith: (protocol: string, extensions: string) =>
      `Соединение открыто${protocol ? `, подпротокол ${protocol}` : ', без подпротокола'}${extensions ? `, расширения ${extensions}` : ''}`,
    connecting: (url: string, protocols: string[]) => `Подключаемся к ${url}${protocols.length > 0 ? `, предлагаем ${protocols.join(', ')}` : ''}…`,
    connectingToMine: (address: string, path: string, protocols: string[]) =>
      `Подключаемся к вашему серверу ${address}${path} через сервер Wirelab${protocols.length > 0 ? `, предлагаем ${protocols.join(', ')}` : ''}…`,
    closedLine: (code: number, reason: string, clean: boolean) =>
      `Закрыто: код ${code}${reason ? `, причина «${reason}»` : ''}${clean ? '' : ' (соединение оборвалось без обмена кадрами close)'} — ${closeMeaningRu(code)}`,
    closing: (code?: number, reason?: string) => `Закрываем${code !== undefined ? ` с кодом ${code}` : ' без кода'}${reason ? `, причина «${reason}»` : ''}…`,
    serverRestarting: 'Сервер остановлен или перезапускается: когда он вернётся, нажмите «Подключиться».',
    failed: 'Соединение не установилось (браузер не сообщает почему: посмотрите рукопожатие в инспекторе).',
    textMessage: 'текст',
    binaryMessage: 'двоичное',
    showHandshake: 'рукопожатие',
    closeFrame: 'кадр close',
  },
};

function closeMeaningEn(code: number): string {
  const meanings: Record<number, string> = {
    1000: 'normal closure',
    1001: 'going away',
    1002: 'protocol error',
    1003: 'unsupported data',
    1005: 'no code was received (never on the wire)',
    1006: 'closed abnormally, without a close frame (never on the wire)',
    1007: 'invalid payload data',
    1008: 'policy violation',
    1009: 'message too big',
    1011: 'unexpected server error',
    1013: 'try again later',
  };
  return (
    meanings[code] ??
    (code >= 4000 && code <= 4999 ? 'an application’s own code' : code >= 3000 && code <= 3999 ? 'a registered library code' : 'an unknown code')
  );
}

function closeMeaningRu(code: number): string {
  const meanings: Record<number, string> = {
    1000: 'нормальное закрытие',
    1001: 'сторона уходит',
    1002: 'ошибка протокола',
    1003: 'неподдерживаемые данные',
    1005: 'код не получен (по сети не передаётся)',
    1006: 'закрыто аварийно, без кадра close (по сети не передаётся)',
    1007: 'недопустимые данные',
    1008: 'нарушение политики',
    1009: 'сообщение слишком большое',
    1011: 'непредвиденная ошибка сервера',
    1013: 'попробуйте позже',
  };
  return (
    meanings[code] ??
    (code >= 4000 && code <= 4999 ? 'собственный код приложения' : code >= 3000 && code <= 3999 ? 'зарегистрированный код библиотеки' : 'неизвестный код')
  );
}
