import { tokenComment } from './generated.ts';
import { literal } from './quote.ts';
import type { AsCodeTarget } from './spec.ts';

// The opening every Go WebSocket program shares (a cell's WebSocket, a GraphQL subscription,
// Socket.IO by hand): the package and its imports, main, the student's token, the dial with the
// subprotocols and the sandbox header, a panic when it fails, and the close when main returns.

const SANDBOX_HEADER = 'x-wirelab-sandbox';

export interface GoWebSocketOpening {
  /** the program's own standard imports besides fmt and net/http, e.g. "time" */
  imports: string[];
  url: string;
  subprotocols: string[];
  target: AsCodeTarget;
  /** lines of main before the dial (a constant the program reads, say) */
  before?: string[];
}

export function goWebSocketOpening({ imports, url, subprotocols, target, before = [] }: GoWebSocketOpening): string[] {
  // gofmt's order: the standard library sorted, then the rest
  const standard = [...new Set(['fmt', 'net/http', ...imports])].sort();
  return [
    'package main',
    '',
    'import (',
    ...standard.map((name) => `\t"${name}"`),
    '',
    '\t"github.com/gorilla/websocket"',
    ')',
    '',
    'func main() {',
    `\ttoken := ${literal(target.token)} // ${tokenComment(target.lang)}`,
    ...before,
    `\tdialer := websocket.Dialer{Subprotocols: []string{${subprotocols.map(literal).join(', ')}}}`,
    '\theader := http.Header{}',
    `\theader.Set(${literal(SANDBOX_HEADER)}, token)`,
    `\tsocket, _, err := dialer.Dial(${literal(url)}, header)`,
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tdefer socket.Close()',
  ];
}
