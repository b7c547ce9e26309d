import { useState } from 'react';
import type { InspectedExchange } from '../../inspector/capture-store.ts';
import type { PollAnswer } from './poll-answer.ts';

/** Polls the timeline keeps; older ones are dropped. */
export const MAX_TIMELINE_POLLS = 200;

export interface Poll {
  number: number;
  since: string;
  /** ms epoch, browser clock */
  sentAt: number;
  /** from sending to the whole answer, as the page measured it */
  heldMs?: number;
  /** from the request's last byte to the response's first byte, as captured on the wire */
  wireHeldMs?: number;
  /** `not-back`: the request failed while the server is away (after its 503); the loop asks again after `retryMs` */
  outcome?:
    | PollAnswer
    | { kind: 'dropped' }
    | { kind: 'stopped' }
    | { kind: 'failed'; message: string }
    | { kind: 'not-back'; message: string; retryMs: number };
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
