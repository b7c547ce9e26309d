import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONNACK_WAIT_MS, connackWait } from './connack-wait.ts';

describe('the console’s wait for CONNACK', () => {
  const now = () => Date.now();
  /** the page's time passing with the page free to run its timers */
  const pass = (ms: number) => vi.advanceTimersByTime(ms);
  /** the page's main thread held for `ms`: the clock moves, no timer runs; then the one due runs, late */
  const busy = (ms: number) => {
    vi.setSystemTime(Date.now() + ms);
    vi.advanceTimersByTime(1_000);
  };

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives up once the page has waited its time from the WebSocket’s open, not from the click', () => {
    const timedOut = vi.fn();
    const wait = connackWait(timedOut, CONNACK_WAIT_MS, now);
    pass(60_000); // the handshake, however long it takes, is not the broker's time
    wait.start();
    pass(CONNACK_WAIT_MS - 1_000);
    expect(timedOut).not.toHaveBeenCalled();
    pass(1_000);
    expect(timedOut).toHaveBeenCalledTimes(1);
    pass(60_000);
    expect(timedOut).toHaveBeenCalledTimes(1);
  });

  it('does not count the time a busy page could not listen: the CONNACK waiting in its queue still counts', () => {
    const timedOut = vi.fn();
    const wait = connackWait(timedOut, CONNACK_WAIT_MS, now);
    wait.start();
    busy(11_000);
    expect(timedOut).not.toHaveBeenCalled();
    // the CONNACK read next: the wait ends
    wait.stop();
    pass(60_000);
    expect(timedOut).not.toHaveBeenCalled();
  });

  it('still gives up on a broker that never answers, busy page or not', () => {
    const timedOut = vi.fn();
    connackWait(timedOut, CONNACK_WAIT_MS, now).start();
    busy(11_000);
    pass(CONNACK_WAIT_MS);
    expect(timedOut).toHaveBeenCalledTimes(1);
  });

  it('never gives up once stopped, even if the WebSocket opens after the close', () => {
    const timedOut = vi.fn();
    const wait = connackWait(timedOut, CONNACK_WAIT_MS, now);
    wait.stop();
    wait.start();
    pass(60_000);
    expect(timedOut).not.toHaveBeenCalled();
  });
});
