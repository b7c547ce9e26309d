import type { Bilingual } from '../../../shared/bilingual.ts';
import { useCallback, useState } from 'react';
import type { HttpExchange } from '../../../wire/types.ts';
import type { OwnTarget } from '../target-switch/own-target.ts';
import { callCounter } from '../call-counter.ts';
import { planFetch, type FetchBlocker } from './fetch-limits.ts';
import { parseHttpRequest, type HttpParseError } from './parse-http-request.ts';
import { findCapturedExchange, sendRequest, type FetchedResponse } from './send-request.ts';
import { sendToOwnServer } from './send-to-own-server.ts';

/** What the last Run produced. */
export type RunOutcome =
  | { kind: 'parse-error'; error: HttpParseError }
  | { kind: 'blocked'; blocker: FetchBlocker }
  | { kind: 'network-error'; message: string; dropped: string[] }
  | {
      kind: 'response';
      response: FetchedResponse;
      dropped: string[];
      capture: 'waiting' | 'missing' | HttpExchange;
      /** after a miss: looks for the bytes again (they can come late) */
      lookAgain?: () => Promise<HttpExchange | null>;
      sentTo?: string;
    }
  /** "my server": Wirelab's server would not or could not relay the request (not the student's address, nothing listening…) */
  | { kind: 'refused'; status: number; message: Bilingual | null; dropped: string[] };

/**
 * Run: the cell's text parsed and sent with fetch (or through Wirelab's server to "my server"),
 * then the captured exchange found. A later run (a refused one too) makes an earlier one's results
 * stale: its look-again's late find included (call-counter.ts).
 */
export function useHttpRun(textRef: { current: string }, targetRef: { current: OwnTarget }, onExchange: ((exchange: HttpExchange) => void) | undefined) {
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [calls] = useState(callCounter);

  const run = useCallback(async () => {
    const id = calls.next();
    // A run refused here still supersedes one in flight (Ctrl+Enter works while a request is out),
    // whose own end no longer clears "running": this run does, or the Run button stayed "Sending…".
    const refuse = (outcome: RunOutcome) => {
      setRunning(false);
      setOutcome(outcome);
    };
    const parsed = parseHttpRequest(textRef.current);
    if (!parsed.ok) return refuse({ kind: 'parse-error', error: parsed.error });
    const planned = planFetch(parsed.request, window.location.origin);
    if (!planned.ok) return refuse({ kind: 'blocked', blocker: planned.blocker });
    const { plan } = planned;
    const dropped = plan.dropped.map((header) => header.name);
    setRunning(true);
    try {
      const { mode, address } = targetRef.current;
      const sent = mode === 'mine' ? await sendToOwnServer(plan, address) : { kind: 'response' as const, ...(await sendRequest(plan)) };
      if (!calls.isLatest(id)) return;
      if (sent.kind === 'refused') return setOutcome({ ...sent, dropped });
      const { response, sentAfter } = sent;
      const sentTo = mode === 'mine' ? address.trim() : undefined;
      const shown = { kind: 'response' as const, response, dropped, sentTo };
      setOutcome({ ...shown, capture: 'waiting' });
      // the response is shown: Run takes the next click now, not once the bytes are found (a click
      // meanwhile was dropped, and the capture can take seconds)
      setRunning(false);
      // the same search either way: Wirelab's own request to the student's server is in this session's captures too
      const capture = findCapturedExchange(plan, sentAfter, (exchange) => {
        if (!calls.isLatest(id)) return;
        setOutcome({ ...shown, capture: exchange });
        onExchange?.(exchange);
      });
      const exchange = await capture.found;
      if (calls.isLatest(id) && !exchange) setOutcome({ ...shown, capture: 'missing', lookAgain: capture.lookAgain });
    } catch (error) {
      if (calls.isLatest(id)) setOutcome({ kind: 'network-error', message: error instanceof Error ? error.message : String(error), dropped });
    } finally {
      if (calls.isLatest(id)) setRunning(false);
    }
  }, [onExchange, calls]);

  return { running, outcome, run };
}
