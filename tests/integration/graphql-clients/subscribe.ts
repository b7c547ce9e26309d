// A GraphQL subscriber in a process of its own, on the graphql-ws library's client (the
// graphql-transport-ws protocol) over the `ws` package. It prints one JSON line per message it
// gets ({"next": result} or {"error": errors} or {"complete": true}) and exits after --count
// results or on an error.
//
//   node --import tsx subscribe.ts --url ws://127.0.0.1:8080/graphql --query 'subscription { … }'
//        [--variables '{…}'] [--header 'x-wirelab-sandbox: id'] [--init '{…}'] [--count 1]
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    query: { type: 'string' },
    variables: { type: 'string', default: '{}' },
    header: { type: 'string', multiple: true, default: [] },
    init: { type: 'string' },
    count: { type: 'string', default: '1' },
  },
});
if (!values.url || !values.query) throw new Error('--url and --query are required');

const headers = Object.fromEntries(
  values.header.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  }),
);

/** graphql-ws constructs the socket itself; this subclass adds the upgrade request's headers. */
class WebSocketWithHeaders extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers });
  }
}

const print = (message: unknown): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

const client = createClient({
  url: values.url,
  webSocketImpl: WebSocketWithHeaders,
  lazy: false,
  retryAttempts: 0,
  connectionParams: values.init ? (JSON.parse(values.init) as Record<string, unknown>) : undefined,
  on: { connected: () => print({ connected: true }) },
});

const wanted = Number(values.count);
let received = 0;
let exitCode = 0;
try {
  for await (const result of client.iterate({ query: values.query, variables: JSON.parse(values.variables) as Record<string, unknown> })) {
    print({ next: result });
    received += 1;
    if (received >= wanted) break;
  }
  if (received < wanted) print({ complete: true });
} catch (error) {
  // graphql-ws rejects with the server's error list, or with a CloseEvent-like object.
  print({ error: Array.isArray(error) ? error : { message: String((error as { reason?: string }).reason ?? error) } });
  exitCode = 1;
}
await client.dispose();
process.exit(exitCode);
