import { describe, expect, it } from 'vitest';
import { EventRate } from './event-rate.ts';

function clock(): { now: () => number; advance(ms: number): void } {
  let time = 1_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('EventRate', () => {
  it('lets a burst of the per-second rate through, then refuses', () => {
    const time = clock();
    const rate = new EventRate(5, 1000, time.now);
    const taken = Array.from({ length: 7 }, () => rate.take());
    expect(taken).toEqual([true, true, true, true, true, false, false]);
  });

  it('refills in proportion to the time passed, never above the rate', () => {
    const time = clock();
    const rate = new EventRate(10, 1000, time.now);
    for (let i = 0; i < 10; i++) rate.take();
    expect(rate.take()).toBe(false);
    time.advance(300);
    expect([rate.take(), rate.take(), rate.take(), rate.take()]).toEqual([true, true, true, false]);
    time.advance(60_000);
    expect(Array.from({ length: 11 }, () => rate.take()).filter(Boolean)).toHaveLength(10);
  });

  it('notifies at most once per interval', () => {
    const time = clock();
    const rate = new EventRate(1, 1000, time.now);
    expect(rate.shouldNotify()).toBe(true);
    expect(rate.shouldNotify()).toBe(false);
    time.advance(999);
    expect(rate.shouldNotify()).toBe(false);
    time.advance(1);
    expect(rate.shouldNotify()).toBe(true);
  });
});
