import { Client, cacheExchange, fetchExchange, subscriptionExchange, type OperationResult } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { captureTimeNow, sessionReady } from '../../app/session.ts';
import { GRAPHQL_ENDPOINT } from './schema-store.ts';
import { LegacyGraphqlWsClient } from './legacy-ws-client.ts';

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
  subscribe(payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }, sink: { next(value: never): void; error(error: unknown): void; complete(): void }): () => void;
}

const wsClients = new Map<WsProtocol, SubscribingClient>();

function webSocketUrl(): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${GRAPHQL_ENDPOINT}`;
}

/** The WebSocket client of one subprotocol; it connects on the first subscription (lazy). */
function wsClient(protocol: WsProtocol): SubscribingClient {
  let found = wsClients.get(protocol);
  if (!found) {
    found =
      protocol === 'graphql-transport-ws'
        ? (createWsClient({ url: webSocketUrl(), lazy: true, retryAttempts: 0, lazyCloseTimeout: 3000 }) as SubscribingClient)
        : (new LegacyGraphqlWsClient(webSocketUrl()) as SubscribingClient);
    wsClients.set(protocol, found);
  }
  return found;
}

export function getGraphqlClient(): Client {
  client ??= new Client({
    url: GRAPHQL_ENDPOINT,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request, operation) {
          const protocol = (operation.context as { wsProtocol?: WsProtocol }).wsProtocol ?? 'graphql-transport-ws';
          return {
            subscribe(sink) {
              const unsubscribe = wsClient(protocol).subscribe({ ...request, query: request.query ?? '' }, sink);
              return { unsubscribe };
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
): SubscriptionHandle {
  const subscription = getGraphqlClient()
    .subscription(query, variables, { wsProtocol: protocol } as never)
    .subscribe(onResult);
  return { stop: () => subscription.unsubscribe() };
}
