// A subscription across a restart of the server. Wirelab's server, stopping, closes every
// GraphQL WebSocket with 1001 "going away" (server/listener/goodbye.ts; a relay to the student's
// own server with 1001 and its fact `wirelab-stopping`). graphql-ws's client counts 1001 as not
// fatal and can retry (its `retryAttempts`, `shouldRetry`, `retryWait`; after a reconnect it
// subscribes again by itself): it is told to retry only from such a close until it is connected
// again — a drop or a refusal still ends the subscription with its error, as before.

import type { Bilingual } from '../../../shared/bilingual.ts';
import { readRelayFact, relayFactText } from '../../../contracts/own-server/relays.ts';
import { GOING_AWAY } from '../../../wire/websocket/close-codes.ts';

/** Reconnects tried while the server is away: 1, 2, 4 s, then every 5 s, about three minutes in all. */
export const RESTART_RETRY_ATTEMPTS = 40;
const RETRY_WAIT_MAX_MS = 5_000;

/** A WebSocket's close as the clients hand it over (a browser CloseEvent, or its code and reason). */
export interface WebSocketClose {
  code: number;
  reason: string;
}

export function isWebSocketClose(value: unknown): value is WebSocketClose {
  const close = value as Partial<WebSocketClose> | null;
  return typeof close === 'object' && close !== null && typeof close.code === 'number' && typeof close.reason === 'string';
}

/** What the page says of the close that told it the server went away: a relay's fact, or the code and reason. */
export function goingAwayText(close: WebSocketClose): Bilingual {
  const fact = readRelayFact(close.code, close.reason);
  if (fact) return relayFactText(fact);
  const reason = close.reason;
  return {
    en: `the WebSocket closed with ${close.code}${reason ? ` “${reason}”` : ''}`,
    ru: `WebSocket закрыт с кодом ${close.code}${reason ? `, причина «${reason}»` : ''}`,
  };
}

/** A subscription's error that is the server going away: the client that carried it does not resubscribe. */
export class ServerWentAway extends Error {
  constructor(readonly close: WebSocketClose) {
    super(`WebSocket closed: ${close.code} ${close.reason}`);
  }
}

/** The subscriptions' side: the server went away (with its close), and it is back. */
export interface RestartListener {
  away(close: WebSocketClose): void;
  back(): void;
}

/** graphql-ws's wait before retry number `retries` (0 first): 1, 2, 4 s, then 5 s, as the other consoles back off. */
export function restartRetryWait(retries: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, RETRY_WAIT_MAX_MS)));
}

/**
 * One graphql-ws client's view of a restart: fed its `closed` and `connected` events, it answers
 * `shouldRetry` and tells the subscriptions' listeners.
 */
export class ServerRestartWatch {
  private awayBy: WebSocketClose | null = null;
  private readonly listeners = new Set<RestartListener>();

  closed(event: unknown): void {
    if (this.awayBy || !isWebSocketClose(event) || event.code !== GOING_AWAY) return;
    this.awayBy = { code: event.code, reason: event.reason };
    for (const listener of this.listeners) listener.away(this.awayBy);
  }

  connected(): void {
    if (!this.awayBy) return;
    this.awayBy = null;
    for (const listener of this.listeners) listener.back();
  }

  /**
   * The client stopped retrying (its attempts ran out: a subscription got the error): the next
   * subscription starts afresh, and its first failure is an error again, not a silent retry.
   */
  gaveUp(): void {
    this.awayBy = null;
  }

  /** Retry only while the server is away: from its 1001 on, the refused connections while it restarts too. */
  shouldRetry(): boolean {
    return this.awayBy !== null;
  }

  listen(listener: RestartListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
