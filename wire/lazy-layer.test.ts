import { describe, expect, it } from 'vitest';
import { LazyLayer, layersLoading, layersSettled } from './lazy-layer.ts';

describe('layersSettled', () => {
  it('resolves once every layer on its way has arrived or failed, including one asked for meanwhile', async () => {
    let arrive!: (value: string) => void;
    let fail!: (error: Error) => void;
    let askLater!: () => void;
    const arriving = new LazyLayer('A', 'А', () => new Promise<string>((resolve) => (arrive = resolve)));
    const failing = new LazyLayer('B', 'Б', () => new Promise<string>((_, reject) => (fail = reject)));
    const later = new LazyLayer('C', 'В', () => new Promise<string>((resolve) => (askLater = () => resolve('c'))));
    expect(arriving.get()).toBeUndefined();
    expect(failing.get()).toBeUndefined();
    let settled = false;
    const done = layersSettled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    arrive('a');
    // a layer asked for while the others are still loading is waited for too
    expect(later.get()).toBeUndefined();
    fail(new Error('gone'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    askLater();
    await done;
    expect(layersLoading()).toBe(false);
    expect([arriving.ready, failing.failure, later.ready]).toEqual([true, 'gone', true]);
  });

  it('resolves at once when nothing is loading', async () => {
    await expect(layersSettled()).resolves.toBeUndefined();
  });
});
