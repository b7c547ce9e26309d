import { describe, expect, it } from 'vitest';
import { StreamTurns } from './h2-stream-turns.ts';

// One read of a flooding session opens up to a hundred streams: handled all in one turn, a
// student on another address waited for every one. In line, each address gets `perTurn` a turn.

describe('StreamTurns', () => {
  it('handles at most perTurn streams of an address a turn, every address side by side, in the order each added them', () => {
    const asked: Array<() => void> = [];
    const turns = new StreamTurns(2, (run) => asked.push(run));
    const handled: string[] = [];
    for (let i = 1; i <= 5; i++) turns.add('flooder', () => handled.push(`flood ${i}`));
    turns.add('student', () => handled.push('student'));
    expect(asked).toHaveLength(1);
    expect(turns.waiting).toBe(6);

    asked.shift()!();
    expect(handled).toEqual(['flood 1', 'flood 2', 'student']);
    expect(asked).toHaveLength(1);
    expect(turns.waiting).toBe(3);

    // a student's stream that arrives while the flood still waits is not behind it
    turns.add('student', () => handled.push('student again'));
    asked.shift()!();
    expect(handled.slice(3)).toEqual(['flood 3', 'flood 4', 'student again']);
    asked.shift()!();
    expect(handled.slice(6)).toEqual(['flood 5']);
    expect(asked).toHaveLength(0);
    expect(turns.waiting).toBe(0);

    // idle again: the next stream asks for a turn of its own
    turns.add('student', () => handled.push('later'));
    expect(asked).toHaveLength(1);
  });

  it('on the real event loop, a callback queued after a flood of streams runs before most of them', async () => {
    const turns = new StreamTurns(4);
    const order: string[] = [];
    for (let i = 0; i < 100; i++) turns.add('flooder', () => order.push('flood'));
    // with an immediate per stream (before), this ran after all hundred
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        order.push('another callback');
        resolve();
      }),
    );
    expect(order.indexOf('another callback')).toBe(4);
    await new Promise<void>((resolve) => {
      const wait = () => (turns.waiting === 0 ? resolve() : setImmediate(wait));
      wait();
    });
    expect(order.filter((entry) => entry === 'flood')).toHaveLength(100);
  });
});
