import { describe, expect, it } from 'vitest';
import { BigBodies } from './big-bodies.ts';

describe('BigBodies', () => {
  it('gives a buffer of the length asked for, in one of the capacity, and the same one again once given back', () => {
    const bodies = new BigBodies(2, 1 << 20);
    const first = bodies.take(100_000, 1 << 20);
    expect(first.byteLength).toBe(100_000);
    expect(first.buffer.byteLength).toBe(1 << 20);
    bodies.give(first);
    const second = bodies.take(300_000, 1 << 20);
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteLength).toBe(300_000);
  });

  it('never gives one buffer to two takers: each taken one is its own until given back', () => {
    const bodies = new BigBodies(4, 1 << 20);
    const taken = [bodies.take(10, 64), bodies.take(10, 64), bodies.take(10, 64)];
    expect(new Set(taken.map((body) => body.buffer)).size).toBe(3);
    for (const body of taken) bodies.give(body);
    // given back twice: still kept once, and taken once
    bodies.give(taken[0]);
    const again = [bodies.take(10, 64), bodies.take(10, 64), bodies.take(10, 64), bodies.take(10, 64)];
    expect(new Set(again.map((body) => body.buffer)).size).toBe(4);
  });

  it('pools no buffer above `largest` (a read limit of 4 GiB gets a body of its own length) and takes back only its own', () => {
    const bodies = new BigBodies(2, 1 << 20);
    const big = bodies.take(100_000, 2 ** 32 - 1);
    expect(big.buffer.byteLength).toBeLessThan(1 << 20);
    bodies.give(big);
    bodies.give(Buffer.alloc(64));
    expect(bodies.heldBytes()).toBe(0);
  });

  it('keeps at most `kept` free buffers of a size; the rest are left to the garbage collector', () => {
    const bodies = new BigBodies(2, 1 << 20);
    const taken = [bodies.take(10, 64), bodies.take(10, 64), bodies.take(10, 64), bodies.take(10, 128)];
    for (const body of taken) bodies.give(body);
    expect(bodies.heldBytes()).toBe(2 * 64 + 128);
  });
});
