import type { Bilingual } from '../../shared/bilingual.ts';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { editorText, LIVE, setEditorText, valueNow } from './lesson-page.ts';
import { axeViolations } from './axe-violations.ts';

// The teacher in control (issue 22): a Russian teacher assigns an exercise to everyone, sends the
// cell they edited to the students who follow (their session's secrets blanked), freezes the
// students' writes, and reads what they did in the board's history; an English and a Russian
// student each see it in their language.

const lab = useAppAndBrowser();

async function joinAs(browser: Browser, origin: string, code: string, name: string, lang: 'ru' | 'en'): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(`${origin}/${lang}/class?code=${code}`);
  await joinOnThisPage(page, name);
  return page;
}

const inCell = (page: Page, cellId: string, testId: string) => page.locator(`#cell-${cellId} [data-testid="${testId}"]`);

/** The cell's editor, once it is on the page (editors mount as they near the viewport). */
async function editorReady(page: Page, cellId: string): Promise<void> {
  await page.locator(`#cell-${cellId}`).scrollIntoViewIfNeeded();
  await page.waitForFunction((id) => (window as unknown as { __wirelabEditors?: Map<string, unknown> }).__wirelabEditors?.has(id), cellId, LIVE);
}

describe('the teacher in control', () => {
  it('assigns an exercise, sends a cell (secrets blanked) that students take or dismiss, freezes writes, and lists every action in the history', async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;
    const desk = await openPage(lab.browser);
    await openDesk(desk, origin, key);
    const code = await createClass(desk, 'Поток 5');
    const sam = await joinAs(lab.browser, origin, code, 'Sam', 'en');
    const olga = await joinAs(lab.browser, origin, code, 'Ольга', 'ru');

    // "Everyone: this exercise now", picked by its Russian title
    const choice = desk.getByTestId('class-assign-exercise').locator('option[value="rest/create-201"]');
    expect(await choice.textContent()).toMatch(/^Создайте пользователя/);
    await desk.getByTestId('class-assign-exercise').selectOption('rest/create-201');
    await desk.getByTestId('class-assign-send').click();
    const samNotice = sam.getByTestId('class-assignment-notice');
    await samNotice.waitFor(LIVE);
    expect(await samNotice.textContent()).toMatch(/The teacher asks everyone to do now:.*Create a user/);
    expect(await olga.getByTestId('class-assignment-notice').textContent({ timeout: LIVE.timeout })).toMatch(
      /Преподаватель просит всех сделать сейчас:.*Создайте пользователя/,
    );
    expect(await olga.getByTestId('class-assignment-link').getAttribute('href')).toBe('/ru/rest#exercise-create-201-title');
    // the board turns to the lesson and marks the exercise's column
    await expect.poll(() => valueNow(desk.getByTestId('board-lesson')), LIVE).toBe('rest');
    expect(await desk.locator('[data-testid="board-exercise-column"][data-assigned="true"]').getAttribute('data-exercise')).toBe('create-201');
    expect(await desk.getByTestId('class-assignment-current').textContent()).toContain('Создайте пользователя');
    // the link opens the lesson at the exercise, in the student's language, and the exercise stays
    // in view while the page fills in (web/kit/hold-in-view.ts). The hash then names the heading
    // being read (#post) as soon as the page scrolls (lesson-reader.tsx, useCurrentHeading): what
    // the link promises is where the page stands.
    await sam.getByTestId('class-assignment-link').click();
    await expect.poll(() => sam.evaluate(() => location.pathname), LIVE).toBe('/en/rest');
    await expect
      .poll(
        () =>
          sam.evaluate(() => {
            const top = document.getElementById('exercise-create-201-title')?.getBoundingClientRect().top;
            return top !== undefined && top >= 0 && top < window.innerHeight;
          }),
        LIVE,
      )
      .toBe(true);
    await sam.locator('[data-testid="exercise"][data-exercise-id="create-201"]').waitFor(LIVE);
    await desk.getByTestId('class-assign-clear').click();
    await expect.poll(() => olga.getByTestId('class-assignment-notice').count(), LIVE).toBe(0);
    await expect.poll(() => sam.getByTestId('class-assignment-notice').count(), LIVE).toBe(0);

    // The teacher leads from a lesson tab and edits a cell, pasting their own curl token into it.
    const teacher = await desk.context().newPage();
    await teacher.goto(`${origin}/ru/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await teacher.getByTestId('class-bar-teacher').waitFor(LIVE);
    await teacher.goto(`${origin}/ru/rest`);
    await expect.poll(() => sam.evaluate(() => location.pathname), LIVE).toBe('/en/rest');
    await expect.poll(() => olga.evaluate(() => location.pathname), LIVE).toBe('/ru/rest');
    const secrets = await teacher.evaluate(async () => (await (await fetch('/_wirelab/session')).json()) as { session: string; curlToken: string });
    const teacherText = `POST /api/v1/users\nContent-Type: application/json\nx-wirelab-sandbox: ${secrets.curlToken}\n\n{"name":"Демо","email":"demo@example.com"}\n`;
    await setEditorText(teacher, 'create-user', teacherText);
    await editorReady(sam, 'create-user');
    await editorReady(olga, 'create-user');
    const samBefore = await editorText(sam, 'create-user');
    const olgaBefore = await editorText(olga, 'create-user');
    await inCell(teacher, 'create-user', 'class-cell-send').click();
    await inCell(teacher, 'create-user', 'class-cell-sent').waitFor(LIVE);
    expect(await inCell(teacher, 'create-user', 'class-cell-sent').textContent()).toBe('Отправлено студентам, которые следят за вами.');

    // Sam takes it: his editor holds the teacher's text with the token blanked; "back to my text" undoes it.
    const offer = inCell(sam, 'create-user', 'class-cell-draft');
    await offer.waitFor(LIVE);
    expect(await offer.textContent()).toContain('The teacher sent a version of this cell.');
    expect(await axeViolations(sam)).toEqual([]);
    await inCell(sam, 'create-user', 'class-cell-take').click();
    await expect.poll(() => editorText(sam, 'create-user'), LIVE).toContain('"name":"Демо"');
    const taken = await editorText(sam, 'create-user');
    expect(taken).not.toContain(secrets.curlToken.slice('curl.'.length));
    expect(taken).toContain(`x-wirelab-sandbox: ${'*'.repeat(secrets.curlToken.length)}`);
    expect(taken).toHaveLength(teacherText.length);
    await inCell(sam, 'create-user', 'class-cell-undo').click();
    await expect.poll(() => editorText(sam, 'create-user'), LIVE).toBe(samBefore);
    // Olga dismisses it, in Russian: her text stays
    const olgaOffer = inCell(olga, 'create-user', 'class-cell-draft');
    await olgaOffer.waitFor(LIVE);
    expect(await olgaOffer.textContent()).toContain('Преподаватель прислал свою версию этой ячейки.');
    await inCell(olga, 'create-user', 'class-cell-dismiss').click();
    await expect.poll(() => inCell(olga, 'create-user', 'class-cell-draft').count(), LIVE).toBe(0);
    expect(await editorText(olga, 'create-user')).toBe(olgaBefore);

    // Freezing: Sam's page says so in English; his write from the page is refused (423), in both languages; unfreezing lets it through.
    const samWrite = () =>
      sam.evaluate(async () => {
        const response = await fetch('/api/v1/users', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Sam', email: `sam-${Date.now()}@example.com` }),
        });
        return { status: response.status, body: (await response.json()) as { localized?: Bilingual } };
      });
    await desk.getByTestId('class-freeze').click();
    await sam.getByTestId('class-frozen-notice').waitFor(LIVE);
    expect(await sam.getByTestId('class-frozen-notice').textContent()).toContain('The teacher has frozen changes to your data');
    expect(await olga.getByTestId('class-frozen-notice').textContent({ timeout: LIVE.timeout })).toContain('Преподаватель заморозил изменения ваших данных');
    const refused = await samWrite();
    expect(refused.status).toBe(423);
    expect(refused.body.localized?.ru).toContain('заморозил');
    expect(await desk.getByTestId('class-frozen').textContent()).toBe('Запись у студентов заморожена.');
    await desk.getByTestId('class-freeze').click();
    await expect.poll(() => sam.getByTestId('class-frozen-notice').count(), LIVE).toBe(0);
    expect((await samWrite()).status).toBe(201);

    // The history lists what the teacher did, newest first, with the time, in Russian.
    const kinds = () => desk.getByTestId('class-history-entry').evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-kind')));
    await expect.poll(kinds, LIVE).toEqual(['unfrozen', 'frozen', 'cell-sent', 'assignment-cleared', 'assigned']);
    await desk.getByTestId('class-notice-input').fill('Перерыв 5 минут');
    await desk.getByTestId('class-notice-send').click();
    await expect.poll(kinds, LIVE).toEqual(['notice', 'unfrozen', 'frozen', 'cell-sent', 'assignment-cleared', 'assigned']);
    const lines = await desk.getByTestId('class-history-entry').allTextContents();
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d Отправили сообщение «Перерыв 5 минут»$/);
    expect(lines[2]).toMatch(/Заморозили запись у студентов$/);
    expect(lines[3]).toMatch(/Отправили ячейку «create-user» тем, кто следит$/);
    expect(lines[5]).toMatch(/Задали упражнение «REST.* — Создайте пользователя/);

    // the desk with the board, the assignment and freeze controls and the history passes axe-core
    expect(await axeViolations(desk)).toEqual([]);
    for (const page of [desk, sam, olga]) await releasePage(page);
  }, 180_000);
});
