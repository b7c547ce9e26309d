import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseStateNow, LIVE, setEditorText, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();

interface LessonJson {
  exercises: Record<string, { check: { type: string; request?: { method?: string; path?: string }; response?: { status?: number | number[] } } }>;
}
const restLesson = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'lessons', '02-rest', 'lesson.json'), 'utf8')) as LessonJson;
/** The REST lesson's "create a user and get 201" exercise, whatever its id. */
const [createExerciseId] = Object.entries(restLesson.exercises).find(
  ([, e]) => e.check.type === 'exchange' && e.check.request?.method === 'POST' && /users/.test(e.check.request?.path ?? '') && e.check.response?.status === 201,
)!;

const students = [
  { name: 'Анна Ершова', lang: 'ru' },
  { name: 'Ben <b>Okafor</b>', lang: 'en' },
  { name: 'Chen Li', lang: 'en' },
] as const;

async function joinAs(
  browser: Browser,
  origin: string,
  code: string,
  student: (typeof students)[number],
  prepare?: (page: Page) => Promise<void>,
): Promise<Page> {
  // the QR code's link names no language: each browser lands on the join page in its own
  const page = await openPage(browser, { locale: student.lang === 'ru' ? 'ru-RU' : 'en-GB' });
  await prepare?.(page);
  await page.goto(`${origin}/class?code=${code}`);
  await expect.poll(() => page.evaluate(() => `${location.pathname}${location.search}`), LIVE).toBe(`/${student.lang}/class?code=${code}`);
  await page.getByTestId('class-name-input').fill(student.name);
  await page.getByTestId('class-join').click();
  await page.getByTestId('class-joined').waitFor(LIVE);
  await expect.poll(() => attributeNow(page.getByTestId('class-bar'), 'data-following'), LIVE).toBe('true');
  return page;
}

const pathAndHash = (page: Page) => page.evaluate(() => `${location.pathname}${location.hash}`);

describe('a class: a teacher and three students in their own browsers', () => {
  it('joins by code, follows the teacher, sees the teacher’s frames, and the board and the CSV show a student’s exercise live', async () => {
    const { origin } = lab.server;
    const key = lab.server.app.classroom.teacherKey;

    // The teacher opens the printed link (Russian) and creates a class.
    const desk = await openPage(lab.browser);
    await desk.goto(`${origin}/ru/class/teach#key=${key}`);
    await expect.poll(() => attributeNow(desk.getByTestId('class-teacher'), 'data-status'), LIVE).toBe('ready');
    // the key leaves the address bar (and the projector)
    expect(await desk.evaluate(() => location.hash)).toBe('');
    await desk.getByTestId('class-title-input').fill('Семинар 3');
    await desk.getByTestId('class-create').click();
    const code = (await desk.getByTestId('class-code').getAttribute('data-code', LIVE))!;
    expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{6}$/);
    expect(await desk.getByTestId('class-code').textContent()).toBe(`${code.slice(0, 3)}-${code.slice(3)}`);
    await desk.getByTestId('class-qr').locator('svg').waitFor(LIVE);
    expect(await desk.locator('.class-join-link a').textContent()).toBe(`${origin}/class?code=${code}`);

    // Three students join in their own browsers, in their own languages.
    // The last student's page is slow: its inspector arrives only once the teacher's run below has
    // reached it (a loaded laptop in a class); the run must still come forward when it does.
    let runReachedSlowPage!: () => void;
    const runOnSlowPage = new Promise<void>((resolve) => (runReachedSlowPage = resolve));
    const slowPage = async (page: Page) => {
      page.on('websocket', (socket) =>
        socket.on('framereceived', ({ payload }) => {
          if (typeof payload !== 'string' && payload.includes('GET /api/v1/users/3 ')) runReachedSlowPage();
        }),
      );
      await page.route(/\/assets\/class-inspector-[^/]*\.js$/, async (route) => {
        await runOnSlowPage;
        await route.continue();
      });
    };
    const pages: Page[] = [];
    for (const [index, student] of students.entries()) pages.push(await joinAs(lab.browser, origin, code, student, index === 2 ? slowPage : undefined));
    expect(await pages[0].getByTestId('class-follow-state').textContent()).toBe('Вы следуете за преподавателем');
    expect(await pages[1].getByTestId('class-follow-state').textContent()).toBe('Following the teacher');

    // The board: all three, online and following; names are text (no <b> element made of a name).
    const rows = desk.getByTestId('board-row');
    await expect.poll(() => rows.count(), LIVE).toBe(3);
    await expect.poll(() => textNow(desk.getByTestId('class-board')), LIVE).toMatch(/(следует.*){3}/s);
    expect(await desk.getByTestId('class-board').locator('b').count()).toBe(0);
    expect(await desk.getByTestId('class-board').textContent()).toContain('Ben <b>Okafor</b>');

    // The teacher leads from another tab of the same browser; the desk stays open as the board.
    const teacher = await desk.context().newPage();
    await teacher.goto(`${origin}/ru/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await teacher.getByTestId('class-bar-teacher').waitFor(LIVE);
    await teacher.goto(`${origin}/ru/rest`);
    await cell(teacher, (await teacher.locator('[data-testid="cell"]').first().getAttribute('data-cell-id', LIVE))!).waitFor(LIVE);
    const section = (await teacher.locator('article.lesson h2[id]').nth(2).getAttribute('id'))!;
    await teacher.evaluate((id) => document.getElementById(id)!.scrollIntoView(), section);
    await expect.poll(() => pathAndHash(teacher), LIVE).toBe(`/ru/rest#${section}`);

    // Each follower is on the same lesson and section, in their own language.
    for (const [index, page] of pages.entries()) {
      await expect.poll(() => pathAndHash(page), LIVE).toBe(`/${students[index].lang}/rest#${section}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(students[index].lang);
    }

    // The teacher runs a cell: every follower sees the teacher's request and its bytes, decoded
    // in their own inspector, read-only and marked as the teacher's.
    const firstCell = teacher.locator('[data-testid="cell"]').first();
    const firstCellId = (await firstCell.getAttribute('data-cell-id'))!;
    await setEditorText(teacher, firstCellId, 'GET /api/v1/users/3\n');
    await firstCell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(firstCell.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    let giveUp: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      runOnSlowPage,
      new Promise(
        (_, reject) => (giveUp = setTimeout(() => reject(new Error('the teacher’s bytes never reached the slow follower’s class channel')), LIVE.timeout)),
      ),
    ]).finally(() => clearTimeout(giveUp));
    for (const page of pages) {
      const wire = page.getByTestId('teacher-wire');
      await wire.waitFor(LIVE);
      const row = wire.locator('[data-testid="insp-exchange"]', { hasText: '/api/v1/users/3' }).first();
      await row.waitFor(LIVE);
      await row.click();
      await expect.poll(() => textNow(wire.locator('[data-testid="insp-tree-node"][data-kind="request-line"]').first()), LIVE).toContain('GET /api/v1/users/3');
      // read-only: no recording switch, no clearing of the teacher's captures
      expect(await wire.getByTestId('insp-record').count()).toBe(0);
      expect(await wire.getByTestId('insp-clear').count()).toBe(0);
    }
    expect(await pages[0].getByTestId('wire-teacher').textContent()).toBe('Трафик преподавателя');
    expect(await pages[1].getByTestId('wire-teacher').textContent()).toBe('Teacher’s traffic');

    // A student completes an exercise: the board shows it without a reload.
    const ben = pages[1];
    const benCell = ben.locator('[data-testid="cell"]').first();
    await setEditorText(
      ben,
      (await benCell.getAttribute('data-cell-id'))!,
      `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Ben', email: `ben-${Date.now()}@example.com` })}\n`,
    );
    await benCell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => exerciseStateNow(ben, createExerciseId), LIVE).toBe('passed');
    const benLesson = desk.locator('[data-testid="board-row"][data-name="Ben <b>Okafor</b>"] [data-testid="board-lesson-result"][data-lesson="rest"]');
    await expect.poll(() => attributeNow(benLesson, 'data-done'), LIVE).toBe('1');
    await desk.getByTestId('board-lesson').selectOption('rest');
    const benResult = desk.locator(
      `[data-testid="board-row"][data-name="Ben <b>Okafor</b>"] [data-testid="board-result"][data-exercise="rest/${createExerciseId}"]`,
    );
    await expect.poll(() => attributeNow(benResult, 'data-state'), LIVE).toBe('passed');
    // the student's own run showed their own traffic, not the teacher's
    await ben.getByTestId('wire-mine').waitFor();
    expect(await ben.getByTestId('teacher-wire').count()).toBe(0);

    // The CSV the board exports is the server's, row for row.
    const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('class-export-csv').click()]);
    const exported = readFileSync((await download.path())!, 'utf8');
    const fromServer = await (await fetch(`${origin}/_wirelab/class/classes/${code}/export.csv`, { headers: { 'x-wirelab-teacher-key': key } })).text();
    const essentials = (csv: string) =>
      csv
        .trim()
        .split('\r\n')
        .map((line) => line.split(',').slice(0, 5).join(','));
    expect(essentials(exported)).toEqual(essentials(fromServer));
    expect(essentials(exported)).toContain(`Ben <b>Okafor</b>,rest,${createExerciseId},yes,1`);
    // One correct request is a pass of its exercise and nothing else: no miss on the other
    // exercises its request also matches (classroom-board.test.ts walks that in detail).
    expect(essentials(exported).filter((row) => row.startsWith('Ben') && row.split(',')[3] === 'no')).toEqual([]);

    // The anonymised view hides every name.
    await desk.getByTestId('board-anonymous').check();
    const boardText = (await desk.getByTestId('class-board').textContent())!;
    for (const student of students) expect(boardText).not.toContain(student.name);
    expect(boardText).toMatch(/Студент \d{4}/);

    // One click to stop following: the teacher moves on without that student.
    const chen = pages[2];
    await chen.getByTestId('class-follow-toggle').click();
    await expect.poll(() => attributeNow(chen.getByTestId('class-bar'), 'data-following'), LIVE).toBe('false');
    await teacher.goto(`${origin}/ru/graphql`);
    await expect.poll(() => pathAndHash(pages[0]).then((path) => path.split('#')[0]), LIVE).toBe('/ru/graphql');
    await expect.poll(() => pathAndHash(pages[1]).then((path) => path.split('#')[0]), LIVE).toBe('/en/graphql');
    expect((await pathAndHash(chen)).split('#')[0]).toBe('/en/rest');
    // and one click to come back: the student goes where the teacher is
    await chen.getByTestId('class-follow-toggle').click();
    await expect.poll(() => pathAndHash(chen).then((path) => path.split('#')[0]), LIVE).toBe('/en/graphql');

    // Ben on another computer: his name is his only with his rejoin code, and his progress follows him.
    const rejoinCode = (await ben.getByTestId('class-bar-rejoin-code').textContent())!;
    const elsewhere = await openPage(lab.browser);
    await elsewhere.goto(`${origin}/en/class?code=${code}`);
    await elsewhere.getByTestId('class-name-input').fill('ben <b>okafor</b>');
    await elsewhere.getByTestId('class-join').click();
    await expect.poll(() => attributeNow(elsewhere.getByTestId('class-join-error'), 'data-error'), LIVE).toBe('NAME_TAKEN');
    await elsewhere.getByTestId('class-rejoin-input').fill(rejoinCode);
    await elsewhere.getByTestId('class-join').click();
    // Joined: the class bar appears (following by default, the page may already have gone where
    // the leading teacher is, so the join page's own confirmation may be gone before it is seen).
    await elsewhere.getByTestId('class-follow-toggle').waitFor(LIVE);
    await elsewhere.getByTestId('class-follow-toggle').click();
    await elsewhere.goto(`${origin}/en/rest`);
    await expect.poll(() => exerciseStateNow(elsewhere, createExerciseId), LIVE).toBe('passed');

    for (const page of [desk, ...pages, elsewhere]) await releasePage(page);
  }, 180_000);

  it('keeps teacher actions from a student: the teacher page without the key, and a cross-origin class channel', async () => {
    const { origin } = lab.server;
    const page = await openPage(lab.browser);
    await page.goto(`${origin}/en/class/teach`);
    await page.getByTestId('class-no-key').waitFor(LIVE);
    await page.goto(`${origin}/ru/class/teach#key=not-the-key`);
    await page.getByTestId('class-key-refused').waitFor(LIVE);
    expect(await page.getByTestId('class-key-refused').textContent()).toContain('Сервер не принял этот ключ');

    // The same server under another name is another origin: its page may open the class channel
    // of its own host, not of 127.0.0.1 (the handshake is refused with 403).
    const otherOrigin = origin.replace('127.0.0.1', 'localhost');
    await page.goto(`${otherOrigin}/en/`);
    const tryChannel = (url: string) =>
      page.evaluate(
        (target) =>
          new Promise<string>((resolve) => {
            const socket = new WebSocket(target);
            socket.onopen = () => {
              resolve('open');
              socket.close();
            };
            socket.onerror = () => resolve('refused');
          }),
        url,
      );
    expect(await tryChannel(`${otherOrigin.replace('http', 'ws')}/_wirelab/class/channel`)).toBe('open');
    expect(await tryChannel(`${origin.replace('http', 'ws')}/_wirelab/class/channel`)).toBe('refused');
    await releasePage(page);
  });
});
