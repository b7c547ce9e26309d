import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Board, FollowWait } from '../../contracts/class-channel/messages.ts';
import { post } from '../integration/classroom-client.ts';
import { joinOnThisPage, openDesk } from './class-pages.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseStateNow, LIVE, setEditorText } from './lesson-page.ts';

// Issue 53, items 2 and 5: following never stops silently. The teacher assigns an exercise and goes
// on teaching (four moves: a section, another lesson, two sections of it). The student who never
// started the exercise and the one who passed it follow every move; the one who tried and missed
// stays on it, sees where the teacher is, and the desk says why; a student who opens another page
// themselves stays there until the teacher's next move. The lead bar counts who follows.

const lab = useAppAndBrowser();
const json = { 'content-type': 'application/json' };

async function joinAs(browser: Browser, origin: string, code: string, name: string, lang: 'ru' | 'en'): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(`${origin}/${lang}/class?code=${code}`);
  await joinOnThisPage(page, name);
  return page;
}

const where = (page: Page) => page.evaluate(() => `${location.pathname}${location.hash}`);

async function board(origin: string, key: string, code: string): Promise<Board> {
  const response = await fetch(`${origin}/_wirelab/class/classes/${code}/board`, { headers: { 'x-wirelab-teacher-key': key } });
  return (await response.json()) as Board;
}

/** What the desk says of a student: where their page is and why it waits (null: it follows). */
async function onDesk(origin: string, key: string, code: string, name: string): Promise<{ lesson: string | null | undefined; waits: FollowWait | null }> {
  const member = (await board(origin, key, code)).members.find((entry) => entry.name === name)!;
  // a lesson's place (a shared capture's page has none)
  return { lesson: member.place === null || !('lesson' in member.place) ? undefined : member.place.lesson, waits: member.waits };
}

describe('following with an assignment', () => {
  it('keeps every follower on the teacher’s section or marked on the desk with why, through four moves after an assignment', async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;
    const teacherHeaders = { ...json, 'x-wirelab-teacher-key': key };
    const created = await post(origin, '/_wirelab/class/classes', { title: 'Assigned' }, teacherHeaders);
    const { code } = (await created.json()) as { code: string };

    // the teacher's lesson tab leads from REST
    const teacher = await openPage(lab.browser);
    await openDesk(teacher, origin, key, 'en');
    await teacher.goto(`${origin}/en/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await teacher.getByTestId('class-bar-teacher').waitFor(LIVE);
    await teacher.goto(`${origin}/en/rest`);
    // the lead channel is open once it has told the server its place (teacher-class.ts)
    await teacher.locator('[data-testid="class-bar-teacher"][data-status="open"]').waitFor(LIVE);

    const ann = await joinAs(lab.browser, origin, code, 'Ann', 'en'); // never starts the exercise
    const ben = await joinAs(lab.browser, origin, code, 'Бен', 'ru'); // passes it
    const cat = await joinAs(lab.browser, origin, code, 'Cat', 'en'); // tries it and misses
    const dan = await joinAs(lab.browser, origin, code, 'Dan', 'en'); // opens another page himself
    // joined on the class page, each goes where the teacher is
    for (const page of [ann, ben, cat, dan]) await page.getByTestId('class-follow-go').click();
    for (const [page, path] of [
      [ann, '/en/rest'],
      [ben, '/ru/rest'],
      [cat, '/en/rest'],
      [dan, '/en/rest'],
    ] as const)
      await expect.poll(() => page.evaluate(() => location.pathname), LIVE).toBe(path);

    const assigned = await fetch(`${origin}/_wirelab/class/classes/${code}/assignment`, {
      method: 'PUT',
      headers: teacherHeaders,
      body: JSON.stringify({ lesson: 'rest', exercise: 'create-201' }),
    });
    expect(assigned.status).toBe(200);
    for (const page of [ann, ben, cat, dan]) await page.getByTestId('class-assignment-notice').waitFor(LIVE);

    // Ben passes it; Cat sends a user without an email and misses (422, not 201)
    const user = (body: object) => `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify(body)}\n`;
    await setEditorText(ben, 'create-user', user({ name: 'Бен', email: `ben-${Date.now()}@example.com` }));
    await cell(ben, 'create-user').locator('[data-testid="cell-run"]').click();
    await expect.poll(() => exerciseStateNow(ben, 'create-201'), LIVE).toBe('passed');
    await setEditorText(cat, 'create-user', user({ name: 'Cat' }));
    await cell(cat, 'create-user').locator('[data-testid="cell-run"]').click();
    const catStatus = cat.locator('[data-exercise-id="create-201"] [data-testid="exercise-status"]');
    await expect.poll(() => attributeNow(catStatus, 'class'), LIVE).toContain('is-missed');

    // the teacher's four moves: a section of REST, WebSocket, and two of its sections
    const sectionsOf = (page: Page) => page.evaluate(() => [...document.querySelectorAll('main h2[id]')].map((heading) => heading.id));
    const restSections = await sectionsOf(teacher);
    await teacher.goto(`${origin}/en/rest#${restSections[2]}`);
    const teacherMoved = async (lesson: string, section: string) => {
      for (const [page, lang] of [
        [ann, 'en'],
        [ben, 'ru'],
      ] as const)
        await expect.poll(() => where(page), LIVE).toBe(`/${lang}/${lesson}${section ? `#${section}` : ''}`);
    };
    await teacherMoved('rest', restSections[2]);

    // Dan opens the course page himself: he stays there, with the way back, and the desk says why
    await dan.goto(`${origin}/en/course`);
    const danPaused = dan.getByTestId('class-follow-paused');
    await danPaused.waitFor(LIVE);
    expect(await danPaused.getAttribute('data-reason')).toBe('own-page');
    expect(await danPaused.textContent()).toContain('You opened this page yourself');
    await expect.poll(async () => (await onDesk(origin, key, code, 'Dan')).waits, LIVE).toBe('own-page');
    expect(await dan.evaluate(() => location.pathname)).toBe('/en/course');

    await teacher.goto(`${origin}/en/websockets`);
    await expect.poll(() => teacher.evaluate(() => document.querySelectorAll('main h2[id]').length), LIVE).toBeGreaterThan(3);
    const wsSections = await sectionsOf(teacher);
    await teacherMoved('websockets', '');
    // the teacher's next move takes Dan along
    await expect.poll(() => dan.evaluate(() => location.pathname), LIVE).toBe('/en/websockets');
    for (const section of [wsSections[1], wsSections[3]]) {
      await teacher.goto(`${origin}/en/websockets#${section}`);
      await teacherMoved('websockets', section);
      await expect.poll(() => where(dan), LIVE).toBe(`/en/websockets#${section}`);
    }

    // Cat stays on her exercise, told where the teacher is, and the desk says why
    const catPaused = cat.getByTestId('class-follow-paused');
    expect(await attributeNow(catPaused, 'data-reason')).toBe('assignment');
    expect(await cat.evaluate(() => location.pathname)).toBe('/en/rest');
    await expect.poll(() => onDesk(origin, key, code, 'Cat'), LIVE).toEqual({ lesson: 'rest', waits: 'assignment' });
    for (const name of ['Ann', 'Бен', 'Dan']) await expect.poll(() => onDesk(origin, key, code, name), LIVE).toEqual({ lesson: 'websockets', waits: null });
    // the lead bar counts them
    const followers = teacher.getByTestId('class-lead-followers');
    await expect.poll(() => attributeNow(followers, 'data-follow'), LIVE).toBe('3');
    expect(await followers.textContent()).toBe('3 of 4 online follow you; 1 wait (the board says why)');
    // the desk's row says it in the teacher's language
    const desk = await teacher.context().newPage();
    await desk.goto(`${origin}/ru/class/teach?class=${code}`);
    const catPlace = desk.locator('[data-testid="board-row"][data-name="Cat"] [data-testid="board-place"]');
    await expect.poll(() => attributeNow(catPlace, 'data-waits'), LIVE).toBe('assignment');
    expect(await catPlace.textContent()).toContain('в уроке «REST');
    expect(await catPlace.textContent()).toContain('ждёт: делает заданное упражнение');

    // one click takes Cat where the teacher is
    await catPaused.getByTestId('class-follow-go').click();
    await expect.poll(() => where(cat), LIVE).toBe(`/en/websockets#${wsSections[3]}`);

    for (const page of [ann, ben, cat, dan, teacher]) await releasePage(page);
  }, 300_000);
});
