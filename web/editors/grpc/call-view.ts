// What a gRPC cell shows of its last call, written by both kinds of call (use-grpc-call.ts).
import { useCallback, useState } from 'react';
import type { HttpExchange } from '../../../wire/types.ts';
import type { CallLog } from './call-log.ts';

/** What a cell shows of its last call; both kinds of call write it. */
export interface CallView {
  log: CallLog | null;
  setLog(log: CallLog | null): void;
  running: boolean;
  setRunning(running: boolean): void;
  problem: string | null;
  setProblem(problem: string | null): void;
  exchange: HttpExchange | 'missing' | null;
  /** after a miss: looks for the call's bytes again (they can come late) */
  lookAgain: (() => Promise<HttpExchange | null>) | null;
  /** the call's bytes, none yet (null), or a miss with the way to look again */
  setExchange(exchange: HttpExchange | 'missing' | null, lookAgain?: () => Promise<HttpExchange | null>): void;
}

export function useCallView(): CallView {
  const [log, setLog] = useState<CallLog | null>(null);
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [capture, setCapture] = useState<{ exchange: HttpExchange | 'missing' | null; lookAgain: (() => Promise<HttpExchange | null>) | null }>({
    exchange: null,
    lookAgain: null,
  });
  const setExchange = useCallback(
    (exchange: HttpExchange | 'missing' | null, lookAgain?: () => Promise<HttpExchange | null>) => setCapture({ exchange, lookAgain: lookAgain ?? null }),
    [],
  );
  return { log, setLog, running, setRunning, problem, setProblem, ...capture, setExchange };
}
