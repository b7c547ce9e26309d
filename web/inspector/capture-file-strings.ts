import type { CaptureFileProblem } from '../../wire/capture-file/read-capture-file.ts';
import type { BlockProblem } from '../../wire/capture-file/packet-files.ts';
import { countRu } from '../../shared/russian-plural.ts';

// The inspector's words for opening a capture file and stepping through a capture, in both
// languages (strings.ts holds the rest; this file keeps it from growing).

const BLOCK_EN: Record<BlockProblem, string> = {
  'byte-order': 'its byte-order magic is not 0x1A2B3C4D',
  'no-section-header': 'the file does not start with a section header block',
  'block-length': 'its length is not a multiple of 4 of at least 12 bytes',
  'block-too-short': 'it is too short for its type',
  'unknown-interface': 'it names an interface no interface description block describes',
  'packet-overruns-block': 'its packet is longer than the block',
};

const BLOCK_RU: Record<BlockProblem, string> = {
  'byte-order': 'его метка порядка байтов — не 0x1A2B3C4D',
  'no-section-header': 'файл начинается не с блока заголовка секции',
  'block-length': 'его длина — не кратное 4 число не меньше 12',
  'block-too-short': 'он слишком короткий для своего типа',
  'unknown-interface': 'он ссылается на интерфейс, который не описан ни одним блоком описания интерфейса',
  'packet-overruns-block': 'пакет в нём длиннее самого блока',
};

const LINK_TYPES_EN = 'Ethernet, Linux cooked capture (SLL, SLL2), loopback (null, loop) and raw IP';
const LINK_TYPES_RU = 'Ethernet, Linux cooked capture (SLL, SLL2), loopback (null, loop) и «сырой» IP';

const en = {
  openCapture: 'Open capture',
  openCaptureHint: 'Open a .pcapng, .pcap or .har file (Wireshark, tcpdump, a browser’s DevTools). It is read in this browser and sent nowhere.',
  dropHere: 'Drop a .pcapng, .pcap or .har file to open it',
  reading: (name: string) => `Reading ${name}…`,
  readingProgress: (name: string) => `Reading ${name}`,
  opened: (name: string) => `Opened: ${name}`,
  backToLive: 'Back to live captures',
  backToLiveHint: 'Close the file and show this session’s own traffic again',
  summary: (format: string, packets: number, connections: number) => `${format}, ${packets} packets, ${connections} TCP connections`,
  reassembly: (retransmissions: number, outOfOrder: number, gaps: number) =>
    `TCP put in order: ${retransmissions} retransmitted and ${outOfOrder} out-of-order segments; ${gaps === 0 ? 'no gaps' : `${gaps} gaps (bytes never captured, marked in the bytes)`}`,
  startedBefore: (count: number) => `${count === 1 ? '1 connection' : `${count} connections`} began before the capture: their first bytes are missing`,
  skippedPackets: (count: number) => `${count === 1 ? '1 packet' : `${count} packets`} without TCP over IPv4 or IPv6 left out`,
  partly: (problem: string) => `Read up to where the file breaks off: ${problem}. Everything before it is shown.`,
  cannotOpen: (name: string, problem: string) => `Cannot open ${name}: ${problem}.`,
  dismiss: 'Dismiss',
  problem: (problem: CaptureFileProblem | { code: 'worker-failed'; detail: string } | { code: 'too-large'; limitMb: number }): string => {
    switch (problem.code) {
      case 'empty':
        return 'the file is empty';
      case 'unknown-format':
        return `it is not a pcapng, pcap or HAR file (it starts with ${problem.firstBytes || 'nothing'}, not with a pcap or pcapng magic number or a JSON “{”)`;
      case 'truncated':
        return `the file is cut short at byte ${problem.at}`;
      case 'bad-block':
        return `the block at byte ${problem.at} is damaged: ${BLOCK_EN[problem.detail]}`;
      case 'no-tcp':
        return problem.skipped['unsupported-link-type']
          ? `its link type (${problem.linkTypes.join(', ')}) is not one the inspector reads: ${LINK_TYPES_EN}`
          : `none of its ${problem.packets} packets carries TCP over IPv4 or IPv6`;
      case 'har-not-json':
        return `it looks like JSON, but is not valid JSON (${problem.detail})`;
      case 'har-no-entries':
        return 'it is JSON without “log.entries”, so not a HAR file';
      case 'too-large':
        return `it is larger than ${problem.limitMb} MB, the most the inspector opens`;
      case 'worker-failed':
        return `the reader stopped with an error (${problem.detail})`;
    }
  },
  har: {
    lacks:
      'A HAR file holds what the browser reported — headers and bodies as text — not the bytes that crossed the wire: no frames, no byte offsets, no TCP connections. Below is what the browser saved, nothing more.',
    summary: (creator: string, entries: number) => `HAR${creator ? ` from ${creator}` : ''}, ${entries === 1 ? '1 request' : `${entries} requests`}`,
    skipped: (count: number) => `${count} entries without a request or a response left out`,
    request: 'Request',
    response: 'Response',
    headers: 'Headers',
    body: 'Body',
    noBody: 'no body',
    bodyNotSaved: 'the browser did not save this body',
    base64Body: (size: number) => `binary body, ${size} bytes (saved as base64)`,
    webSocketMessages: (count: number) => `WebSocket messages (${count})`,
    sent: 'sent',
    received: 'received',
    took: (ms: string) => `took ${ms}`,
    select: 'Select a request in the list to see what the browser saved of it.',
  },
  replay: {
    title: 'Step through',
    previous: 'Previous',
    next: 'Next',
    previousMessage: 'Previous message',
    nextMessage: 'Next message',
    position: (index: number, count: number) => `step ${index} of ${count}`,
    noSteps: 'nothing to step through yet',
    sinceStart: (time: string) => `${time} after the first`,
    sincePrevious: (time: string) => `+${time} after the previous step`,
    link: 'Link to this step',
    linkHint: 'Copy a link that opens the inspector at this step (a link into this capture: it opens in this browser, while the capture is here)',
    linkCopied: 'Link copied',
    keys: 'Keys: . next frame, , previous frame, > next message, < previous message (HTTP/2 frames skipped), Home first, End last',
  },
};

type CaptureFileStrings = typeof en;

const ru: CaptureFileStrings = {
  openCapture: 'Открыть запись',
  openCaptureHint: 'Открыть файл .pcapng, .pcap или .har (Wireshark, tcpdump, DevTools браузера). Он читается в этом браузере и никуда не отправляется.',
  dropHere: 'Перетащите сюда файл .pcapng, .pcap или .har, чтобы открыть его',
  reading: (name) => `Читаем ${name}…`,
  readingProgress: (name) => `Чтение ${name}`,
  opened: (name) => `Открыт файл ${name}`,
  backToLive: 'К живому трафику',
  backToLiveHint: 'Закрыть файл и снова показать трафик этой сессии',
  summary: (format, packets, connections) =>
    `${format}, ${countRu(packets, 'пакет', 'пакета', 'пакетов')}, ${countRu(connections, 'TCP-соединение', 'TCP-соединения', 'TCP-соединений')}`,
  reassembly: (retransmissions, outOfOrder, gaps) =>
    `TCP собран по порядку: повторных сегментов — ${retransmissions}, пришедших не по порядку — ${outOfOrder}; ${gaps === 0 ? 'пропусков нет' : `пропусков — ${gaps} (байты, которые не записались, отмечены в байтах)`}`,
  startedBefore: (count) => `${countRu(count, 'соединение началось', 'соединения начались', 'соединений началось')} до начала записи: их первых байтов нет`,
  skippedPackets: (count) => `${countRu(count, 'пакет', 'пакета', 'пакетов')} без TCP поверх IPv4 или IPv6 пропущено`,
  partly: (problem) => `Прочитано до места, где файл обрывается: ${problem}. Всё, что до него, показано.`,
  cannotOpen: (name, problem) => `Не удалось открыть ${name}: ${problem}.`,
  dismiss: 'Закрыть',
  problem: (problem) => {
    switch (problem.code) {
      case 'empty':
        return 'файл пустой';
      case 'unknown-format':
        return `это не файл pcapng, pcap или HAR (он начинается с ${problem.firstBytes || 'ничего'}, а не с метки pcap или pcapng и не с «{» JSON)`;
      case 'truncated':
        return `файл обрывается на байте ${problem.at}`;
      case 'bad-block':
        return `блок на байте ${problem.at} повреждён: ${BLOCK_RU[problem.detail]}`;
      case 'no-tcp':
        return problem.skipped['unsupported-link-type']
          ? `его тип канального уровня (${problem.linkTypes.join(', ')}) инспектор не читает; читает он ${LINK_TYPES_RU}`
          : `ни в одном из его пакетов (${problem.packets}) нет TCP поверх IPv4 или IPv6`;
      case 'har-not-json':
        return `он похож на JSON, но это некорректный JSON (${problem.detail})`;
      case 'har-no-entries':
        return 'это JSON без «log.entries», то есть не файл HAR';
      case 'too-large':
        return `он больше ${problem.limitMb} МБ — больше инспектор не открывает`;
      case 'worker-failed':
        return `чтение остановилось с ошибкой (${problem.detail})`;
    }
  },
  har: {
    lacks:
      'В файле HAR — то, что сообщил браузер: заголовки и тела в виде текста, а не байты, прошедшие по сети: ни кадров, ни смещений байтов, ни TCP-соединений. Ниже — ровно то, что сохранил браузер.',
    summary: (creator, entries) => `HAR${creator ? ` из ${creator}` : ''}, ${countRu(entries, 'запрос', 'запроса', 'запросов')}`,
    skipped: (count) => `Пропущено записей без запроса или ответа: ${count}`,
    request: 'Запрос',
    response: 'Ответ',
    headers: 'Заголовки',
    body: 'Тело',
    noBody: 'тела нет',
    bodyNotSaved: 'браузер не сохранил это тело',
    base64Body: (size) => `двоичное тело, ${countRu(size, 'байт', 'байта', 'байтов')} (сохранено в base64)`,
    webSocketMessages: (count) => `Сообщения WebSocket (${count})`,
    sent: 'отправлено',
    received: 'получено',
    took: (ms) => `заняло ${ms}`,
    select: 'Выберите запрос в списке, чтобы увидеть, что браузер о нём сохранил.',
  },
  replay: {
    title: 'По шагам',
    previous: 'Назад',
    next: 'Вперёд',
    previousMessage: 'Предыдущее сообщение',
    nextMessage: 'Следующее сообщение',
    position: (index, count) => `шаг ${index} из ${count}`,
    noSteps: 'пока не по чему шагать',
    sinceStart: (time) => `через ${time} после первого`,
    sincePrevious: (time) => `+${time} после предыдущего шага`,
    link: 'Ссылка на этот шаг',
    linkHint: 'Скопировать ссылку, которая откроет инспектор на этом шаге (ссылка внутрь этой записи: она открывается в этом браузере, пока запись здесь)',
    linkCopied: 'Ссылка скопирована',
    keys: 'Клавиши: . — следующий кадр, , — предыдущий кадр, > — следующее сообщение, < — предыдущее сообщение (кадры HTTP/2 пропускаются), Home — первый, End — последний',
  },
};

/** UI strings of opening capture files and stepping through a capture; a unit test keeps both languages' keys equal. */
export const captureFileStrings = { en, ru };
export type { CaptureFileStrings };
