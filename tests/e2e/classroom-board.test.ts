import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseCard, exerciseStateNow, LIVE, setEditorText, textNow } from './lesson-page.ts';

// The board tells the teacher true facts (issue 22): a result only from what a student did for
// that exercise, presence as it is, titles in the teacher's language, a board that fits the
// screen; and a rejoin or a page that is no lesson do not leave students somewhere wrong.

const lab = useAppAndBrowser();

async function joinAs(browser: Browser, origin: string, code: string, name: string, lang: 'ru' | 'en', rejoinCode = ''): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(`${origin}/${lang}/class?code=${code}`);
  await joinOnThisPage(page, name, rejoinCode);
  return page;
}

/** Every path a page's own navigation went to (pushState), to show one it never took. */
async function recordPaths(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const paths: string[] = [];
    (window as unknown as { __paths: string[] }).__paths = paths;
    const push = history.pushState.bind(history);
    history.pushState = (data, unused, url) => {
      push(data, unused, url);
      paths.push(location.pathname);
    };
  });
}

const result = (desk: Page, name: string, exercise: string) =>
  attributeNow(desk.locator(`[data-testid="board-row"][data-name="${name}"] [data-testid="board-result"][data-exercise="${exercise}"]`), 'data-state');

describe('the class board counts truly', () => {
  it('records only what a student did for an exercise, shows presence, titles and fits the screen; a rejoin and a 404 leave nobody astray', async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;

    const desk = await openPage(lab.browser);
    await openDesk(desk, origin, key);
    const code = await createClass(desk, 'Поток 4');

    const olga = await joinAs(lab.browser, origin, code, 'Ольга', 'ru');
    const sam = await joinAs(lab.browser, origin, code, 'Sam', 'en');
    await recordPaths(sam);
    await sam.reload();
    await sam.getByTestId('class-follow-toggle').waitFor(LIVE);
    // the class list counts them (it said "0 студентов" until the page was reloaded)
    await expect.poll(() => textNow(desk.locator(`[data-testid="class-members"]`).first()), LIVE).toBe('2 студента');
    await expect
      .poll(() => desk.getByTestId('board-presence').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-presence'))), LIVE)
      .toEqual(['watching', 'watching']);
    // "Watching" is a follower whose page is in view (Page Visibility API; issue 35): Olga's tab
    // hidden, she is only online; shown again, watching.
    const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { value, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    const olgaPresence = () => desk.locator('[data-testid="board-row"][data-name="Ольга"] [data-testid="board-presence"]').getAttribute('data-presence');
    await setVisibility(olga, 'hidden');
    await expect.poll(olgaPresence, LIVE).toBe('online');
    await setVisibility(olga, 'visible');
    await expect.poll(olgaPresence, LIVE).toBe('watching');
    expect(await desk.locator('[data-testid="board-row"][data-name="Ольга"] [data-testid="board-presence"]').textContent()).toContain('смотрит');

    // Sam stops following and works on the REST lesson: one correct POST /users is one pass,
    // and no miss on the other exercises that also match a POST /users.
    await sam.getByTestId('class-follow-toggle').click();
    await sam.goto(`${origin}/en/rest`);
    const create = cell(sam, 'create-user');
    await create.waitFor(LIVE);
    await setEditorText(
      sam,
      'create-user',
      `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Sam', email: `sam-${Date.now()}@example.com` })}\n`,
    );
    await create.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => exerciseStateNow(sam, 'create-201'), LIVE).toBe('passed');
    await desk.getByTestId('board-lesson').selectOption('rest');
    await expect.poll(() => result(desk, 'Sam', 'rest/create-201'), LIVE).toBe('passed');
    const samStates = await desk
      .locator('[data-testid="board-row"][data-name="Sam"] [data-testid="board-result"]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state')));
    expect(samStates.filter((state) => state !== 'none')).toEqual(['passed']);
    // the student's own cards agree: every other exercise "not tried yet"
    const samCards = await sam.getByTestId('exercise-status').allTextContents();
    expect(samCards.filter((text) => !/Not tried yet/.test(text))).toEqual(['✓ Passed']);

    // The columns are the exercises' titles in the teacher's language, and the board fits the
    // screen at 1280 and 1920 px without scrolling sideways.
    const heading = desk.locator('[data-testid="board-exercise-column"][data-exercise="create-201"]');
    expect(await heading.textContent()).toMatch(/^Создайте пользователя/);
    for (const width of [1280, 1920]) {
      await desk.setViewportSize({ width, height: 900 });
      expect(await desk.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      const table = await desk.locator('.class-board-scroll').evaluate((element) => element.scrollWidth - element.clientWidth);
      expect(table).toBe(0);
    }

    // Olga opens the GraphQL lesson: the editors' own POST /graphql (the schema) is no miss; her
    // run of the mutation is the one result of that lesson.
    await olga.goto(`${origin}/ru/graphql`);
    const mutation = cell(olga, 'create-post');
    await mutation.scrollIntoViewIfNeeded();
    await mutation.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
    await mutation.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => exerciseStateNow(olga, 'create-post'), LIVE).toBe('passed');
    await desk.getByTestId('board-lesson').selectOption('graphql');
    await expect.poll(() => result(desk, 'Ольга', 'graphql/create-post'), LIVE).toBe('passed');
    // reports arrive in order: a miss from the page's own request would be on the board by now
    expect(await result(desk, 'Ольга', 'graphql/too-deep')).toBe('none');
    const olgaStates = await desk
      .locator('[data-testid="board-row"][data-name="Ольга"] [data-testid="board-result"]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state')));
    expect(olgaStates.filter((state) => state !== 'none')).toEqual(['passed']);

    // Hidden names keep their numbers whatever the sort.
    await desk.getByTestId('board-anonymous').check();
    const shown = async () => (await desk.locator('[data-testid="board-row"] th').allTextContents()).sort();
    const hidden = await shown();
    expect(hidden.join(' ')).not.toMatch(/Ольга|Sam/);
    for (const sort of ['name', 'done', 'idle', 'joined']) {
      await desk.getByTestId('board-sort').selectOption(sort);
      expect(await shown()).toEqual(hidden);
    }
    await desk.getByTestId('board-anonymous').uncheck();

    // The teacher leads; a mistyped address (404) is not followed, the next lesson is.
    await sam.getByTestId('class-follow-toggle').click();
    const teacher = await desk.context().newPage();
    await teacher.goto(`${origin}/ru/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await teacher.getByTestId('class-bar-teacher').waitFor(LIVE);
    await teacher.goto(`${origin}/ru/rest`);
    await expect.poll(() => sam.evaluate(() => location.pathname), LIVE).toBe('/en/rest');
    await teacher.goto(`${origin}/ru/no-such-lesson`);
    await teacher.goto(`${origin}/ru/graphql`);
    await expect.poll(() => sam.evaluate(() => location.pathname), LIVE).toBe('/en/graphql');
    expect(await sam.evaluate(() => (window as unknown as { __paths: string[] }).__paths)).not.toContain('/en/no-such-lesson');

    // Olga rejoins from another computer: her old browser leaves the class at once and says why.
    const rejoinCode = (await olga.getByTestId('class-bar-rejoin-code').textContent())!;
    const elsewhere = await joinAs(lab.browser, origin, code, 'ольга', 'ru', rejoinCode);
    await olga.getByTestId('class-left').waitFor(LIVE);
    expect(await olga.getByTestId('class-left').getAttribute('data-because')).toBe('rejoined');
    expect(await olga.getByTestId('class-left').textContent()).toContain('из другого браузера');
    expect(await olga.getByTestId('class-bar').count()).toBe(0);

    // Sam closes his laptop: offline on the board, not "active".
    await releasePage(sam);
    await desk.getByTestId('board-lesson').selectOption('');
    const samPresence = desk.locator('[data-testid="board-row"][data-name="Sam"] [data-testid="board-presence"]');
    await expect.poll(() => attributeNow(samPresence, 'data-presence'), LIVE).toBe('offline');
    expect(await samPresence.textContent()).toContain('не в сети');
    expect(await desk.locator('[data-testid="board-row"][data-name="Sam"] td').nth(2).textContent()).toBe('—');

    // The teacher opens Sam's attempts from his name: the exercise by its Russian title, the pass, his presence.
    await desk.locator('[data-testid="board-row"][data-name="Sam"]').getByTestId('board-member-open').click();
    const attempts = desk.getByTestId('member-attempts');
    await attempts.getByTestId('member-attempt').first().waitFor(LIVE);
    expect(await attempts.getByTestId('member-attempts-exercise').evaluateAll((groups) => groups.map((group) => group.getAttribute('data-exercise')))).toEqual([
      'rest/create-201',
    ]);
    expect(await attempts.locator('h4').first().textContent()).toMatch(/^Создайте пользователя/);
    expect(await attempts.getByTestId('member-attempt').getAttribute('data-passed')).toBe('true');
    expect(await attempts.getByTestId('member-attempts-presence').getAttribute('data-presence')).toBe('offline');
    await attempts.getByTestId('member-attempts-close').click();

    // A message (text, never HTML) and a timer reach the Russian student's page; ending the class
    // tells the page in its language, reopening takes that back.
    await desk.getByTestId('class-notice-input').fill('<b>Упражнение 3</b> — сейчас');
    await desk.getByTestId('class-notice-send').click();
    await expect.poll(() => textNow(elsewhere.getByTestId('class-notice-text')), LIVE).toBe('<b>Упражнение 3</b> — сейчас');
    expect(await elsewhere.locator('[data-testid="class-notice"] b').count()).toBe(0);
    expect(await elsewhere.getByTestId('class-notice').textContent()).toContain('Сообщение преподавателя');
    await desk.getByTestId('class-timer-minutes').fill('10');
    await desk.getByTestId('class-timer-start').click();
    await expect.poll(() => textNow(elsewhere.getByTestId('class-timer')), LIVE).toMatch(/^Осталось: (10:00|9:[0-5]\d)$/);
    await desk.getByTestId('class-end').click();
    await desk.getByTestId('class-end-yes').click();
    await expect.poll(() => textNow(elsewhere.getByTestId('class-ended-notice')), LIVE).toContain('Преподаватель завершил класс');
    await desk.getByTestId('class-reopen').click();
    await expect.poll(() => elsewhere.getByTestId('class-ended-notice').count(), LIVE).toBe(0);
    // Resetting everyone's data asks first; the student's page says it happened, in Russian.
    await desk.getByTestId('class-reset-data').click();
    await desk.getByTestId('class-reset-yes').click();
    await expect.poll(() => textNow(elsewhere.getByTestId('class-data-reset')), LIVE).toContain('Преподаватель сбросил ваши данные');

    // The teacher's controls, from the keyboard-reachable buttons of a row: a rename reaches the
    // student's bar at once; a removal asks first, then puts the student's page out, saying why.
    const olgaRow = desk.locator('[data-testid="board-row"][data-name="Ольга"]');
    await olgaRow.getByTestId('member-rename').click();
    await olgaRow.getByTestId('member-rename-input').fill('Ольга П.');
    await olgaRow.getByTestId('member-rename-input').press('Enter');
    await expect.poll(() => textNow(elsewhere.getByTestId('class-bar-name')), LIVE).toBe('Ольга П.');
    const renamedRow = desk.locator('[data-testid="board-row"][data-name="Ольга П."]');
    await renamedRow.getByTestId('member-remove').click();
    expect(await renamedRow.getByTestId('member-remove-confirm').textContent()).toContain('Удалить из класса «Ольга П.»?');
    await renamedRow.getByTestId('member-remove-yes').click();
    await elsewhere.getByTestId('class-left').waitFor(LIVE);
    expect(await elsewhere.getByTestId('class-left').getAttribute('data-because')).toBe('removed');
    await expect.poll(() => desk.getByTestId('board-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-name'))), LIVE).toEqual(['Sam']);

    // "Hide names" hides them everywhere on the desk (issue 35): the rows, the attempts panel left
    // open, and the history's rename and removal.
    await desk.locator('[data-testid="board-row"][data-name="Sam"]').getByTestId('board-member-open').click();
    await desk.getByTestId('member-attempt').first().waitFor(LIVE);
    await desk.getByTestId('board-anonymous').check();
    expect(await desk.getByTestId('member-attempts').count()).toBe(1);
    expect(await desk.locator('.class-detail').innerHTML()).not.toMatch(/Sam|Ольга/);
    expect(await desk.getByTestId('class-history').textContent()).toContain('Переименовали студента (имена скрыты)');
    await desk.getByTestId('board-anonymous').uncheck();
    expect(await desk.getByTestId('class-history').textContent()).toContain('Переименовали Ольга в Ольга П.');
    await desk.getByTestId('member-attempts-close').click();

    // Deleting the class asks first, names what goes, and frees the desk.
    await desk.getByTestId('class-delete').click();
    expect(await desk.getByTestId('class-delete-confirm').textContent()).toContain('Удалить «Поток 4» вместе с 1 студентом');
    await desk.getByTestId('class-delete-yes').click();
    await desk.getByTestId('class-deleted').waitFor(LIVE);
    expect(await desk.locator(`[data-testid="class-open"][data-code="${code}"]`).count()).toBe(0);

    for (const page of [desk, olga, elsewhere]) await releasePage(page);
  }, 180_000);

  it('counts no miss for a step an exercise requires, and says on the board what a wrong attempt was (issue 51)', async () => {
    const { origin } = lab.server;
    const desk = await openPage(lab.browser);
    await openDesk(desk, origin, lab.server.app.classroom.teacherKey);
    const code = await createClass(desk, 'Честная работа');
    const vera = await joinAs(lab.browser, origin, code, 'Вера', 'en');
    await vera.getByTestId('class-follow-toggle').click();
    await vera.goto(`${origin}/en/rest`);
    await desk.getByTestId('board-lesson').selectOption('rest');
    const reportOf = (exercise: string) =>
      vera.waitForResponse((response) => response.url().endsWith('/_wirelab/class/progress') && response.request().postDataJSON()?.exercise === exercise);
    const boardCell = (exercise: string) =>
      desk.locator(`[data-testid="board-row"][data-name="Вера"] [data-testid="board-result"][data-exercise="rest/${exercise}"]`);

    // "Delete twice": the first run deletes user 12 (204), a step the exercise requires. The card
    // waits for the second DELETE and reports it; the server counts nothing.
    const remove = cell(vera, 'delete-user');
    await remove.scrollIntoViewIfNeeded();
    await remove.locator('[data-testid="cell-run"]').waitFor(LIVE);
    const firstReport = reportOf('delete-twice');
    await remove.locator('[data-testid="cell-run"]').click();
    expect(await (await firstReport).json()).toEqual({ result: null, counted: false, why: 'unfinished' });
    // the card says so, from the server's answer: not counted, and why
    const deleteCount = exerciseCard(vera, 'delete-twice').getByTestId('exercise-miss-count');
    await expect.poll(() => attributeNow(deleteCount, 'data-counted'), LIVE).toBe('false');
    expect(await deleteCount.textContent()).toBe(
      'Not counted by the server: the exercise is still under way (a step before its question, or a run before the fix).',
    );
    await remove.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => exerciseStateNow(vera, 'delete-twice'), LIVE).toBe('passed');
    await expect.poll(() => result(desk, 'Вера', 'rest/delete-twice'), LIVE).toBe('passed');
    expect(await boardCell('delete-twice').getAttribute('title')).toBe('решено (1 попытка)');

    // "Get 405" with a GET the path allows: 200, a really wrong attempt, counted once with its reason
    await setEditorText(vera, 'wrong-method', 'GET /api/v1/users/1\n');
    const wrongReport = reportOf('get-405');
    await cell(vera, 'wrong-method').locator('[data-testid="cell-run"]').click();
    expect(await (await wrongReport).json()).toMatchObject({ counted: true, miss: { request: 'GET /api/v1/users/1', status: 200, differs: 'status' } });
    const wrongCount = exerciseCard(vera, 'get-405').getByTestId('exercise-miss-count');
    await expect.poll(() => attributeNow(wrongCount, 'data-counted'), LIVE).toBe('true');
    expect(await wrongCount.textContent()).toBe('Counted by the server: this miss is on the teacher’s board.');
    await expect.poll(() => result(desk, 'Вера', 'rest/get-405'), LIVE).toBe('failing');
    expect(await boardCell('get-405').getAttribute('title')).toBe('пока не выходит: 1 промах — GET /api/v1/users/1 → 200: другой код статуса');
    // the teacher's panel of her attempts says the reason in the board's words
    await desk.locator('[data-testid="board-row"][data-name="Вера"]').getByTestId('board-member-open').click();
    const missed = desk.getByTestId('member-attempts').locator('[data-testid="member-attempt-miss"][data-kind="response-differs"]');
    await missed.first().waitFor(LIVE);
    expect(await missed.first().textContent()).toBe(' — другой код статуса · GET /api/v1/users/1 → 200');

    for (const page of [desk, vera]) await releasePage(page);
  }, 120_000);
});
