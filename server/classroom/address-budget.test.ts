import { describe, expect, it } from 'vitest';
import { AddressBudget } from './address-budget.ts';

describe('AddressBudget', () => {
  it('allows max actions per window and address, then says when to retry', () => {
    const budget = new AddressBudget({ max: 2, windowMs: 60_000 });
    expect(budget.take('10.0.0.5', 0)).toEqual({ ok: true });
    expect(budget.take('10.0.0.5', 1000)).toEqual({ ok: true });
    expect(budget.take('10.0.0.5', 2000)).toEqual({ ok: false, retryAfterSeconds: 58 });
    expect(budget.take('10.0.0.6', 2000)).toEqual({ ok: true });
  });

  it('starts a new window once the old one is over', () => {
    const budget = new AddressBudget({ max: 1, windowMs: 1000 });
    expect(budget.take('a', 0).ok).toBe(true);
    expect(budget.take('a', 999).ok).toBe(false);
    expect(budget.take('a', 1000).ok).toBe(true);
  });
});
