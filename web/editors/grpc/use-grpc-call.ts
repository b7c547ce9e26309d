// The calls of a gRPC cell and what they showed: a unary or server-streaming call made by the
// page with fetch (Connect, gRPC-Web), or any call driven through the server's runner (client and
// bidi streaming, which fetch cannot send; and every call aimed at the student's own server). The cell renders `log`, `running`, `problem` and
// `exchange`; which of the two ran the call does not change how it is shown.
import { useCallback, useEffect, useRef } from 'react';
import type { Registry } from '@bufbuild/protobuf';
import type { HttpExchange } from '../../../wire/types.ts';
import { captureTimeNow, sessionReady } from '../../kit/session.ts';
import { waitForExchangeAgainAfterMiss } from '../console-kit/inspector-links.ts';
import { appendEvent, emptyLog, type CallEvent } from './call-log.ts';
import { browserCanCall, methodPath } from './method-catalog.ts';
import { runBrowserCall } from './run-call.ts';
import type { GrpcProtocol } from './grpc-cell-config.ts';
import type { PreparedCall } from './grpc-inputs.ts';
import { useRunnerCall } from './use-runner-call.ts';
import { useCallView, type CallView } from './call-view.ts';

/** How long to wait for a finished call's bytes to arrive over the capture channel (then a click looks again). */
const CAPTURE_WAIT_MS = 3000;

interface FetchCallOptions {
  view: CallView;
  registry: Registry;
  prepare(): PreparedCall;
  protocol(): GrpcProtocol;
  onExchange?(exchange: HttpExchange): void;
}

/** Unary and server streaming from the page itself: fetch, then the call's exchange in the capture store. */
function useFetchCall({ view, registry, prepare, protocol, onExchange }: FetchCallOptions) {
  const abortRef = useRef<AbortController | null>(null);
  const { setLog, setRunning, setProblem, beginCall, isLatest, setExchange } = view;

  const run = useCallback(async () => {
    const prepared = prepare();
    if (!prepared.ok) {
      // an attempt too: the previous call ends, and its log and capture note would read as this
      // attempt's outcome (its look-again's late find as well)
      abortRef.current?.abort();
      const attempt = beginCall();
      setRunning(false);
      setLog(null);
      setExchange(attempt, null);
      return setProblem(prepared.problem);
    }
    if (!browserCanCall(prepared.method)) return;
    setProblem(null);
    abortRef.current?.abort();
    const abort = new AbortController();
    abortRef.current = abort;
    const id = beginCall();
    setRunning(true);
    setExchange(id, null);
    let current = emptyLog();
    setLog(current);
    await sessionReady();
    const sentAfter = captureTimeNow();
    const onEvent = (event: CallEvent) => {
      if (!isLatest(id)) return;
      current = appendEvent(current, event);
      setLog(current);
    };
    const options = {
      method: prepared.method,
      protocol: protocol(),
      registry,
      baseUrl: window.location.origin,
      request: prepared.request,
      metadata: prepared.metadata,
      signal: abort.signal,
      onEvent,
    };
    const outcome = await runBrowserCall(prepared.timeoutMs === undefined ? options : { ...options, timeoutMs: prepared.timeoutMs });
    if (!isLatest(id)) return;
    setRunning(false);
    // a request that never left the browser has no bytes to find: "not captured" would be false
    if (!outcome.reachedServer) return;
    const query = { method: 'POST', target: `/${methodPath(prepared.method)}`, after: sentAfter, timeoutMs: CAPTURE_WAIT_MS };
    // found by the first wait or by a look-again seconds later: only while no later call began
    const capture = waitForExchangeAgainAfterMiss(query, (exchange) => {
      if (!isLatest(id)) return;
      setExchange(id, exchange);
      onExchange?.(exchange);
    });
    const captured = await capture.found;
    if (!captured) setExchange(id, 'missing', capture.lookAgain);
  }, [prepare, protocol, registry, onExchange, setLog, setRunning, setProblem, beginCall, isLatest, setExchange]);

  const cancel = useCallback(() => abortRef.current?.abort(), []);
  useEffect(() => () => abortRef.current?.abort(), []);
  return { run, cancel };
}

export interface GrpcCallOptions {
  cellId: string;
  /** the runner's channel URL (runner-channel.ts, runnerUrl) */
  runnerUrl: string;
  registry: Registry;
  prepare(): PreparedCall;
  protocol(): GrpcProtocol;
  onExchange?(exchange: HttpExchange): void;
}

/** A cell's calls: `fetch` (unary, server streaming) and `runner` (start, send, half-close, cancel), one view. */
export function useGrpcCall({ cellId, runnerUrl, registry, prepare, protocol, onExchange }: GrpcCallOptions) {
  const view = useCallView();
  const fetched = useFetchCall({ view, registry, prepare, protocol, onExchange });
  const runner = useRunnerCall({ view, cellId, prepare, url: runnerUrl });
  // One call at a time in a cell: a call of the other kind still going (the method or protocol was
  // switched meanwhile) is stopped, not left running where the cell no longer shows it.
  const { cancel: cancelRunner, start: startRunner, startOnce: startRunnerOnce } = runner;
  const { cancel: cancelFetch, run: runFetch } = fetched;
  const run = useCallback(() => {
    cancelRunner();
    return runFetch();
  }, [cancelRunner, runFetch]);
  const start = useCallback(() => {
    cancelFetch();
    return startRunner();
  }, [cancelFetch, startRunner]);
  const startOnce = useCallback(() => {
    cancelFetch();
    return startRunnerOnce();
  }, [cancelFetch, startRunnerOnce]);
  // Cancel stops whichever call is going: after a switch of method the buttons are the other kind's
  const cancel = useCallback(() => {
    cancelFetch();
    cancelRunner();
  }, [cancelFetch, cancelRunner]);
  const { beginCall, setRunning, setLog } = view;
  /** The cell leaves its call (another method was chosen): the call is cancelled and its view cleared, its late answers dropped. */
  const leave = useCallback(() => {
    cancel();
    beginCall();
    setRunning(false);
    setLog(null);
  }, [cancel, beginCall, setRunning, setLog]);
  return { view, leave, fetchCall: { run, cancel }, runner: { ...runner, start, startOnce, cancel } };
}
