import { describe, expect, it } from 'vitest';
import { emitExerciseEvent, missCountOf, onBoardVerdict, setMissCount, type ExerciseEvent } from './exercise-events.ts';

describe('the server’s word on a miss, as the exercise card shows it', () => {
  it('is the answer to the card’s latest miss: an answer about an earlier one is not shown, and a new miss clears the old answer', () => {
    let heard = 0;
    const stop = onBoardVerdict(() => heard++);
    const first: ExerciseEvent = { lesson: 'rest-api', exercise: 'get-412', passed: false };
    const second: ExerciseEvent = { ...first };
    emitExerciseEvent(first);
    expect(missCountOf('rest-api', 'get-412')).toBeUndefined();
    setMissCount(first, { counted: false, why: 'not-this-question' });
    expect(missCountOf('rest-api', 'get-412')).toEqual({ counted: false, why: 'not-this-question' });
    emitExerciseEvent(second);
    expect(missCountOf('rest-api', 'get-412')).toBeUndefined();
    // the first miss's answer arriving late (reports queue while offline) is not the second's
    setMissCount(first, { counted: true });
    expect(missCountOf('rest-api', 'get-412')).toBeUndefined();
    setMissCount(second, { counted: true });
    expect(missCountOf('rest-api', 'get-412')).toEqual({ counted: true });
    expect(missCountOf('rest-api', 'version-by-accept')).toBeUndefined();
    expect(heard).toBe(3);
    stop();
  });
});
