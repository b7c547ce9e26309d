// A GraphQL cell's subscription aimed at "my server": the page's graphql-ws client connects to
// Wirelab's WebSocket relay with the student's /graphql as its path, and graphql-transport-ws runs
// end to end between that client and the student's server (the complete Python starter here):
// the subprotocol the starter chose, a userChanged event for a user made over HTTP, the bytes of
// Wirelab's connection to the starter in the asking session's captures, and a relay's fact when
// nothing listens.
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OWN_SERVER_WS_RELAY_PATH, readRelayFact, relayQuery } from '../../contracts/own-server/relays.ts';
import { decodedConnections } from './as-code-capture.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startPythonStarter, type RunningStarter } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;
let starter: RunningStarter;

beforeAll(async () => {
  [wirelab, starter] = await Promise.all([startServer({ ownServers: true }), startPythonStarter('graphql_server.py')]);
});
afterAll(async () => {
  starter?.stop();
  await wirelab?.close();
});

/** graphql-ws's client as the page runs it, on `ws` with the page's session cookie. */
function relayClient(session: string, target: string): { client: Client; protocols: string[]; closes: Array<{ code: number; reason: string }> } {
  const protocols: string[] = [];
  const closes: Array<{ code: number; reason: string }> = [];
  class PageWebSocket extends WebSocket {
    constructor(url: string, protocol?: string | string[]) {
      super(url, protocol, { headers: { cookie: `wirelab_session=${session}` } });
      this.once('open', () => protocols.push(this.protocol));
      this.once('close', (code, reason) => closes.push({ code, reason: reason.toString() }));
    }
  }
  const url = `ws://127.0.0.1:${wirelab.port}${OWN_SERVER_WS_RELAY_PATH}${relayQuery(target, '/graphql')}`;
  const client = createClient({ url, webSocketImpl: PageWebSocket, retryAttempts: 0, lazy: true });
  return { client, protocols, closes };
}

async function createUser(name: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${starter.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
      variables: { input: { name, email: `${name}@example.org` } },
    }),
  });
  expect(response.status).toBe(200);
}

describe('a GraphQL subscription aimed at my server', () => {
  it('runs graphql-transport-ws through the relay to the starter: its events arrive, its bytes are the asker’s', async () => {
    const session = await newSession(wirelab.origin);
    const capture = await CaptureClient.open(wirelab.origin, session);
    const { client, protocols } = relayClient(session, `127.0.0.1:${starter.port}`);
    const events: unknown[] = [];
    const failures: unknown[] = [];
    const stop = client.subscribe(
      { query: 'subscription { userChanged { kind user { name } } }' },
      { next: (value) => void events.push(value), error: (error) => void failures.push(error), complete: () => undefined },
    );
    try {
      // A subscription goes live a moment after its subscribe (no message says when): a user every
      // 1.5 s while none arrived, up to three, any one's event taken within 5 s of the first user
      // (each user 1.5 s at least), as the own-server checks do (server/own-server/event-waits.ts).
      let deadline = 0;
      for (let attempt = 0; attempt < 3 && events.length === 0 && failures.length === 0; attempt += 1) {
        await createUser(`relay${attempt}`);
        if (attempt === 0) deadline = Date.now() + 5_000;
        const until = attempt < 2 ? Math.min(deadline, Date.now() + 1500) : Math.max(deadline, Date.now() + 1500);
        while (events.length === 0 && failures.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(failures).toEqual([]);
      expect(protocols).toEqual(['graphql-transport-ws']);
      expect(events[0]).toMatchObject({ data: { userChanged: { kind: 'CREATED', user: { name: expect.stringMatching(/^relay\d$/) } } } });
      // Wirelab's own connection to the starter, in the asker's inspector: the upgrade to /graphql
      // with the subprotocol, then the client's masked graphql-transport-ws messages.
      await expect
        .poll(
          () =>
            decodedConnections(capture).some(
              ({ connection, exchanges }) =>
                connection.outbound === true &&
                exchanges.some((exchange) => exchange.request.method === 'GET' && exchange.request.target === '/graphql' && exchange.upgrade !== undefined),
            ),
          { timeout: 10_000 },
        )
        .toBe(true);
    } finally {
      stop();
      await client.dispose();
      capture.close();
    }
  }, 30_000);

  it('ends with the relay’s fact when nothing listens at the address', async () => {
    const session = await newSession(wirelab.origin);
    const { client, closes } = relayClient(session, '127.0.0.1:1');
    const failure = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: 'subscription { userChanged { kind } }' }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
    });
    await client.dispose();
    expect(failure).not.toBeNull();
    expect(closes).toHaveLength(1);
    expect(readRelayFact(closes[0]!.code, closes[0]!.reason)).toEqual({ fact: 'refused', address: '127.0.0.1:1' });
  }, 30_000);
});
