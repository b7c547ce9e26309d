import type { Bilingual } from '../../../shared/bilingual.ts';
import type { GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import { literal, shellQuote, wsOrigin } from './quote.ts';
import { goWebSocketOpening } from './go-websocket.ts';
import type { AsCodeTarget, SocketIoSpec } from './spec.ts';

// Socket.IO by hand, where no client library is at hand: the terminal's curl and Go, which has no
// Socket.IO client in Debian. The packets are Socket.IO's own text, written out in the program.
//
// The terminal: curl over Engine.IO's long polling, where every packet is
// a line of text a student can read — a GET takes what the server holds (packets split at the
// byte 1e), a POST sends one of ours. Engine.IO opens (0), Socket.IO connects to the namespace
// with `auth` (40), each emit is an EVENT (42, with an ack id when the console asks for an ack,
// whose ACK 43 is awaited), then DISCONNECT (41) and Engine.IO's close (1). A ping (2) that
// comes while waiting is answered with a pong (3), or the server drops the session. A poll may
// bring the sandbox's events beside the packet awaited (the 40, a 43), in any order: the
// program knows each packet by its start, never by digits found anywhere in what came (a
// timestamp's "44" once read as a refusal), and passes the others over.

const SANDBOX_HEADER = 'x-wirelab-sandbox';
/** The wait for the server's answer to CONNECT and for an ack (the console's), in seconds; a poll in progress ends at the server's next ping at the latest. */
const ACK_SECONDS = 10;
/** A GET is never cut short: Engine.IO ends the session when a poll is aborted. The server answers one within its ping interval (25 s). */
const POLL_MAX_SECONDS = 60;

const curlTransportNote = (spec: SocketIoSpec): Bilingual[] =>
  spec.transports.includes('websocket')
    ? [
        {
          en: spec.transports.includes('polling')
            ? 'The console starts with polling and then upgrades to a WebSocket; this script stays on polling, where each packet is an HTTP request you can read. The packets are the same.'
            : 'The console connects over a WebSocket only; this script uses polling, where each packet is an HTTP request you can read. The packets are the same.',
          ru: spec.transports.includes('polling')
            ? 'Консоль начинает с опросов и затем переходит на WebSocket; этот скрипт остаётся на опросах, где каждый пакет — HTTP-запрос, который можно прочитать. Пакеты те же.'
            : 'Консоль подключается только по WebSocket; этот скрипт работает опросами, где каждый пакет — HTTP-запрос, который можно прочитать. Пакеты те же.',
        },
      ]
    : [];

export function socketIoAsCurl(spec: SocketIoSpec, target: AsCodeTarget): GeneratedCode {
  const ru = target.lang === 'ru';
  const { ns, connect, emits: packets } = packetsOf(spec);
  const emits = packets.flatMap(({ packet, ackId }) => {
    if (ackId === null) return [`send ${shellQuote(packet)}  # EVENT`];
    return [
      `send ${shellQuote(packet)}  # ${ru ? `EVENT с номером подтверждения ${ackId}` : `EVENT with ack id ${ackId}`}`,
      `wait_for ${shellQuote(`43${ns}${ackId}[`)}  # ${ru ? `ждём ACK ${ackId}` : `wait for ACK ${ackId}`}`,
    ];
  });
  const url = new URL('/socket.io/?EIO=4&transport=polling', target.origin).href;
  const code = [
    ru
      ? '( # curl: Socket.IO вручную, опросами Engine.IO (каждый пакет — строка текста)'
      : '( # curl: Socket.IO by hand, over Engine.IO’s long polling (each packet a line of text)',
    `TOKEN=${shellQuote(target.token)}  # ${tokenComment(target.lang)}`,
    `URL=${shellQuote(url)}`,
    ru
      ? 'poll() {  # один GET: пакеты, которые сервер держит для нас (разделитель — байт 1e), — в массив PACKETS; на ping (2) отвечаем pong (3)'
      : 'poll() {  # one GET: the packets the server holds for us (split at the byte 1e), into the array PACKETS; a ping (2) is answered with a pong (3)',
    '  local packet',
    '  PACKETS=()',
    '  while IFS= read -r -d $\'\\x1e\' packet || [ -n "$packet" ]; do',
    '    echo "<- $packet"',
    '    if [ "$packet" = 2 ]; then send 3; fi',
    '    PACKETS+=("$packet")',
    `  done < <(curl -s --max-time ${POLL_MAX_SECONDS} "$URL" -H "${SANDBOX_HEADER}: $TOKEN")`,
    '}',
    ru
      ? `wait_for() {  # опрашиваем, пока не придёт пакет, который начинается с одного из префиксов (не дольше ${ACK_SECONDS} с); он — в ANSWER.`
      : `wait_for() {  # polls until a packet comes that begins with one of the prefixes (at most ${ACK_SECONDS} s); it is in ANSWER.`,
    ru
      ? '  # Пакет ищем по его началу: в тот же ответ могут прийти и события, которые сервер рассылает всем, — их пропускаем'
      : '  # A packet is known by its start: the same poll may bring events the server broadcasts to everyone; they are passed over',
    `  local packet prefix deadline=$(( SECONDS + ${ACK_SECONDS} ))`,
    "  ANSWER=''",
    '  while (( SECONDS < deadline )); do',
    '    poll',
    '    for packet in "${PACKETS[@]}"; do',
    '      for prefix in "$@"; do',
    '        if [[ $packet == "$prefix"* ]]; then ANSWER=$packet; return 0; fi',
    '      done',
    '    done',
    '  done',
    '  return 1',
    '}',
    ru ? 'send() {  # один POST: наш пакет' : 'send() {  # one POST: a packet of ours',
    '  echo "-> $1"',
    `  curl -s -o /dev/null "$URL" -H "${SANDBOX_HEADER}: $TOKEN" -H 'Content-Type: text/plain;charset=UTF-8' --data-binary "$1"`,
    '}',
    ru ? 'poll  # Engine.IO открывается: 0{"sid":…,"pingInterval":…}' : 'poll  # Engine.IO opens: 0{"sid":…,"pingInterval":…}',
    `URL+="&sid=$(sed -E 's/.*"sid":"([^"]+)".*/\\1/' <<< "\${PACKETS[0]}")"`,
    `send ${shellQuote(connect)}  # ${ru ? 'CONNECT к пространству имён' : 'CONNECT to the namespace'} ${spec.namespace}`,
    `wait_for ${shellQuote(`40${ns}`)} ${shellQuote(`44${ns}`)}  # ${ru ? '40…{"sid":…} — подключились; 44… — отказ' : '40…{"sid":…}: connected; 44…: refused'}`,
    `if [[ $ANSWER != ${shellQuote(`40${ns}`)}* ]]; then echo "${ru ? 'отказ или нет ответа' : 'refused or no answer'}"; exit 1; fi`,
    ...emits,
    `send ${shellQuote(`41${ns}`)}  # DISCONNECT`,
    ru ? 'send 1  # закрытие Engine.IO' : "send 1  # Engine.IO's close",
    ')',
  ].join('\n');
  return {
    language: 'terminal',
    tool: 'curl (Engine.IO polling)',
    code,
    fileName: null,
    install: 'sudo apt install curl',
    run: null,
    notes: [
      {
        en: 'Paste it into bash. A poll waits until the server has something to say, at most until its next ping (25 s).',
        ru: 'Вставьте в bash. Опрос ждёт, пока серверу есть что сказать, — не дольше его следующего ping (25 с).',
      },
      ...curlTransportNote(spec),
    ],
  };
}

/** The packets of one console, in the order sent: CONNECT, then each emit (ack ids from 1); a namespace other than "/" is named first, with a comma. */
function packetsOf(spec: SocketIoSpec): { ns: string; connect: string; emits: Array<{ packet: string; ackId: number | null }> } {
  const ns = spec.namespace === '/' ? '' : `${spec.namespace},`;
  const auth = Object.keys(spec.auth).length > 0 ? JSON.stringify(spec.auth) : '';
  let ackId = 0;
  const emits = spec.emits.map((emit) => {
    const data = JSON.stringify([emit.event, ...emit.args]);
    if (!emit.ack) return { packet: `42${ns}${data}`, ackId: null };
    ackId += 1;
    return { packet: `42${ns}${ackId}${data}`, ackId };
  });
  return { ns, connect: `40${ns}${auth}`, emits };
}

// Go: gorilla/websocket on Engine.IO's WebSocket transport, each Engine.IO packet one WebSocket
// message: read the open packet (0), CONNECT (40), each EVENT (42) and its ACK (43) when asked,
// a ping (2) answered with a pong (3) while reading, then DISCONNECT (41) and a close 1000.
export function socketIoAsGo(spec: SocketIoSpec, target: AsCodeTarget): GeneratedCode {
  const ru = target.lang === 'ru';
  const { ns, connect, emits } = packetsOf(spec);
  const emitLines = emits.flatMap(({ packet, ackId }) =>
    ackId === null
      ? [`\tsend(${literal(packet)}) // EVENT`]
      : [
          `\tsend(${literal(packet)}) // ${ru ? `EVENT с номером подтверждения ${ackId}` : `EVENT with ack id ${ackId}`}`,
          `\tfor deadline := time.Now().Add(${ACK_SECONDS} * time.Second); ; { // ${ru ? `ждём ACK ${ackId}` : `wait for ACK ${ackId}`}`,
          `\t\tif reply, ok := read(deadline); !ok || strings.HasPrefix(reply, ${literal(`43${ns}${ackId}[`)}) {`,
          '\t\t\tbreak',
          '\t\t}',
          '\t}',
        ],
  );
  const code = [
    ...goWebSocketOpening({ imports: ['strings', 'time'], url: `${wsOrigin(target.origin)}/socket.io/?EIO=4&transport=websocket`, subprotocols: [], target }),
    '\tsend := func(packet string) {',
    '\t\tfmt.Println("->", packet)',
    '\t\tsocket.WriteMessage(websocket.TextMessage, []byte(packet))',
    '\t}',
    ru
      ? '\t// один пакет сервера; на ping (2) отвечаем pong (3), иначе сервер закроет сессию'
      : '\t// one packet from the server; a ping (2) is answered with a pong (3), or the server drops the session',
    '\tread := func(deadline time.Time) (string, bool) {',
    '\t\tfor {',
    '\t\t\tsocket.SetReadDeadline(deadline)',
    '\t\t\t_, data, err := socket.ReadMessage()',
    '\t\t\tif err != nil {',
    '\t\t\t\tfmt.Println("stopped:", err)',
    '\t\t\t\treturn "", false',
    '\t\t\t}',
    '\t\t\tfmt.Println("<-", string(data))',
    '\t\t\tif string(data) != "2" {',
    '\t\t\t\treturn string(data), true',
    '\t\t\t}',
    '\t\t\tsend("3")',
    '\t\t}',
    '\t}',
    `\tread(time.Now().Add(${ACK_SECONDS} * time.Second)) // ${ru ? 'Engine.IO открывается: 0{"sid":…}' : 'Engine.IO opens: 0{"sid":…}'}`,
    `\tsend(${literal(connect)}) // ${ru ? 'CONNECT к пространству имён' : 'CONNECT to the namespace'} ${spec.namespace}`,
    `\tif reply, ok := read(time.Now().Add(${ACK_SECONDS} * time.Second)); !ok || strings.HasPrefix(reply, ${literal(`44${ns}`)}) {`,
    `\t\tfmt.Println(${literal(ru ? 'отказ' : 'refused')})`,
    '\t\treturn',
    '\t}',
    ...emitLines,
    `\tsend(${literal(`41${ns}`)}) // DISCONNECT`,
    '\tsocket.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))',
    '}',
    '',
  ].join('\n');
  return {
    language: 'go',
    tool: 'gorilla/websocket (Socket.IO packets by hand)',
    code,
    fileName: 'socketio_client.go',
    install: 'sudo apt install golang golang-github-gorilla-websocket-dev   # or: go get github.com/gorilla/websocket',
    run: 'GO111MODULE=off GOPATH=/usr/share/gocode go run socketio_client.go',
    notes: [
      {
        en: 'Debian packages no Socket.IO client for Go, so this program writes Socket.IO’s packets itself over Engine.IO’s WebSocket transport: what socket.io-client does for you.',
        ru: 'В Debian нет клиента Socket.IO для Go, поэтому программа сама пишет пакеты Socket.IO поверх транспорта WebSocket в Engine.IO: то, что за вас делает socket.io-client.',
      },
      ...(spec.transports.includes('websocket')
        ? []
        : [
            {
              en: 'The console polls; this program goes straight to the WebSocket. The packets are the same.',
              ru: 'Консоль работает опросами; программа сразу идёт по WebSocket. Пакеты те же.',
            },
          ]),
    ],
  };
}
