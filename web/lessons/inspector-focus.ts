import { useCallback, useRef, useState } from 'react';
import type { HttpExchange } from '../../wire/types.ts';
import type { Selection } from '../inspector/exchange-sections.ts';
import { captureTimeNow } from '../kit/session.ts';

/**
 * What the dock's inspector shows: what the reader asked for (`inspect`: a log row's link, a
 * cell's bytes; or a row picked in the inspector itself, told by `readerPicked`), or a cell's
 * exchange once its bytes are found (`showExchange`). An exchange whose request was sent before
 * the reader's last ask does not replace what they asked for. Its bytes can be found after those
 * of what they clicked: an SSE console's `user.created` row, clicked right after the REST call
 * that caused it, had the inspector jump from the event to that POST a moment later
 * (tests/e2e/realtime-consoles.test.ts and csp.test.ts, now and then under load); a row of the
 * earlier server clicked in the inspector lost to the cell's exchange found after the click
 * (inspector-restart.test.ts). captureTimeNow() answers a second early when the page's clock is
 * not the server's: such an exchange is then shown, as before.
 */
export function useInspectorFocus() {
  const [focus, setFocus] = useState<Selection | undefined>(undefined);
  const askedAt = useRef(Number.NEGATIVE_INFINITY);
  const inspect = useCallback((selection: Selection) => {
    askedAt.current = captureTimeNow();
    // a new object even for the same selection: the inspector lets a new ask replace a row picked since (inspector.tsx)
    setFocus({ ...selection });
  }, []);
  const readerPicked = useCallback(() => {
    askedAt.current = captureTimeNow();
  }, []);
  const showExchange = useCallback((exchange: HttpExchange) => {
    if (exchange.request.firstByteAt < askedAt.current) return;
    setFocus({ conn: exchange.conn, index: exchange.index });
  }, []);
  return { focus, inspect, readerPicked, showExchange };
}
