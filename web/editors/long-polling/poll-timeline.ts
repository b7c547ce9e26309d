import { useState } from 'react';
import type { InspectedExchange } from '../../inspector/capture-store.ts';
import type { PollAnswer } from './poll-answer.ts';

/** Polls the timeline keeps; older ones are dropped. */
export const MAX_TIMELINE_POLLS = 200;

/** A poll that got no answer: what the loop made of it. */
export type FailedPoll =
  | { kind: 'dropped' }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string }
  | { kind: 'lost' | 'not-back'; message: string; retryMs: number };

/** How many times the loop asks again while the server is away or lost: about three minutes at 5 s. */
export const MAX_AWAY_RETRIES = 36;

/** Where the loop stood when a poll's request failed. */
export interface LoopStanding {
  /** Drop cut this poll (the loop goes on). */
  dropped: boolean;
  /** Stop was pressed. */
  stopped: boolean;
  /** Asks since the server said it is stopping (a 503) or a poll was lost, until one is answered again; null while it is there. */
  awayRetries: number | null;
  /** An earlier poll of this loop was answered: the address is right, the server was there. */
  answered: boolean;
}

/**
 * What a failed request makes of its poll. After an answered poll a refused or cut connection is
 * the server going away without a word (killed, an instance gone behind the load balancer, the
 * Wi-Fi): the loop asks again with the same since, as after a 503, and says so; it stopped there
 * ("failed"), and a student following the class had to press Start again. A first poll that
 * fails is a wrong address or a server not started: said at once, the loop stops.
 */
export function failedPoll(standing: LoopStanding, message: string, retryMs: number): FailedPoll {
  if (standing.dropped) return { kind: 'dropped' };
  if (standing.stopped) return { kind: 'stopped' };
  const away = standing.awayRetries !== null;
  if ((away || standing.answered) && (standing.awayRetries ?? 0) < MAX_AWAY_RETRIES) {
    return { kind: away ? 'not-back' : 'lost', message, retryMs };
  }
  return { kind: 'failed', message };
}

export interface Poll {
  number: number;
  since: string;
  /** ms epoch, browser clock */
  sentAt: number;
  /** from sending to the whole answer, as the page measured it */
  heldMs?: number;
  /** from the request's last byte to the response's first byte, as captured on the wire */
  wireHeldMs?: number;
  /**
   * `lost`: the request failed after an earlier poll of the loop was answered (a restart, an
   * instance gone, Wi-Fi), `not-back`: it failed again, or while the server is away (after its
   * 503); either way the loop asks again after `retryMs` with the same since. `failed`: the first
   * poll failed (a wrong address), or the server stayed away: the loop stops.
   */
  outcome?: PollAnswer | FailedPoll;
  /** undefined: still looking; null: not captured */
  exchange?: InspectedExchange | null;
  /** after a miss, looks for the poll's exchange once more (its bytes may reach the page late) and fills in the row */
  lookAgain?: () => Promise<InspectedExchange | null>;
}

/** The timeline with one more poll, and how many of the oldest it dropped to stay within the limit. */
export function withPoll(polls: readonly Poll[], poll: Poll, limit = MAX_TIMELINE_POLLS): { polls: Poll[]; dropped: number } {
  const next = [...polls, poll];
  return next.length <= limit ? { polls: next, dropped: 0 } : { polls: next.slice(next.length - limit), dropped: next.length - limit };
}

/** The console's timeline: a row per poll, filled in as its answer and its captured bytes arrive. */
export function usePollTimeline() {
  const [polls, setPolls] = useState<Poll[]>([]);
  const [trimmed, setTrimmed] = useState(0);

  const updatePoll = (number: number, change: Partial<Poll>) =>
    setPolls((current) => current.map((poll) => (poll.number === number ? { ...poll, ...change } : poll)));

  const addPoll = (poll: Poll) =>
    setPolls((current) => {
      const next = withPoll(current, poll);
      if (next.dropped > 0) setTrimmed((count) => count + next.dropped);
      return next.polls;
    });

  return { polls, trimmed, addPoll, updatePoll };
}
