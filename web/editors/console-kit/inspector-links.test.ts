import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureSnapshot, InspectedExchange } from '../../inspector/capture-store.ts';
import { CAPTURE_WAIT_MS, type CaptureSource, type ExchangeQuery } from './capture-links.ts';

// The page's capture store, as a source the test fills by hand (inspector-links.ts reads the store
// through getCaptureStore()); the capture clock is never read: every query names its `after`.
const store = vi.hoisted(() => {
  const listeners = new Set<() => void>();
  let snapshot = { status: 'open', recording: true, version: 0, connections: [], exchanges: [], messages: [] } as unknown as CaptureSnapshot;
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    set(exchanges: InspectedExchange[]) {
      snapshot = { ...snapshot, version: snapshot.version + 1, exchanges };
      for (const listener of listeners) listener();
    },
  } satisfies CaptureSource & { set(exchanges: InspectedExchange[]): void };
});
vi.mock('../../inspector/capture-store.ts', () => ({ getCaptureStore: () => store }));
vi.mock('../../kit/session.ts', () => ({ captureTimeNow: () => 0 }));

const { requestsInTurn, watchExchange, watchExchangeAgainAfterMiss } = await import('./inspector-links.ts');

function handshake(conn: string, at: number): InspectedExchange {
  return {
    conn,
    index: 0,
    transport: 'http/1.1',
    request: { method: 'GET', target: '/ws/echo', firstByteAt: at } as InspectedExchange['request'],
    response: { status: 101 } as NonNullable<InspectedExchange['response']>,
    connection: { id: conn, transport: 'http/1.1', remote: '', local: '', openedAt: at },
  };
}

const query = (after: number) => ({ method: 'GET', target: '/ws/echo', after, accept: (exchange: InspectedExchange) => exchange.response?.status === 101 });

describe('a console’s handshakes, one per Connect', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    store.set([]);
  });
  afterEach(() => vi.useRealTimers());

  it('an old connection’s look-again, under way at the reconnect, never claims the next connection’s handshake', async () => {
    const handshakes = requestsInTurn();
    const old = handshakes.watch(query(100));
    await vi.advanceTimersByTimeAsync(CAPTURE_WAIT_MS);
    // a miss; the student clicks an old row (a wait of 5 s begins), then connects again at once
    const oldAgain = old();
    const next = handshakes.watch(query(200));
    store.set([handshake('next', 210)]);
    expect((await next())?.conn).toBe('next');
    await vi.advanceTimersByTimeAsync(CAPTURE_WAIT_MS);
    expect(await oldAgain).toBeNull();
  });

  it('nor one asked after both missed: each row finds its own connection’s handshake, or none', async () => {
    const handshakes = requestsInTurn();
    const old = handshakes.watch(query(1100));
    const next = handshakes.watch(query(1200));
    await vi.advanceTimersByTimeAsync(CAPTURE_WAIT_MS);
    // the next connection's bytes come late; the old one's never (recording was off)
    store.set([handshake('late-next', 1210)]);
    const oldAgain = old();
    await vi.advanceTimersByTimeAsync(CAPTURE_WAIT_MS);
    expect(await oldAgain).toBeNull();
    expect((await next())?.conn).toBe('late-next');
  });

  it('a connection’s own handshake, sent before the reconnect, is still its own', async () => {
    const handshakes = requestsInTurn();
    const old = handshakes.watch(query(2100));
    await vi.advanceTimersByTimeAsync(CAPTURE_WAIT_MS);
    const next = handshakes.watch(query(2200));
    store.set([handshake('old-late', 2150), handshake('next-late', 2250)]);
    expect([(await old())?.conn, (await next())?.conn]).toEqual(['old-late', 'next-late']);
  });

  it('a watch whose window was ended skips what started there; one without (the old query) took it', async () => {
    const unbounded = watchExchangeAgainAfterMiss(query(3100));
    const ended = watchExchangeAgainAfterMiss(query(3100));
    await vi.advanceTimersByTimeAsync(CAPTURE_WAIT_MS);
    ended.endBefore(3200);
    store.set([handshake('from-3210', 3210)]);
    const endedAgain = ended();
    await vi.advanceTimersByTimeAsync(CAPTURE_WAIT_MS);
    expect(await endedAgain).toBeNull();
    expect((await unbounded())?.conn).toBe('from-3210');
  });

  it('a query given with its `after` is read at each check: a poll’s window ended by the next poll holds for the wait under way', async () => {
    // the long polling loop sets the last poll's `before` as the next poll begins
    const poll: ExchangeQuery = query(4100);
    const waiting = watchExchange(poll);
    poll.before = 4200;
    store.set([handshake('next-poll', 4210)]);
    await vi.advanceTimersByTimeAsync(CAPTURE_WAIT_MS);
    expect(await waiting).toBeNull();
  });
});
