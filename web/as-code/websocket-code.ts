import type { AsCodeResult, GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import type { AsCodeLanguage } from './languages.ts';
import { literal, wsOrigin } from './quote.ts';
import type { AsCodeTarget, WebSocketMessage, WebSocketSpec } from './spec.ts';
import { terminalWebSocket, type TerminalStep } from './websocket-terminal.ts';

// One WebSocket: the handshake with the cell's subprotocols and the token, each of the cell's
// messages (text, or bytes given in hex) with the reply that follows it, then a close 1000.
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
          steps: spec.messages.flatMap((message): TerminalStep[] => [isText(message) ? { send: 'text', text: message.text } : { send: 'binary', hex: hexOf(message) }, { read: 'frame' }]),
          waitSeconds: 2,
        },
        target,
      );
  }
}

function webSocketAsPython(spec: WebSocketSpec, target: AsCodeTarget): GeneratedCode {
  const sends = spec.messages.flatMap((message) => [
    `            await socket.send(${isText(message) ? literal(message.text) : `bytes.fromhex(${literal(hexOf(message))})`})`,
    '            await show_reply(socket)',
  ]);
  const code = [
    'import asyncio',
    '',
    'import websockets',
    '',
    `TOKEN = ${literal(target.token)}  # ${tokenComment(target.lang)}`,
    '',
    '',
    'async def show_reply(socket):',
    '    try:',
    '        reply = await asyncio.wait_for(socket.recv(), timeout=2)',
    '        print("<-", reply.hex(" ") if isinstance(reply, bytes) else reply)',
    '    except asyncio.TimeoutError:',
    '        print("(no reply within 2 s)")',
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
    'package main',
    '',
    'import (',
    ...(usesHex ? ['\t"encoding/hex"'] : []),
    '\t"fmt"',
    '\t"net/http"',
    '\t"time"',
    '',
    '\t"github.com/gorilla/websocket"',
    ')',
    '',
    'func main() {',
    `\ttoken := ${literal(target.token)} // ${tokenComment(target.lang)}`,
    `\tdialer := websocket.Dialer{Subprotocols: []string{${spec.subprotocols.map(literal).join(', ')}}}`,
    '\theader := http.Header{}',
    `\theader.Set(${literal(SANDBOX_HEADER)}, token)`,
    `\tsocket, _, err := dialer.Dial(${literal(wsOrigin(target.origin) + spec.target)}, header)`,
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tdefer socket.Close()',
    '\tfmt.Println("subprotocol:", socket.Subprotocol())',
    '\tsend := func(kind int, data []byte) bool {',
    '\t\tif err := socket.WriteMessage(kind, data); err != nil {',
    '\t\t\tfmt.Println("not sent:", err)',
    '\t\t\treturn false',
    '\t\t}',
    '\t\tsocket.SetReadDeadline(time.Now().Add(2 * time.Second))',
    '\t\tif _, reply, err := socket.ReadMessage(); err == nil {',
    '\t\t\tfmt.Printf("<- %q\\n", reply)',
    '\t\t} else {',
    '\t\t\tfmt.Println("(no reply)", err)',
    '\t\t}',
    '\t\treturn true',
    '\t}',
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
    'await nextReply();',
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
    'let replied = () => {};',
    'socket.on("message", (data, isBinary) => {',
    '  console.log("<-", isBinary ? data.toString("hex") : data.toString());',
    '  replied();',
    '});',
    '/** Waits for the next message, at most 2 s. */',
    'const nextReply = () => new Promise((resolve) => { const timer = setTimeout(resolve, 2000); replied = () => { clearTimeout(timer); resolve(); }; });',
    'await new Promise((resolve, reject) => { socket.once("open", resolve); socket.once("error", reject); });',
    'console.log("subprotocol:", socket.protocol);',
    ...sends,
    'socket.close(1000);',
    'await new Promise((resolve) => socket.once("close", resolve));',
    '',
  ].join('\n');
  return { language: 'javascript', tool: 'ws', code, fileName: 'socket.mjs', install: 'npm install ws', run: 'node socket.mjs', notes: [] };
}
