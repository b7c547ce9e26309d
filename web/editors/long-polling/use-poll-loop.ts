import { useEffect, useRef, useState } from 'react';
import { captureTimeNow, sessionReady } from '../../kit/session.ts';
import type { InspectedExchange } from '../../inspector/capture-store.ts';
import { askAgainAfterMiss, type ExchangeQuery } from '../console-kit/capture-links.ts';
import { watchExchange } from '../console-kit/inspector-links.ts';
import { messageOf } from '../console-kit/text.ts';
import { DEFAULT_RETRY_AFTER_MS, pollTarget, readPollAnswer, type PollAnswer } from './poll-answer.ts';
import { failedPoll, usePollTimeline, type Poll } from './poll-timeline.ts';

/** How long the captured exchange of a finished poll may take to arrive through the capture channel. */
const EXCHANGE_WAIT_MS = 5000;

interface LoopState {
  stop: boolean;
  current: AbortController | null;
  dropped: boolean;
  /** asks since the server said it is stopping (503) or a poll was lost, until one is answered again; null while it is there */
  awayRetries: number | null;
  /** a poll of this loop was answered */
  answered: boolean;
  /** ends the wait before the next ask at once (Stop) */
  wake: (() => void) | null;
}

/** Waits `ms` before the loop asks again; Stop ends the wait at once. */
function pause(state: LoopState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => state.wake?.(), ms);
    state.wake = () => {
      clearTimeout(timer);
      state.wake = null;
      resolve();
    };
  });
}

/** A poll that got no answer because the server is away or gone for now: the loop asks again after a wait. */
const NOT_BACK = { kind: 'not-back' } as const;

/** Stops a loop: the waiting request is aborted, a wait before the next ask ends. */
function stopLoop(state: LoopState): void {
  state.stop = true;
  state.current?.abort();
  state.wake?.();
}

/**
 * Finds a poll's captured exchange and fills in its row (`fill`): the bytes, the hold on the wire;
 * `onFound` is the inspector's focus (an answered poll's). After a miss the row's "not captured"
 * looks again at a click (`lookAgain`): a poll's bytes can reach the page after the first wait
 * (a loaded machine, a slow network), and the row said "not captured" for good.
 */
function findPollExchange(query: ExchangeQuery, fill: (change: Partial<Poll>) => void, onFound?: (exchange: InspectedExchange) => void): void {
  const show = (found: InspectedExchange | null) =>
    fill({
      exchange: found,
      ...(found?.response?.complete ? { wireHeldMs: Math.max(0, Math.round(found.response.firstByteAt - found.request.lastByteAt)) } : {}),
    });
  const first = watchExchange(query, undefined, EXCHANGE_WAIT_MS);
  const ask = askAgainAfterMiss(first, () => watchExchange(query, undefined, EXCHANGE_WAIT_MS));
  const lookAgain = async () => {
    const found = await ask();
    show(found);
    return found;
  };
  void first.then((found) => {
    fill({ lookAgain });
    show(found);
    if (found) onFound?.(found);
  });
}

/**
 * The long polling loop: GET with `since`, wait for the answer, GET again with the answer's
 * `next` — until Stop, an error answer or a failed request. Each poll is a row of the timeline.
 */
export function usePollLoop(onExchange: ((exchange: InspectedExchange) => void) | undefined, onCursor: (since: string) => void) {
  const [running, setRunning] = useState(false);
  const { polls, trimmed, addPoll, updatePoll } = usePollTimeline();
  const loop = useRef<LoopState | null>(null);
  const numbers = useRef(0);
  // one GET per poll: a poll's look-again ends where the next poll began (ExchangeQuery.before)
  const lastPoll = useRef<ExchangeQuery | null>(null);
  const watchPoll = (query: ExchangeQuery) => {
    lastPoll.current = query;
    return query;
  };

  useEffect(
    () => () => {
      if (loop.current) stopLoop(loop.current);
    },
    [],
  );

  /** One poll: its row, its answer (null when it has none: dropped, stopped, failed; NOT_BACK: failed, to be asked again: lost, not back). */
  const poll = async (state: LoopState, target: string, cursor: string): Promise<PollAnswer | typeof NOT_BACK | null> => {
    const number = ++numbers.current;
    const controller = new AbortController();
    state.current = controller;
    state.dropped = false;
    const after = captureTimeNow();
    if (lastPoll.current) lastPoll.current.before = after;
    const sentAt = Date.now();
    addPoll({ number, since: cursor, sentAt });
    try {
      const response = await fetch(target, {
        cache: 'no-store',
        credentials: 'same-origin',
        signal: controller.signal,
        headers: { Accept: 'application/json' },
      });
      const answer = readPollAnswer(response.status, await response.text(), cursor, response.headers.get('retry-after'));
      state.answered = true;
      updatePoll(number, { heldMs: Date.now() - sentAt, outcome: answer });
      // The bytes of a finished poll: the hold as it was on the wire, and the inspector's focus.
      findPollExchange(
        watchPoll({ method: 'GET', target, after, accept: (candidate) => candidate.response?.complete === true }),
        (change) => updatePoll(number, change),
        onExchange,
      );
      return answer;
    } catch (error) {
      const standing = { dropped: state.dropped, stopped: state.stop, awayRetries: state.awayRetries, answered: state.answered };
      const outcome = failedPoll(standing, messageOf(error), DEFAULT_RETRY_AFTER_MS);
      updatePoll(number, { heldMs: Date.now() - sentAt, outcome });
      if (outcome.kind === 'failed') state.stop = true;
      // A dropped poll has a request and no answer: its bytes show the request that waited.
      findPollExchange(watchPoll({ method: 'GET', target, after }), (change) => updatePoll(number, change));
      return outcome.kind === 'not-back' || outcome.kind === 'lost' ? NOT_BACK : null;
    }
  };

  const start = async (url: string, since: string, hold: string) => {
    if (loop.current) return;
    const state: LoopState = { stop: false, current: null, dropped: false, awayRetries: null, answered: false, wake: null };
    loop.current = state;
    setRunning(true);
    await sessionReady();
    let cursor = since.trim() || '0';
    while (!state.stop) {
      const answer = await poll(state, pollTarget(url, cursor, hold), cursor);
      if (answer?.kind === 'error') state.stop = true;
      else if (answer?.kind === 'server-away' || answer?.kind === 'not-back') {
        // The server is stopping, restarting or gone for now: the same since once it is back, nothing lost.
        state.awayRetries = (state.awayRetries ?? 0) + 1;
        await pause(state, answer.kind === 'server-away' ? answer.retryAfterMs : DEFAULT_RETRY_AFTER_MS);
      } else if (answer) {
        state.awayRetries = null;
        cursor = answer.next;
        onCursor(cursor);
      }
    }
    loop.current = null;
    setRunning(false);
  };

  const stop = () => {
    if (loop.current) stopLoop(loop.current);
  };

  const drop = () => {
    if (!loop.current?.current) return;
    loop.current.dropped = true;
    loop.current.current.abort();
  };

  return { running, polls, trimmed, start, stop, drop };
}
