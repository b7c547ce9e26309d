import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import type { Page } from 'playwright-core';
import { cell, LIVE } from './lesson-page.ts';
import { EDITOR_WAIT_CAP_MS } from '../../web/kit/page-shown.ts';

// The gRPC lesson's cells come with one chunk, and its eighteen gRPC cells were all rendered on
// the way to its first editor (issue 25 item 6). A cell far from the viewport now keeps its
// placeholder (web/editors/cell-when-near.tsx) until the page's first editor is up, then becomes
// live without being scrolled to.

const lab = useAppAndBrowser();

describe("the gRPC lesson's cells far from the viewport", () => {
  it('stay placeholders while the first editor starts, and become live once it is up', async () => {
    const page = await openPage(lab.browser, { fresh: true });
    // The page stops waiting for its first editor EDITOR_WAIT_CAP_MS (3 s) after its text
    // (web/kit/page-shown.ts), and far cells then go live anyway. On a loaded machine the gRPC
    // cells' chunk may come later than that: the page's timers of that length are made 10 minutes here, so
    // only the editor being up (released below) settles the page.
    await page.addInitScript((cap) => {
      const setTimeoutOfPage = window.setTimeout.bind(window);
      window.setTimeout = ((handler: TimerHandler, ms?: number, ...rest: unknown[]) =>
        setTimeoutOfPage(handler, ms === cap ? 600_000 : ms, ...rest)) as typeof window.setTimeout;
    }, EDITOR_WAIT_CAP_MS);
    let releaseMonaco!: () => void;
    const monacoReleased = new Promise<void>((resolve) => (releaseMonaco = resolve));
    await page.route(/\/assets\/monaco-setup-[\w-]{8}\.js$/, async (route) => {
      await monacoReleased;
      await route.continue();
    });
    try {
      await page.goto(`${lab.server.origin}/en/grpc#cell-get-user`);
      // the first cell is live (its chunk is in) while Monaco is held
      await cell(page, 'get-user').waitFor(LIVE);
      expect(await page.locator('.monaco-editor').count()).toBe(0);
      // the lesson's last cell, screens below, is not live: the text after the first screen (and
      // its cells) comes once the first editor is up, and the article is busy until then
      expect(await page.locator('article.lesson[aria-busy]').count()).toBe(1);
      expect(await cell(page, 'graceful-shutdown').count()).toBe(0);

      releaseMonaco();
      await page.locator('.cell-slot .monaco-editor').first().waitFor(LIVE);
      // live without a scroll: tests, the editor registry and "As code" find every cell
      await cell(page, 'graceful-shutdown').waitFor({ state: 'attached', ...LIVE });
      expect(await page.locator('.cell-slot [data-testid="cell-placeholder"]').count()).toBe(0);
    } finally {
      releaseMonaco();
      await releasePage(page);
    }
  }, 120_000);

  it('hold the very room they take near the viewport: nothing moves when the hold goes', async () => {
    // The browser draws a cell in its hold as it scrolls near (content-visibility), and the page
    // learns it is near a moment later (an IntersectionObserver's callback, then React): on a busy
    // page hundreds of milliseconds later. The hold, drawn, was 51 px taller than the cell laid
    // out near, and everything below it moved up when the hold went: a click on a Run button
    // whose mouseup came after the move was lost (grpc-extra-lessons failed so, now and then).
    // Here the page's observer callbacks are held while the reader jumps to the cell, so the
    // drawn hold is measured for sure, then let go.
    const page = await openPage(lab.browser, { fresh: true });
    await page.addInitScript(() => {
      const held: Array<() => void> = [];
      const Native = window.IntersectionObserver;
      const state = { holding: false, held };
      (window as unknown as { __nearCallbacks: typeof state }).__nearCallbacks = state;
      window.IntersectionObserver = class extends Native {
        constructor(callback: IntersectionObserverCallback, options?: IntersectionObserverInit) {
          super((entries, observer) => {
            if (state.holding) held.push(() => callback(entries, observer));
            else callback(entries, observer);
          }, options);
        }
      };
    });
    try {
      await page.goto(`${lab.server.origin}/en/grpc-in-the-browser`);
      const far = page.locator('.cell-far:not(.is-near) [data-testid="cell"][data-cell-id="list-users-stream"]');
      await far.waitFor({ state: 'attached', ...LIVE });
      await page.evaluate(() => {
        (window as unknown as { __nearCallbacks: { holding: boolean } }).__nearCallbacks.holding = true;
        document.getElementById('cell-list-users-stream')?.scrollIntoView({ block: 'center' });
      });
      const drawn = await runButtonPlace(page);
      expect(await far.count()).toBe(1);
      await page.evaluate(() => {
        const near = (window as unknown as { __nearCallbacks: { holding: boolean; held: Array<() => void> } }).__nearCallbacks;
        near.holding = false;
        for (const callback of near.held.splice(0)) callback();
      });
      await page.locator('.cell-far.is-near [data-testid="cell"][data-cell-id="list-users-stream"]').waitFor({ state: 'attached', ...LIVE });
      expect(await runButtonPlace(page)).toEqual(drawn);
    } finally {
      await releasePage(page);
    }
  }, 120_000);
});

/**
 * The cell's slot height and its Run button's place in it, once the button is drawn (not skipped
 * by content-visibility) and two frames later: the page as it is drawn then.
 */
async function runButtonPlace(page: Page): Promise<{ runTop: number; slotHeight: number }> {
  const run = page.locator('#cell-list-users-stream [data-testid="cell-run"]');
  await expect.poll(() => run.evaluate((button) => button.checkVisibility({ contentVisibilityAuto: true })), LIVE).toBe(true);
  return run.evaluate(async (button) => {
    for (let frame = 0; frame < 2; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
    const slot = document.getElementById('cell-list-users-stream')!.getBoundingClientRect();
    return { runTop: Math.round(button.getBoundingClientRect().top - slot.top), slotHeight: Math.round(slot.height) };
  });
}
