import { describe, expect, it } from 'vitest';
import { holdWork, noteTyping, TYPING_HOLDS_MS, workInProgress } from './work-in-progress.ts';

describe('work in progress', () => {
  it('is a held check until released, then recent typing, then nothing', () => {
    const now = 1_000_000;
    expect(workInProgress(now)).toBeNull();
    const release = holdWork('check');
    expect(workInProgress(now)).toBe('check');
    release();
    noteTyping(now);
    expect(workInProgress(now + TYPING_HOLDS_MS - 1)).toBe('typing');
    expect(workInProgress(now + TYPING_HOLDS_MS)).toBeNull();
  });
});
