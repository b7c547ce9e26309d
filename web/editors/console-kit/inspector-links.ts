import { captureTimeNow } from '../../kit/session.ts';
import { getCaptureStore, type CaptureSnapshot, type ConnectionView, type InspectedExchange } from '../../inspector/capture-store.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import type { WireMessage } from '../../../wire/types.ts';
import { CAPTURE_WAIT_MS, claimNextExchange, connectionView, waitForCapture, type ExchangeQuery } from './capture-links.ts';

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
 */
export function watchExchange(
  query: Omit<ExchangeQuery, 'after'> & { after?: number },
  onFound?: (exchange: InspectedExchange) => void,
  timeoutMs = CAPTURE_WAIT_MS,
): Promise<InspectedExchange | null> {
  const exchange = claimNextExchange(getCaptureStore(), { ...query, after: query.after ?? captureTimeNow() }, timeoutMs);
  void exchange.then((found) => {
    if (found) onFound?.(found);
  });
  return exchange;
}

/**
 * watchExchange for a request whose rows link to it for as long as the console shows them (an
 * event stream): the exchange, or after a miss one more wait for the same request at each ask.
 * Its bytes can reach the page later than the first wait (a loaded machine, a slow network), and
 * every row of the stream then said "not captured" for good, a click again too.
 */
export function watchExchangeAgainAfterMiss(
  query: Omit<ExchangeQuery, 'after'> & { after?: number },
  onFound?: (exchange: InspectedExchange) => void,
): () => Promise<InspectedExchange | null> {
  const sent = { ...query, after: query.after ?? captureTimeNow() };
  let current = watchExchange(sent, onFound);
  return () => {
    const asked = current.then((found) => found ?? watchExchange(sent));
    current = asked;
    return asked;
  };
}

/** The message `pick` finds in the capture store (on any connection), as a selection. */
export async function findMessageSelection(pick: (snapshot: CaptureSnapshot) => WireMessage | undefined): Promise<Selection | null> {
  const found = await waitForCapture(getCaptureStore(), pick, CAPTURE_WAIT_MS);
  return found ? { conn: found.conn, message: found.index } : null;
}

/** A link to a message of one captured connection (a frame, a packet), known once `conn` is. */
export function connectionMessageLink(
  conn: Promise<string | null>,
  pick: (view: ConnectionView | undefined) => WireMessage | undefined,
): () => Promise<Selection | null> {
  return async () => {
    const id = await conn;
    return id ? findMessageSelection((snapshot) => pick(connectionView(snapshot, id))) : null;
  };
}
