import type { AsCodeResult, GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import type { AsCodeLanguage } from './languages.ts';
import { literal, wsOrigin } from './quote.ts';
import type { AsCodeTarget, WebSocketMessage, WebSocketSpec } from './spec.ts';
import { terminalWebSocket, type TerminalStep } from './websocket-terminal.ts';
import { goWebSocketOpening } from './go-websocket.ts';

// One WebSocket: the handshake with the cell's subprotocols and the token, what the server says
// first (a greeting, as Engine.IO's open packet: half a second to come), then each of the cell's
// messages (text, or bytes given in hex) and every reply that follows it (up to 2 s for the
// first, then until the server is quiet for 0.3 s: a message may get several, and the next one
// must not go before them — Socket.IO drops a connection whose EVENT comes before its CONNECT is
// answered), then a close 1000.
// Compression is off, so the inspector shows each frame's payload as typed (a browser may
// negotiate permessage-deflate; the frames then carry compressed bytes).

const SANDBOX_HEADER = 'x-wirelab-sandbox';
const hexOf = (message: { hex: string }) => message.hex.replace(/\s+/g, '');
const isText = (message: WebSocketMessage): message is { text: string } => 'text' in message;

export function webSocketAsCode(spec: WebSocketSpec, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  switch (language) {
    case 'python':
      return webSocketAsPython(spec, target);
    case 'go':
      return webSocketAsGo(spec, target);
    case 'javascript':
      return webSocketAsNode(spec, target);
    case 'terminal':
      return terminalWebSocket(
        {
          path: spec.target,
          subprotocols: spec.subprotocols,
          steps: [
            { read: 'greeting' },
            ...spec.messages.flatMap((message): TerminalStep[] => [
              isText(message) ? { send: 'text', text: message.text } : { send: 'binary', hex: hexOf(message) },
              { read: 'replies' },
            ]),
          ],
          waitSeconds: 2,
        },
        target,
      );
  }
}

function webSocketAsPython(spec: WebSocketSpec, target: AsCodeTarget): GeneratedCode {
  const sends = spec.messages.flatMap((message) => [
    `            await socket.send(${isText(message) ? literal(message.text) : `bytes.fromhex(${literal(hexOf(message))})`})`,
    '            await show_replies(socket)',
  ]);
  const code = [
    'import asyncio',
    '',
    'import websockets',
    '',
    `TOKEN = ${literal(target.token)}  # ${tokenComment(target.lang)}`,
    '',
    '',
    'async def show_replies(socket, first=2.0):',
    '    """Prints what the server sends: up to `first` s for a message, then until it is quiet for 0.3 s."""',
    '    wait = first',
    '    while True:',
    '        try:',
    '            reply = await asyncio.wait_for(socket.recv(), timeout=wait)',
    '        except asyncio.TimeoutError:',
    '            if wait == first and first >= 1:',
    '                print(f"(no reply within {first:g} s)")',
    '            return',
    '        print("<-", reply.hex(" ") if isinstance(reply, bytes) else reply)',
    '        wait = 0.3',
    '',
    '',
    'async def main():',
    '    async with websockets.connect(',
    `        ${literal(wsOrigin(target.origin) + spec.target)},`,
    ...(spec.subprotocols.length > 0 ? [`        subprotocols=[${spec.subprotocols.map(literal).join(', ')}],`] : []),
    `        extra_headers={${literal(SANDBOX_HEADER)}: TOKEN},`,
    '        compression=None,',
    '    ) as socket:',
    '        print("subprotocol:", socket.subprotocol)',
    '        try:',
    '            await show_replies(socket, first=0.5)  # what the server says first, if anything',
    ...sends,
    '        except websockets.ConnectionClosed as closed:',
    '            print("the server closed the connection:", closed.rcvd)',
    '',
    '',
    'asyncio.run(main())',
    '',
  ].join('\n');
  return {
    language: 'python',
    tool: 'websockets',
    code,
    fileName: 'socket.py',
    install: 'sudo apt install python3-websockets   # 10.x; from version 14 on, extra_headers is called additional_headers',
    run: 'python3 socket.py',
    notes: [],
  };
}

function webSocketAsGo(spec: WebSocketSpec, target: AsCodeTarget): GeneratedCode {
  const usesHex = spec.messages.some((message) => !isText(message));
  const sends = spec.messages.flatMap((message) =>
    isText(message)
      ? [`\tif !send(websocket.TextMessage, []byte(${literal(message.text)})) {`, '\t\treturn', '\t}']
      : [`\tpayload, _ = hex.DecodeString(${literal(hexOf(message))})`, '\tif !send(websocket.BinaryMessage, payload) {', '\t\treturn', '\t}'],
  );
  const code = [
    ...goWebSocketOpening({
      imports: [...(usesHex ? ['encoding/hex'] : []), 'time'],
      url: wsOrigin(target.origin) + spec.target,
      subprotocols: spec.subprotocols,
      target,
    }),
    '\tfmt.Println("subprotocol:", socket.Subprotocol())',
    "\t// one reader: a read that timed out would leave gorilla/websocket's connection unusable, so waits are on the channel",
    '\tmessages := make(chan []byte)',
    '\tgo func() {',
    '\t\tdefer close(messages)',
    '\t\tfor {',
    '\t\t\tkind, data, err := socket.ReadMessage()',
    '\t\t\tif err != nil {',
    '\t\t\t\tfmt.Println("the connection ended:", err)',
    '\t\t\t\treturn',
    '\t\t\t}',
    '\t\t\tif kind == websocket.BinaryMessage {',
    '\t\t\t\tdata = []byte(fmt.Sprintf("% x", data))',
    '\t\t\t}',
    '\t\t\tmessages <- data',
    '\t\t}',
    '\t}()',
    '\t// what the server sends: up to first for a message, then until it is quiet for 0.3 s',
    '\treplies := func(first time.Duration) bool {',
    '\t\twait := first',
    '\t\tfor {',
    '\t\t\tselect {',
    '\t\t\tcase data, open := <-messages:',
    '\t\t\t\tif !open {',
    '\t\t\t\t\treturn false',
    '\t\t\t\t}',
    '\t\t\t\tfmt.Printf("<- %s\\n", data)',
    '\t\t\t\twait = 300 * time.Millisecond',
    '\t\t\tcase <-time.After(wait):',
    '\t\t\t\tif wait == first && first >= time.Second {',
    '\t\t\t\t\tfmt.Println("(no reply within", first, ")")',
    '\t\t\t\t}',
    '\t\t\t\treturn true',
    '\t\t\t}',
    '\t\t}',
    '\t}',
    '\tsend := func(kind int, data []byte) bool {',
    '\t\tif err := socket.WriteMessage(kind, data); err != nil {',
    '\t\t\tfmt.Println("not sent:", err)',
    '\t\t\treturn false',
    '\t\t}',
    '\t\treturn replies(2 * time.Second)',
    '\t}',
    '\treplies(500 * time.Millisecond) // what the server says first, if anything',
    ...(usesHex ? ['\tvar payload []byte'] : []),
    ...sends,
    '\tsocket.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))',
    '}',
    '',
  ].join('\n');
  return {
    language: 'go',
    tool: 'gorilla/websocket',
    code,
    fileName: 'socket.go',
    install: 'sudo apt install golang golang-github-gorilla-websocket-dev   # or: go get github.com/gorilla/websocket',
    run: 'GO111MODULE=off GOPATH=/usr/share/gocode go run socket.go',
    notes: [],
  };
}

function webSocketAsNode(spec: WebSocketSpec, target: AsCodeTarget): GeneratedCode {
  const sends = spec.messages.flatMap((message) => [
    `socket.send(${isText(message) ? literal(message.text) : `Buffer.from(${literal(hexOf(message))}, "hex")`});`,
    'await replies();',
  ]);
  const code = [
    'import WebSocket from "ws";',
    '',
    `const TOKEN = ${literal(target.token)}; // ${tokenComment(target.lang)}`,
    '',
    `const socket = new WebSocket(${literal(wsOrigin(target.origin) + spec.target)}, [${spec.subprotocols.map(literal).join(', ')}], {`,
    `  headers: { ${literal(SANDBOX_HEADER)}: TOKEN },`,
    '  perMessageDeflate: false,',
    '});',
    'let received = 0;',
    'let lastAt = 0;',
    'socket.on("message", (data, isBinary) => {',
    '  console.log("<-", isBinary ? data.toString("hex") : data.toString());',
    '  received += 1;',
    '  lastAt = Date.now();',
    '});',
    '/** Waits for what the server sends: up to `first` ms for a message, then until it is quiet for 300 ms. */',
    'async function replies(first = 2000) {',
    '  const before = received;',
    '  const start = Date.now();',
    '  for (;;) {',
    '    await new Promise((resolve) => setTimeout(resolve, 50));',
    '    if (received === before ? Date.now() - start >= first : Date.now() - lastAt >= 300) break;',
    '  }',
    '  if (received === before && first >= 1000) console.log(`(no reply within ${first / 1000} s)`);',
    '}',
    'await new Promise((resolve, reject) => { socket.once("open", resolve); socket.once("error", reject); });',
    'console.log("subprotocol:", socket.protocol);',
    'await replies(500); // what the server says first, if anything',
    ...sends,
    'socket.close(1000);',
    'await new Promise((resolve) => socket.once("close", resolve));',
    '',
  ].join('\n');
  return { language: 'javascript', tool: 'ws', code, fileName: 'socket.mjs', install: 'npm install ws', run: 'node socket.mjs', notes: [] };
}
