import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../contracts/class-channel/messages.ts';
import { attemptGroups } from './attempt-groups.ts';

const attempt = (exercise: string, ms: number, passed = false): Attempt => ({ lesson: 'rest', exercise, passed, ms, miss: null });

describe('attemptGroups', () => {
  it('puts the exercise tried last first, and each one’s attempts newest first', () => {
    const groups = attemptGroups([attempt('a', 1), attempt('b', 2), attempt('a', 3, true), attempt('c', 0)]);
    expect(groups.map((group) => [group.exercise, group.attempts.map((one) => one.ms)])).toEqual([
      ['a', [3, 1]],
      ['b', [2]],
      ['c', [0]],
    ]);
    expect(attemptGroups([])).toEqual([]);
  });
});
