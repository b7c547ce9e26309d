import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, useAppAndBrowser, WEB_ROOT, releasePage } from './browser.ts';
import { cell, editorText, inspectorNode, LIVE, textNow } from './lesson-page.ts';

// A REST lesson's page downloads what a REST lesson needs (issue 15): no HTTP/2, protobuf or
// GraphQL decoder, and no Monaco until a cell comes into view. Byte counts, not times: which
// scripts a page asks for before its first cell is decided by the code, not by the machine's speed
// (bench/lesson-page.ts measures the times).

const lab = useAppAndBrowser();

/** Chunks a REST lesson must not ask for; each pattern must name a file of the build. */
const DECODERS_A_REST_LESSON_NEVER_NEEDS = [/^decode-http2-/, /^grpc-layers-/, /^decode-protobuf-/, /^decode-graphql-http-/, /^decode-graphql-ws-/];
// monaco-setup is the first editor's own module; Monaco itself comes in two parts parsed side by
// side (vite.config.ts, monacoPartOf)
const MONACO = [/^monaco-setup-/, /^monaco-(?:base|editor)-/, /^editor\.worker-/, /^jsonMode-/];

/**
 * The scripts the page may fetch before its first cell shows its code (kB as Vite and Chromium
 * count them, 1 000 bytes). Issue 15's target is 100 kB of gzip, and bench/lesson-page.ts prints
 * the figure against it; React and react-dom are 67 kB of it. The keyboard and small-screen shell,
 * the theme's boot script, the glossary's and the search's loaders (issue 24) had taken the REST
 * page to 103.33 kB; the exercise cards and their words (a miss's sentences in both languages,
 * 3.4 kB) now load once the text is on screen, each shown meanwhile as its heading and task
 * (lesson-reader.tsx), and the text gained its links to the glossary (web/glossary/link-terms.ts,
 * 0.29 kB): 99.44 kB measured. With the one lazy code editor and the shared target switch merged
 * beside it, 99.52 kB (the shared editor chunk's name is listed in the first script): hence 99.6 —
 * within the target by 0.4 kB. Then the REST lesson's text gained its 401-or-403 and CORS
 * sections (+0.87 kB of lesson module) and the page its follow pause and blanked secrets
 * (+0.46 kB): 100.93 kB measured, 0.93 kB past issue 40's 100 kB; hence 101 until that is won
 * back (the lesson's later sections could load after its first screen). They now do: a page's
 * first script carries its text down to a screen past its first cell (web/lessons/lesson-split.ts),
 * the rest comes once that is on the page — 4.2 kB of the REST lesson's 12.7 kB, 4.3 kB of the gRPC
 * lesson's 15.3 kB — and both pages are held to issue 40's 100 kB.
 */
const JS_BEFORE_FIRST_CELL_GZIP = 100_000;

/** Before the page's scripts: when the first cell (its placeholder or itself) appeared, on the page's clock. */
const MARK_FIRST_CELL = `(() => {
  window.__firstCellAt = -1;
  new MutationObserver(() => {
    if (window.__firstCellAt < 0 && document.querySelector('.cell-slot [data-testid="cell"], .cell-slot [data-testid="cell-placeholder"]')) window.__firstCellAt = performance.now();
  }).observe(document, { childList: true, subtree: true });
})();`;

const assetFiles = readdirSync(join(WEB_ROOT, 'assets'));

function gzipSize(pathname: string): number {
  const file = join(WEB_ROOT, pathname);
  return statSync(existsSync(`${file}.gz`) ? `${file}.gz` : file).size;
}

/** The scripts requested before the first cell's code appeared (MARK_FIRST_CELL), and their gzip size in the build. */
async function scriptsBeforeFirstCell(page: Page): Promise<{ paths: string[]; bytes: number }> {
  const paths = await page.evaluate(() => {
    const at = (window as unknown as { __firstCellAt: number }).__firstCellAt;
    return (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((entry) => entry.startTime < at && new URL(entry.name).pathname.endsWith('.js'))
      .map((entry) => new URL(entry.name).pathname);
  });
  return { paths, bytes: paths.reduce((sum, path) => sum + gzipSize(path), 0) };
}

/** The scripts before the first cell, held to the budget. */
async function expectScriptsBeforeFirstCellWithinBudget(page: Page): Promise<string[]> {
  const { paths, bytes } = await scriptsBeforeFirstCell(page);
  expect(paths.length).toBeGreaterThan(3);
  expect(bytes, paths.join(' ')).toBeLessThanOrEqual(JS_BEFORE_FIRST_CELL_GZIP);
  return paths;
}

/** Every lesson's page path part (`lessons/04-grpc` → `grpc`). */
const LESSON_SLUGS = readdirSync(join(import.meta.dirname, '..', '..', 'lessons'))
  .filter((folder) => /^\d\d-/.test(folder))
  .map((folder) => folder.replace(/^\d\d-/, ''));

describe('a REST lesson page is light', () => {
  it('asks for no HTTP/2, protobuf or GraphQL decoder and no Monaco before a cell is in view, and stays within its script budget; then the editor works', async () => {
    for (const pattern of [...DECODERS_A_REST_LESSON_NEVER_NEEDS, ...MONACO.slice(0, 2)])
      expect(
        assetFiles.some((file) => pattern.test(file)),
        String(pattern),
      ).toBe(true);

    const page = await openPage(lab.browser, { fresh: true });
    const requested: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/assets/')) requested.push(path.slice('/assets/'.length));
    });
    await page.addInitScript({ content: MARK_FIRST_CELL });
    // 1440×900: the REST lesson's first cell is further down than the preload margin reaches
    await page.goto(`${lab.server.origin}/en/rest`);
    await page.locator('.cell-slot [data-testid="cell"]').first().waitFor(LIVE);
    // the capture channel is up and has replayed the page's own requests (HTTP/1.1 is decoded)
    await expect.poll(() => requested.some((file) => /^decode-http1-/.test(file)), LIVE).toBe(true);
    await page.waitForTimeout(500);

    const seen = [...requested];
    const scrollY = await page.evaluate(() => window.scrollY);
    expect(scrollY).toBe(0);
    expect(await page.evaluate(() => document.querySelector('.cell-slot')!.getBoundingClientRect().top)).toBeGreaterThan(900 * 1.5);
    for (const pattern of [...DECODERS_A_REST_LESSON_NEVER_NEEDS, ...MONACO]) expect(seen.filter((file) => pattern.test(file))).toEqual([]);
    expect(await page.locator('.monaco-editor').count()).toBe(0);

    const beforeFirstCell = await expectScriptsBeforeFirstCellWithinBudget(page);
    // the cells' editors and the inspector come after the text
    expect(beforeFirstCell.filter((path) => /\/(?:http-cell|capture-store|inspector)-[\w-]{8}\.js$/.test(path))).toEqual([]);

    // Into view: Monaco arrives, takes real keystrokes, and the cell runs.
    const getUser = cell(page, 'get-user');
    await getUser.scrollIntoViewIfNeeded();
    const editor = getUser.locator('.monaco-editor');
    await editor.waitFor(LIVE);
    expect(requested.some((file) => /^monaco-setup-/.test(file))).toBe(true);
    await editor.locator('.view-line').first().click();
    await page.keyboard.press('End');
    // one key at a time, with a pause (Monaco's EditContext in headless Chromium may drop a key
    // typed right after the previous one rendered: see projector-mode.test.ts)
    for (const typed of ['?', '?x', '?x=', '?x=1']) {
      await page.waitForTimeout(250);
      await page.keyboard.press(typed.at(-1)!);
      await expect.poll(() => editorText(page, 'get-user'), LIVE).toContain(`/api/v1/users/1${typed}`);
    }
    await getUser.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(getUser.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    // the inspector decodes the request with the HTTP/1.1 layer alone
    await inspectorNode(page, 'request-line').waitFor(LIVE);
    for (const pattern of DECODERS_A_REST_LESSON_NEVER_NEEDS) expect(requested.filter((file) => pattern.test(file))).toEqual([]);
    await releasePage(page);
  });
});

describe('a gRPC lesson page is light too', () => {
  it('stays within the same script budget before its first cell, and its text after the first screen comes after that cell', async () => {
    const page = await openPage(lab.browser, { fresh: true });
    await page.addInitScript({ content: MARK_FIRST_CELL });
    await page.goto(`${lab.server.origin}/en/grpc`);
    await page.locator('.cell-slot').first().waitFor(LIVE);
    // the whole text is in (the article is no longer busy) and its last cell is on the page
    await page.locator('article.lesson:not([aria-busy])').waitFor(LIVE);
    await page.locator('#cell-graceful-shutdown').waitFor({ state: 'attached', ...LIVE });
    await page.waitForTimeout(500);
    const beforeFirstCell = await expectScriptsBeforeFirstCellWithinBudget(page);
    // the rest of the text is one more lesson chunk, requested once the first part was on the page
    const lessonChunks = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .map((entry) => new URL(entry.name).pathname)
        .filter((path) => /\/assets\/en-[\w-]{8}\.js$/.test(path)),
    );
    expect(lessonChunks).toHaveLength(2);
    expect(beforeFirstCell.filter((path) => lessonChunks.includes(path))).toEqual([lessonChunks[0]]);
    await releasePage(page);
  });
});

describe('every lesson page is light', () => {
  // In Russian: each lesson's Russian page weighed 0.8–1.4 kB more than its English one (26 Nov,
  // all 30: English 91.9–94.1 kB, Russian 92.7–95.3 kB), its text's module being the bigger; the
  // REST and gRPC pages are weighed in English above.
  it(
    'fetches at most 100 kB of script (gzip) before its first cell, each lesson (in Russian, the heavier)',
    async () => {
      expect(LESSON_SLUGS).toHaveLength(15);
      const weighed: string[] = [];
      const over: string[] = [];
      for (const slug of LESSON_SLUGS) {
        const page = await openPage(lab.browser, { fresh: true });
        await page.addInitScript({ content: MARK_FIRST_CELL });
        await page.goto(`${lab.server.origin}/ru/${slug}`);
        await page
          .locator('.cell-slot [data-testid="cell"], .cell-slot [data-testid="cell-placeholder"]')
          .first()
          .waitFor({ state: 'attached', ...LIVE });
        // what was requested before the cell appeared has arrived once the lesson's text is whole
        await page.locator('article.lesson:not([aria-busy])').waitFor({ state: 'attached', ...LIVE });
        const { paths, bytes } = await scriptsBeforeFirstCell(page);
        await releasePage(page);
        expect(paths.length, `/ru/${slug}`).toBeGreaterThan(3);
        weighed.push(`/ru/${slug} ${(bytes / 1000).toFixed(2)} kB`);
        if (bytes > JS_BEFORE_FIRST_CELL_GZIP) over.push(`/ru/${slug}: ${bytes} bytes: ${paths.join(' ')}`);
      }
      expect(over, weighed.join('; ')).toEqual([]);
    },
    LESSON_SLUGS.length * 20_000,
  );
});

describe('a cell coming into view', () => {
  it('starts its Monaco before its own chunk has arrived, and the inspector waits until the editor is up', async () => {
    const page = await openPage(lab.browser, { fresh: true });
    const requested: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/assets/')) requested.push(path.slice('/assets/'.length));
    });
    // Both held at the server's door until released: the http cell's chunk and Monaco's.
    let releaseCell!: () => void;
    let releaseMonaco!: () => void;
    const cellReleased = new Promise<void>((resolve) => (releaseCell = resolve));
    const monacoReleased = new Promise<void>((resolve) => (releaseMonaco = resolve));
    await page.route(/\/assets\/http-cell-[\w-]{8}\.js$/, async (route) => {
      await cellReleased;
      await route.continue();
    });
    await page.route(/\/assets\/monaco-setup-[\w-]{8}\.js$/, async (route) => {
      await monacoReleased;
      await route.continue();
    });
    // what waits for the first editor (web/kit/page-shown.ts): the inspector (the dock's frame
    // comes with the text), the class bar and the class's tools under the cells, the presenter's
    // controls, the exercises' evaluator
    const AFTER_THE_EDITOR = /^(?:class-inspector|inspector|class-bar|class-cell-tools|projector-mode|exercise-evaluation)-[\w-]{8}\.js$/;
    try {
      // a reader following a link to the first cell: it is in view as the text appears
      await page.goto(`${lab.server.origin}/en/rest#cell-get-user`);
      await page.locator('.cell-slot [data-testid="cell-placeholder"]').first().waitFor(LIVE);
      await expect.poll(() => requested.some((file) => /^http-cell-/.test(file)), LIVE).toBe(true);
      // the cell's chunk is held, so this is still its placeholder, and it has started Monaco
      await expect.poll(() => requested.some((file) => /^monaco-setup-[\w-]{8}\.js$/.test(file)), LIVE).toBe(true);
      expect(await page.locator('.cell-slot [data-testid="cell"]').count()).toBe(0);
      // the page is shown, and its cell in view expects an editor: the rest waits for it
      expect(requested.filter((file) => AFTER_THE_EDITOR.test(file))).toEqual([]);

      releaseCell();
      releaseMonaco();
      await page.locator('.cell-slot .monaco-editor').first().waitFor(LIVE);
      await expect.poll(() => requested.some((file) => /^inspector-[\w-]{8}\.js$/.test(file)), LIVE).toBe(true);
      await page.locator('[data-testid="inspector"]').waitFor(LIVE);
    } finally {
      releaseCell();
      releaseMonaco();
      await releasePage(page);
    }
  });
});
