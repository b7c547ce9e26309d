import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describePageAt, openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, editorText, focusInEditor, LIVE, setEditorText, textNow, twoFramesLater, valueNow } from './lesson-page.ts';
import { readLessonFolders } from '../../web/lessons/lesson-files.ts';

// The small things that make a page hard to use every day: a keyboard that cannot leave an
// editor, a language switch that loses the place, an inspector that hides the Run button.

const lab = useAppAndBrowser();
// One page for the tests that read only what they did to it themselves (where the focus goes, the
// language, a cell's text, a link followed): each says where it starts (describePageAt), and the
// language switch leaves the page where the Russian keyboard test starts, so that one loads nothing.
const restPage = describePageAt(lab);

/** Holds the capture channel's messages to the page (set up before the page opens) until `release()` sends them on. */
async function holdCaptureNews(page: Page): Promise<{ release(): void }> {
  let holding = true;
  const held: Array<string | Buffer> = [];
  let toPage: ((message: string | Buffer) => void) | null = null;
  await page.routeWebSocket(/\/_wirelab\/tap/, (socket) => {
    const server = socket.connectToServer();
    toPage = (message) => socket.send(message);
    server.onMessage((message) => (holding ? held.push(message) : socket.send(message)));
  });
  return {
    release() {
      holding = false;
      for (const message of held.splice(0)) toPage!(message);
    },
  };
}

async function focusFirstEditor(page: Page): Promise<void> {
  // Monaco loads once a cell nears the viewport: bring the first one into view
  await page.locator('.cell-slot [data-testid="cell"]').first().scrollIntoViewIfNeeded();
  const editor = page.locator('[data-testid="cell-editor-ready"] .monaco-editor').first();
  await editor.waitFor(LIVE);
  await editor.click();
  await expect.poll(() => focusInEditor(page)).toBe(true);
}

describe('the keyboard can leave a code editor', () => {
  it('Esc, then Tab or Shift+Tab, moves the focus out; a plain Tab still indents', async () => {
    const page = await restPage('/en/rest');
    await focusFirstEditor(page);
    await expect.poll(() => page.locator('[data-testid="editor-keys-hint"]').first().isVisible()).toBe(true);
    expect(await page.locator('[data-testid="editor-keys-hint"]').first().textContent()).toMatch(/Esc, then Tab/);

    await page.keyboard.press('Tab');
    expect(await focusInEditor(page)).toBe(true);

    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focusInEditor(page)).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('cell-run');

    await focusFirstEditor(page);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    expect(await focusInEditor(page)).toBe(false);
    expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);
  });
});

describe('switching the language', () => {
  it('keeps the heading being read in the URL, so a reload lands there', async () => {
    const page = await restPage('/en/rest');
    await page.locator('#resources').waitFor();
    // the cells are in place (their editors wait for the viewport)
    await page.locator('.cell-slot [data-testid="cell"]').first().waitFor(LIVE);
    await page.evaluate(() => document.getElementById('resources')!.scrollIntoView());
    await expect.poll(() => new URL(page.url()).hash).toBe('#resources');

    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => attributeNow(page.locator('html'), 'lang')).toBe('ru');
    await expect.poll(() => textNow(page.locator('h2#resources')), LIVE).toMatch(/[а-яё]/i);
    // settles: the hash names the heading in view (the one being read), never the page's last one
    // (#interview) as it did when the old text's detached headings were measured
    await expect
      .poll(() => page.evaluate(() => location.hash !== '' && Math.abs(document.querySelector(location.hash)!.getBoundingClientRect().top) < 200), LIVE)
      .toBe(true);
    await twoFramesLater(page);
    expect(new URL(page.url()).pathname).toBe('/ru/rest');
    const hash = new URL(page.url()).hash;
    expect(hash).not.toBe('#interview');
    expect(['#principles', '#resources']).toContain(hash);

    await page.reload();
    await page.locator(hash).waitFor();
    await expect.poll(() => page.evaluate((id) => Math.abs(document.querySelector(id)!.getBoundingClientRect().top) < 150, hash), LIVE).toBe(true);
  });
});

describe('a link to a place in a lesson', () => {
  it('keeps that place in view while the page fills in around it, until the reader scrolls', async () => {
    // its own page: it opens the lesson at an exercise, as a teacher's "do this now" link does
    const page = await openPage(lab.browser);
    const title = '#exercise-create-201-title';
    const titleTop = () => page.evaluate((selector) => document.querySelector(selector)?.getBoundingClientRect().top ?? null, title);
    try {
      await page.goto(`${lab.server.origin}/en/rest${title}`);
      await page.locator(title).waitFor(LIVE);
      // the text's second part and the cells near the exercise come in meanwhile: before the hold
      // (web/kit/hold-in-view.ts) scroll anchoring took the title from under the header to -67 px
      await page.waitForTimeout(3_000);
      const underHeader = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop));
      expect(Math.abs((await titleTop())! - underHeader)).toBeLessThan(2);
      // the reader's wheel moves the page, and the hold gives it up: nothing brings the title back
      await page.mouse.move(700, 500);
      await page.mouse.wheel(0, 600);
      await expect.poll(titleTop, LIVE).toBeLessThan(underHeader - 300);
      await page.waitForTimeout(1_000);
      expect(await titleTop()).toBeLessThan(underHeader - 300);
    } finally {
      await releasePage(page);
    }
  });
});

describe('the keyboard can leave a code editor, in Russian too', () => {
  it('Ctrl+M makes Tab move focus until pressed again, and the hint says so in Russian too', async () => {
    const page = await restPage('/ru/rest');
    await focusFirstEditor(page);
    const hint = page.locator('[data-testid="editor-keys-hint"]').first();
    expect(await hint.textContent()).toMatch(/Esc, затем Tab/);
    await page.keyboard.press('Control+KeyM');
    await expect.poll(() => textNow(hint)).toMatch(/Сейчас Tab переводит фокус/);
    await page.keyboard.press('Tab');
    expect(await focusInEditor(page)).toBe(false);

    await focusFirstEditor(page);
    await page.keyboard.press('Control+KeyM');
    await page.keyboard.press('Tab');
    expect(await focusInEditor(page)).toBe(true);
  });
});

describe('a narrow window (800 px)', () => {
  it('leaves the Run button clickable: the empty inspector does not cover it', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 800, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${lab.server.origin}/en/rest`);
    const run = cell(page, 'list-users').locator('[data-testid="cell-run"]');
    await run.waitFor();
    // the bottom of the window, where a reader scrolling down meets the Run bar first
    await run.evaluate((button) => button.scrollIntoView({ block: 'end' }));
    const hit = await run.evaluate((button) => {
      const box = button.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return top !== null && button.contains(top);
    });
    expect(hit).toBe(true);
    await run.click({ timeout: 5000 });
    await expect.poll(() => cell(page, 'list-users').locator('[data-testid="response-status"]').count(), LIVE).toBeGreaterThan(0);

    // now the inspector has something to show: it opens, and a focused Run button stays above it
    await expect.poll(() => attributeNow(page.locator('.inspector-dock'), 'class')).toMatch(/is-open/);
    await run.evaluate((button) => button.scrollIntoView({ block: 'end' }));
    expect(
      await run.evaluate((button) => {
        const box = button.getBoundingClientRect();
        const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return top !== null && button.contains(top);
      }),
    ).toBe(true);
    await context.close();
  });

  it('leaves the page where the reader went when a run’s bytes are found after they moved on', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 800, height: 900 } });
    const page = await context.newPage();
    // the capture channel's news held back until the reader has gone elsewhere (a busy server)
    const captureNews = await holdCaptureNews(page);
    await page.goto(`${lab.server.origin}/en/rest`);
    const listUsers = cell(page, 'list-users');
    await listUsers.locator('[data-testid="cell-run"]').click();
    await listUsers.locator('[data-testid="response-status"]').waitFor(LIVE);
    // a heading far below the cell (once the text's rest is in), where a link or the scroll bar takes the reader
    const farHeading = await page.waitForFunction(
      () => {
        const cellBottom = document.getElementById('cell-list-users')!.getBoundingClientRect().bottom;
        const heading = [...document.querySelectorAll<HTMLElement>('main h2[id]')].find(
          (candidate) => candidate.getBoundingClientRect().top > cellBottom + 2000,
        );
        return heading?.id;
      },
      null,
      LIVE,
    );
    const far = (await farHeading.jsonValue()) as string;
    await page.evaluate((id) => document.getElementById(id)!.scrollIntoView(), far);
    const topOf = (id: string) => page.evaluate((heading) => document.getElementById(heading)!.getBoundingClientRect().top, id);
    expect(await topOf(far)).toBeLessThan(900);

    captureNews.release();
    // the bytes are found: the inspector opens with them, and the page stays where the reader is
    await expect.poll(() => attributeNow(page.locator('.inspector-dock'), 'class'), LIVE).toMatch(/is-open/);
    await twoFramesLater(page);
    const top = await topOf(far);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(900);
    await context.close();
  });
});

describe('the Run button', () => {
  it('takes the next click once the response is shown, while its bytes are still on their way', async () => {
    const page = await openPage(lab.browser);
    // the capture channel's news held back, as a busy server or a slow network delays it: the
    // cell waits up to 3 s for its exchange's bytes after the response has come
    const captureNews = await holdCaptureNews(page);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/users') sent.push(request.url());
    });
    await page.goto(`${lab.server.origin}/en/rest`);
    const listUsers = cell(page, 'list-users');
    const run = listUsers.locator('[data-testid="cell-run"]');
    await run.click();
    await listUsers.locator('[data-testid="response-status"]').waitFor(LIVE);
    expect(await run.textContent()).not.toMatch(/Running/);
    expect(await run.getAttribute('aria-disabled')).toBe('false');
    await run.click();
    await expect.poll(() => sent.length, LIVE).toBe(2);

    captureNews.release();
    // the second run's bytes are found and offered, as ever
    await expect.poll(() => listUsers.getByRole('button', { name: /inspector/i }).count(), LIVE).toBe(1);
    await releasePage(page);
  });
});

describe('a console after a language switch', () => {
  it('shows its earlier lines in the new language, with no English left in the Russian text', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/websockets`);
    const echo = cell(page, 'echo');
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
    await echo.locator('[data-testid="ws-close"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('CLOSED');
    const lines = echo.locator('[data-testid="rt-log-entry"] .rt-log-text');
    expect(await lines.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Connecting to /), expect.stringMatching(/^Closed: code 1005/)]),
    );

    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => attributeNow(page.locator('html'), 'lang')).toBe('ru');
    await expect
      .poll(() => lines.allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/^Подключаемся к /), expect.stringMatching(/^Закрыто: код 1005/)]));
    const russian = (await lines.allTextContents()).join('\n');
    for (const english of ['Connecting', 'Connection open', 'Closing', 'Closed', 'no code was received', 'close frame', 'close-фрейм'])
      expect(russian).not.toContain(english);
    expect(await echo.locator('[data-testid="rt-log-link"]').allTextContents()).not.toContain('close frame');
    await releasePage(page);
  });
});

describe('edited cells', () => {
  it('keep their text across a reload until Reset puts back the original', async () => {
    const page = await restPage('/en/rest');
    await setEditorText(page, 'get-user', 'GET /api/v1/users/2\nAccept: application/json\n');
    // saved once React has rendered the edit (a frame later): a reload in the same instant may come first
    await expect.poll(() => page.evaluate(() => localStorage.getItem('wirelab.cell.rest/get-user'))).toContain('/users/2');
    await page.reload();
    await page.locator('[data-testid="cell"][data-cell-id="get-user"]').waitFor();
    await expect.poll(() => editorText(page, 'get-user')).toBe('GET /api/v1/users/2\nAccept: application/json\n');
    // the same lesson in the other language shows the same edit (cells are language-neutral)
    await page.goto(`${lab.server.origin}/ru/rest`);
    await expect.poll(() => editorText(page, 'get-user')).toBe('GET /api/v1/users/2\nAccept: application/json\n');

    await cell(page, 'get-user').locator('button', { hasText: 'Сбросить' }).click();
    await expect.poll(() => editorText(page, 'get-user')).not.toContain('/users/2');
    const reset = await editorText(page, 'get-user');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('wirelab.cell.rest/get-user'))).toBeNull();
    await page.reload();
    await page.locator('[data-testid="cell"][data-cell-id="get-user"]').waitFor();
    await expect.poll(() => editorText(page, 'get-user')).toBe(reset);
  });

  it("keep a gRPC cell's request and metadata across a reload", async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/grpc`);
    const getUser = cell(page, 'get-user');
    await getUser.locator('[data-testid="grpc-metadata"]').fill('x-note: kept');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('wirelab.cell.grpc/get-user')), LIVE).toContain('x-note: kept');
    await page.reload();
    await expect.poll(() => valueNow(cell(page, 'get-user').locator('[data-testid="grpc-metadata"]')), LIVE).toBe('x-note: kept');
    await releasePage(page);
  });
});

describe('the end of a lesson', () => {
  it("links to the previous and the next lesson, in the page's language", async () => {
    const page = await restPage('/en/rest');
    const pager = page.locator('[data-testid="lesson-pager"]');
    await pager.waitFor();
    expect(await pager.locator('[data-testid="lesson-previous"]').getAttribute('href')).toBe('/en/how-a-request-travels');
    expect(await pager.locator('[data-testid="lesson-next"]').textContent()).toMatch(/^Next: lesson 3 →/);
    await pager.locator('[data-testid="lesson-next"]').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/en/protocol-buffers');
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);

    // the last lesson, whichever it is now, leads to the course map
    const folders = readLessonFolders(join(import.meta.dirname, '..', '..', 'lessons'));
    const last = folders.at(-1)!;
    await page.goto(`${lab.server.origin}/ru/${last.slug}`);
    await page.locator('[data-testid="lesson-pager"]').waitFor();
    expect(await page.locator('[data-testid="lesson-previous"]').textContent()).toMatch(new RegExp(`^← Урок ${folders.length - 1}`));
    expect(await page.locator('[data-testid="lesson-all"]').textContent()).toMatch(/Это был последний урок/);
    expect(await page.locator('[data-testid="lesson-all"]').getAttribute('href')).toBe('/ru/course');
  });
});

describe('select boxes', () => {
  it('show their chosen option whole, in Russian too', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/graphql`);
    const policy = page.locator('[data-testid="graphql-policy"]').first();
    await policy.waitFor(LIVE);
    const fits = await page.evaluate(() =>
      // a select that draws no text of its own (the header's theme switch on a wide screen shows
      // its choice as a sign over a transparent text, app.css) has no text to cut
      [...document.querySelectorAll('select')]
        .filter((select) => getComputedStyle(select).color !== 'rgba(0, 0, 0, 0)')
        .map((select) => {
          const context = document.createElement('canvas').getContext('2d')!;
          context.font = getComputedStyle(select).font;
          const text = select.options[select.selectedIndex]?.text ?? '';
          // the text, plus room for the drop-down arrow and the padding (Chromium sizes a select to its widest option plus about 21 px)
          return {
            id: select.getAttribute('data-testid'),
            text,
            need: Math.round(context.measureText(text).width),
            width: select.clientWidth,
            fits: context.measureText(text).width + 20 <= select.clientWidth,
          };
        }),
    );
    expect(fits.length).toBeGreaterThan(0);
    expect(fits.filter((select) => !select.fits)).toEqual([]);
    await releasePage(page);
  });
});
