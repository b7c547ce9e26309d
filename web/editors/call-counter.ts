/**
 * Numbers a cell's calls (a Run, a runner call's Start, an attempt refused before it went), so
 * that an answer for an older call is dropped: a look-again's find comes seconds after the click
 * (console-kit/inspector-links.ts, waitForExchangeAgainAfterMiss), and by then the student may
 * have started another call, whose view the old answer overwrote. The HTTP, gRPC and GraphQL
 * cells and the own-server cell number theirs with one.
 */
export interface CallCounter {
  /** A new call begins: its number, and every earlier call's answers are stale from now on. */
  next(): number;
  /** Whether `call` is still the cell's latest call (its answers may be shown). */
  isLatest(call: number): boolean;
  /** `act` for `call`'s answers: it does nothing once a later call began. */
  whileLatest<A extends unknown[]>(call: number, act: (...args: A) => void): (...args: A) => void;
}

export function callCounter(): CallCounter {
  let latest = 0;
  const isLatest = (call: number) => call === latest;
  return {
    next: () => ++latest,
    isLatest,
    whileLatest:
      (call, act) =>
      (...args) => {
        if (isLatest(call)) act(...args);
      },
  };
}
