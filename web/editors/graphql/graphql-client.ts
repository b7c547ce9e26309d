import { Client, cacheExchange, fetchExchange, subscriptionExchange, type OperationResult } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { captureTimeNow, sessionReady } from '../../kit/session.ts';
import { GRAPHQL_ENDPOINT } from './schema-store.ts';
import { LegacyGraphqlWsClient } from './legacy-ws-client.ts';
import { readRelayFact, relayFactText } from '../../../contracts/own-server/relays.ts';
import { webSocketRelayUrl } from '../target-switch/relay-urls.ts';
import { GOING_AWAY } from '../../../wire/websocket/close-codes.ts';
import { isWebSocketClose, RESTART_RETRY_ATTEMPTS, restartRetryWait, ServerRestartWatch, ServerWentAway, type RestartListener } from './server-restart.ts';

// One urql client for the page, like an application has: its document cache is shared by every
// graphql cell, so a query repeated in another cell can be answered without a request.

export type RequestPolicy = 'cache-first' | 'network-only';
export type HttpMethodChoice = 'POST' | 'GET';
export type WsProtocol = 'graphql-transport-ws' | 'graphql-ws';

/** What really went over HTTP for one run (urql calls our fetch only when it sends a request). */
export interface SentRequest {
  method: string;
  /** the request-target, e.g. "/graphql" or "/graphql?query=…" */
  target: string;
  /** server clock when it left, for finding its bytes in the capture */
  sentAfter: number;
  status: number;
  headers: Array<[string, string]>;
  /** the raw response body as text */
  body: string;
  durationMs: number;
}

export interface RunResult {
  /** 'cache': urql answered from its cache and sent nothing; 'network': a request went out */
  source: 'cache' | 'network';
  /** what urql made of it; absent when Wirelab's server relayed the request to the student's own server (only `sent`) */
  result?: OperationResult;
  sent?: SentRequest;
}

let client: Client | null = null;
/** What both WebSocket clients offer: graphql-ws's own and the legacy one of legacy-ws-client.ts. */
interface SubscribingClient {
  subscribe(
    payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
    sink: { next(value: never): void; error(error: unknown): void; complete(): void },
  ): () => void;
}

/** A WebSocket client, and for graphql-ws's (which resubscribes by itself after a restart) what it sees of one. */
interface WsClientEntry {
  client: SubscribingClient;
  restarts?: ServerRestartWatch;
}

/** One client per subprotocol and URL: Wirelab's /graphql, or the relay to a student's server. */
const wsClients = new Map<string, WsClientEntry>();

function webSocketUrl(): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${GRAPHQL_ENDPOINT}`;
}

/**
 * Where a subscription's WebSocket goes: Wirelab's /graphql, or, aimed at the student's own server
 * ("my server"), Wirelab's WebSocket relay, which opens /graphql on the student's server with the
 * same subprotocol (contracts/own-server/PROTOCOL.md).
 */
export function subscriptionUrl(ownAddress: string | undefined, pageOrigin: string): string {
  return ownAddress ? webSocketRelayUrl(GRAPHQL_ENDPOINT, ownAddress, pageOrigin) : webSocketUrl();
}

/**
 * The WebSocket client of one subprotocol and URL; it connects on the first subscription (lazy).
 * graphql-ws's retries only while the server restarts (server-restart.ts): any other close or
 * failure ends the subscription with its error at once.
 */
function wsClient(protocol: WsProtocol, url: string): WsClientEntry {
  const key = `${protocol} ${url}`;
  let found = wsClients.get(key);
  if (!found) {
    if (protocol === 'graphql-transport-ws') {
      const restarts = new ServerRestartWatch();
      const client = createWsClient({
        url,
        lazy: true,
        lazyCloseTimeout: 3000,
        retryAttempts: RESTART_RETRY_ATTEMPTS,
        retryWait: restartRetryWait,
        shouldRetry: () => restarts.shouldRetry(),
        on: { closed: (event) => restarts.closed(event), connected: () => restarts.connected() },
      });
      found = { client: client as SubscribingClient, restarts };
    } else found = { client: new LegacyGraphqlWsClient(url) as SubscribingClient };
    wsClients.set(key, found);
  }
  return found;
}

/**
 * A subscription's error as the page shows it: a relay's close carries a fact (refused, nothing
 * listening, no 101…), told in the page's language instead of a bare close event.
 */
export function subscriptionError(error: unknown, lang: 'en' | 'ru'): unknown {
  if (!isWebSocketClose(error)) return error;
  // The server went away and this client did not resubscribe (the legacy one never does): one click, once it is back.
  if (error.code === GOING_AWAY) return new ServerWentAway({ code: error.code, reason: error.reason });
  const fact = readRelayFact(error.code, error.reason);
  return fact ? new Error(relayFactText(fact)[lang]) : error;
}

interface SubscriptionContext {
  wsProtocol?: WsProtocol;
  /** host:port of the student's own server, when the subscription goes there through the relay */
  ownAddress?: string;
  lang?: 'en' | 'ru';
  /** told when the server goes away and when the subscription runs again after it came back */
  restarts?: RestartListener;
}

export function getGraphqlClient(): Client {
  client ??= new Client({
    url: GRAPHQL_ENDPOINT,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request, operation) {
          const context = operation.context as SubscriptionContext;
          const protocol = context.wsProtocol ?? 'graphql-transport-ws';
          const url = subscriptionUrl(context.ownAddress, window.location.origin);
          return {
            subscribe(sink) {
              const { client, restarts } = wsClient(protocol, url);
              const stopWatching = context.restarts && restarts ? restarts.listen(context.restarts) : () => undefined;
              const unsubscribe = client.subscribe(
                { ...request, query: request.query ?? '' },
                {
                  next: (value) => sink.next(value),
                  complete: () => {
                    stopWatching();
                    sink.complete();
                  },
                  error: (error) => {
                    stopWatching();
                    restarts?.gaveUp();
                    sink.error(subscriptionError(error, context.lang ?? 'en'));
                  },
                },
              );
              return {
                unsubscribe: () => {
                  stopWatching();
                  unsubscribe();
                },
              };
            },
          };
        },
      }),
    ],
    fetchOptions: { credentials: 'same-origin' },
    preferGetMethod: false,
  });
  return client;
}

export interface RunOptions {
  query: string;
  variables: Record<string, unknown>;
  headers: Array<[string, string]>;
  requestPolicy: RequestPolicy;
  method: HttpMethodChoice;
  kind: 'query' | 'mutation';
}

/** Runs a query or mutation through urql and tells whether it went out, with the raw answer. */
export async function runOperation(options: RunOptions): Promise<RunResult> {
  await sessionReady();
  let sent: SentRequest | undefined;
  // urql calls this only when its cache did not answer: the honest signal of "a request went out".
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, window.location.href);
    const sentAfter = captureTimeNow();
    const started = performance.now();
    // A GET may be stored by the browser's HTTP cache and revalidated (If-None-Match → 304): the
    // HTTP caching GraphQL over POST cannot have. POSTs are never cached anyway.
    const method = (init?.method ?? 'GET').toUpperCase();
    const response = await fetch(input, { ...init, cache: method === 'GET' ? 'no-cache' : 'no-store' });
    const body = await response.clone().text();
    sent = {
      method,
      target: url.pathname + url.search,
      sentAfter,
      status: response.status,
      headers: [...response.headers],
      body,
      durationMs: performance.now() - started,
    };
    return response;
  };
  const context = {
    requestPolicy: options.requestPolicy,
    fetch: recordingFetch,
    fetchOptions: { headers: Object.fromEntries(options.headers) },
    preferGetMethod: options.method === 'GET' && options.kind === 'query' ? ('force' as const) : false,
  };
  const graphql = getGraphqlClient();
  const result =
    options.kind === 'mutation'
      ? await graphql.mutation(options.query, options.variables, context).toPromise()
      : await graphql.query(options.query, options.variables, context).toPromise();
  return { source: sent ? 'network' : 'cache', result, ...(sent ? { sent } : {}) };
}

export interface SubscriptionHandle {
  stop(): void;
}

/** Starts a subscription over a WebSocket; every result goes to `onResult` as it arrives. */
export function startSubscription(
  query: string,
  variables: Record<string, unknown>,
  protocol: WsProtocol,
  onResult: (result: OperationResult) => void,
  where: { ownAddress?: string; lang: 'en' | 'ru'; restarts?: RestartListener } = { lang: 'en' },
): SubscriptionHandle {
  const context: SubscriptionContext = { wsProtocol: protocol, ...where };
  const subscription = getGraphqlClient()
    .subscription(query, variables, context as never)
    .subscribe(onResult);
  return { stop: () => subscription.unsubscribe() };
}
