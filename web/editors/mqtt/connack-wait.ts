/** How long the console waits for CONNACK once CONNECT has left (the WebSocket opened). */
export const CONNACK_WAIT_MS = 10_000;

const TICK_MS = 1_000;
/** the most one tick counts, however late it ran: the rest is time the page could not listen */
const MAX_TICK_COUNTED_MS = 2 * TICK_MS;

/**
 * Calls `onTimeout` once the page has waited `waitMs` for CONNACK, counted from `start()` (the
 * WebSocket's open: CONNECT leaves then, not at the click). The time is counted in ticks of 1 s,
 * each worth at most 2 s: a page too busy to run its tasks (a loaded machine, a lesson page
 * still building its editors) does not count that time against the broker, since a CONNACK that
 * came meanwhile waits in the page's own queue. mqtt.js's `connectTimeout` counted from the click,
 * handshake and busy page included, and closed connections whose CONNACK had come.
 */
export function connackWait(onTimeout: () => void, waitMs = CONNACK_WAIT_MS, now: () => number = () => performance.now()) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let counted = 0;
  let last = 0;
  let over = false;
  const tick = () => {
    const at = now();
    counted += Math.min(at - last, MAX_TICK_COUNTED_MS);
    last = at;
    if (counted >= waitMs) {
      over = true;
      onTimeout();
    } else timer = setTimeout(tick, TICK_MS);
  };
  return {
    start() {
      if (over || timer !== undefined) return;
      last = now();
      timer = setTimeout(tick, TICK_MS);
    },
    /** CONNACK came, or the connection closed: no timeout after this */
    stop() {
      over = true;
      clearTimeout(timer);
    },
  };
}
