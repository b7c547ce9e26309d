// "Check my server" for WebSockets: an echo endpoint at /ws/echo, as Wirelab's own
// (server/protocols/websocket/README.md). Every check opens its own connection, so one broken
// answer cannot spoil the next check.
import { defineSuite, verdict, type CheckDefinition } from '../check-kit.ts';
import { browserWouldDrop, OPCODE, openWebSocket } from '../websocket-client.ts';
import { autobahnChecks } from './websocket-autobahn.ts';
import { closedWith, closeFrame, ECHO_PATH, echoed, mustFail1002, onEcho } from './websocket-echo.ts';

const handshakeAndEcho: CheckDefinition<null>[] = [
  {
    id: 'handshake-101',
    name: { en: 'Opening handshake: 101 and the right Sec-WebSocket-Accept', ru: 'Рукопожатие: 101 и верный Sec-WebSocket-Accept' },
    expected: {
      en: '101 Switching Protocols, Upgrade: websocket, Sec-WebSocket-Accept = base64(SHA-1(key + GUID))',
      ru: '101 Switching Protocols, Upgrade: websocket, Sec-WebSocket-Accept = base64(SHA-1(ключ + GUID))',
    },
    why: {
      clause: 'RFC 6455 §4.2.2',
      text: {
        en: 'The accept value proves the server read this very handshake as WebSocket, not a cache or a plain HTTP server.',
        ru: 'Значение Accept доказывает, что сервер понял именно это рукопожатие как WebSocket, а не кэш или обычный HTTP-сервер.',
      },
    },
    async run(context) {
      const handshake = await openWebSocket(context, ECHO_PATH);
      handshake.connection?.close();
      return verdict(handshake.sent, handshake.got, [
        [handshake.status === 101, { en: `status ${handshake.status}, not 101`, ru: `статус ${handshake.status}, а не 101` }],
        [handshake.headers.get('upgrade')?.toLowerCase() === 'websocket', { en: 'no Upgrade: websocket', ru: 'нет Upgrade: websocket' }],
        [
          handshake.acceptIsRight,
          browserWouldDrop(handshake) ?? { en: 'Sec-WebSocket-Accept is missing or wrong', ru: 'Sec-WebSocket-Accept отсутствует или неверен' },
        ],
      ]);
    },
  },
  {
    id: 'text-echo',
    name: { en: 'A text message comes back', ru: 'Текстовое сообщение возвращается' },
    expected: { en: 'the same text, as a text message', ru: 'тот же текст, текстовым сообщением' },
    why: {
      clause: 'RFC 6455 §5.6',
      text: {
        en: 'A text frame carries UTF-8; an echo returns it unchanged, Cyrillic included.',
        ru: 'Текстовый кадр несёт UTF-8; эхо возвращает его без изменений, кириллицу тоже.',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        const payload = Buffer.from('привет, Wirelab');
        socket.send({ opcode: OPCODE.text, payload });
        return echoed(await socket.nextMessage(), OPCODE.text, payload);
      }),
  },
  {
    id: 'binary-echo',
    name: { en: 'A binary message comes back as binary', ru: 'Двоичное сообщение возвращается двоичным' },
    expected: { en: 'the same bytes, as a binary message', ru: 'те же байты, двоичным сообщением' },
    why: {
      clause: 'RFC 6455 §5.6',
      text: {
        en: 'Binary frames carry any bytes, not text: the opcode says which, and must survive the echo.',
        ru: 'Двоичные кадры несут любые байты, не текст: это говорит opcode, и эхо должно его сохранить.',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        const payload = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x80]);
        socket.send({ opcode: OPCODE.binary, payload });
        return echoed(await socket.nextMessage(), OPCODE.binary, payload);
      }),
  },
  {
    id: 'ping-pong',
    name: { en: 'Ping is answered by a pong with the same payload', ru: 'На ping приходит pong с тем же содержимым' },
    expected: { en: 'a pong frame carrying "wirelab-check"', ru: 'кадр pong с "wirelab-check"' },
    why: {
      clause: 'RFC 6455 §5.5.2, §5.5.3',
      text: {
        en: 'A ping MUST be answered by a pong with the same application data: that is how either side sees the other is alive.',
        ru: 'На ping ОБЯЗАН прийти pong с теми же данными: так каждая сторона видит, что другая жива.',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        socket.send({ opcode: OPCODE.ping, payload: Buffer.from('wirelab-check') });
        const frame = await socket.next();
        return [
          [frame?.opcode === OPCODE.pong, { en: 'the answer is not a pong', ru: 'ответ — не pong' }],
          [frame?.payload.toString() === 'wirelab-check', { en: 'the pong carries other data', ru: 'pong несёт другие данные' }],
        ];
      }),
  },
];

const fragmentsAndClose: CheckDefinition<null>[] = [
  {
    id: 'fragmented-echo',
    name: { en: 'A message in three fragments comes back whole', ru: 'Сообщение из трёх фрагментов возвращается целым' },
    expected: { en: 'one text message "frag-ment-ed" (in any number of frames)', ru: 'одно текстовое сообщение "frag-ment-ed" (в любом числе кадров)' },
    why: {
      clause: 'RFC 6455 §5.4',
      text: {
        en: 'A message may be cut into frames (text, then continuation frames, FIN on the last); the receiver joins them.',
        ru: 'Сообщение можно разрезать на кадры (text, затем continuation, FIN у последнего); получатель их склеивает.',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        socket.send({ fin: false, opcode: OPCODE.text, payload: Buffer.from('frag-') });
        socket.send({ fin: false, opcode: OPCODE.continuation, payload: Buffer.from('ment-') });
        socket.send({ fin: true, opcode: OPCODE.continuation, payload: Buffer.from('ed') });
        return echoed(await socket.nextMessage(), OPCODE.text, Buffer.from('frag-ment-ed'));
      }),
  },
  {
    id: 'ping-between-fragments',
    name: { en: 'A ping between two fragments', ru: 'Ping между двумя фрагментами' },
    expected: { en: 'a pong at once, then the whole message "ab"', ru: 'сразу pong, затем сообщение "ab" целиком' },
    why: {
      clause: 'RFC 6455 §5.4, §5.5',
      text: {
        en: 'Control frames MAY come in the middle of a fragmented message, and the endpoint MUST handle them there.',
        ru: 'Управляющие кадры МОГУТ прийти посреди фрагментированного сообщения, и сторона ОБЯЗАНА обработать их там.',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        socket.send({ fin: false, opcode: OPCODE.text, payload: Buffer.from('a') });
        socket.send({ opcode: OPCODE.ping, payload: Buffer.from('between') });
        socket.send({ fin: true, opcode: OPCODE.continuation, payload: Buffer.from('b') });
        const pong = await socket.next();
        return [
          [
            pong?.opcode === OPCODE.pong && pong.payload.toString() === 'between',
            { en: 'no pong "between" came first', ru: 'первым не пришёл pong "between"' },
          ],
          ...echoed(await socket.nextMessage(), OPCODE.text, Buffer.from('ab')),
        ];
      }),
  },
  {
    id: 'close-handshake',
    name: { en: 'Closing handshake: 1000 answered with 1000', ru: 'Закрытие: на 1000 отвечают 1000' },
    expected: { en: 'a close frame with code 1000, then the server closes TCP', ru: 'закрывающий кадр с кодом 1000, затем сервер закрывает TCP' },
    why: {
      clause: 'RFC 6455 §5.5.1, §7.4.1',
      text: {
        en: 'The side that receives a close frame answers with one (usually echoing the code); then the server closes the TCP connection first.',
        ru: 'Получив закрывающий кадр, сторона отвечает своим (обычно с тем же кодом); затем сервер первым закрывает TCP.',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        const payload = Buffer.alloc(5);
        payload.writeUInt16BE(1000, 0);
        payload.write('bye', 2);
        socket.send({ opcode: OPCODE.close, payload });
        const frame = await socket.next();
        await socket.closed();
        return [closedWith(frame, 1000), [socket.ended, { en: 'the server kept TCP open', ru: 'сервер не закрыл TCP' }]];
      }),
  },
];

const protocolErrors: CheckDefinition<null>[] = [
  {
    id: 'invalid-utf8-1007',
    name: { en: 'Invalid UTF-8 in a text frame: close 1007', ru: 'Неверный UTF-8 в текстовом кадре: закрытие 1007' },
    expected: { en: 'a close frame with code 1007, no echo', ru: 'закрывающий кадр с кодом 1007, без эха' },
    why: {
      clause: 'RFC 6455 §8.1, §7.4.1',
      text: {
        en: 'A text message must be valid UTF-8; one that is not MUST fail the connection, with 1007 (inconsistent data).',
        ru: 'Текстовое сообщение обязано быть верным UTF-8; иначе соединение ОБЯЗАНО быть разорвано с кодом 1007 (несогласованные данные).',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        socket.send({ opcode: OPCODE.text, payload: Buffer.from([0x68, 0x69, 0xc3, 0x28]) });
        return [closedWith(await socket.next(), 1007)];
      }),
  },
  {
    id: 'unmasked-frame-1002',
    name: { en: 'An unmasked client frame: close 1002', ru: 'Кадр клиента без маски: закрытие 1002' },
    expected: { en: 'a close frame with code 1002 (protocol error)', ru: 'закрывающий кадр с кодом 1002 (ошибка протокола)' },
    why: {
      clause: 'RFC 6455 §5.1, §7.4.1',
      text: {
        en: 'Every client frame MUST be masked (so caches cannot be poisoned); a server MUST close on an unmasked one.',
        ru: 'Каждый кадр клиента ОБЯЗАН быть замаскирован (чтобы нельзя было отравить кэш); сервер ОБЯЗАН закрыть соединение на немаскированном.',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        socket.send({ opcode: OPCODE.text, payload: Buffer.from('no mask'), masked: false });
        return [closedWith(await socket.next(), 1002)];
      }),
  },
  {
    id: 'reserved-opcode-1002',
    name: { en: 'A reserved opcode: close 1002', ru: 'Зарезервированный opcode: закрытие 1002' },
    expected: { en: 'a close frame with code 1002', ru: 'закрывающий кадр с кодом 1002' },
    why: {
      clause: 'RFC 6455 §5.2',
      text: {
        en: 'Opcodes 0x3–0x7 are reserved: a receiver that does not know one MUST fail the connection.',
        ru: 'Opcode 0x3–0x7 зарезервированы: получатель, не знающий такого opcode, ОБЯЗАН разорвать соединение.',
      },
    },
    run: (context) =>
      onEcho(context, async (socket) => {
        socket.send({ opcode: 0x3, payload: Buffer.from('?') });
        return [closedWith(await socket.next(), 1002)];
      }),
  },
];

/** Deeper framing rules, each the case of an Autobahn|Testsuite category (its number in the clause). */
const autobahnFraming: CheckDefinition<null>[] = [
  mustFail1002(
    'reserved-bits-1002',
    { en: 'RSV1 set without an extension: close 1002', ru: 'RSV1 без расширения: закрытие 1002' },
    'RFC 6455 §5.2; Autobahn|Testsuite 3.1',
    {
      en: 'RSV1–3 MUST be 0 unless an extension that was negotiated defines them; otherwise the receiver MUST fail the connection.',
      ru: 'RSV1–3 ОБЯЗАНЫ быть 0, если их не определяет согласованное расширение; иначе получатель ОБЯЗАН разорвать соединение.',
    },
    (socket) => socket.send({ opcode: OPCODE.text, payload: Buffer.from('rsv'), rsv: 0b100 }),
  ),
  mustFail1002(
    'ping-too-long-1002',
    { en: 'A ping of 126 bytes: close 1002', ru: 'Ping длиной 126 байт: закрытие 1002' },
    'RFC 6455 §5.5; Autobahn|Testsuite 2.5',
    {
      en: 'Control frames MUST have a payload of 125 bytes or less; a longer one is a protocol error.',
      ru: 'Управляющие кадры ОБЯЗАНЫ нести не больше 125 байт; более длинный — ошибка протокола.',
    },
    (socket) => socket.send({ opcode: OPCODE.ping, payload: Buffer.alloc(126, 0x61) }),
  ),
  mustFail1002(
    'continuation-without-start-1002',
    { en: 'A continuation frame with nothing to continue: close 1002', ru: 'Кадр-продолжение без начала: закрытие 1002' },
    'RFC 6455 §5.4; Autobahn|Testsuite 5.9',
    {
      en: 'A continuation frame belongs to a fragmented message already begun; one that continues nothing MUST fail the connection.',
      ru: 'Кадр-продолжение принадлежит уже начатому фрагментированному сообщению; продолжение «ничего» ОБЯЗАНО разорвать соединение.',
    },
    (socket) => socket.send({ fin: true, opcode: OPCODE.continuation, payload: Buffer.from('orphan') }),
  ),
  mustFail1002(
    'close-invalid-code-1002',
    { en: 'A close frame with code 999: close 1002', ru: 'Закрывающий кадр с кодом 999: закрытие 1002' },
    'RFC 6455 §7.4.1, §7.4.2; Autobahn|Testsuite 7.9.2',
    {
      en: 'Codes below 1000 are not used; an endpoint that receives one answers the close with 1002, not an echo of the bad code.',
      ru: 'Коды меньше 1000 не используются; получив такой, сторона отвечает на закрытие кодом 1002, а не эхом неверного кода.',
    },
    (socket) => socket.send({ opcode: OPCODE.close, payload: closeFrame(999) }),
  ),
];

export const websocketSuite = defineSuite<null>({
  prepare: async () => null,
  checks: [...handshakeAndEcho, ...fragmentsAndClose, ...protocolErrors, ...autobahnFraming, ...autobahnChecks],
});
