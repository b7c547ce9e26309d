import { useState } from 'react';
import type { HttpExchange } from '../../../wire/types.ts';
import { CHECKS_PATH } from '../../own-server/report-view.ts';
import { callCounter } from '../call-counter.ts';
import { CAPTURE_WAIT_MS } from '../console-kit/capture-links.ts';
import { waitForExchangeAgainAfterMiss } from '../console-kit/inspector-links.ts';

/**
 * The captured `POST /_wirelab/own-server/checks` of each run of the cell, handed to the lesson's
 * exercises (`onExchange`), as the HTTP cell finds its request's: one wait after the route
 * answered, then, after a miss, `missing.lookAgain` waits again at each click. The run's bytes can
 * reach the page seconds after the first wait (a loaded machine, a slow network), and the
 * exercise never heard of that run, nor did the student hear why. A later run drops what an
 * older one's look-again finds (call-counter.ts).
 */
export function useRunExchange(onExchange: ((exchange: HttpExchange) => void) | undefined) {
  const [runs] = useState(callCounter);
  const [missing, setMissing] = useState<{ lookAgain(): Promise<HttpExchange | null> } | null>(null);

  /** A run begins: the last run's note goes. Returns what the run calls once the route answered. */
  const begin = () => {
    const run = runs.next();
    setMissing(null);
    return (sentAfter: number) => {
      const query = { method: 'POST', target: CHECKS_PATH, after: sentAfter, timeoutMs: CAPTURE_WAIT_MS };
      const capture = waitForExchangeAgainAfterMiss(
        query,
        runs.whileLatest(run, (exchange: HttpExchange) => {
          setMissing(null);
          onExchange?.(exchange);
        }),
      );
      void capture.found.then(
        runs.whileLatest(run, (found: HttpExchange | null) => {
          if (!found) setMissing({ lookAgain: capture.lookAgain });
        }),
      );
    };
  };

  return { begin, missing };
}
