// Issue 52, item 2, in Chromium: the teacher puts a capture on the class's screens. A Russian
// teacher leading a class runs a request in the REST lesson, shares the capture from the
// inspector and presses «Показать классу» beside its link: the teacher's tab opens the capture,
// and an English and a Russian follower each open it in their own language, without a reload,
// with the same rows as the teacher; a student who joins later lands on it too, and the teacher's
// next move takes everyone back to the lesson.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { attributeNow, LIVE, setEditorText, textNow, valueNow } from './lesson-page.ts';

const TARGET = '/api/v1/users?limit=1';
const lab = useAppAndBrowser();

const inspectorOf = (page: Page) => page.locator('[data-testid="inspector"]');
/** Each listed exchange's request and response line, as the inspector shows them. */
const rowTexts = async (page: Page) =>
  (await inspectorOf(page).locator('[data-testid="insp-exchange"] .insp-row-main').allTextContents()).map((text) => text.trim());
const pathOf = (page: Page) => page.evaluate(() => location.pathname);

async function joinAs(browser: Browser, origin: string, code: string, name: string, lang: 'ru' | 'en'): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(`${origin}/${lang}/class?code=${code}`);
  await joinOnThisPage(page, name);
  return page;
}

/** The shared capture's page, its file opened in the inspector. */
async function captureShown(page: Page): Promise<void> {
  await expect.poll(() => attributeNow(page.getByTestId('shared-capture'), 'data-state'), LIVE).toBe('shown');
  await expect.poll(() => attributeNow(inspectorOf(page).getByTestId('insp-file-opened'), 'data-kind'), LIVE).toBe('packets');
}

describe('a shared capture on the class’s screens', () => {
  it('opens on every follower’s screen in their own language, with the same rows, without a reload', { timeout: 240_000 }, async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;
    const desk = await openPage(lab.browser);
    await openDesk(desk, origin, key);
    const code = await createClass(desk, 'Семинар 7');
    const sam = await joinAs(lab.browser, origin, code, 'Sam', 'en');
    const olga = await joinAs(lab.browser, origin, code, 'Ольга', 'ru');

    const teacher = await desk.context().newPage();
    await teacher.goto(`${origin}/ru/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await teacher.getByTestId('class-bar-teacher').waitFor(LIVE);
    await teacher.goto(`${origin}/ru/rest`);
    await expect.poll(() => pathOf(sam), LIVE).toBe('/en/rest');
    await expect.poll(() => pathOf(olga), LIVE).toBe('/ru/rest');
    // a page that reloads loses this mark: following the capture must not
    for (const page of [sam, olga]) await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    // the teacher's request, shared from the lesson's inspector
    const cellBox = teacher.locator('[data-testid="cell"]').first();
    const cellId = (await cellBox.getAttribute('data-cell-id'))!;
    await expect.poll(() => textNow(inspectorOf(teacher).getByTestId('insp-share')), { timeout: 60_000 }).toBe('Поделиться');
    await setEditorText(teacher, cellId, `GET ${TARGET}\n`);
    await cellBox.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cellBox.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    await inspectorOf(teacher).getByTestId('insp-share').click();
    await inspectorOf(teacher).getByTestId('insp-share-create').click();
    const link = inspectorOf(teacher).getByTestId('insp-share-link');
    await expect.poll(() => valueNow(link), LIVE).toMatch(new RegExp(`^${origin}/ru/capture/[A-Za-z0-9_-]{22}$`));
    const id = new URL((await valueNow(link))!).pathname.split('/').at(-1)!;

    // one click: «Показать классу»
    const show = inspectorOf(teacher).getByTestId('class-show-capture');
    // the classroom's part renders once the tab knows it leads a class and the link exists
    await expect.poll(() => textNow(show), LIVE).toBe('Показать классу');
    await show.click();
    await expect.poll(() => pathOf(teacher), LIVE).toBe(`/ru/capture/${id}`);
    await captureShown(teacher);
    await expect.poll(() => textNow(teacher.getByTestId('class-capture-shown')), LIVE).toBe('Запись на экранах студентов, которые следят за вами.');
    const teacherRows = await rowTexts(teacher);
    expect(teacherRows.some((row) => row.includes(TARGET))).toBe(true);

    await expect.poll(() => pathOf(sam), LIVE).toBe(`/en/capture/${id}`);
    await expect.poll(() => pathOf(olga), LIVE).toBe(`/ru/capture/${id}`);
    for (const page of [sam, olga]) {
      await captureShown(page);
      await expect.poll(() => rowTexts(page), LIVE).toEqual(teacherRows);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      // read-only, and no button of the teacher's on a student's page
      expect(await page.getByTestId('class-show-capture').count()).toBe(0);
      expect(await page.getByTestId('shared-capture-delete').count()).toBe(0);
    }
    // the desk says where they are
    for (const name of ['Sam', 'Ольга']) {
      const place = desk.locator(`[data-testid="board-row"][data-name="${name}"] [data-testid="board-place"]`);
      await expect.poll(() => attributeNow(place, 'data-capture'), LIVE).toBe(id);
      expect(await textNow(place)).toContain('в записи по ссылке');
    }
    expect(await textNow(sam.getByTestId('shared-capture-expiry'))).toMatch(/^Read-only\. Kept until /);
    expect(await textNow(olga.getByTestId('shared-capture-expiry'))).toMatch(/^Только для чтения\. Хранится до /);
    expect(await textNow(sam.locator('.shared-capture h1'))).toBe('Shared capture');
    expect(await textNow(olga.locator('.shared-capture h1'))).toBe('Запись по ссылке');

    // a student who joins now is offered it from the class page, in English
    const lee = await joinAs(lab.browser, origin, code, 'Lee', 'en');
    const paused = lee.getByTestId('class-follow-paused');
    await paused.waitFor(LIVE);
    expect(await textNow(paused)).toContain('The teacher is at “Shared capture”.');
    await lee.getByTestId('class-follow-go').click();
    await expect.poll(() => pathOf(lee), LIVE).toBe(`/en/capture/${id}`);
    await captureShown(lee);
    await expect.poll(() => rowTexts(lee), LIVE).toEqual(teacherRows);

    // the teacher's next move in the lessons takes everyone back
    await teacher.goto(`${origin}/ru/rest`);
    await expect.poll(() => pathOf(sam), LIVE).toBe('/en/rest');
    await expect.poll(() => pathOf(olga), LIVE).toBe('/ru/rest');

    for (const page of [sam, olga, lee, desk]) await releasePage(page);
  });
});
