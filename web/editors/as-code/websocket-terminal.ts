import type { Bilingual } from '../../../shared/bilingual.ts';
import type { AsCodeResult } from './generated.ts';
import { tokenComment } from './generated.ts';
import { hostPort, shellQuote } from './quote.ts';
import type { AsCodeTarget } from './spec.ts';

// A WebSocket from the terminal with nothing but bash and coreutils: Debian bookworm packages no
// WebSocket client (no websocat; its curl has no ws://), but bash opens a TCP connection with
// /dev/tcp/HOST/PORT. The script writes the handshake, masks each frame itself (a fresh key per
// frame, RFC 6455 §5.3) and reads the server's frames byte by byte, so the student sees the
// protocol done by hand: what a library hides is on the screen.

/** One step after the handshake, in the script's own words. */
export type TerminalStep =
  | { send: 'text'; text: string }
  | { send: 'binary'; hex: string }
  /** read one frame and print it */
  | { read: 'frame' }
  /** print what the server says first, if anything (half a second for it) */
  | { read: 'greeting' }
  /** print every reply: up to the wait for the first, then until the server is quiet for 0.3 s */
  | { read: 'replies' }
  /** a shell fragment of the caller's (a loop over read_frame, say) */
  | { shell: string[] };

export interface TerminalWebSocket {
  path: string;
  subprotocols: string[];
  steps: TerminalStep[];
  /** seconds to wait for each frame the script reads */
  waitSeconds: number;
}

const SANDBOX_HEADER = 'x-wirelab-sandbox';

const noTls: Bilingual = {
  en: 'This page is served over HTTPS, and bash’s /dev/tcp cannot speak TLS: use Python, Go or JavaScript for wss://.',
  ru: 'Страница открыта по HTTPS, а /dev/tcp в bash не умеет TLS: для wss:// возьмите Python, Go или JavaScript.',
};

// The functions the script defines: writing a masked frame and reading one, with what they do in
// the page's language.
function frameFunctions(ru: boolean): string[] {
  return [
    ru
      ? 'send_frame() {  # $1 — opcode (1 текст, 2 байты, 8 закрытие, 10 pong), $2 — полезная нагрузка в hex'
      : 'send_frame() {  # $1 the opcode (1 text, 2 binary, 8 close, 10 pong), $2 the payload in hex',
    '  local opcode=$1 payload=$2 length=$(( ${#2} / 2 )) mask frame i hex more=',
    ru
      ? "  mask=$(od -A n -t x1 -N 4 /dev/urandom | tr -d ' \\n')  # новый ключ маски для каждого кадра (RFC 6455 §5.3)"
      : "  mask=$(od -A n -t x1 -N 4 /dev/urandom | tr -d ' \\n')  # a fresh masking key for every frame (RFC 6455 §5.3)",
    ru ? "  printf -v frame '%02x' $(( 0x80 | opcode ))  # FIN и opcode" : "  printf -v frame '%02x' $(( 0x80 | opcode ))  # FIN and the opcode",
    ru
      ? "  if (( length < 126 )); then printf -v hex '%02x' $(( 0x80 | length ))  # бит MASK и длина"
      : "  if (( length < 126 )); then printf -v hex '%02x' $(( 0x80 | length ))  # the MASK bit and the length",
    ru
      ? '  else printf -v hex \'fe%04x\' "$length"; fi  # 126: длина в следующих двух байтах'
      : '  else printf -v hex \'fe%04x\' "$length"; fi  # 126: the length in the next two bytes',
    '  frame+=$hex$mask',
    ru
      ? '  for (( i = 0; i < length; i++ )); do  # каждый байт XOR байт ключа номер i mod 4'
      : '  for (( i = 0; i < length; i++ )); do  # each byte XOR the key’s byte i mod 4',
    "    printf -v hex '%02x' $(( 0x${payload:i*2:2} ^ 0x${mask:(i%4)*2:2} ))",
    '    frame+=$hex',
    '  done',
    "  (( ${#frame} > 64 )) && more='... '",
    '  echo "-> $(sed \'s/../& /g\' <<< "${frame:0:64}")$more($(( ${#frame} / 2 )) B)"',
    '  printf \'%b\' "$(sed \'s/../\\\\x&/g\' <<< "$frame")" >&3',
    '}',
    ru
      ? 'send_text() { send_frame 1 "$(printf \'%s\' "$1" | od -A n -t x1 -v | tr -d \' \\n\')"; }  # текст в UTF-8'
      : 'send_text() { send_frame 1 "$(printf \'%s\' "$1" | od -A n -t x1 -v | tr -d \' \\n\')"; }  # text, as UTF-8',
    '',
    ru
      ? 'read_frame() {  # один кадр сервера (сервер не маскирует): печатает его; неудача, если кадра нет ($1=silent: молча)'
      : 'read_frame() {  # one frame from the server (a server never masks): prints it; fails when none came ($1=silent: quietly)',
    '  local b0 b1 length opcode',
    '  read -r b0 b1 < <(timeout "$WAIT" dd bs=1 count=2 status=none <&3 | od -A n -t u1)',
    ru
      ? '  if [ -z "$b1" ]; then [ -n "$1" ] || echo "<- (ни одного кадра за $WAIT с)"; return 1; fi'
      : '  if [ -z "$b1" ]; then [ -n "$1" ] || echo "<- (no frame within $WAIT s)"; return 1; fi',
    '  opcode=$(( b0 & 15 )) length=$(( b1 & 127 ))',
    '  if (( length == 126 )); then read -r b0 b1 < <(dd bs=1 count=2 status=none <&3 | od -A n -t u1); length=$(( b0 * 256 + b1 )); fi',
    '  FRAME=$(dd bs=1 count="$length" status=none <&3 | od -A n -t x1 -v | tr -d \' \\n\') TEXT=',
    '  case $opcode in',
    ru
      ? '    1) TEXT=$(printf \'%b\' "$(sed \'s/../\\\\x&/g\' <<< "$FRAME")"); echo "<- текст: $TEXT" ;;'
      : '    1) TEXT=$(printf \'%b\' "$(sed \'s/../\\\\x&/g\' <<< "$FRAME")"); echo "<- text: $TEXT" ;;',
    ru ? '    2) echo "<- байты: $FRAME" ;;' : '    2) echo "<- binary: $FRAME" ;;',
    ru ? '    8) echo "<- закрытие, код $(( 0x${FRAME:0:4} ))"; return 1 ;;' : '    8) echo "<- close, code $(( 0x${FRAME:0:4} ))"; return 1 ;;',
    ru
      ? '    9) echo "<- ping"; send_frame 10 "$FRAME" ;;  # на ping отвечают pong с той же нагрузкой'
      : '    9) echo "<- ping"; send_frame 10 "$FRAME" ;;  # a ping is answered by a pong with its payload',
    ru ? '    *) echo "<- opcode $opcode: $FRAME" ;;' : '    *) echo "<- opcode $opcode: $FRAME" ;;',
    '  esac',
    '}',
    ru
      ? 'replies() {  # всё, что шлёт сервер: до $1 с ждём первый кадр, потом — пока он не замолчит на 0,3 с'
      : 'replies() {  # what the server sends: up to $1 s for the first frame, then until it is quiet for 0.3 s',
    '  local WAIT=$1',
    '  read_frame $2 || return 0',
    '  WAIT=0.3',
    '  while read_frame silent; do :; done',
    '}',
  ];
}

function stepLines(step: TerminalStep, ru: boolean): string[] {
  if ('send' in step) {
    return step.send === 'text' ? [`send_text ${shellQuote(step.text)}`] : [`send_frame 2 ${step.hex.replace(/\s+/g, '') || "''"}`];
  }
  if ('read' in step) {
    if (step.read === 'greeting')
      return [`replies 0.5 silent  # ${ru ? 'что сервер говорит первым, если говорит' : 'what the server says first, if anything'}`];
    return [step.read === 'replies' ? 'replies "$WAIT"' : 'read_frame'];
  }
  return step.shell;
}

/** The bash script of one WebSocket: handshake, the steps, a close 1000 answered by the server's close. */
export function terminalWebSocket(socket: TerminalWebSocket, target: AsCodeTarget): AsCodeResult {
  const { host, port, secure } = hostPort(target.origin);
  if (secure) return { language: 'terminal', unsupported: noTls };
  const ru = target.lang === 'ru';
  // one argument a line: printf repeats its format for each, and the last, empty, ends the head
  const headers = [
    shellQuote(`GET ${socket.path} HTTP/1.1`),
    shellQuote(`Host: ${host}:${port}`),
    "'Upgrade: websocket' 'Connection: Upgrade'",
    '"Sec-WebSocket-Key: $KEY"',
    "'Sec-WebSocket-Version: 13'",
    ...(socket.subprotocols.length > 0 ? [shellQuote(`Sec-WebSocket-Protocol: ${socket.subprotocols.join(', ')}`)] : []),
    `"${SANDBOX_HEADER}: $TOKEN"`,
    "''",
  ];
  const code = [
    ru ? '( # bash: /dev/tcp открывает TCP-соединение, кадры собираются вручную' : '( # bash: /dev/tcp opens the TCP connection, the frames are made by hand',
    `TOKEN=${shellQuote(target.token)}  # ${tokenComment(target.lang)}`,
    `WAIT=${socket.waitSeconds}  # ${ru ? 'сколько секунд ждать каждого кадра' : 'seconds to wait for each frame'}`,
    `exec 3<>/dev/tcp/${host}/${port} || exit 1`,
    '',
    ...frameFunctions(ru),
    '',
    ru
      ? 'KEY=$(head -c 16 /dev/urandom | base64)  # 16 случайных байт в base64 (RFC 6455 §4.1)'
      : 'KEY=$(head -c 16 /dev/urandom | base64)  # 16 random bytes in base64 (RFC 6455 §4.1)',
    `printf '%s\\r\\n' ${headers.join(' ')} >&3`,
    ru
      ? '# ответ на рукопожатие, строка за строкой до пустой; кадры — только после него'
      : '# the handshake’s answer, line by line up to the empty one; frames only after it',
    `while IFS= read -r line <&3; do line=\${line%$'\\r'}; [ -z "$line" ] && break; echo "<- $line"; done`,
    ...socket.steps.flatMap((step) => stepLines(step, ru)),
    ru ? 'send_frame 8 03e8  # закрытие, код 1000 («нормальное»)' : 'send_frame 8 03e8  # close, code 1000 (normal)',
    ru ? 'while read_frame; do :; done  # до закрывающего кадра сервера' : 'while read_frame; do :; done  # up to the server’s close frame',
    'exec 3<&-',
    ')',
  ].join('\n');
  return {
    language: 'terminal',
    tool: 'bash /dev/tcp',
    code,
    fileName: null,
    install: ru
      ? 'ничего: bash и coreutils (od, dd, timeout, base64) есть в любом Debian'
      : 'nothing: bash and coreutils (od, dd, timeout, base64) come with every Debian',
    run: null,
    notes: [
      {
        en: 'Paste it into bash (not zsh or sh: /dev/tcp is bash’s). Each frame is printed as it goes out, key and all: this is what a WebSocket library does for you.',
        ru: 'Вставьте в bash (не в zsh или sh: /dev/tcp есть только в bash). Каждый кадр печатается при отправке вместе с ключом маски: это то, что делает за вас библиотека WebSocket.',
      },
    ],
  };
}
