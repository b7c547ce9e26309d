import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { post } from '../integration/classroom-client.ts';
import { joinOnThisPage } from './class-pages.ts';
import { useAppAndBrowser } from './browser.ts';
import { attributeNow, cell, LIVE, twoFramesLater } from './lesson-page.ts';

// Issue 53, items 3 and 6: notices that leave the lesson readable. On a 390×844 phone a student
// gets the teacher's message, an assignment, a timer and a freeze: one line is pinned (at most
// 15 % of the viewport), the rest behind a badge that opens them; each closes and comes back; a Run
// button scrolled to the top of the lesson is not under them, nor is the section the teacher
// leads to (on the phone and on a desktop, where every notice is pinned).

const lab = useAppAndBrowser();
const json = { 'content-type': 'application/json' };

/** The element at the centre of the locator's box is the element itself (or inside it): nothing pinned covers it. */
function onTop(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((css) => {
    const element = document.querySelector(css)!;
    const box = element.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return top !== null && element.contains(top);
  }, selector);
}

const noticesBottom = (page: Page) => page.evaluate(() => document.querySelector('[data-testid="class-notices"]')!.getBoundingClientRect().bottom);

describe('notices on a phone', () => {
  it('pin one line at most 15 % high, open behind a badge, close and come back, and leave controls and the teacher’s section clear', async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;
    const teacher = { ...json, 'x-wirelab-teacher-key': key };
    const { code } = (await (await post(origin, '/_wirelab/class/classes', { title: 'Phones' }, teacher)).json()) as { code: string };
    const context = await lab.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${origin}/en/class?code=${code}`);
    await joinOnThisPage(page, 'Pia');
    await page.goto(`${origin}/en/rest`);
    await page.locator('article.lesson').waitFor(LIVE);

    const put = (path: string, body: unknown) =>
      fetch(`${origin}/_wirelab/class/classes/${code}/${path}`, { method: 'PUT', headers: teacher, body: JSON.stringify(body) });
    await put('notice', { text: 'Break until 11:00, then we start gRPC — read the intro meanwhile please' });
    await put('assignment', { lesson: 'rest', exercise: 'create-201' });
    await put('timer', { minutes: 10 });
    await put('freeze', {});
    const badge = page.getByTestId('class-notices-badge');
    await expect.poll(() => attributeNow(badge, 'data-count'), LIVE).toBe('3');
    expect(await badge.getAttribute('aria-label')).toBe('3 more notices: show');

    // one line pinned, at most 15 % of the viewport
    const notices = page.getByTestId('class-notices');
    expect(await notices.locator('.class-notice').count()).toBe(1);
    const height = await notices.evaluate((element) => element.getBoundingClientRect().height);
    expect(height).toBeLessThanOrEqual(844 * 0.15);
    expect(await page.getByTestId('class-notice-text').evaluate((element) => element.closest('.class-notice')!.getBoundingClientRect().height)).toBe(height);

    // the badge opens the rest; each closes, and comes back
    await badge.click();
    expect(await notices.locator('.class-notice').count()).toBe(4);
    await page.getByTestId('class-timer').getByTestId('class-notice-close').click();
    expect(await page.getByTestId('class-timer').count()).toBe(0);
    const closed = page.locator('[data-testid="class-notice-closed"][data-notice="timer"]');
    expect(await closed.textContent()).toMatch(/Time left/);
    await closed.getByTestId('class-notice-bring-back').click();
    await page.getByTestId('class-timer').waitFor(LIVE);
    await page.getByTestId('class-notice-dismiss').click();
    await badge.click();
    // the teacher's message closed, the next one is the pinned line; the closed one is behind the badge
    expect(await notices.locator('.class-notice').count()).toBe(1);
    await page.getByTestId('class-assignment-notice').waitFor(LIVE);
    expect(await badge.getAttribute('data-count')).toBe('3');

    // a Run button brought into view is below the pinned line, and takes the click
    const run = '#cell-create-user [data-testid="cell-run"]';
    await cell(page, 'create-user').waitFor(LIVE);
    await page.evaluate((css) => document.querySelector(css)!.scrollIntoView({ block: 'start' }), run);
    expect(await onTop(page, run)).toBe(true);
    await page.locator(run).click();
    await cell(page, 'create-user')
      .getByText(/^\d{3} /)
      .first()
      .waitFor(LIVE);
    // its bytes found (the cell offers them), the inspector sheet opens and the cell moves above it
    // (use-dock-open.ts) a frame later: that scroll is over before the teacher's section is followed below
    await cell(page, 'create-user')
      .getByRole('button', { name: /inspector/i })
      .waitFor(LIVE);
    await twoFramesLater(page);

    // the section the teacher leads to lands below the notices: on the phone, then on a desktop with all four pinned
    const sections = await page.evaluate(() => [...document.querySelectorAll('main h2[id]')].map((heading) => heading.id));
    for (const [width, height, section] of [
      [390, 844, sections[3]],
      [1280, 800, sections[5]],
    ] as const) {
      await page.setViewportSize({ width, height });
      // the notices' new height reaches the page's scroll padding in a ResizeObserver callback, a
      // frame or more after the resize: a student follows the link later than that, the test waits
      // for it (at once, a loaded run scrolled with the phone's padding: the heading under them)
      await page.waitForFunction(
        () =>
          document.documentElement.style.getPropertyValue('--class-notices-height') ===
          `${(document.querySelector('[data-testid="class-notices"]') as HTMLElement).offsetHeight}px`,
        null,
        LIVE,
      );
      await page.evaluate((id) => history.pushState(null, '', `#${id}`), section);
      await page.evaluate((id) => document.getElementById(id)!.scrollIntoView(), section);
      const top = await page.evaluate((id) => document.getElementById(id)!.getBoundingClientRect().top, section);
      expect(top).toBeGreaterThanOrEqual(await noticesBottom(page));
      // and it is the heading being read: the address keeps it (after the reader's scroll handler ran)
      const hash = await page.evaluate(() => new Promise<string>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(location.hash)))));
      expect(hash).toBe(`#${section}`);
    }
    expect(await notices.locator('.class-notice').count()).toBe(3);
    await context.close();
  }, 120_000);
});
