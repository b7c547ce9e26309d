import { afterEach, describe, expect, it, vi } from 'vitest';

describe('editorTurn', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('starts the first editor at once and each next one after a frame has been drawn', async () => {
    vi.resetModules();
    vi.useFakeTimers();
    const frames: Array<() => void> = [];
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
    const { editorTurn } = await import('./monaco-loaders.ts');
    const started: string[] = [];
    void editorTurn().then(() => started.push('message editor'));
    void editorTurn().then(() => started.push('http editor'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['message editor']);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['message editor', 'http editor']);
  });

  it('does not wait for ever in a tab that draws no frames', async () => {
    vi.resetModules();
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    const { editorTurn } = await import('./monaco-loaders.ts');
    let second = false;
    await editorTurn();
    void editorTurn().then(() => (second = true));
    await vi.advanceTimersByTimeAsync(199);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(second).toBe(true);
  });
});
