import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { LIVE, textNow } from './lesson-page.ts';
import { axeViolations } from './axe-violations.ts';

// Issue 24: the lesson page from the keyboard (skip links, the inspector's tree as a WAI-ARIA
// tree whose focused node lights its bytes) and on a phone (the header's menu, nothing wider than
// the screen, Esc folding the inspector sheet), and axe-core's rules on the pages a class uses.

const lab = useAppAndBrowser();

/** What has the focus: its test id, role, tree key and level. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      testId: element?.dataset.testid ?? null,
      id: element?.id ?? null,
      role: element?.getAttribute('role') ?? null,
      key: element?.dataset.treeItem ?? null,
      level: element?.getAttribute('aria-level') ?? null,
      expanded: element?.getAttribute('aria-expanded') ?? null,
      kind: element?.querySelector('[data-testid="insp-tree-node"]')?.getAttribute('data-kind') ?? null,
    };
  });
}

/** The lit bytes of the byte view, read as text (ASCII, the way the request went out). */
function litText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="inspector"] [data-testid="insp-hex-byte"][data-highlighted="true"]')]
      .map((byte) => String.fromCharCode(parseInt(byte.textContent ?? '', 16)))
      .join(''),
  );
}

describe('a lesson from the keyboard', () => {
  it('skips to the inspector, runs a cell and walks the decoded tree, lighting the bytes of the node in focus', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/rest`);
    const run = page.locator('[data-testid="cell"]').first().locator('[data-testid="cell-run"]');
    await run.waitFor(LIVE);

    // The first Tab shows both skip links.
    await page.keyboard.press('Tab');
    expect((await focused(page)).testId).toBe('skip-to-content');
    expect(await page.locator('[data-testid="skip-to-content"]').textContent()).toBe('Skip to the lesson');
    const inspectorLink = page.locator('[data-testid="skip-to-inspector"]');
    expect(await inspectorLink.textContent()).toBe('Skip to the inspector');
    expect((await inspectorLink.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Tab');
    expect((await focused(page)).testId).toBe('skip-to-inspector');
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('inspector');

    // Run the first cell from the keyboard (GET /api/v1/users).
    await run.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="cell"]').first().locator('[data-testid="response-status"]').waitFor(LIVE);
    // the focus stayed on Run (a button disabled while it ran used to drop it to the page's body)
    expect(await run.evaluate((button) => button === document.activeElement)).toBe(true);
    await page.locator('[data-testid="inspector"] [role="treeitem"]').first().waitFor(LIVE);

    // Into the inspector again, and Tab until the tree: it is one tab stop, on its first node.
    await page.locator('[data-testid="skip-to-content"]').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    let now = await focused(page);
    for (let tabs = 0; tabs < 30 && now.role !== 'treeitem'; tabs += 1) {
      await page.keyboard.press('Tab');
      now = await focused(page);
    }
    expect(now).toMatchObject({ role: 'treeitem', key: '0:', level: '1', kind: 'http-request', expanded: 'true' });
    expect(await page.locator('[data-testid="inspector"] [role="treeitem"][tabindex="0"]').count()).toBe(1);
    // the whole request is lit (the rows in view of it: the byte view draws only those)
    await expect.poll(() => litText(page)).toMatch(/^GET \/api\/v1\/users HTTP\/1\.1\r\nHost: /);

    // Down: the request line, and exactly its bytes are lit (as hovering it does), and said.
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ key: '0:0', level: '2', kind: 'request-line' });
    await expect.poll(() => litText(page)).toBe('GET /api/v1/users HTTP/1.1\r\n');
    await expect.poll(() => textNow(page.locator('[data-testid="insp-bytes-announcement"]')), LIVE).toBe('bytes 0–27 of the message');

    // Right opens it, Right again goes into its first child; Left goes back up and closes it.
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).expanded).toBe('true');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ key: '0:0.0', level: '3' });
    await expect.poll(() => litText(page)).toBe('GET');
    await page.keyboard.press('ArrowLeft');
    expect((await focused(page)).key).toBe('0:0');
    await page.keyboard.press('ArrowLeft');
    expect((await focused(page)).expanded).toBe('false');

    // End: the last visible node (in the response); Home: back to the first.
    await page.keyboard.press('End');
    expect((await focused(page)).key).toMatch(/^1:/);
    await expect.poll(async () => (await litText(page)).length).toBeGreaterThan(0);
    await page.keyboard.press('Home');
    expect((await focused(page)).key).toBe('0:');
    // Enter folds the request; the arrows now go from it straight to the response.
    await page.keyboard.press('Enter');
    expect((await focused(page)).expanded).toBe('false');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ key: '1:', kind: 'http-response' });
    await expect.poll(() => litText(page)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    await releasePage(page);
  });
});

describe('a phone (390 px)', () => {
  it('folds the links into a menu that opens, closes on Esc and navigates, in both languages', async () => {
    const page = await openPage(lab.browser);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [lang, menuName, courseMap] of [
      ['en', 'Menu', 'Course map'],
      ['ru', 'Меню', 'Карта курса'],
    ] as const) {
      await page.goto(`${lab.server.origin}/${lang}/websockets`);
      const menu = page.locator('[data-testid="nav-menu"]');
      const link = page.locator('[data-testid="header-course-map"]');
      await menu.waitFor();
      expect((await menu.textContent())?.trim()).toBe(menuName);
      expect(await link.isVisible()).toBe(false);
      await menu.focus();
      await page.keyboard.press('Enter');
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await link.waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await link.isVisible()).toBe(false);
      expect((await focused(page)).testId).toBe('nav-menu');

      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(courseMap);
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/${lang}/course`);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
    }
    await releasePage(page);
  });

  it('opens the inspector sheet from the skip link and folds it on Esc, the focus back in the lesson', async () => {
    const page = await openPage(lab.browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${lab.server.origin}/ru/rest`);
    const dock = page.locator('[data-testid="inspector-dock"]');
    await dock.waitFor();
    expect(await dock.getAttribute('class')).toContain('is-closed');
    await page.locator('.prose').first().waitFor(LIVE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Перейти к инспектору');
    await page.keyboard.press('Enter');
    expect(await dock.getAttribute('class')).toContain('is-open');
    expect((await focused(page)).id).toBe('inspector');
    await page.keyboard.press('Escape');
    expect(await dock.getAttribute('class')).toContain('is-closed');
    expect((await focused(page)).id).toBe('content');
    await releasePage(page);
  });

  it("scrolls no lesson sideways, in either language, and keeps the queue lab's Stop in sight", async () => {
    const page = await openPage(lab.browser);
    await page.setViewportSize({ width: 390, height: 844 });
    const widths: string[] = [];
    // the widest pages before (issue 24): inline code (Socket.IO, 736 px), a curl command in a
    // callout (lesson 1, 707 px), a type's name in a select and a cell's code before its editor
    // (Protocol Buffers, 614 px); /ru/rest (a long word in a heading) is measured above
    for (const path of ['en/socket-io', 'ru/socket-io', 'en/how-a-request-travels', 'ru/protocol-buffers', 'en/protocol-buffers', 'ru/build-your-own-server']) {
      await page.goto(`${lab.server.origin}/${path}`);
      await page.locator('.prose').first().waitFor(LIVE);
      widths.push(`${path}: ${await page.evaluate(() => document.documentElement.scrollWidth)}`);
    }
    // the queues' lab: each consumer's Stop in sight, not scrolled off to the right of its table
    await page.goto(`${lab.server.origin}/ru/message-queues`);
    const stop = page.locator('[data-testid="pipeline-toggle"]').first();
    await stop.waitFor(LIVE);
    // the page scrolls down to it; nothing scrolls sideways (scrollIntoView would scroll the table too)
    await stop.evaluate((button) => window.scrollTo(0, button.getBoundingClientRect().top + window.scrollY - 300));
    const box = (await stop.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(
      await stop.evaluate((button) => {
        const rect = button.getBoundingClientRect();
        return button.contains(document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2));
      }),
    ).toBe(true);
    widths.push(`ru/message-queues: ${await page.evaluate(() => document.documentElement.scrollWidth)}`);
    expect(widths.filter((line) => Number(line.split(': ')[1]) > 390)).toEqual([]);
    await releasePage(page);
  });
});

describe('axe-core on the pages a class uses, with their consoles and a run in the inspector', () => {
  // each page with what must be on screen before it is checked (lazy editors and consoles included);
  // one test a page, so that a loaded machine's slower pages do not add up against one timeout
  const pages: Array<{ path: string; ready: string; run?: true; checkItself?: true }> = [
    { path: '/en/rest', ready: '[data-testid="cell-run"]', run: true },
    { path: '/ru/protocol-buffers', ready: '[data-testid="pbw-tree"]' },
    { path: '/ru/mqtt', ready: '[data-testid="rt-log"]' },
    { path: '/en/message-queues', ready: '[data-testid="cell"] table' },
    { path: '/ru/class/teach', ready: 'main h1' },
    // /ru/my-server as it first stands: axe-every-page.test.ts
    // lesson 15's cells, one with a report (Wirelab's own server: every check passes)
    { path: '/ru/build-your-own-server', ready: '#cell-rest', checkItself: true },
  ];
  for (const { path, ready, run, checkItself } of pages) {
    it(`finds no WCAG 2.1 A/AA or best-practice violation on ${path}${run ? ' after a run' : ''}${checkItself ? ' with a check report' : ''}`, async () => {
      const page = await openPage(lab.browser, { locale: path.startsWith('/ru') ? 'ru-RU' : 'en-US' });
      try {
        await page.goto(`${lab.server.origin}${path}`);
        await page.locator(ready).first().waitFor(LIVE);
        if (run) {
          await page.locator('[data-testid="cell-run"]').first().click();
          await page.locator('[data-testid="inspector"] [data-testid="insp-hex"]').first().waitFor(LIVE);
        }
        if (checkItself) {
          await page.locator(ready).scrollIntoViewIfNeeded();
          await page.locator('[data-testid="own-server-itself"]').first().click(LIVE);
          await page.locator('[data-testid="own-server-run"]').first().click();
          await page.locator('[data-testid="own-server-summary"]').first().waitFor(LIVE);
        }
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await releasePage(page);
      }
    });
  }
});
