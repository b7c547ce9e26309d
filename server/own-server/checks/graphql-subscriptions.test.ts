// How the subscription checks wait for a "next": the run's window from the first user's answer
// (the check's whole limit), another user every 1.5 s while nothing came (a subscription may go
// live late), any of them counting; and a run whose server sent none in a whole window waits 1.5 s
// after. On a fake clock and a fake socket: every bound is exact, whatever the machine's load.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventWaits } from '../event-waits.ts';
import { TransportSession } from '../graphql-client.ts';
import { checkedOn, FakeSocket, LIMITS, timed } from '../event-waits-fakes.ts';
import type { Handshake } from '../websocket-client.ts';
import { EVENT_ATTEMPTS, eventFor } from './graphql-subscriptions.ts';
import type { MadeUser } from './graphql-users.ts';

const next = (id: string, email: string) => ({ id, type: 'next', payload: { data: { userChanged: { kind: 'CREATED', id: '9', user: { email } } } } });

/**
 * A session over a fake socket, and a createUser that answers at once and lets the test decide
 * when (if ever) its event comes, and for which subscription.
 */
function fixture(eventAfter: (attempt: number) => number | null, subscription = 'sub') {
  const fake = new FakeSocket();
  const signal = new AbortController().signal;
  const session = new TransportSession({} as Handshake, checkedOn(fake, signal), signal);
  const made: string[] = [];
  const create = async (tag: string): Promise<MadeUser> => {
    const email = `${tag}@example.com`;
    const delay = eventAfter(made.length);
    made.push(email);
    if (delay !== null) setTimeout(() => fake.say(JSON.stringify(next(subscription, email))), delay);
    return { id: String(made.length), email, answer: null };
  };
  return { session, create, made };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('eventFor', () => {
  it("takes the first user's next when it comes 2.5 s after the answer (a second user was made meanwhile)", async () => {
    const waits = new EventWaits(LIMITS);
    const { session, create } = fixture((attempt) => (attempt === 0 ? 2_500 : null));
    const { value, ms } = await timed(eventFor(waits, session, 'sub', create, []));
    expect(value.outcome.found?.type).toBe('next');
    expect(value.emails).toHaveLength(2);
    expect(ms).toBeLessThanOrEqual(2_600);
    expect(waits.window().ms).toBe(5_000);
  });

  it("takes a later user's next when the subscription went live after the first user", async () => {
    const waits = new EventWaits(LIMITS);
    const { session, create } = fixture((attempt) => (attempt === 1 ? 2_000 : null));
    const { value } = await timed(eventFor(waits, session, 'sub', create, []));
    expect(value.outcome.found?.type).toBe('next');
    expect(value.emails).toEqual(['event-0@example.com', 'event-1@example.com', 'event-2@example.com']);
  });

  it("does not take another subscription's next", async () => {
    const waits = new EventWaits(LIMITS);
    const { session, create } = fixture(() => 100, 'other');
    const { value } = await timed(eventFor(waits, session, 'sub', create, []));
    expect(value.outcome.found).toBeNull();
    expect(value.outcome.timedOut).toBe(true);
  });

  it('a server that never sends one costs the whole window once (three users), then 1.5 s (one user)', async () => {
    const waits = new EventWaits(LIMITS);
    const first = fixture(() => null);
    const whole = await timed(eventFor(waits, first.session, 'sub', first.create, []));
    expect(whole.value.outcome.timedOut).toBe(true);
    expect(first.made).toHaveLength(EVENT_ATTEMPTS);
    expect(whole.ms).toBeGreaterThanOrEqual(5_000);
    expect(whole.ms).toBeLessThanOrEqual(5_100);

    const later = fixture(() => null);
    const short = await timed(eventFor(waits, later.session, 'sub', later.create, []));
    expect(short.value.window).toEqual({ ms: 1_500, shortenedFrom: 5_000 });
    expect(later.made).toHaveLength(1);
    expect(short.ms).toBeGreaterThanOrEqual(1_500);
    expect(short.ms).toBeLessThanOrEqual(1_600);
  });

  it('no user made, nothing to wait for', async () => {
    const waits = new EventWaits(LIMITS);
    const { session } = fixture(() => null);
    const { value, ms } = await timed(eventFor(waits, session, 'sub', async (tag) => ({ id: null, email: tag, answer: null }), []));
    expect(value.outcome.timedOut).toBe(false);
    expect(ms).toBeLessThanOrEqual(100);
    expect(waits.window().ms).toBe(5_000);
  });
});
