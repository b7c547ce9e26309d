import { describe, expect, it } from 'vitest';
import { AddressBudget } from './address-budget.ts';
import { withClientLimits } from './client-limits.ts';
import { WrongTeacherKeys } from './wrong-teacher-keys.ts';

function setUp() {
  let now = 0;
  const budget = new AddressBudget(withClientLimits({ rates: { teacherKeys: { perAddress: 3, windowMs: 60_000 } } }), () => now);
  const told: string[] = [];
  const keys = new WrongTeacherKeys(budget, (fields) => told.push(`${fields.address} ${fields.retryAfterS}`));
  return { keys, told, wait: (ms: number) => (now += ms) };
}

describe('wrong teacher keys per address', () => {
  it('a right key costs nothing; three wrong ones spend the budget, then every try is refused unheard with Retry-After', () => {
    const { keys } = setUp();
    for (let i = 0; i < 5; i++) expect(keys.judge('10.0.0.7', () => true)).toEqual({ ok: true });
    for (let i = 0; i < 3; i++) expect(keys.judge('10.0.0.7', () => false)).toEqual({ ok: false, limited: false });
    let compared = false;
    const right = () => (compared = true);
    // the right key now gets the same refusal: the answer must not tell a guesser which key was right
    expect(keys.judge('::ffff:10.0.0.7', right)).toEqual({ ok: false, limited: true, retryAfterS: 20 });
    expect(compared).toBe(false);
    // another address is not touched
    expect(keys.judge('10.0.0.8', () => true)).toEqual({ ok: true });
  });

  it('a token comes back after the window’s share: one more try, and the refusals do not spend it', () => {
    const { keys, wait } = setUp();
    for (let i = 0; i < 3; i++) keys.judge('10.0.0.7', () => false);
    for (let i = 0; i < 10; i++) expect(keys.judge('10.0.0.7', () => false)).toMatchObject({ limited: true });
    wait(20_000);
    expect(keys.judge('10.0.0.7', () => true)).toEqual({ ok: true });
  });

  it('is told once per burst, not once per try; a new burst after the budget refilled is told again', () => {
    const { keys, told, wait } = setUp();
    for (let i = 0; i < 50; i++) keys.judge('10.0.0.7', () => false);
    expect(told).toEqual(['10.0.0.7 20']);
    wait(20_000);
    for (let i = 0; i < 50; i++) keys.judge('10.0.0.7', () => false);
    expect(told).toHaveLength(1);
    wait(60_000);
    for (let i = 0; i < 50; i++) keys.judge('10.0.0.7', () => false);
    expect(told).toEqual(['10.0.0.7 20', '10.0.0.7 20']);
  });
});
