import { describe, expect, it } from 'vitest';
import { TurnQueue } from './turn-queue.ts';

// Node runs every immediate queued before its check phase in that one phase: steps that each
// waited for an immediate of their own ran back to back. The queue lets one go a turn.

const microtasks = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('TurnQueue', () => {
  it('keeps one turn asked for at a time and lets one waiting step go in each', async () => {
    const asked: Array<() => void> = [];
    const queue = new TurnQueue((run) => asked.push(run));
    const gone: string[] = [];
    for (const step of ['a', 'b', 'c']) void queue.next().then(() => gone.push(step));
    expect(asked).toHaveLength(1);
    expect(queue.waiting).toBe(3);

    asked.shift()!();
    await microtasks();
    expect(gone).toEqual(['a']);
    // the next step's turn was asked for from inside this one: it comes after it
    expect(asked).toHaveLength(1);

    asked.shift()!();
    await microtasks();
    expect(gone).toEqual(['a', 'b']);
    asked.shift()!();
    await microtasks();
    expect(gone).toEqual(['a', 'b', 'c']);
    expect(asked).toHaveLength(0);
    expect(queue.waiting).toBe(0);

    // idle again: the next step asks for a turn of its own
    void queue.next().then(() => gone.push('d'));
    expect(asked).toHaveLength(1);
  });

  it('on the real event loop, what another part of the server queued for the turn runs between two steps', async () => {
    const queue = new TurnQueue();
    const order: string[] = [];
    const first = queue.next().then(() => order.push('first step'));
    const second = queue.next().then(() => order.push('second step'));
    // A callback queued after both steps asked: with an immediate per step it ran after both.
    setImmediate(() => order.push('another callback'));
    await Promise.all([first, second]);
    expect(order).toEqual(['first step', 'another callback', 'second step']);
  });
});
