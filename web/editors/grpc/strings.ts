import type { MetadataProblem } from './grpc-cell-config.ts';
import { describeJsonError } from '../json-error.ts';
import type { GrpcProtocol } from './grpc-cell-config.ts';
import { RUNNER_CLOSE } from '../../../contracts/grpc-runner/messages.ts';

type MethodKind = 'unary' | 'server_streaming' | 'client_streaming' | 'bidi_streaming';

export const grpcEditorStrings = {
  en: {
    cellLabel: (cellId: string) => `gRPC call “${cellId}”`,
    method: 'Method',
    protocol: 'Protocol',
    protocols: { 'connect-json': 'Connect, JSON', 'connect-binary': 'Connect, binary', 'grpc-web': 'gRPC-Web' } satisfies Record<GrpcProtocol, string>,
    protocolHint: 'How the browser carries the call: all three are plain HTTP requests made with fetch',
    kinds: {
      unary: 'unary',
      server_streaming: 'server streaming',
      client_streaming: 'client streaming',
      bidi_streaming: 'bidirectional streaming',
    } satisfies Record<MethodKind, string>,
    unknownMethod: (method: string) => `The method ${method} is not in the schema.`,
    metadata: 'Metadata (one “name: value” per line)',
    metadataProblem: (line: number, problem: MetadataProblem) =>
      problem === 'syntax'
        ? `Metadata line ${line}: write it as “name: value”.`
        : problem === 'name'
          ? `Metadata line ${line}: not a valid header name.`
          : `Metadata line ${line}: a text value may hold only printable ASCII characters; other bytes go base64-encoded under a name ending in “-bin”.`,
    deadline: 'Deadline, ms',
    deadlineHint: 'Empty: no deadline. Sent as grpc-timeout (gRPC, gRPC-Web) or connect-timeout-ms (Connect).',
    deadlineProblem: (max: number) => `The deadline must be a whole number of milliseconds from 1 to ${max}.`,
    request: 'Request (protobuf JSON)',
    messageToSend: 'Next message to send (protobuf JSON)',
    jsonProblem: (message: string) => `The request is not valid JSON: ${describeJsonError(message, 'en')}`,
    run: 'Run',
    runHint: 'Ctrl+Enter or ⌘+Enter',
    running: 'Calling…',
    cancel: 'Cancel',
    reset: 'Reset',
    resetHint: 'Put back the original method, metadata and request of this cell (your edits are kept in this browser, across reloads, until then)',
    runnerNote:
      'A browser cannot make this call: fetch sends the whole request body before it reads the answer, so a page can stream responses but not requests (and cannot speak native gRPC at all). Here the page drives a real gRPC client inside the server over a WebSocket; that client calls the server over HTTP/2, and its frames appear in your inspector.',
    start: 'Start the call',
    send: 'Send message',
    halfClose: 'Half-close (no more messages)',
    runnerClosed: (code: number) =>
      code === RUNNER_CLOSE.shuttingDown
        ? `The server is shutting down: the runner channel closed (code ${code}), and the call was cancelled with it.`
        : `The runner channel closed (code ${code}).`,
    headers: 'Response headers',
    trailers: 'Trailers',
    trailersOnlyHeaders: 'Response headers (Trailers-Only: in the same HEADERS frame as the trailers)',
    trailersOnlyTrailers: 'Trailers (Trailers-Only: in the same HEADERS frame as the response headers)',
    trailersOnlyNote:
      'Trailers-Only: the call failed before any message, so the server answered with a single HEADERS frame that also ends the stream (END_STREAM). That frame carries both parts: the response headers (:status, content-type) and the trailers (grpc-status, grpc-message…). A call that sends messages gets two frames: headers first, trailers last.',
    noHeaders: 'none',
    sandboxShutDown:
      'Your sandbox’s server is stopped: the graceful shutdown you started in the gRPC lesson. New calls get UNAVAILABLE until it comes back, in every lesson.',
    sandboxShutDownLink: 'Go to “Graceful shutdown”',
    message: (index: number) => `Message #${index + 1}`,
    sent: (index: number) => `Sent message #${index + 1}`,
    started: 'Call started: request headers sent',
    ended: 'Request side closed (END_STREAM)',
    status: 'Status',
    details: 'Error details (google.rpc)',
    ms: 'ms',
    droppedMessages: (count: number) => `${count} older messages are not shown.`,
    showInInspector: 'Show the bytes in the inspector',
    notCaptured: 'The bytes of this call were not captured in time (is recording switched off?).',
    ownServerNote: (address: string) =>
      `Your server speaks native gRPC over HTTP/2 (h2c), which a page cannot: Wirelab’s server makes every call to ${address} itself, whatever its kind, and its HTTP/2 frames appear in your inspector as a connection from Wirelab to your server.`,
  },
  ru: {
    cellLabel: (cellId: string) => `Вызов gRPC «${cellId}»`,
    method: 'Метод',
    protocol: 'Протокол',
    protocols: { 'connect-json': 'Connect, JSON', 'connect-binary': 'Connect, двоичный', 'grpc-web': 'gRPC-Web' } satisfies Record<GrpcProtocol, string>,
    protocolHint: 'Как браузер доставляет вызов: все три варианта — обычные HTTP-запросы через fetch',
    kinds: {
      unary: 'унарный',
      server_streaming: 'серверный поток',
      client_streaming: 'клиентский поток',
      bidi_streaming: 'двунаправленный поток',
    } satisfies Record<MethodKind, string>,
    unknownMethod: (method: string) => `Метода ${method} нет в схеме.`,
    metadata: 'Метаданные (по одной строке «имя: значение»)',
    metadataProblem: (line: number, problem: MetadataProblem) =>
      problem === 'syntax'
        ? `Метаданные, строка ${line}: пишите в виде «имя: значение».`
        : problem === 'name'
          ? `Метаданные, строка ${line}: недопустимое имя заголовка.`
          : `Метаданные, строка ${line}: текстовое значение может содержать только печатные символы ASCII; другие байты передают в base64 под именем с окончанием «-bin».`,
    deadline: 'Дедлайн, мс',
    deadlineHint: 'Пусто — без дедлайна. Уходит как grpc-timeout (gRPC, gRPC-Web) или connect-timeout-ms (Connect).',
    deadlineProblem: (max: number) => `Дедлайн — целое число миллисекунд от 1 до ${max}.`,
    request: 'Запрос (protobuf JSON)',
    messageToSend: 'Следующее сообщение (protobuf JSON)',
    jsonProblem: (message: string) => `Запрос — некорректный JSON: ${describeJsonError(message, 'ru')}`,
    run: 'Выполнить',
    runHint: 'Ctrl+Enter или ⌘+Enter',
    running: 'Вызываем…',
    cancel: 'Отменить',
    reset: 'Сбросить',
    resetHint: 'Вернуть исходные метод, метаданные и запрос этой ячейки (до тех пор ваши правки хранятся в этом браузере и переживают перезагрузку)',
    runnerNote:
      'Из браузера такой вызов не сделать: fetch отправляет тело запроса целиком и только потом читает ответ, поэтому страница может получать поток ответов, но не отправлять поток запросов (а на «родном» gRPC браузер не говорит вовсе). Здесь страница по WebSocket управляет настоящим gRPC-клиентом внутри сервера; этот клиент обращается к серверу по HTTP/2, и его кадры видны в вашем инспекторе.',
    start: 'Начать вызов',
    send: 'Отправить сообщение',
    halfClose: 'Закрыть отправку (сообщений больше не будет)',
    runnerClosed: (code: number) =>
      code === RUNNER_CLOSE.shuttingDown
        ? `Сервер завершает работу: канал раннера закрыт (код ${code}), а вызов отменён вместе с ним.`
        : `Канал раннера закрыт (код ${code}).`,
    headers: 'Заголовки ответа',
    trailers: 'Трейлеры',
    trailersOnlyHeaders: 'Заголовки ответа (Trailers-Only: в том же кадре HEADERS, что и трейлеры)',
    trailersOnlyTrailers: 'Трейлеры (Trailers-Only: в том же кадре HEADERS, что и заголовки ответа)',
    trailersOnlyNote:
      'Trailers-Only: вызов завершился ошибкой до первого сообщения, поэтому сервер ответил одним кадром HEADERS, который сразу закрывает поток (END_STREAM). В этом кадре обе части ответа: заголовки (:status, content-type) и трейлеры (grpc-status, grpc-message…). Если сообщения были, кадров два: сначала заголовки, в конце трейлеры.',
    noHeaders: 'нет',
    sandboxShutDown:
      'Сервер вашей песочницы остановлен: это плавная остановка, которую вы запустили в уроке о gRPC. Пока он не вернётся, новые вызовы получают UNAVAILABLE — в любом уроке.',
    sandboxShutDownLink: 'К разделу «Плавная остановка сервера»',
    message: (index: number) => `Сообщение №${index + 1}`,
    sent: (index: number) => `Отправлено сообщение №${index + 1}`,
    started: 'Вызов начат: заголовки запроса отправлены',
    ended: 'Отправка закрыта (END_STREAM)',
    status: 'Статус',
    details: 'Подробности ошибки (google.rpc)',
    ms: 'мс',
    droppedMessages: (count: number) => `Ещё ${count} более ранних сообщений не показаны.`,
    showInInspector: 'Показать байты в инспекторе',
    notCaptured: 'Байты этого вызова пока не записаны (может быть, запись выключена?).',
    ownServerNote: (address: string) =>
      `Ваш сервер говорит на настоящем gRPC поверх HTTP/2 (h2c), а страница так не умеет: любой вызов, какого бы вида он ни был, к ${address} делает сам сервер Wirelab, и его кадры HTTP/2 видны в вашем инспекторе как соединение от Wirelab к вашему серверу.`,
  },
};
