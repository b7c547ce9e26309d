// What a gRPC cell shows of its last call, written by both kinds of call (use-grpc-call.ts).
import { useCallback, useState } from 'react';
import type { HttpExchange } from '../../../wire/types.ts';
import { callCounter } from '../call-counter.ts';
import type { CallLog } from './call-log.ts';

/** What a cell shows of its last call; both kinds of call write it. */
export interface CallView {
  log: CallLog | null;
  setLog(log: CallLog | null): void;
  running: boolean;
  setRunning(running: boolean): void;
  problem: string | null;
  setProblem(problem: string | null): void;
  /**
   * A call begins (a fetch call, a runner call, an attempt refused before it went): its number.
   * Both kinds of call take theirs here, so an older call's late answer — its look-again's find,
   * seconds after the click — never lands in a newer call's view, whichever kind each was.
   */
  beginCall(): number;
  /** Whether `call` is still the view's latest (its answers may be shown). */
  isLatest(call: number): boolean;
  exchange: HttpExchange | 'missing' | null;
  /** after a miss: looks for the call's bytes again (they can come late) */
  lookAgain: (() => Promise<HttpExchange | null>) | null;
  /** `call`'s bytes, none yet (null), or a miss with the way to look again; dropped once a later call began */
  setExchange(call: number, exchange: HttpExchange | 'missing' | null, lookAgain?: () => Promise<HttpExchange | null>): void;
}

export function useCallView(): CallView {
  const [log, setLog] = useState<CallLog | null>(null);
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [calls] = useState(callCounter);
  const [capture, setCapture] = useState<{ exchange: HttpExchange | 'missing' | null; lookAgain: (() => Promise<HttpExchange | null>) | null }>({
    exchange: null,
    lookAgain: null,
  });
  const setExchange = useCallback(
    (call: number, exchange: HttpExchange | 'missing' | null, lookAgain?: () => Promise<HttpExchange | null>) => {
      if (calls.isLatest(call)) setCapture({ exchange, lookAgain: lookAgain ?? null });
    },
    [calls],
  );
  return { log, setLog, running, setRunning, problem, setProblem, beginCall: calls.next, isLatest: calls.isLatest, ...capture, setExchange };
}
