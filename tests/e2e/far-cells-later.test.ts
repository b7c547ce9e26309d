import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser } from './browser.ts';
import { cell, LIVE } from './lesson-page.ts';
import { EDITOR_WAIT_CAP_MS } from '../../web/kit/page-shown.ts';

// The gRPC lesson's cells come with one chunk, and its eighteen gRPC cells were all rendered on
// the way to its first editor (issue 25 item 6). A cell far from the viewport now keeps its
// placeholder (web/editors/cell-when-near.tsx) until the page's first editor is up, then becomes
// live without being scrolled to.

const lab = useAppAndBrowser();

describe("the gRPC lesson's cells far from the viewport", () => {
  it('stay placeholders while the first editor starts, and become live once it is up', async () => {
    const page = await openPage(lab.browser);
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
      await page.context().close();
    }
  }, 120_000);
});
