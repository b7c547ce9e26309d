// A cell's request sent to the student's own server: Wirelab's server sends it
// (POST /_wirelab/own-server/http, contracts/own-server/http-relay.ts) through a guarded, tapped
// connection and answers what the student's server answered; a refusal comes as problem+json.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { OWN_SERVER_HTTP_PATH, type OwnServerHttpAnswer } from '../../../contracts/own-server/http-relay.ts';
import { captureTimeNow, sessionReady } from '../../kit/session.ts';
import { decodeBase64 } from '../../../wire/base64.ts';
import type { FetchPlan } from './fetch-limits.ts';
import type { FetchedResponse } from './send-request.ts';

export type OwnServerOutcome =
  | { kind: 'response'; response: FetchedResponse; sentAfter: number }
  | { kind: 'refused'; status: number; message: Bilingual | null };

export async function sendToOwnServer(plan: FetchPlan, address: string): Promise<OwnServerOutcome> {
  await sessionReady();
  const sentAfter = captureTimeNow();
  const answer = await fetch(OWN_SERVER_HTTP_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
    body: JSON.stringify({ target: address.trim(), method: plan.method, path: plan.target, headers: plan.headers, body: plan.body }),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const body: unknown = await answer.json().catch(() => null);
  if (!answer.ok) return { kind: 'refused', status: answer.status, message: localizedOf(body) };
  const relayed = body as OwnServerHttpAnswer;
  return {
    kind: 'response',
    sentAfter,
    response: {
      status: relayed.status,
      statusText: relayed.statusText,
      redirected: false,
      headers: relayed.headers,
      body: decodeBase64(relayed.body) ?? new Uint8Array(0),
      durationMs: relayed.durationMs,
    },
  };
}

function localizedOf(body: unknown): Bilingual | null {
  const localized = (body as { localized?: Bilingual } | null)?.localized;
  return localized && typeof localized.en === 'string' && typeof localized.ru === 'string' ? localized : null;
}
