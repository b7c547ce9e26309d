import { describe, expect, it } from 'vitest';
import { ChangeBudget } from './change-budget.ts';

describe('ChangeBudget', () => {
  it('allows count changes per key in a window, then names the seconds left; a new window starts afresh', () => {
    let now = 1_000;
    const budget = new ChangeBudget(2, 10_000, () => now);
    expect(budget.take('a')).toBeNull();
    expect(budget.take('a')).toBeNull();
    now += 2_500;
    expect(budget.take('a')).toBe(8);
    expect(budget.take('b')).toBeNull();
    now += 7_500;
    expect(budget.take('a')).toBeNull();
  });
});
