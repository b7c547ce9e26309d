import type { GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import { shellQuote } from './quote.ts';
import type { AsCodeTarget, Localized, SocketIoSpec } from './spec.ts';

// Socket.IO from the terminal, by hand: curl over Engine.IO's long polling, where every packet is
// a line of text a student can read — a GET takes what the server holds (packets split at the
// byte 1e), a POST sends one of ours. Engine.IO opens (0), Socket.IO connects to the namespace
// with `auth` (40), each emit is an EVENT (42, with an ack id when the console asks for an ack,
// whose ACK 43 is awaited), then DISCONNECT (41) and Engine.IO's close (1). A ping (2) that
// comes while waiting is answered with a pong (3), or the server drops the session.

const SANDBOX_HEADER = 'x-wirelab-sandbox';
/** The console's wait for an ack, in seconds (a poll in progress ends at the server's next ping at the latest). */
const ACK_SECONDS = 10;
/** A GET is never cut short: Engine.IO ends the session when a poll is aborted. The server answers one within its ping interval (25 s). */
const POLL_MAX_SECONDS = 60;

const transportNote = (spec: SocketIoSpec): Localized[] =>
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
  // packets to a namespace other than "/" name it first, followed by a comma
  const ns = spec.namespace === '/' ? '' : `${spec.namespace},`;
  const auth = Object.keys(spec.auth).length > 0 ? JSON.stringify(spec.auth) : '';
  let ackId = 0;
  const emits = spec.emits.flatMap((emit) => {
    const data = JSON.stringify([emit.event, ...emit.args]);
    if (!emit.ack) return [`send ${shellQuote(`42${ns}${data}`)}  # EVENT`];
    ackId += 1;
    return [
      `send ${shellQuote(`42${ns}${ackId}${data}`)}  # ${ru ? `EVENT с номером подтверждения ${ackId}` : `EVENT with ack id ${ackId}`}`,
      `deadline=$(( SECONDS + ${ACK_SECONDS} ))`,
      `until [[ $PACKETS == *${shellQuote(`43${ns}${ackId}[`)}* ]] || (( SECONDS >= deadline )); do poll; done  # ${ru ? `ждём ACK ${ackId}` : `wait for ACK ${ackId}`}`,
    ];
  });
  const url = new URL('/socket.io/?EIO=4&transport=polling', target.origin).href;
  const code = [
    ru ? '( # curl: Socket.IO вручную, опросами Engine.IO (каждый пакет — строка текста)' : '( # curl: Socket.IO by hand, over Engine.IO’s long polling (each packet a line of text)',
    `TOKEN=${shellQuote(target.token)}  # ${tokenComment(target.lang)}`,
    `URL=${shellQuote(url)}`,
    ru ? 'poll() {  # один GET: пакеты, которые сервер держит для нас (разделитель — байт 1e); на ping (2) отвечаем pong (3)' : 'poll() {  # one GET: the packets the server holds for us (split at the byte 1e); a ping (2) is answered with a pong (3)',
    '  local packet',
    `  PACKETS=$(curl -s --max-time ${POLL_MAX_SECONDS} "$URL" -H "${SANDBOX_HEADER}: $TOKEN")`,
    "  while IFS= read -r -d $'\\x1e' packet || [ -n \"$packet\" ]; do",
    '    echo "<- $packet"',
    '    if [ "$packet" = 2 ]; then send 3; fi',
    "  done < <(printf '%s' \"$PACKETS\")",
    '}',
    ru ? 'send() {  # один POST: наш пакет' : 'send() {  # one POST: a packet of ours',
    '  echo "-> $1"',
    `  curl -s -o /dev/null "$URL" -H "${SANDBOX_HEADER}: $TOKEN" -H 'Content-Type: text/plain;charset=UTF-8' --data-binary "$1"`,
    '}',
    ru ? 'poll  # Engine.IO открывается: 0{"sid":…,"pingInterval":…}' : 'poll  # Engine.IO opens: 0{"sid":…,"pingInterval":…}',
    `URL+="&sid=$(sed -E 's/.*"sid":"([^"]+)".*/\\1/' <<< "$PACKETS")"`,
    `send ${shellQuote(`40${ns}${auth}`)}  # ${ru ? 'CONNECT к пространству имён' : 'CONNECT to the namespace'} ${spec.namespace}${auth ? (ru ? ' с auth' : ' with auth') : ''}`,
    ru ? 'poll  # 40…{"sid":…} — подключились; 44… — отказ' : 'poll  # 40…{"sid":…}: connected; 44…: refused',
    `case $PACKETS in *44${ns}*) echo "${ru ? 'отказ' : 'refused'}"; exit 1 ;; esac`,
    ...emits,
    `send ${shellQuote(`41${ns}`)}  # DISCONNECT`,
    ru ? "send 1  # закрытие Engine.IO" : "send 1  # Engine.IO's close",
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
      ...transportNote(spec),
    ],
  };
}
