import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describePage, openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, editorText, focusInEditor, LIVE, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();

describe('the app shell', () => {
  it('shows the lesson text while Monaco is still on its way', async () => {
    const page = await openPage(lab.browser, { fresh: true });
    const held: Route[] = [];
    // Monaco's chunk is held back until the text has been read: the text must not wait for it.
    await page.route(/\/assets\/monaco-setup-[^/]+\.js$/, (route) => {
      held.push(route);
    });
    await page.goto(`${lab.server.origin}/en/rest`);
    await expect.poll(() => textNow(page.locator('h1').first())).toMatch(/REST/);
    await expect.poll(() => page.locator('.prose').count()).toBeGreaterThan(3);
    // Monaco is asked for once a cell nears the viewport (light-lesson-page.test.ts: not before)
    await page.locator('.cell-slot [data-testid="cell"]').first().scrollIntoViewIfNeeded();
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.monaco-editor').count()).toBe(0);

    // the text area runs and takes keys meanwhile; Monaco takes over with the caret where it was
    // (read as the text area leaves: read earlier, a click between the two lost the focus to the
    // page's body with the next keys, and following the teacher counted no typing)
    const slot = page.locator('.cell-slot').first();
    const cellId = (await slot.getAttribute('id'))!.slice('cell-'.length);
    const textarea = slot.locator('textarea');
    await textarea.click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.type('X');
    for (const route of held) await route.continue();
    await slot.locator('.monaco-editor').waitFor({ timeout: 15_000 });
    await expect.poll(() => focusInEditor(page), LIVE).toBe(true);
    await page.keyboard.type('Y');
    await expect.poll(() => editorText(page, cellId).catch(() => ''), LIVE).toMatch(/^XY/);
    await releasePage(page);
  });

  it('asks again for a part of the page whose download failed, and shows it without a reload', async () => {
    // A chunk asked for while its instance dies behind the load balancer, or while the server
    // restarts, fails to download (classroom-failover-behind-haproxy: a student's lesson page went
    // blank so). Here the lesson's reader, its first cell's console and the inspector's resizer
    // each fail once, and the first two's stylesheets too (web/kit/stylesheet-retry.ts); openPage
    // fails the test on any error the page leaves uncaught.
    const page = await openPage(lab.browser, { fresh: true });
    const asked: Record<string, number> = {};
    for (const part of ['lesson-reader.js', 'http-cell.js', 'dock-resizer.js', 'lesson-reader.css', 'http-cell.css']) {
      const [name, extension] = part.split('.');
      await page.route(new RegExp(`/assets/${name}-[\\w-]{8}\\.${extension}$`), async (route) => {
        asked[part] = (asked[part] ?? 0) + 1;
        if (asked[part] === 1) await route.abort('connectionreset');
        else await route.continue();
      });
    }
    await page.goto(`${lab.server.origin}/en/rest`);
    await expect.poll(() => textNow(page.locator('main h1').first()), LIVE).toMatch(/REST/);
    await page.locator('.cell-slot [data-testid="cell"]').first().waitFor(LIVE);
    await page.locator('.dock-resizer').waitFor({ state: 'attached', ...LIVE });
    await expect.poll(() => asked['http-cell.css'] ?? 0, LIVE).toBe(2);
    expect(asked).toEqual({ 'lesson-reader.js': 2, 'http-cell.js': 2, 'dock-resizer.js': 2, 'lesson-reader.css': 2, 'http-cell.css': 2 });
    // each stylesheet asked for again is in the document with its rules, once (the failed links
    // stay, their sheets unreadable)
    const loadedSheets = await page.evaluate(() =>
      [...document.styleSheets]
        .filter((sheet) => {
          try {
            return sheet.cssRules.length > 0;
          } catch {
            return false;
          }
        })
        .map((sheet) => ({ href: sheet.href ?? '' })),
    );
    expect(
      loadedSheets
        .filter((sheet) => /\/assets\/(lesson-reader|http-cell)-/.test(sheet.href))
        .map((sheet) => sheet.href.replace(/^.*\/assets\/([a-z-]+)-.*$/, '$1'))
        .sort(),
    ).toEqual(['http-cell', 'lesson-reader']);
    await releasePage(page);
  });

  it("keeps a cell's Run bar where it was when Monaco takes over from the text area", async () => {
    // A Run button that moves between a click's press and its release loses the click: the
    // release lands on the editor above it. Monaco taking over used to move it down by the keys
    // hint's line it brings and by the lines a long line wraps into (49 px in this http cell),
    // which a loaded machine made last long enough to fall inside a click (grpc-extra-lessons).
    const page = await openPage(lab.browser, { fresh: true });
    const held: Route[] = [];
    let released = false;
    await page.route(/\/assets\/(monaco-setup|json-language)-[\w-]{8}\.js$/, async (route) => {
      if (released) await route.continue();
      else held.push(route);
    });
    try {
      await page.goto(`${lab.server.origin}/en/rest-gateway`);
      // an http cell whose JSON line is wider than the editor, and the gRPC cell below it
      const cells = [cell(page, 'gateway-create-user'), cell(page, 'grpc-find-by-email')];
      await cells[0].waitFor({ state: 'attached', ...LIVE });
      await page.evaluate(() => document.getElementById('cell-gateway-create-user')?.scrollIntoView({ block: 'start' }));
      for (const each of cells) await each.locator('.http-cell-editor > textarea').waitFor(LIVE);
      await expect.poll(() => held.length, LIVE).toBeGreaterThan(0);
      const wrapped = cells[0].locator('.http-cell-editor > textarea');
      // the text area shows every line as wrapped, as Monaco will: none hidden behind a scroll
      expect(await wrapped.evaluate((area) => area.scrollHeight - area.clientHeight)).toBeLessThanOrEqual(0);
      expect(await wrapped.evaluate((area) => area.clientHeight)).toBeGreaterThan(5 * 22 + 16);
      const runBarOffsets = () =>
        Promise.all(
          cells.map((each) =>
            each.evaluate((section) => section.querySelector('.http-cell-toolbar')!.getBoundingClientRect().top - section.getBoundingClientRect().top),
          ),
        );
      const before = await runBarOffsets();

      released = true;
      for (const route of held.splice(0)) await route.continue();
      await cells[0].locator('[data-testid="cell-editor-ready"] .monaco-editor').waitFor(LIVE);
      await cells[1].locator('[data-testid="grpc-request-editor"] .monaco-editor').waitFor(LIVE);
      // the editors' own sizing runs in the frames after they are made (a ResizeObserver)
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 300)))));
      expect(await cells[0].locator('.http-cell-editor > textarea').count()).toBe(0);
      const after = await runBarOffsets();
      for (const [index, offset] of after.entries()) expect(Math.abs(offset - before[index])).toBeLessThanOrEqual(1);
    } finally {
      released = true;
      for (const route of held) await route.continue().catch(() => {});
      await releasePage(page);
    }
  });

  // One page for these two, the reset first: it leaves the page where the language switch starts.
  // The reset reads the data of its own session only (another browser's answer is another
  // session's), and the switch only the page's language.
  const englishRest = describePage(lab, '/en/rest');

  it("resets my data to the starting set, and nobody else's", async () => {
    const page = await englishRest();
    await page.locator('[data-testid="reset-data"]').waitFor();
    const created = await page.evaluate(async () => {
      const response = await fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Emmy Noether', email: `emmy-${Date.now()}@example.com` }),
      });
      return { status: response.status, location: response.headers.get('location') };
    });
    expect(created.status).toBe(201);
    const statusOf = () => page.evaluate(async (url) => (await fetch(url!)).status, created.location);
    expect(await statusOf()).toBe(200);
    // Another browser (another session) sees the seed, not this user.
    const other = await openPage(lab.browser);
    await other.goto(`${lab.server.origin}/en/`);
    await other.locator('[data-testid="reset-data"]').waitFor();
    expect(await other.evaluate(async (url) => (await fetch(url!)).status, created.location)).toBe(404);

    await page.locator('[data-testid="reset-data"]').click();
    await page.locator('[data-testid="reset-data-confirm"]').click();
    await page.locator('[data-testid="reset-data-done"]').waitFor();
    expect(await statusOf()).toBe(404);
    await releasePage(other);
  });

  it('switches the language in the URL and remembers it', async () => {
    const page = await englishRest();
    await expect.poll(() => attributeNow(page.locator('html'), 'lang')).toBe('en');
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/ru/rest');
    await expect.poll(() => attributeNow(page.locator('html'), 'lang')).toBe('ru');

    await page.goto(`${lab.server.origin}/`);
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/ru\//);
  });
});
