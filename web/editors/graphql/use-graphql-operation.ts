// The operations of a GraphQL cell and what they showed: a query or mutation over HTTP (urql,
// graphql-client.ts) with its exchange found in the capture store, or a subscription over a
// WebSocket that keeps adding events until it is stopped.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { callCounter } from '../call-counter.ts';
import type { OperationResult } from '@urql/core';
import type { HttpExchange } from '../../../wire/types.ts';
import { waitForExchangeAgainAfterMiss } from '../console-kit/inspector-links.ts';
import { parseHeaderLines, parseVariables, type GraphqlCellSource } from './cell-format.ts';
import { outlineDocument, operationSource, pickOperation } from './operations.ts';
import {
  runOperation,
  startSubscription,
  type HttpMethodChoice,
  type RequestPolicy,
  type RunResult,
  type SubscriptionHandle,
  type WsProtocol,
} from './graphql-client.ts';
import type { SubscriptionEvent } from './subscription-panel.tsx';
import type { graphqlEditorStrings } from './strings.ts';
import { sendGraphqlToOwnServer } from './send-to-own-server.ts';
import { goingAwayText, ServerWentAway, type RestartListener } from './server-restart.ts';
import type { OwnTarget } from '../target-switch/own-target.ts';

export type Outcome =
  | { kind: 'problem'; message: string }
  /** Wirelab's server did not relay the request to the student's own server: why, in both languages */
  | { kind: 'refused'; status: number; message: Bilingual | null }
  | { kind: 'network-error'; message: string }
  | {
      kind: 'result';
      run: RunResult;
      capture: 'none' | 'waiting' | 'missing' | HttpExchange;
      /** after a miss: looks for the bytes again (they can come late) */
      lookAgain?: () => Promise<HttpExchange | null>;
    };

export interface SubscriptionState {
  /** 'restarting': the server went away (1001) and graphql-ws's client reconnects; it subscribes again by itself */
  status: 'idle' | 'active' | 'restarting' | 'ended';
  startedAt: number;
  events: SubscriptionEvent[];
  /** the close that said the server went away, as the page words it: while restarting, or why it ended */
  serverAway?: Bilingual;
  /** how many times it was subscribed again after the server came back */
  resumed?: number;
}

/** A subscription still running: subscribed, or waiting for the server to come back. */
export function subscriptionLive(state: SubscriptionState): boolean {
  return state.status === 'active' || state.status === 'restarting';
}

/** How the cell asks: its toolbar's choices when Run is pressed. */
export interface OperationChoices {
  /** queries and mutations go to Wirelab's server (urql) or, relayed, to the student's own */
  target: OwnTarget;
  wantedOperation: string | number | null;
  policy: RequestPolicy;
  method: HttpMethodChoice;
  protocol: WsProtocol;
  /** the page's language: a relay's refusal of a subscription is told in it */
  lang: 'en' | 'ru';
}

type Strings = (typeof graphqlEditorStrings)['en'];

/** The chosen operation of the source, ready to send, or what is wrong with the source. */
function prepareOperation(current: GraphqlCellSource, wanted: string | number | null, t: Strings) {
  const outline = outlineDocument(current.document);
  if (!outline.ok) return { ok: false as const, message: t.syntaxError(outline.line, outline.column, outline.message) };
  const index = pickOperation(outline.operations, wanted);
  const chosen = outline.operations[index];
  if (!chosen) return { ok: false as const, message: t.noOperation };
  const variables = parseVariables(current.variables);
  if (!variables.ok) return { ok: false as const, message: t.variablesError(variables.message) };
  const headers = parseHeaderLines(current.headers);
  if (!headers.ok) return { ok: false as const, message: t.headerError(headers.line, headers.text) };
  return {
    ok: true as const,
    type: chosen.type,
    name: chosen.name ?? null,
    query: operationSource(current.document, outline.document, index),
    variables: variables.value,
    headers: headers.headers,
  };
}

/**
 * Starts a subscription and keeps its panel's state: each result as an event, and the server
 * going away (server-restart.ts) — waiting while graphql-ws's client reconnects, or ended when
 * the client cannot resubscribe by itself.
 */
function subscribeShowing(
  prepared: { query: string; variables: Record<string, unknown> },
  { target, protocol, lang }: Pick<OperationChoices, 'target' | 'protocol' | 'lang'>,
  setSubscription: (change: (state: SubscriptionState) => SubscriptionState) => void,
): SubscriptionHandle {
  const startedAt = Date.now();
  setSubscription(() => ({ status: 'active', startedAt, events: [] }));
  const ofThisRun = (change: (state: SubscriptionState) => SubscriptionState) =>
    setSubscription((state) => (state.startedAt === startedAt ? change(state) : state));
  const onResult = (result: OperationResult) => {
    const away = result.error?.networkError;
    // The server went away and this client does not resubscribe: the note says so, Subscribe again once it is back.
    if (away instanceof ServerWentAway) return ofThisRun((state) => ({ ...state, status: 'ended', serverAway: goingAwayText(away.close) }));
    ofThisRun((state) => ({ ...state, events: [...state.events, { at: Date.now(), result }] }));
  };
  const restarts: RestartListener = {
    away: (close) => ofThisRun((state) => ({ ...state, status: 'restarting', serverAway: goingAwayText(close) })),
    back: () => ofThisRun((state) => ({ ...state, status: 'active', serverAway: undefined, resumed: (state.resumed ?? 0) + 1 })),
  };
  // aimed at the student's own server: through Wirelab's WebSocket relay to its /graphql
  const ownAddress = target.mode === 'mine' ? target.address.trim() : undefined;
  return startSubscription(prepared.query, prepared.variables, protocol, onResult, { ownAddress, lang, restarts });
}

export function useGraphqlOperation(
  sourceRef: { current: GraphqlCellSource },
  choices: OperationChoices,
  t: Strings,
  onExchange?: (exchange: HttpExchange) => void,
) {
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [subscription, setSubscription] = useState<SubscriptionState>({ status: 'idle', startedAt: 0, events: [] });
  const subscriptionHandle = useRef<SubscriptionHandle | null>(null);
  const [calls] = useState(callCounter);
  const { target, wantedOperation, policy, method, protocol, lang } = choices;

  useEffect(() => () => subscriptionHandle.current?.stop(), []);

  const stopSubscription = useCallback(() => {
    subscriptionHandle.current?.stop();
    subscriptionHandle.current = null;
    setSubscription((state) => ({ ...state, status: subscriptionLive(state) ? 'ended' : state.status, serverAway: undefined }));
  }, []);

  /**
   * The bytes of a request sent, once captured (the inspector selects them); after a miss
   * (3 s) "not captured", with a click that looks again.
   */
  const findExchange = useCallback(
    async (run: RunResult, sent: { method: string; target: string; sentAfter: number }, current: () => boolean) => {
      const query = { method: sent.method, target: sent.target, after: sent.sentAfter, timeoutMs: 3000 };
      const capture = waitForExchangeAgainAfterMiss(query, (exchange) => {
        if (!current()) return;
        setOutcome({ kind: 'result', run, capture: exchange });
        onExchange?.(exchange);
      });
      const exchange = await capture.found;
      if (current() && !exchange) setOutcome({ kind: 'result', run, capture: 'missing', lookAgain: capture.lookAgain });
    },
    [onExchange],
  );

  const run = useCallback(async () => {
    // Every Run takes a number, a refused one and a subscription too: an older run's answer (its
    // look-again's find, seconds later) is dropped, not shown as this one's outcome.
    const id = calls.next();
    const prepared = prepareOperation(sourceRef.current, wantedOperation, t);
    if (!prepared.ok) {
      setRunning(false);
      return setOutcome({ kind: 'problem', message: prepared.message });
    }
    if (prepared.type === 'subscription') {
      subscriptionHandle.current?.stop();
      setRunning(false);
      setOutcome(null);
      subscriptionHandle.current = subscribeShowing(prepared, { target, protocol, lang }, setSubscription);
      return;
    }
    setRunning(true);
    try {
      if (target.mode === 'mine') {
        const relayed = await sendGraphqlToOwnServer(target.address, prepared);
        if (!calls.isLatest(id)) return;
        if (relayed.kind === 'refused') return setOutcome(relayed);
        const run: RunResult = { source: 'network', sent: relayed.sent };
        setOutcome({ kind: 'result', run, capture: 'waiting' });
        // Wirelab's own request to the student's server is in this session's captures, as a page's would be
        await findExchange(run, relayed.sent, () => calls.isLatest(id));
        return;
      }
      const result = await runOperation({
        query: prepared.query,
        variables: prepared.variables,
        headers: prepared.headers,
        requestPolicy: policy,
        method,
        kind: prepared.type,
      });
      if (!calls.isLatest(id)) return;
      const networkError = result.result?.error?.networkError;
      if (networkError && !result.sent) {
        setOutcome({ kind: 'network-error', message: networkError.message });
        return;
      }
      setOutcome({ kind: 'result', run: result, capture: result.sent ? 'waiting' : 'none' });
      if (!result.sent) return;
      await findExchange(result, result.sent, () => calls.isLatest(id));
    } catch (error) {
      if (calls.isLatest(id)) setOutcome({ kind: 'network-error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      if (calls.isLatest(id)) setRunning(false);
    }
  }, [t, target, wantedOperation, policy, method, protocol, findExchange, calls]);

  return { running, outcome, subscription, run, stopSubscription };
}
