import { describe, expect, it } from 'vitest';
import type { CaptureSnapshot, InspectedExchange } from '../../inspector/capture-store.ts';
import { askAgainAfterMiss, claimNextExchange, findExchange, waitForCapture, type CaptureSource, type ExchangeQuery } from './capture-links.ts';

/** A capture source whose snapshot the test changes by hand, telling subscribers like the store does. */
function fakeSource(): CaptureSource & { set(exchanges: InspectedExchange[]): void } {
  const listeners = new Set<() => void>();
  let snapshot = { status: 'open', recording: true, version: 0, connections: [], exchanges: [], messages: [], beforeRestart: new Set() } as CaptureSnapshot;
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    set(exchanges) {
      snapshot = { ...snapshot, version: snapshot.version + 1, exchanges };
      for (const listener of listeners) listener();
    },
  };
}

function exchange(conn: string, index: number, target: string, at: number, status?: number): InspectedExchange {
  return {
    conn,
    index,
    transport: 'http/1.1',
    request: { method: 'GET', target, firstByteAt: at } as InspectedExchange['request'],
    ...(status !== undefined ? { response: { status } as NonNullable<InspectedExchange['response']> } : {}),
    connection: { id: conn, transport: 'http/1.1', remote: '', local: '', openedAt: at },
  };
}

describe('finding a console’s own exchange in the captures', () => {
  it('waits until the exchange arrives, then resolves with it', async () => {
    const source = fakeSource();
    const found = claimNextExchange(
      source,
      { method: 'GET', target: '/api/v1/events', after: 100, accept: (candidate) => candidate.response !== undefined },
      1000,
    );
    source.set([exchange('c1', 0, '/api/v1/events', 150)]);
    source.set([exchange('c1', 0, '/api/v1/events', 150, 200)]);
    expect((await found)?.conn).toBe('c1');
  });

  it('skips exchanges sent before the console acted and those another console claimed', async () => {
    const source = fakeSource();
    source.set([exchange('c1', 0, '/ws/echo', 50, 101), exchange('c2', 0, '/ws/echo', 120, 101), exchange('c3', 0, '/ws/echo', 130, 101)]);
    const first = await claimNextExchange(source, { method: 'GET', target: '/ws/echo', after: 100 }, 1000);
    const second = await claimNextExchange(source, { method: 'GET', target: '/ws/echo', after: 100 }, 1000);
    expect([first?.conn, second?.conn]).toEqual(['c2', 'c3']);
    expect(findExchange(source.getSnapshot(), { method: 'GET', target: '/ws/echo', after: 100 })).toBeUndefined();
  });

  it('keeps to its window: nothing that started at or after `before`, set while a wait is under way too', async () => {
    const source = fakeSource();
    source.set([exchange('w1', 0, '/ws/win', 300, 101)]);
    expect(findExchange(source.getSnapshot(), { method: 'GET', target: '/ws/win', after: 100, before: 300 })).toBeUndefined();
    expect(findExchange(source.getSnapshot(), { method: 'GET', target: '/ws/win', after: 100, before: 301 })?.conn).toBe('w1');
    // a reconnect at 400 ends the old connection's window while its wait goes on
    const old: ExchangeQuery = { method: 'GET', target: '/ws/win2', after: 100 };
    const waiting = claimNextExchange(source, old, 50);
    old.before = 400;
    source.set([exchange('w2', 0, '/ws/win2', 420, 101)]);
    expect(await waiting).toBeNull();
    expect((await claimNextExchange(source, { method: 'GET', target: '/ws/win2', after: 400 }, 50))?.conn).toBe('w2');
  });

  it('gives up with null after the timeout or when aborted', async () => {
    const source = fakeSource();
    expect(await waitForCapture(source, () => undefined, 20)).toBeNull();
    const controller = new AbortController();
    const waiting = waitForCapture(source, () => undefined, 60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBeNull();
  });
});

describe('a link whose exchange reached the page after the first wait', () => {
  it('looks again at each ask after a miss, one wait at a time, and keeps what it found', async () => {
    // conn ids of its own: the claims of the tests above stay (they are the page's, module-wide)
    const source = fakeSource();
    const query = { method: 'GET', target: '/ws/echo', after: 100 };
    let waits = 0;
    const again = () => {
      waits += 1;
      return claimNextExchange(source, query, 50);
    };
    const ask = askAgainAfterMiss(claimNextExchange(source, query, 20), again);
    // a miss: the first wait and the ask's own wait both end empty
    expect(await ask()).toBeNull();
    expect(waits).toBe(1);
    // two asks at once while the bytes arrive: one wait each in turn, one exchange claimed
    const [first, second] = [ask(), ask()];
    source.set([exchange('late1', 0, '/ws/echo', 150, 101), exchange('late2', 0, '/ws/echo', 160, 101)]);
    expect([(await first)?.conn, (await second)?.conn]).toEqual(['late1', 'late1']);
    expect(waits).toBe(2);
    expect((await ask())?.conn).toBe('late1');
    expect(waits).toBe(2);
    // late2 is still free for another console
    expect(findExchange(source.getSnapshot(), query)?.conn).toBe('late2');
  });
});
