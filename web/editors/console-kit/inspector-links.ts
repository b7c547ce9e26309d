import { captureTimeNow } from '../../kit/session.ts';
import { getCaptureStore, type CaptureSnapshot, type ConnectionView, type InspectedExchange, type WaitForExchange } from '../../inspector/capture-store.ts';
import type { HttpExchange } from '../../../wire/types.ts';
import { messageSelection, type Selection } from '../../inspector/exchange-sections.ts';
import type { WireMessage } from '../../../wire/types.ts';
import { askAgainAfterMiss, CAPTURE_WAIT_MS, claimNextExchange, connectionView, waitForCapture, type ExchangeQuery } from './capture-links.ts';

// What a log row's "bytes" button runs: it finds the row's unit in this page's capture store
// (capture-links.ts says how) and answers the inspector selection, or null when the bytes did not
// come back in time. Each console builds its rows' links from these three.

/** A link to a whole exchange (a handshake, a GET, a POST) once its capture is known. */
export function exchangeLink(exchange: Promise<InspectedExchange | null> | (() => Promise<InspectedExchange | null>)): () => Promise<Selection | null> {
  return async () => {
    const found = await (typeof exchange === 'function' ? exchange() : exchange);
    return found ? { conn: found.conn, index: found.index } : null;
  };
}

/**
 * Starts looking for the exchange of a request the console sends now (`after` defaults to now,
 * so call it before the request goes), claims it, and tells `onFound` — the inspector follows the console.
 * A query that names its `after` is read as it is at each check: a `before` set on it later (the
 * next request of its kind began) applies to the wait under way.
 */
export function watchExchange(
  query: Omit<ExchangeQuery, 'after'> & { after?: number },
  onFound?: (exchange: InspectedExchange) => void,
  timeoutMs = CAPTURE_WAIT_MS,
): Promise<InspectedExchange | null> {
  return watchQuery(query.after === undefined ? { ...query, after: captureTimeNow() } : (query as ExchangeQuery), onFound, timeoutMs);
}

/** watchExchange of this very query object: a `before` set on it later applies to the wait under way too. */
function watchQuery(query: ExchangeQuery, onFound?: (exchange: InspectedExchange) => void, timeoutMs = CAPTURE_WAIT_MS): Promise<InspectedExchange | null> {
  const exchange = claimNextExchange(getCaptureStore(), query, timeoutMs);
  void exchange.then((found) => {
    if (found) onFound?.(found);
  });
  return exchange;
}

/** A request's exchange as its rows ask for it at each click (watchExchangeAgainAfterMiss). */
export interface ExchangeWatch {
  (): Promise<InspectedExchange | null>;
  /**
   * The console's next request of this kind begins at `time` (its `after`): this one's window ends
   * there (ExchangeQuery.before), for the wait under way and every later one.
   */
  endBefore(time: number): void;
}

/**
 * watchExchange for a request whose rows link to it for as long as the console shows them (an
 * event stream, a WebSocket's handshake and so its frames, a REST call's two rows): the
 * exchange, or after a miss one more wait for the same request at each ask. Its bytes can reach
 * the page later than the first wait (a loaded machine, a slow network), and every row linked to
 * it then said "not captured" for good, a click again too.
 */
export function watchExchangeAgainAfterMiss(
  query: Omit<ExchangeQuery, 'after'> & { after?: number },
  onFound?: (exchange: InspectedExchange) => void,
): ExchangeWatch {
  const sent: ExchangeQuery = { ...query, after: query.after ?? captureTimeNow() };
  const ask = askAgainAfterMiss(watchQuery(sent, onFound), () => watchQuery(sent));
  return Object.assign(ask, {
    endBefore: (time: number) => {
      sent.before = time;
    },
  });
}

export interface RequestsInTurn {
  /** watchExchangeAgainAfterMiss of the next request, which ends the window of the last one of its method and target */
  watch(query: Omit<ExchangeQuery, 'after'> & { after?: number }, onFound?: (exchange: InspectedExchange) => void): ExchangeWatch;
}

/**
 * The requests of one kind a console sends in turn — a WebSocket's or an MQTT connection's
 * handshake at each Connect, an SSE console's stream at each (re)connect, a pipeline lab's call of
 * one method and target — watched with watchExchangeAgainAfterMiss, each one's window ending
 * where the next one's begins. The query was "the first exchange of that method and target at or
 * after `after`": after a reconnect, an old connection whose handshake never came looked again
 * and claimed the next connection's. Disjoint windows make that impossible; the price, with a
 * page clock that disagrees with the server's (captureTimeNow() then answers a second early), is
 * that a request sent in the last second before the next one falls in the next one's window (it
 * did before, too). Kinds are told apart by method and target; one sequence per console.
 */
export function requestsInTurn(): RequestsInTurn {
  const last = new Map<string, ExchangeWatch>();
  return {
    watch(query, onFound) {
      const after = query.after ?? captureTimeNow();
      const key = `${query.method} ${String(query.target)}`;
      last.get(key)?.endBefore(after);
      const watch = watchExchangeAgainAfterMiss({ ...query, after }, onFound);
      last.set(key, watch);
      return watch;
    },
  };
}

/**
 * The exchange of a request a cell just sent (the HTTP, gRPC and GraphQL cells: the first of its
 * method and target since `after`, not claimed), as watchExchangeAgainAfterMiss has it for a
 * console: `found` is the first wait's answer, and `lookAgain`, after a miss, one more wait at each
 * ask (CAPTURE_WAIT_MS). Its bytes can reach the page later than that first wait, and the cell
 * said "not captured" for good. `onFound` hears of the exchange whichever wait finds it.
 */
export function waitForExchangeAgainAfterMiss(
  query: WaitForExchange,
  onFound: (exchange: HttpExchange) => void,
): { found: Promise<HttpExchange | null>; lookAgain: () => Promise<HttpExchange | null> } {
  const store = getCaptureStore();
  const tell = (exchange: HttpExchange | null) => {
    if (exchange) onFound(exchange);
    return exchange;
  };
  const first = store.waitForExchange(query);
  const ask = askAgainAfterMiss(first, () => store.waitForExchange({ ...query, timeoutMs: CAPTURE_WAIT_MS }));
  return { found: first.then(tell), lookAgain: () => ask().then(tell) };
}

/** The captured connection id of an exchange asked for as watchExchangeAgainAfterMiss answers. */
export function connectionOf(exchange: () => Promise<InspectedExchange | null>): () => Promise<string | null> {
  return async () => (await exchange())?.conn ?? null;
}

/** The message `pick` finds in the capture store (on any connection), as a selection. */
export async function findMessageSelection(pick: (snapshot: CaptureSnapshot) => WireMessage | undefined): Promise<Selection | null> {
  const found = await waitForCapture(getCaptureStore(), pick, CAPTURE_WAIT_MS);
  return found ? messageSelection(found) : null;
}

/**
 * A link to a message of one captured connection (a frame, a packet), known once `conn` is.
 * `conn` is asked at each click (connectionOf): a connection missed once is looked for again.
 */
export function connectionMessageLink(
  conn: () => Promise<string | null>,
  pick: (view: ConnectionView | undefined) => WireMessage | undefined,
): () => Promise<Selection | null> {
  return async () => {
    const id = await conn();
    return id ? findMessageSelection((snapshot) => pick(connectionView(snapshot, id))) : null;
  };
}
