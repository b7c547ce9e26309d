// How long a check waits for an event the student's server pushes (a WebSocket message, a GraphQL
// subscription's "next"), and how a report says what it waited. Three rules, each for a reason:
// - an event a check expects gets the check's whole limit (checkTimeoutMs) from the action that
//   should make it: an honest server on a loaded laptop may take seconds to act (the waits were
//   a fixed 1.5 s);
// - once one client of several has the event, the others get shortEventWaitMs from that arrival:
//   a server tells its clients in one go, so a server that tells only one fails fast, and frames
//   that arrived meanwhile are queued (CheckedWebSocket), not lost;
// - a suite run remembers (EventWaits, in the suite's state): once a wait of the whole limit saw
//   no event, later waits get shortEventWaitMs, until an event arrives again. A server that sends
//   no events (a skeleton) then costs the whole limit once a run, not in every check; one that
//   sends them keeps the whole limit in every check.
import type { Bilingual } from '../../shared/bilingual.ts';
import { NoAnswer } from './check-kit.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { OPCODE, type CheckedWebSocket, type Frame } from './websocket-client.ts';

/** A wait for an event: how long, from the action that should make it. */
export interface EventWindow {
  ms: number;
  /** The check's limit this window was cut from because an earlier wait of this run saw no event at all; null when it was not. */
  shortenedFrom: number | null;
}

/** How a wait ended: its event came, its time ran out, or neither (the connection closed, an error answered). */
export type WaitEnd = 'arrived' | 'timed-out' | 'other';

/** One suite run's memory of its event waits; a new one every run (the suite's `prepare` makes it). */
export class EventWaits {
  private heard = false;
  private missedWholeWait = false;

  constructor(readonly limits: { checkTimeoutMs: number; shortEventWaitMs: number } = OWN_SERVER_LIMITS) {}

  /** The window for the next event a check expects. */
  window(): EventWindow {
    const { checkTimeoutMs, shortEventWaitMs } = this.limits;
    return this.missedWholeWait && !this.heard ? { ms: shortEventWaitMs, shortenedFrom: checkTimeoutMs } : { ms: checkTimeoutMs, shortenedFrom: null };
  }

  /**
   * What a wait in `window` came to. Only a wait of the whole limit that ran out shortens the
   * next ones (a closed connection cost nothing); any event lengthens them again.
   */
  ended(window: EventWindow, end: WaitEnd): void {
    if (end === 'arrived') this.heard = true;
    else if (end === 'timed-out' && window.shortenedFrom === null) this.missedWholeWait = true;
  }
}

/**
 * "within 5000 ms" (`since` after it: " of the first createUser's answer"), and why when the wait
 * was short: a report names the wait it used.
 */
export function withinWindow(window: EventWindow, since: Bilingual = { en: '', ru: '' }): Bilingual {
  const within = { en: `within ${window.ms} ms${since.en}`, ru: `за ${window.ms}\u00a0мс${since.ru}` };
  const whole = window.shortenedFrom;
  if (whole === null) return within;
  return {
    en: `${within.en} (shortened: earlier in this run a check waited the whole ${whole} ms and no event came)`,
    ru: `${within.ru} (меньше обычного: раньше в этом запуске проверка ждала событие все ${whole}\u00a0мс и не дождалась)`,
  };
}

/** What one socket's wait came to: what `pick` took (null if nothing), and the wait it had. */
export interface SocketWait<T> {
  found: T | null;
  end: WaitEnd;
  /** The window, or for a socket that waited on after another one's event: shortEventWaitMs from it. */
  wait: EventWindow;
  /** The index of the socket whose event began this socket's shorter wait, if one did. */
  after: number | null;
}

/**
 * Waits on every socket at once for the first frame `pick` takes (it returns null to skip one),
 * from now: the window `waits` gives, and once one socket has its frame, shortEventWaitMs more
 * for the others from that moment (shorter or longer than the window's rest). A close frame or the
 * connection's end ends that socket's wait. Tells `waits` how it went: the event came (on any
 * socket), or the window ran out on all.
 */
export async function firstOnEach<T>(waits: EventWaits, sockets: CheckedWebSocket[], pick: (frame: Frame) => T | null): Promise<SocketWait<T>[]> {
  const window = waits.window();
  let deadline = Date.now() + window.ms;
  let first: number | null = null;
  const moved = new AbortController();
  const ends = await Promise.all(
    sockets.map(async (socket, index) => {
      const result = await firstOn(socket, pick, () => deadline, moved.signal);
      if (result.found !== null && first === null) {
        first = index;
        deadline = Date.now() + waits.limits.shortEventWaitMs;
        moved.abort();
      }
      return result;
    }),
  );
  const arrived = ends.some((result) => result.end === 'arrived');
  waits.ended(window, arrived ? 'arrived' : ends.some((result) => result.end === 'timed-out') ? 'timed-out' : 'other');
  return ends.map((result) => {
    const after = first !== null && result.found === null ? first : null;
    return { ...result, after, wait: after === null ? window : { ms: waits.limits.shortEventWaitMs, shortenedFrom: null } };
  });
}

async function firstOn<T>(
  socket: CheckedWebSocket,
  pick: (frame: Frame) => T | null,
  deadline: () => number,
  moved: AbortSignal,
): Promise<{ found: T | null; end: WaitEnd }> {
  for (;;) {
    const remaining = deadline() - Date.now();
    let frame: Frame | null;
    try {
      // past the deadline still one look: a frame already queued came in time, our turn was late
      frame = await socket.next(Math.max(0, remaining), remaining > 0 ? moved : undefined);
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      // woken because the deadline moved, or it moved later meanwhile: wait again to the new one
      if (deadline() > Date.now()) continue;
      return { found: null, end: 'timed-out' };
    }
    if (!frame || frame.opcode === OPCODE.close) return { found: null, end: 'other' };
    const found = pick(frame);
    if (found !== null) return { found, end: 'arrived' };
  }
}
