// One run of a suite from a page: the POST to the route, Cancel (the fetch aborted, so the server
// stops the suite and closes its connections), and leaving (the same). Shared by the page
// `/…/my-server` and the lesson cell `own-server`, so both run a check the same way.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { captureTimeNow, sessionReady } from '../kit/session.ts';
import { holdWork } from '../kit/work-in-progress.ts';
import type { Choice } from './remembered-choice.ts';
import { CHECKS_PATH } from './report-view.ts';
import { connectionKeysNow, type ConnectionKeys } from '../inspector/connection-keys.ts';

/** The last run as it stands: kept raw, so switching the language shows it in the other one. */
export type RunState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'cancelled' }
  | { kind: 'network-error' }
  /** `connectionKey`: the page's capture-store id of a connection the report names (connection-keys.ts), as it was when the answer came */
  | { kind: 'answered'; status: number; body: unknown; connectionKey: ConnectionKeys };

export interface CheckRun {
  run: RunState;
  isRunning: boolean;
  /**
   * Runs the suite `choice` names. `onAnswered` hears when the route answered, with the capture
   * clock's time just before the request went out (to find the exchange in the capture).
   */
  start(choice: Choice, onAnswered?: (sentAfter: number) => void): Promise<void>;
  cancel(): void;
  /** Keyboard focus goes to Cancel while the run goes on, then to the result (see `useRunFocus`). */
  cancelButton: RefObject<HTMLButtonElement | null>;
  result: RefObject<HTMLDivElement | null>;
}

/** The report's `captureInstance`: which server process's ids its connections are. */
function captureInstanceOf(body: unknown): string | undefined {
  const instance = (body as { captureInstance?: unknown } | null)?.captureInstance;
  return typeof instance === 'string' ? instance : undefined;
}

export function useCheckRun(): CheckRun {
  const [run, setRun] = useState<RunState>({ kind: 'idle' });
  const running = useRef<AbortController | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const result = useRef<HTMLDivElement>(null);

  // Leaving stops the check: its fetch is aborted, so the server closes the suite's connections.
  useEffect(() => () => running.current?.abort(), []);

  // The focused Run button is disabled while a run goes on: keyboard focus moves to Cancel, then
  // to the result, instead of falling back to the top of the page.
  useEffect(() => {
    if (run.kind === 'running') cancelButton.current?.focus();
    else if (run.kind !== 'idle') result.current?.focus();
  }, [run.kind]);

  const start = async (choice: Choice, onAnswered?: (sentAfter: number) => void) => {
    if (running.current) return;
    const controller = new AbortController();
    running.current = controller;
    setRun({ kind: 'running' });
    // following the teacher waits while the check runs: moving the page would abort it
    const release = holdWork('check');
    try {
      await sessionReady();
      const sentAfter = captureTimeNow();
      const response = await fetch(CHECKS_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
        body: JSON.stringify({ protocol: choice.protocol, target: choice.target.trim() }),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: controller.signal,
      });
      const body: unknown = await response.json().catch(() => null);
      setRun({ kind: 'answered', status: response.status, body, connectionKey: connectionKeysNow(captureInstanceOf(body)) });
      onAnswered?.(sentAfter);
    } catch {
      setRun(controller.signal.aborted ? { kind: 'cancelled' } : { kind: 'network-error' });
    } finally {
      release();
      running.current = null;
    }
  };

  return { run, isRunning: run.kind === 'running', start, cancel: () => running.current?.abort(), cancelButton, result };
}
