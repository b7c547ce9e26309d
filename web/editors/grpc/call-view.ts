// What a gRPC cell shows of its last call, written by both kinds of call (use-grpc-call.ts).
import { useState } from 'react';
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
  setExchange(exchange: HttpExchange | 'missing' | null): void;
}

export function useCallView(): CallView {
  const [log, setLog] = useState<CallLog | null>(null);
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [exchange, setExchange] = useState<HttpExchange | 'missing' | null>(null);
  return { log, setLog, running, setRunning, problem, setProblem, exchange, setExchange };
}
