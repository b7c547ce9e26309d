import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { LIVE } from './lesson-page.ts';

// Issue 35, item 3: a following student is far down the lesson (following scrolled them there);
// the teacher's message, timer, assignment, freeze and data reset appear where they are looking,
// pinned to the viewport, announced (role="status"), in the student's language.

const lab = useAppAndBrowser();

/** Is the element on screen and on top where it is (not under the sticky header or anything else)? */
async function inView(page: Page, notice: Locator): Promise<boolean> {
  const handle = await notice.elementHandle(LIVE);
  return page.evaluate((element) => {
    const box = element!.getBoundingClientRect();
    if (box.height === 0 || box.top < 0 || box.bottom > window.innerHeight) return false;
    const top = document.elementFromPoint(box.left + Math.min(40, box.width / 2), box.top + box.height / 2);
    return top !== null && element!.contains(top);
  }, handle);
}

async function scrolledFarDown(page: Page): Promise<number> {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect.poll(() => page.evaluate(() => window.scrollY), LIVE).toBeGreaterThan(1500);
  return page.evaluate(() => window.scrollY);
}

describe("a follower far down the page sees the teacher's notices", () => {
  it('in the viewport, in their language: message, freeze, assignment, timer and data reset', async () => {
    const { origin } = lab.server;
    const desk = await openPage(lab.browser);
    await openDesk(desk, origin, lab.server.app.classroom.teacherKey, 'en');
    const code = await createClass(desk, 'Notices');
    const olga = await openPage(lab.browser);
    await olga.goto(`${origin}/ru/class?code=${code}`);
    await joinOnThisPage(olga, 'Ольга');
    await olga.goto(`${origin}/ru/rest`);
    await olga.locator('article.lesson').waitFor(LIVE);
    await scrolledFarDown(olga);

    await desk.getByTestId('class-notice-input').fill('Break: 5 minutes');
    await desk.getByTestId('class-notice-send').click();
    const message = olga.getByTestId('class-notice');
    await message.waitFor(LIVE);
    expect(await message.textContent()).toMatch(/Сообщение преподавателя:.*Break: 5 minutes/);
    expect(await olga.evaluate(() => window.scrollY)).toBeGreaterThan(1500);
    expect(await inView(olga, message)).toBe(true);
    expect(await olga.getByTestId('class-notices').getAttribute('aria-live')).toBe('polite');
    expect(await message.getAttribute('role')).toBe('status');

    await desk.getByTestId('class-freeze').click();
    const frozen = olga.getByTestId('class-frozen-notice');
    await frozen.waitFor(LIVE);
    expect(await frozen.textContent()).toMatch(/Преподаватель заморозил изменения/);
    expect(await inView(olga, frozen)).toBe(true);

    await desk.getByTestId('class-assign-exercise').selectOption('rest/create-201');
    await desk.getByTestId('class-assign-send').click();
    const assignment = olga.getByTestId('class-assignment-notice');
    await assignment.waitFor(LIVE);
    await scrolledFarDown(olga);
    expect(await assignment.textContent()).toMatch(/Преподаватель просит всех сделать сейчас/);
    expect(await inView(olga, assignment)).toBe(true);

    await desk.getByTestId('class-timer-minutes').fill('5');
    await desk.getByTestId('class-timer-start').click();
    const timer = olga.getByTestId('class-timer');
    await timer.waitFor(LIVE);
    expect(await timer.textContent()).toMatch(/^Осталось: /);
    expect(await inView(olga, timer)).toBe(true);

    await desk.getByTestId('class-reset-data').click();
    await desk.getByTestId('class-reset-yes').click();
    const reset = olga.getByTestId('class-data-reset');
    await reset.waitFor(LIVE);
    expect(await inView(olga, reset)).toBe(true);
    await releasePage(desk);
    await releasePage(olga);
  }, 120_000);
});
