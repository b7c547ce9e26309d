import type { Bilingual } from '../../../shared/bilingual.ts';
import type { AsCodeResult, GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import type { AsCodeLanguage } from './languages.ts';
import { indentTail, literal, wsOrigin } from './quote.ts';
import type { AsCodeTarget, GraphqlWsSpec } from './spec.ts';
import { terminalWebSocket } from './websocket-terminal.ts';
import { goWebSocketOpening } from './go-websocket.ts';

// One GraphQL subscription over graphql-transport-ws at /graphql: connection_init, wait for
// connection_ack, subscribe (id "1", the cell's document, variables and operation name), print
// each `next` until `events` came, then complete and close 1000. A minute at most: the events
// are the sandbox's changes, and a quiet sandbox sends none.

const SANDBOX_HEADER = 'x-wirelab-sandbox';
const PATH = '/graphql';
const SUBPROTOCOL = 'graphql-transport-ws';
/** The longest a program waits for events, in seconds. */
export const SUBSCRIPTION_SECONDS = 60;

const quietNote = (events: number): Bilingual => ({
  en: `The program stops after ${events} events or ${SUBSCRIPTION_SECONDS} s: an event is a change in your sandbox, so make one (the lesson's createPost mutation, say) while it runs.`,
  ru: `Программа останавливается после ${events} событий или через ${SUBSCRIPTION_SECONDS} с: событие — это изменение в вашей песочнице, так что, пока она работает, сделайте его (например, мутацией createPost из урока).`,
});

function subscribeMessage(spec: GraphqlWsSpec): string {
  const payload: Record<string, unknown> = { query: spec.query, variables: spec.variables };
  if (spec.operationName) payload.operationName = spec.operationName;
  return JSON.stringify({ id: '1', type: 'subscribe', payload }, null, 2);
}

export function graphqlSubscriptionAsCode(spec: GraphqlWsSpec, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  const url = wsOrigin(target.origin) + PATH;
  switch (language) {
    case 'python':
      return subscriptionAsPython(spec, url, target);
    case 'go':
      return subscriptionAsGo(spec, url, target);
    case 'javascript':
      return subscriptionAsNode(spec, url, target);
    case 'terminal':
      return subscriptionAsBash(spec, target);
  }
}

// The terminal's subscription: the same messages, with bash writing each frame (websocket-terminal.ts);
// a graphql-transport-ws ping is answered with a pong, and only `next` counts as an event.
function subscriptionAsBash(spec: GraphqlWsSpec, target: AsCodeTarget): AsCodeResult {
  const ru = target.lang === 'ru';
  const result = terminalWebSocket(
    {
      path: PATH,
      subprotocols: [SUBPROTOCOL],
      waitSeconds: SUBSCRIPTION_SECONDS,
      steps: [
        { send: 'text', text: JSON.stringify({ type: 'connection_init', payload: {} }) },
        { read: 'frame' },
        { send: 'text', text: subscribeMessage(spec) },
        {
          shell: [
            `EVENTS=${spec.events} seen=0 deadline=$(( SECONDS + ${SUBSCRIPTION_SECONDS} ))  # ${ru ? 'событий до остановки; не дольше минуты' : 'events to read before stopping; a minute at most'}`,
            'while (( seen < EVENTS )) && WAIT=$(( deadline - SECONDS )) && (( WAIT > 0 )) && read_frame; do',
            '  case $TEXT in',
            `    *'"type":"ping"'*) send_text '{"type":"pong"}' ;;`,
            `    *'"type":"next"'*) seen=$(( seen + 1 )) ;;`,
            `    *'"type":"error"'*|*'"type":"complete"'*) break ;;`,
            '  esac',
            'done',
            'WAIT=2',
          ],
        },
        { send: 'text', text: JSON.stringify({ id: '1', type: 'complete' }) },
      ],
    },
    target,
  );
  return 'code' in result ? { ...result, notes: [quietNote(spec.events), ...result.notes] } : result;
}

function subscriptionAsPython(spec: GraphqlWsSpec, url: string, target: AsCodeTarget): GeneratedCode {
  const code = [
    'import asyncio',
    'import json',
    '',
    'import websockets',
    '',
    `TOKEN = ${literal(target.token)}  # ${tokenComment(target.lang)}`,
    `EVENTS = ${spec.events}  # events to read before stopping`,
    `SUBSCRIBE = json.loads(${literal(subscribeMessage(spec))})`,
    '',
    '',
    'async def main():',
    '    async with websockets.connect(',
    `        ${literal(url)},`,
    `        subprotocols=[${literal(SUBPROTOCOL)}],`,
    `        extra_headers={${literal(SANDBOX_HEADER)}: TOKEN},`,
    '        compression=None,',
    '    ) as socket:',
    '        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))',
    '        print("<-", await socket.recv())  # connection_ack',
    '        await socket.send(json.dumps(SUBSCRIBE))',
    '        seen = 0',
    '        while seen < EVENTS:',
    '            message = json.loads(await socket.recv())',
    '            print("<-", json.dumps(message, ensure_ascii=False))',
    '            if message["type"] == "ping":',
    '                await socket.send(json.dumps({"type": "pong"}))',
    '            elif message["type"] == "next":',
    '                seen += 1',
    '            elif message["type"] in ("error", "complete"):',
    '                return',
    '        await socket.send(json.dumps({"id": "1", "type": "complete"}))',
    '',
    '',
    'try:',
    `    asyncio.run(asyncio.wait_for(main(), timeout=${SUBSCRIPTION_SECONDS}))`,
    'except asyncio.TimeoutError:',
    `    print("no more events in ${SUBSCRIPTION_SECONDS} s")`,
    '',
  ].join('\n');
  return {
    language: 'python',
    tool: 'websockets (graphql-transport-ws)',
    code,
    fileName: 'subscription.py',
    install: 'sudo apt install python3-websockets   # 10.x; from version 14 on, extra_headers is called additional_headers',
    run: 'python3 subscription.py',
    notes: [quietNote(spec.events)],
  };
}

function subscriptionAsGo(spec: GraphqlWsSpec, url: string, target: AsCodeTarget): GeneratedCode {
  const code = [
    ...goWebSocketOpening({
      imports: ['encoding/json', 'time'],
      url,
      subprotocols: [SUBPROTOCOL],
      target,
      before: [`\tevents := ${spec.events} // events to read before stopping`],
    }),
    `\tsocket.SetReadDeadline(time.Now().Add(${SUBSCRIPTION_SECONDS} * time.Second))`,
    '\tsocket.WriteMessage(websocket.TextMessage, []byte(`{"type":"connection_init","payload":{}}`))',
    '\tif _, ack, err := socket.ReadMessage(); err == nil {',
    '\t\tfmt.Println("<-", string(ack)) // connection_ack',
    '\t}',
    `\tsubscribe := ${literal(subscribeMessage(spec))}`,
    '\tsocket.WriteMessage(websocket.TextMessage, []byte(subscribe))',
    '\tfor seen := 0; seen < events; {',
    '\t\t_, data, err := socket.ReadMessage()',
    '\t\tif err != nil {',
    '\t\t\tfmt.Println("stopped:", err)',
    '\t\t\treturn',
    '\t\t}',
    '\t\tfmt.Println("<-", string(data))',
    '\t\tvar message struct{ Type string }',
    '\t\tjson.Unmarshal(data, &message)',
    '\t\tswitch message.Type {',
    '\t\tcase "ping":',
    '\t\t\tsocket.WriteMessage(websocket.TextMessage, []byte(`{"type":"pong"}`))',
    '\t\tcase "next":',
    '\t\t\tseen++',
    '\t\tcase "error", "complete":',
    '\t\t\treturn',
    '\t\t}',
    '\t}',
    '\tsocket.WriteMessage(websocket.TextMessage, []byte(`{"id":"1","type":"complete"}`))',
    '\tsocket.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))',
    '}',
    '',
  ].join('\n');
  return {
    language: 'go',
    tool: 'gorilla/websocket (graphql-transport-ws)',
    code,
    fileName: 'subscription.go',
    install: 'sudo apt install golang golang-github-gorilla-websocket-dev   # or: go get github.com/gorilla/websocket',
    run: 'GO111MODULE=off GOPATH=/usr/share/gocode go run subscription.go',
    notes: [quietNote(spec.events)],
  };
}

function subscriptionAsNode(spec: GraphqlWsSpec, url: string, target: AsCodeTarget): GeneratedCode {
  const payload: Record<string, unknown> = { query: spec.query, variables: spec.variables };
  if (spec.operationName) payload.operationName = spec.operationName;
  const code = [
    'import { createClient } from "graphql-ws";',
    'import WebSocket from "ws";',
    '',
    `const TOKEN = ${literal(target.token)}; // ${tokenComment(target.lang)}`,
    `const EVENTS = ${spec.events}; // events to read before stopping`,
    '',
    'const client = createClient({',
    `  url: ${literal(url)},`,
    '  // ws, not the global WebSocket: a browser-style WebSocket cannot send a header',
    '  webSocketImpl: class extends WebSocket {',
    `    constructor(address, protocols) { super(address, protocols, { headers: { ${literal(SANDBOX_HEADER)}: TOKEN }, perMessageDeflate: false }); }`,
    '  },',
    '  lazy: true,',
    '  retryAttempts: 0,',
    '});',
    `const subscription = client.iterate(${indentTail(JSON.stringify(payload, null, 2), 0)});`,
    `const timer = setTimeout(() => subscription.return(), ${SUBSCRIPTION_SECONDS * 1000});`,
    'let seen = 0;',
    'for await (const result of subscription) {',
    '  console.log("<-", JSON.stringify(result));',
    '  if (++seen === EVENTS) break; // break sends complete',
    '}',
    'clearTimeout(timer);',
    'await client.dispose();',
    '',
  ].join('\n');
  return {
    language: 'javascript',
    tool: 'graphql-ws + ws',
    code,
    fileName: 'subscription.mjs',
    install: 'npm install graphql-ws ws',
    run: 'node subscription.mjs',
    notes: [quietNote(spec.events)],
  };
}
