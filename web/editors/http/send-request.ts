import type { HttpExchange } from '../../../wire/types.ts';
import { waitForExchangeAgainAfterMiss } from '../console-kit/inspector-links.ts';
import { captureTimeNow, sessionReady } from '../../kit/session.ts';
import type { FetchPlan } from './fetch-limits.ts';

export interface FetchedResponse {
  /** 0 for a redirect: with redirect: 'manual' a page sees only that one happened */
  status: number;
  statusText: string;
  redirected: boolean;
  headers: Array<[string, string]>;
  body: Uint8Array;
  durationMs: number;
}

/** Sends a planned request exactly as typed (what fetch allows) and reads the whole response. */
export async function sendRequest(plan: FetchPlan): Promise<{ response: FetchedResponse; sentAfter: number }> {
  await sessionReady();
  const sentAfter = captureTimeNow();
  const started = performance.now();
  const response = await fetch(plan.url, {
    method: plan.method,
    headers: plan.headers,
    body: plan.body,
    cache: 'no-store',
    credentials: 'same-origin',
    redirect: 'manual',
  });
  const body = new Uint8Array(await response.arrayBuffer());
  const durationMs = performance.now() - started;
  return {
    sentAfter,
    response: {
      status: response.status,
      statusText: response.statusText,
      redirected: response.type === 'opaqueredirect',
      headers: [...response.headers],
      body,
      durationMs,
    },
  };
}

/**
 * The captured bytes of that request, decoded (told to `onFound`); `found` is null when they did
 * not come within 3 s (recording off, or late), and then each `lookAgain` waits for them once more.
 */
export function findCapturedExchange(plan: FetchPlan, sentAfter: number, onFound: (exchange: HttpExchange) => void) {
  return waitForExchangeAgainAfterMiss({ method: plan.method, target: plan.target, after: sentAfter, timeoutMs: 3000 }, onFound);
}
