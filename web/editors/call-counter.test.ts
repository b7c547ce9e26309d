import { describe, expect, it } from 'vitest';
import { callCounter } from './call-counter.ts';

describe("a cell's call counter", () => {
  it('drops what an older call answers once a later call began, and keeps the latest call’s', () => {
    const calls = callCounter();
    const shown: string[] = [];
    const first = calls.next();
    const showFirst = calls.whileLatest(first, (what: string) => shown.push(`first: ${what}`));
    showFirst('missing');
    const second = calls.next();
    const showSecond = calls.whileLatest(second, (what: string) => shown.push(`second: ${what}`));
    // the first call's look-again finds its bytes after the second call began
    showFirst('found');
    showSecond('found');
    expect(shown).toEqual(['first: missing', 'second: found']);
    expect([calls.isLatest(first), calls.isLatest(second)]).toEqual([false, true]);
  });

  it('numbers every call, so two counters (two cells) never drop each other’s answers', () => {
    const one = callCounter();
    const other = callCounter();
    expect([one.next(), one.next(), other.next()]).toEqual([1, 2, 1]);
    expect(one.isLatest(2)).toBe(true);
    expect(other.isLatest(1)).toBe(true);
    expect(one.isLatest(1)).toBe(false);
  });
});
