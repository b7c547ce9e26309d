import { describe, expect, it } from 'vitest';
import { lastIndexAtOrBelow } from './sorted-search.ts';

describe('lastIndexAtOrBelow', () => {
  const starts = [0, 10, 10, 25, 40];
  const at = (value: number) => lastIndexAtOrBelow(starts.length, value, (index) => starts[index]);

  it('finds the last start at or below a value', () => {
    expect([0, 9, 10, 24, 25, 39, 40, 1000].map(at)).toEqual([0, 0, 2, 2, 3, 3, 4, 4]);
  });

  it('answers 0 below the first key and for one key', () => {
    expect(lastIndexAtOrBelow(3, -5, (index) => [2, 4, 6][index])).toBe(0);
    expect(lastIndexAtOrBelow(1, 99, () => 7)).toBe(0);
  });
});
