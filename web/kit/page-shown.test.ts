import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// page-shown.ts keeps one page load's state in the module: each test loads it afresh.
async function freshPageShown() {
  vi.resetModules();
  return import('./page-shown.ts');
}

describe('the page settles', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('right after it is shown when no cell near the viewport expects an editor', async () => {
    const page = await freshPageShown();
    page.markPageShown();
    expect(page.isPageSettled()).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    expect(page.isPageSettled()).toBe(true);
  });

  it('only once the expected editor is up', async () => {
    const page = await freshPageShown();
    page.markPageShown();
    page.expectEditor();
    await vi.advanceTimersByTimeAsync(page.EDITOR_WAIT_CAP_MS - 100);
    expect(page.isPageSettled()).toBe(false);
    page.markEditorSettled();
    expect(page.isPageSettled()).toBe(true);
  });

  it('after the cap when the expected editor never comes', async () => {
    const page = await freshPageShown();
    page.markPageShown();
    page.expectEditor();
    await vi.advanceTimersByTimeAsync(page.EDITOR_WAIT_CAP_MS);
    expect(page.isPageSettled()).toBe(true);
  });
});
