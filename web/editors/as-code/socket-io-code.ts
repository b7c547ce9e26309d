import type { AsCodeResult, GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import type { AsCodeLanguage } from './languages.ts';
import { literal } from './quote.ts';
import type { AsCodeTarget, SocketIoSpec } from './spec.ts';
import { socketIoAsCurl, socketIoAsGo } from './socket-io-by-hand.ts';

// One Socket.IO client as the console connects: the namespace, `auth`, the transports in the
// console's order (polling first, then the upgrade, or WebSocket alone), the token header on
// every request; then each emit in turn (with ack: wait for the answer, at most 10 s as the
// console does), then disconnect. A refused connection (CONNECT_ERROR) is printed, nothing emitted.

const SANDBOX_HEADER = 'x-wirelab-sandbox';
/** The console's wait for an ack (ACK_TIMEOUT_MS of socket-io/use-socket-io.ts), in seconds. */
const ACK_SECONDS = 10;

export function socketIoAsCode(spec: SocketIoSpec, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  switch (language) {
    case 'python':
      return socketIoAsPython(spec, target);
    case 'javascript':
      return socketIoAsNode(spec, target);
    case 'terminal':
      return socketIoAsCurl(spec, target);
    case 'go':
      return socketIoAsGo(spec, target);
  }
}

function socketIoAsPython(spec: SocketIoSpec, target: AsCodeTarget): GeneratedCode {
  const emits = spec.emits.flatMap((emit) =>
    emit.ack
      ? [
          `    reply = await sio.call(${literal(emit.event)}, tuple(json.loads(${literal(JSON.stringify(emit.args))})), namespace=NAMESPACE, timeout=${ACK_SECONDS})`,
          `    print("ack ${emit.event.replace(/["\\]/g, '')}:", reply)`,
        ]
      : [`    await sio.emit(${literal(emit.event)}, tuple(json.loads(${literal(JSON.stringify(emit.args))})), namespace=NAMESPACE)`],
  );
  const code = [
    'import asyncio',
    'import json',
    '',
    'import socketio',
    '',
    `TOKEN = ${literal(target.token)}  # ${tokenComment(target.lang)}`,
    `NAMESPACE = ${literal(spec.namespace)}`,
    '',
    '',
    'async def main():',
    '    sio = socketio.AsyncClient(reconnection=False)',
    '    try:',
    '        await sio.connect(',
    `            ${literal(target.origin)},`,
    `            headers={${literal(SANDBOX_HEADER)}: TOKEN},`,
    `            auth=json.loads(${literal(JSON.stringify(spec.auth))}),`,
    `            transports=[${spec.transports.map(literal).join(', ')}],`,
    '            namespaces=[NAMESPACE],',
    '            wait_timeout=10,',
    '        )',
    '    except socketio.exceptions.ConnectionError as refused:',
    '        print("refused:", refused)',
    '        return',
    '    print("connected, transport:", sio.transport())',
    ...emits,
    '    await sio.sleep(0.2)  # disconnect() drops what is still queued: let the last emit go out',
    '    await sio.disconnect()',
    '',
    '',
    'asyncio.run(main())',
    '',
  ].join('\n');
  return {
    language: 'python',
    tool: 'python-socketio (AsyncClient)',
    code,
    fileName: 'socketio_client.py',
    install: 'sudo apt install python3-socketio python3-aiohttp   # or: pip install "python-socketio[asyncio_client]"',
    run: 'python3 socketio_client.py',
    notes: [
      {
        en: 'python-socketio 5.7 closes the WebSocket before its DISCONNECT packet goes out: the server sees the transport close, where the console sends DISCONNECT first.',
        ru: 'python-socketio 5.7 закрывает WebSocket раньше, чем уходит его пакет DISCONNECT: сервер видит закрытие транспорта, а консоль сначала отправляет DISCONNECT.',
      },
    ],
  };
}

function socketIoAsNode(spec: SocketIoSpec, target: AsCodeTarget): GeneratedCode {
  const args = (values: unknown[]) => values.map((value) => `, ${JSON.stringify(value)}`).join('');
  const emits = spec.emits.map((emit) =>
    emit.ack
      ? `  console.log("ack ${emit.event.replace(/["\\`$]/g, '')}:", await socket.timeout(${ACK_SECONDS * 1000}).emitWithAck(${literal(emit.event)}${args(emit.args)}));`
      : `  socket.emit(${literal(emit.event)}${args(emit.args)});`,
  );
  const code = [
    'import { io } from "socket.io-client";',
    '',
    `const TOKEN = ${literal(target.token)}; // ${tokenComment(target.lang)}`,
    '',
    `const socket = io(${literal(new URL(spec.namespace, target.origin).href)}, {`,
    `  auth: ${JSON.stringify(spec.auth)},`,
    `  transports: [${spec.transports.map(literal).join(', ')}],`,
    `  extraHeaders: { ${literal(SANDBOX_HEADER)}: TOKEN }, // Node sends them on polling and on the WebSocket alike`,
    '  reconnection: false,',
    '});',
    'try {',
    '  await new Promise((resolve, reject) => {',
    '    socket.once("connect", resolve);',
    '    socket.once("connect_error", reject);',
    '  });',
    '  console.log("connected, transport:", socket.io.engine.transport.name);',
    ...emits,
    '} catch (error) {',
    '  console.log("refused or no answer:", error.message);',
    '} finally {',
    '  socket.disconnect();',
    '}',
    '',
  ].join('\n');
  return {
    language: 'javascript',
    tool: 'socket.io-client',
    code,
    fileName: 'socketio-client.mjs',
    install: 'npm install socket.io-client',
    run: 'node socketio-client.mjs',
    notes: [],
  };
}
