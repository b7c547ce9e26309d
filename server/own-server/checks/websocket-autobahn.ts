// The WebSocket suite twice as deep (issue 38, item 6): each check mirrors a case of
// Autobahn|Testsuite, the suite WebSocket libraries are held to (its case number is in the clause),
// one family a list: framing, pings, reserved bits, opcodes, fragmentation, UTF-8, closing, limits.
// RFC 6455 leaves some answers to the server (how big a message may be; which code answers a
// close): there any answer the RFC allows passes, as Autobahn's "non-strict" verdicts do.
import type { Bilingual } from '../../../shared/bilingual.ts';
import type { CheckDefinition } from '../check-kit.ts';
import { frameCloseCode, OPCODE, type CheckedWebSocket, type Frame } from '../websocket-client.ts';
import { closedWith, closeFrame, echoed, mustFail, onEcho, shown, type Expectation } from './websocket-echo.ts';

/** One check on /ws/echo: `exchange` sends its frames and returns what must hold of the answer. */
function echoCheck(
  id: string,
  name: Bilingual,
  expected: Bilingual,
  clause: string,
  text: Bilingual,
  exchange: (socket: CheckedWebSocket) => Promise<Expectation[]>,
): CheckDefinition<null> {
  return { id, name, expected, why: { clause, text }, run: (context) => onEcho(context, exchange) };
}

/** The echo of `payload`, or close 1009 when it is over the server's own limit (RFC 6455 leaves the size to the server). */
function echoedOrTooBig(frame: Frame | null, opcode: number, payload: Buffer): Expectation[] {
  return frameCloseCode(frame) === 1009 ? [] : echoed(frame, opcode, payload);
}

const echoOrTooBig: Bilingual = {
  en: 'the same bytes, as a binary message (or close 1009 if that is over your server’s limit)',
  ru: 'те же байты двоичным сообщением (или закрытие 1009, если это больше предела вашего сервера)',
};

async function sendAndEcho(socket: CheckedWebSocket, opcode: number, payload: Buffer): Promise<Expectation[]> {
  socket.send({ opcode, payload });
  return echoed(await socket.nextMessage(), opcode, payload);
}

/** Every frame until the server closes TCP (or the check's wait runs out). */
async function framesUntilClosed(socket: CheckedWebSocket): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (let frame = await socket.next(); frame; frame = await socket.next()) frames.push(frame);
  return frames;
}

const framing: CheckDefinition<null>[] = [
  echoCheck(
    'empty-text-echo',
    { en: 'An empty text message comes back empty', ru: 'Пустое текстовое сообщение возвращается пустым' },
    { en: 'a text message with no payload', ru: 'текстовое сообщение без содержимого' },
    'RFC 6455 §5.2, §5.6; Autobahn|Testsuite 1.1.1',
    {
      en: 'A payload length of 0 is a message like any other: the echo is an empty text frame, not silence.',
      ru: 'Длина 0 — такое же сообщение, как любое другое: эхо — пустой текстовый кадр, а не тишина.',
    },
    (socket) => sendAndEcho(socket, OPCODE.text, Buffer.alloc(0)),
  ),
  echoCheck(
    'text-125-bytes',
    { en: '125 bytes: the largest 7-bit length', ru: '125 байт: самая большая 7-битная длина' },
    { en: 'the same 125 bytes of text', ru: 'те же 125 байт текста' },
    'RFC 6455 §5.2; Autobahn|Testsuite 1.1.2',
    {
      en: 'Lengths 0–125 fit the 7 bits of the second byte; 126 and 127 there mean that 16 or 64 more bits follow.',
      ru: 'Длины 0–125 помещаются в 7 бит второго байта; 126 и 127 там означают, что дальше идут ещё 16 или 64 бита.',
    },
    (socket) => sendAndEcho(socket, OPCODE.text, Buffer.alloc(125, '*')),
  ),
  echoCheck(
    'text-126-bytes-16-bit-length',
    { en: '126 bytes: the first 16-bit length', ru: '126 байт: первая 16-битная длина' },
    { en: 'the same 126 bytes of text', ru: 'те же 126 байт текста' },
    'RFC 6455 §5.2; Autobahn|Testsuite 1.1.3',
    {
      en: 'From 126 bytes on, the 7-bit field says 126 and the length is the next 2 bytes, in network byte order.',
      ru: 'Начиная со 126 байт 7-битное поле равно 126, а длина — в следующих 2 байтах, в сетевом порядке байт.',
    },
    (socket) => sendAndEcho(socket, OPCODE.text, Buffer.alloc(126, '*')),
  ),
  echoCheck(
    'binary-65535-bytes-16-bit-length',
    { en: '65 535 bytes: the largest 16-bit length', ru: '65 535 байт: самая большая 16-битная длина' },
    echoOrTooBig,
    'RFC 6455 §5.2, §7.4.1; Autobahn|Testsuite 1.2.6',
    {
      en: 'The 16-bit length ends at 65 535. A server may refuse a message this big with 1009 (the limit is its own), but must read the length right.',
      ru: '16-битная длина заканчивается на 65 535. Сервер может отказать в таком большом сообщении кодом 1009 (предел — его дело), но длину обязан прочесть верно.',
    },
    async (socket) => {
      const payload = Buffer.alloc(65_535, 0xfe);
      socket.send({ opcode: OPCODE.binary, payload });
      return echoedOrTooBig(await socket.nextMessage(), OPCODE.binary, payload);
    },
  ),
  echoCheck(
    'binary-65536-bytes-64-bit-length',
    { en: '65 536 bytes: the first 64-bit length', ru: '65 536 байт: первая 64-битная длина' },
    echoOrTooBig,
    'RFC 6455 §5.2, §7.4.1; Autobahn|Testsuite 1.2.7',
    {
      en: 'From 65 536 bytes on, the 7-bit field says 127 and the length is the next 8 bytes (the top bit 0). Echoed, or refused with 1009.',
      ru: 'Начиная с 65 536 байт 7-битное поле равно 127, а длина — в следующих 8 байтах (старший бит 0). Эхо или отказ кодом 1009.',
    },
    async (socket) => {
      const payload = Buffer.alloc(65_536, 0xfe);
      socket.send({ opcode: OPCODE.binary, payload });
      return echoedOrTooBig(await socket.nextMessage(), OPCODE.binary, payload);
    },
  ),
];

function pongOf(frame: Frame | null, payload: Buffer): Expectation[] {
  return [
    [frame?.opcode === OPCODE.pong, { en: `the answer is not a pong: ${shown(frame)}`, ru: `ответ — не pong: ${shown(frame)}` }],
    [frame?.payload.equals(payload) === true, { en: `the pong carries other data: ${shown(frame)}`, ru: `pong несёт другие данные: ${shown(frame)}` }],
  ];
}

const pings: CheckDefinition<null>[] = [
  echoCheck(
    'ping-empty-pong',
    { en: 'A ping with no payload: an empty pong', ru: 'Ping без данных: пустой pong' },
    { en: 'a pong with no payload', ru: 'pong без данных' },
    'RFC 6455 §5.5.2, §5.5.3; Autobahn|Testsuite 2.1',
    {
      en: 'The pong carries exactly the ping’s application data, and none is none.',
      ru: 'Pong несёт ровно данные ping, а нет данных — значит, нет.',
    },
    async (socket) => {
      socket.send({ opcode: OPCODE.ping });
      return pongOf(await socket.next(), Buffer.alloc(0));
    },
  ),
  echoCheck(
    'ping-125-bytes-pong',
    { en: 'A ping of 125 binary bytes: the same in the pong', ru: 'Ping из 125 двоичных байт: они же в pong' },
    { en: 'a pong with the same 125 bytes (fe fe …)', ru: 'pong с теми же 125 байтами (fe fe …)' },
    'RFC 6455 §5.5, §5.5.3; Autobahn|Testsuite 2.4',
    {
      en: '125 bytes is the most a control frame may carry, and a ping’s data need not be text: the pong returns them all.',
      ru: '125 байт — больше управляющий кадр нести не может, и данные ping не обязаны быть текстом: pong возвращает их все.',
    },
    async (socket) => {
      const payload = Buffer.alloc(125, 0xfe);
      socket.send({ opcode: OPCODE.ping, payload });
      return pongOf(await socket.next(), payload);
    },
  ),
  echoCheck(
    'unsolicited-pong-ignored',
    { en: 'An unsolicited pong gets no answer', ru: 'На pong без ping не отвечают' },
    { en: 'nothing for the pong; then a pong "after" for the ping', ru: 'ничего в ответ на pong; затем pong "after" на ping' },
    'RFC 6455 §5.5.3; Autobahn|Testsuite 2.9',
    {
      en: 'A pong MAY be sent unsolicited (as a heartbeat) and no answer to it is expected: the first frame back answers the ping after it.',
      ru: 'Pong МОЖНО послать без ping (как heartbeat), и ответа на него не ждут: первый кадр в ответ — это ответ на следующий ping.',
    },
    async (socket) => {
      socket.send({ opcode: OPCODE.pong, payload: Buffer.from('unsolicited') });
      socket.send({ opcode: OPCODE.ping, payload: Buffer.from('after') });
      return pongOf(await socket.next(), Buffer.from('after'));
    },
  ),
];

/**
 * A good text message, then `bad`, then a ping: the connection fails with 1002 at `bad`, so the
 * ping is never answered. The good message's echo may come first or not (Autobahn's "non-strict":
 * a server may fail the connection before its handler got to the echo), but nothing else may.
 */
async function failsAtTheBadFrame(socket: CheckedWebSocket, bad: Parameters<CheckedWebSocket['send']>[0]): Promise<Expectation[]> {
  // digits and commas: a server's mistake in letters (capitals) must not hide this check's point
  const good = Buffer.from('1, 2, 3');
  socket.send({ opcode: OPCODE.text, payload: good });
  socket.send(bad);
  socket.send({ opcode: OPCODE.ping, payload: Buffer.from('after') });
  const first = await socket.nextMessage();
  if (first?.opcode === OPCODE.close) return [closedWith(first, 1002)];
  return [...echoed(first, OPCODE.text, good), closedWith(await socket.next(), 1002)];
}

const reservedBitsAndOpcodes: CheckDefinition<null>[] = [
  echoCheck(
    'rsv2-after-echo-1002',
    { en: 'RSV2 set on a second message: close 1002', ru: 'RSV2 во втором сообщении: закрытие 1002' },
    {
      en: 'close 1002 (after the first message’s echo, or before it), and no pong for the ping after',
      ru: 'закрытие 1002 (после эха первого сообщения или до него) и никакого pong на ping после',
    },
    'RFC 6455 §5.2; Autobahn|Testsuite 3.2',
    {
      en: 'RSV bits are checked on every frame, not only the first: an endpoint that fails the connection processes nothing after the bad frame.',
      ru: 'Биты RSV проверяются в каждом кадре, а не только в первом: разорвав соединение, сторона ничего после плохого кадра не обрабатывает.',
    },
    (socket) => failsAtTheBadFrame(socket, { opcode: OPCODE.text, payload: Buffer.from('1, 2, 3'), rsv: 0b010 }),
  ),
  echoCheck(
    'reserved-control-opcode-1002',
    { en: 'Reserved control opcode 0xD: close 1002', ru: 'Зарезервированный управляющий opcode 0xD: закрытие 1002' },
    {
      en: 'close 1002 (after the first message’s echo, or before it), and no pong for the ping after',
      ru: 'закрытие 1002 (после эха первого сообщения или до него) и никакого pong на ping после',
    },
    'RFC 6455 §5.2, §5.5; Autobahn|Testsuite 4.2.3',
    {
      en: 'Opcodes 0xB–0xF are reserved for further control frames: one the receiver does not know MUST fail the connection.',
      ru: 'Opcode 0xB–0xF зарезервированы для будущих управляющих кадров: незнакомый получателю ОБЯЗАН разорвать соединение.',
    },
    (socket) => failsAtTheBadFrame(socket, { opcode: 0xd, payload: Buffer.from('reserved') }),
  ),
];

const fragmentation: CheckDefinition<null>[] = [
  mustFail(
    1002,
    'fragmented-ping-1002',
    { en: 'A ping cut into two fragments: close 1002', ru: 'Ping, разрезанный на два фрагмента: закрытие 1002' },
    'RFC 6455 §5.4, §5.5; Autobahn|Testsuite 5.1',
    {
      en: 'Control frames MUST NOT be fragmented: a ping with FIN = 0 is a protocol error.',
      ru: 'Управляющие кадры НЕ ДОЛЖНЫ фрагментироваться: ping с FIN = 0 — ошибка протокола.',
    },
    (socket) => {
      socket.send({ fin: false, opcode: OPCODE.ping, payload: Buffer.from('fragment1') });
      socket.send({ fin: true, opcode: OPCODE.continuation, payload: Buffer.from('fragment2') });
    },
  ),
  mustFail(
    1002,
    'text-inside-fragmented-message-1002',
    { en: 'A new text frame inside a fragmented message: close 1002', ru: 'Новый текстовый кадр посреди фрагментированного сообщения: закрытие 1002' },
    'RFC 6455 §5.4; Autobahn|Testsuite 5.18',
    {
      en: 'Data messages do not interleave: after a first fragment, only continuation frames (and control frames) may come until FIN.',
      ru: 'Сообщения с данными не перемежаются: после первого фрагмента до FIN могут идти только продолжения (и управляющие кадры).',
    },
    (socket) => {
      socket.send({ fin: false, opcode: OPCODE.text, payload: Buffer.from('fragment1') });
      socket.send({ fin: true, opcode: OPCODE.text, payload: Buffer.from('fragment2') });
    },
  ),
];

/** Valid UTF-8 that is not one character a byte: "κόσμε" (Autobahn's own sample) and Cyrillic. */
const MULTI_BYTE_TEXT = Buffer.from('κόσμε, привет');

function sendInOneByteFragments(socket: CheckedWebSocket, payload: Buffer): void {
  for (let at = 0; at < payload.length; at++) {
    socket.send({ fin: at === payload.length - 1, opcode: at === 0 ? OPCODE.text : OPCODE.continuation, payload: payload.subarray(at, at + 1) });
  }
}

const utf8Rule: Bilingual = {
  en: 'A text message MUST be valid UTF-8 (RFC 3629): an endpoint that gets one that is not MUST fail the connection, with 1007.',
  ru: 'Текстовое сообщение ОБЯЗАНО быть верным UTF-8 (RFC 3629): получив неверное, сторона ОБЯЗАНА разорвать соединение с кодом 1007.',
};

const utf8: CheckDefinition<null>[] = [
  echoCheck(
    'utf8-in-one-byte-fragments',
    { en: 'Multi-byte UTF-8 in one-byte fragments comes back whole', ru: 'Многобайтный UTF-8 во фрагментах по байту возвращается целым' },
    { en: 'one text message "κόσμε, привет"', ru: 'одно текстовое сообщение "κόσμε, привет"' },
    'RFC 6455 §5.6, §8.1; Autobahn|Testsuite 6.2.3',
    {
      en: 'UTF-8 is judged on the whole message: a fragment may end inside a character, and the joined message is valid.',
      ru: 'UTF-8 проверяется по всему сообщению: фрагмент может закончиться посреди символа, а склеенное сообщение верно.',
    },
    async (socket) => {
      sendInOneByteFragments(socket, MULTI_BYTE_TEXT);
      return echoed(await socket.nextMessage(), OPCODE.text, MULTI_BYTE_TEXT);
    },
  ),
  echoCheck(
    'utf8-noncharacter-echoed',
    { en: 'U+FFFF is valid UTF-8 and comes back', ru: 'U+FFFF — верный UTF-8 и возвращается' },
    { en: 'the same text, U+FFFE and U+FFFF included', ru: 'тот же текст, вместе с U+FFFE и U+FFFF' },
    'RFC 6455 §8.1; RFC 3629; Autobahn|Testsuite 6.22',
    {
      en: 'Noncharacters such as U+FFFF are well-formed UTF-8: failing them would be failing a valid message.',
      ru: 'Несимволы вроде U+FFFF — правильно построенный UTF-8: отказать им значит отказать верному сообщению.',
    },
    (socket) => sendAndEcho(socket, OPCODE.text, Buffer.from([0x61, 0xef, 0xbf, 0xbe, 0xef, 0xbf, 0xbf, 0x62])),
  ),
  mustFail(
    1007,
    'invalid-utf8-in-fragments-1007',
    { en: 'Invalid UTF-8 spread over one-byte fragments: close 1007', ru: 'Неверный UTF-8 во фрагментах по байту: закрытие 1007' },
    'RFC 6455 §8.1; Autobahn|Testsuite 6.3.2',
    utf8Rule,
    (socket) => sendInOneByteFragments(socket, Buffer.from([...MULTI_BYTE_TEXT.subarray(0, 11), 0xed, 0xa0, 0x80, 0x65, 0x64])),
  ),
  mustFail(
    1007,
    'utf8-overlong-1007',
    { en: 'An overlong encoding ("/" as c0 af): close 1007', ru: 'Избыточная кодировка ("/" как c0 af): закрытие 1007' },
    'RFC 6455 §8.1; RFC 3629 §3; Autobahn|Testsuite 6.17',
    utf8Rule,
    (socket) => socket.send({ opcode: OPCODE.text, payload: Buffer.from([0x61, 0xc0, 0xaf, 0x62]) }),
  ),
  mustFail(
    1007,
    'utf8-surrogate-1007',
    { en: 'A UTF-16 surrogate (U+D800 as ed a0 80): close 1007', ru: 'Суррогат UTF-16 (U+D800 как ed a0 80): закрытие 1007' },
    'RFC 6455 §8.1; RFC 3629 §3; Autobahn|Testsuite 6.20',
    utf8Rule,
    (socket) => socket.send({ opcode: OPCODE.text, payload: Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]) }),
  ),
];

const closing: CheckDefinition<null>[] = [
  echoCheck(
    'close-empty-answered',
    { en: 'A close frame with no code is answered', ru: 'На закрывающий кадр без кода отвечают' },
    { en: 'a close frame (empty, or code 1000), then the server closes TCP', ru: 'закрывающий кадр (пустой или с кодом 1000), затем сервер закрывает TCP' },
    'RFC 6455 §5.5.1, §7.1.5; Autobahn|Testsuite 7.3.1',
    {
      en: 'A close frame MAY have no body (the status is then "1005, none received"); it is answered with a close frame all the same.',
      ru: 'Закрывающий кадр МОЖЕТ быть без тела (тогда статус — «1005, не получен»); на него всё равно отвечают закрывающим кадром.',
    },
    async (socket) => {
      socket.send({ opcode: OPCODE.close });
      const frames = await framesUntilClosed(socket);
      const answer = frames[0] ?? null;
      return [
        [
          answer?.opcode === OPCODE.close && (answer.payload.length === 0 || frameCloseCode(answer) === 1000),
          {
            en: `no empty or 1000 close frame came back: ${shown(answer) || 'nothing'}`,
            ru: `не пришёл пустой закрывающий кадр или кадр с 1000: ${shown(answer) || 'ничего'}`,
          },
        ],
        [socket.ended, { en: 'the server kept TCP open', ru: 'сервер не закрыл TCP' }],
      ];
    },
  ),
  echoCheck(
    'close-code-echoed',
    { en: 'Close 4000 with a reason: answered with 4000 (or 1000)', ru: 'Закрытие 4000 с причиной: ответ 4000 (или 1000)' },
    { en: 'a close frame with code 4000 or 1000, then the server closes TCP', ru: 'закрывающий кадр с кодом 4000 или 1000, затем сервер закрывает TCP' },
    'RFC 6455 §5.5.1, §7.4.2; Autobahn|Testsuite 7.7.12, 7.3.4',
    {
      en: 'Codes 4000–4999 are for applications; the answer typically echoes the code received (Autobahn accepts the echo or a normal 1000).',
      ru: 'Коды 4000–4999 — для приложений; в ответ обычно повторяют полученный код (Autobahn принимает повтор или обычный 1000).',
    },
    async (socket) => {
      socket.send({ opcode: OPCODE.close, payload: closeFrame(4000, 'wirelab') });
      const frames = await framesUntilClosed(socket);
      return [closedWith(frames[0] ?? null, 4000, 1000), [socket.ended, { en: 'the server kept TCP open', ru: 'сервер не закрыл TCP' }]];
    },
  ),
  mustFail(
    1002,
    'close-code-1006-1002',
    { en: 'A close frame with code 1006: close 1002', ru: 'Закрывающий кадр с кодом 1006: закрытие 1002' },
    'RFC 6455 §7.4.1; Autobahn|Testsuite 7.9.5',
    {
      en: '1005 and 1006 only ever name what a side saw itself (no code, a lost connection) and MUST NOT be sent in a close frame: receiving one is a protocol error.',
      ru: '1005 и 1006 лишь называют то, что сторона увидела сама (кода нет, связь потеряна), и НЕ ДОЛЖНЫ отправляться в закрывающем кадре: получить такой — ошибка протокола.',
    },
    (socket) => socket.send({ opcode: OPCODE.close, payload: closeFrame(1006) }),
  ),
  echoCheck(
    'close-reason-invalid-utf8',
    { en: 'A close reason that is not UTF-8: close 1002 or 1007', ru: 'Причина закрытия не в UTF-8: закрытие 1002 или 1007' },
    { en: 'a close frame with code 1002 or 1007, not 1000', ru: 'закрывающий кадр с кодом 1002 или 1007, а не 1000' },
    'RFC 6455 §5.5.1, §8.1; Autobahn|Testsuite 7.5.1',
    {
      en: 'The reason after the code is UTF-8 text like any text: one that is not fails the connection (Autobahn accepts 1002 or 1007).',
      ru: 'Причина после кода — текст в UTF-8, как любой текст: неверная разрывает соединение (Autobahn принимает 1002 или 1007).',
    },
    async (socket) => {
      socket.send({ opcode: OPCODE.close, payload: Buffer.concat([closeFrame(1000), Buffer.from([0xce, 0xba, 0xed, 0xa0, 0x80])]) });
      return [closedWith(await socket.next(), 1002, 1007)];
    },
  ),
  echoCheck(
    'text-after-close-ignored',
    { en: 'A text message after the close frame is not echoed', ru: 'Текст после закрывающего кадра не возвращается эхом' },
    { en: 'close 1000, no echo, then the server closes TCP', ru: 'закрытие 1000, без эха, затем сервер закрывает TCP' },
    'RFC 6455 §5.5.1, §1.4; Autobahn|Testsuite 7.1.4',
    {
      en: 'After a close frame the connection carries no more data: what the other side sends later is dropped, and the server sends no data frame after its own close.',
      ru: 'После закрывающего кадра данные больше не идут: присланное другой стороной позже отбрасывается, а сервер после своего закрывающего кадра данных не шлёт.',
    },
    async (socket) => {
      socket.send({ opcode: OPCODE.close, payload: closeFrame(1000) });
      socket.send({ opcode: OPCODE.text, payload: Buffer.from('after close') });
      const frames = await framesUntilClosed(socket);
      const data = frames.find((frame) => frame.opcode < 0x8);
      return [
        closedWith(frames[0] ?? null, 1000),
        [
          data === undefined,
          { en: `a data frame came after the close: ${shown(data ?? null)}`, ru: `после закрытия пришёл кадр с данными: ${shown(data ?? null)}` },
        ],
        [socket.ended, { en: 'the server kept TCP open', ru: 'сервер не закрыл TCP' }],
      ];
    },
  ),
];

/** Over Python websockets' default max_size (1 MiB) and this client's own budget for one connection. */
const TOO_BIG_BYTES = 1024 * 1024 + 1;

const limits: CheckDefinition<null>[] = [
  echoCheck(
    'message-too-big-1009',
    { en: 'A message of 1 MiB + 1 byte: close 1009, or the echo', ru: 'Сообщение в 1 МиБ + 1 байт: закрытие 1009 или эхо' },
    {
      en: 'a close frame with code 1009 (or the echo, if your server takes messages this big): not 1002, not a cut connection',
      ru: 'закрывающий кадр с кодом 1009 (или эхо, если ваш сервер принимает такие сообщения): не 1002 и не оборванное соединение',
    },
    'RFC 6455 §7.4.1, §10.4; Autobahn|Testsuite 9 (limits)',
    {
      en: 'RFC 6455 leaves the largest message to the server, and tells it to have a limit (§10.4); past it, the answer is 1009 "message too big", so the client knows why.',
      ru: 'Самое большое сообщение RFC 6455 оставляет на усмотрение сервера и велит такой предел иметь (§10.4); за ним ответ — 1009 «сообщение слишком большое», чтобы клиент знал причину.',
    },
    async (socket) => {
      socket.send({ opcode: OPCODE.binary, payload: Buffer.alloc(TOO_BIG_BYTES, 0x2a) });
      const frame = await socket.next();
      // a server without a limit this low echoes: the echo's head is enough (the rest is over this client's budget)
      const echoing = frame ? frame.opcode < 0x8 : socket.partialFrameHead()?.opcode === OPCODE.binary;
      return echoing ? [] : [closedWith(frame, 1009)];
    },
  ),
];

/** The checks from Autobahn|Testsuite's categories, in its order. */
export const autobahnChecks: CheckDefinition<null>[] = [...framing, ...pings, ...reservedBitsAndOpcodes, ...fragmentation, ...utf8, ...closing, ...limits];
