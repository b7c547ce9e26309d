import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, TEACHER_KEY, type Cluster } from '../scale/cluster.ts';
import { httpRequest, newSession } from '../scale/clients.ts';
import { assertBuilt, launchTestBrowser, releasePage } from './browser.ts';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { attributeNow, cell, exerciseStateNow, LIVE, setEditorText, textNow } from './lesson-page.ts';

// Issue 53, item 1: two instances on one Redis behind Debian's HAProxy (deploy/haproxy/haproxy.cfg).
// The teacher and a student are on instance A; another student is on B. A is killed (SIGKILL)
// and started again. Both moved to B while A was gone, and their new connections go back to A
// once it returns, while their open WebSockets (the capture channel, the class channel) stayed on
// B. Without reloading, the moved student must still pass an exercise (the card, and the board)
// and the teacher's run must still reach both followers.
// Item 4: a pass whose report is on its way while the instance that captured it dies (and the
// report lands on the other one), or while it restarts (and the report lands on its new process),
// still reaches the board: the verdict comes from the capture, wherever and whenever the report
// arrives.

interface LessonJson {
  exercises: Record<string, { check: { type: string; request?: { method?: string; path?: string }; response?: { status?: number | number[] } } }>;
}
const restLesson = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'lessons', '02-rest', 'lesson.json'), 'utf8')) as LessonJson;
/** The REST lesson's "create a user and get 201" exercise, whatever its id. */
const [createExerciseId] = Object.entries(restLesson.exercises).find(
  ([, e]) => e.check.type === 'exchange' && e.check.request?.method === 'POST' && /users/.test(e.check.request?.path ?? '') && e.check.response?.status === 201,
)!;

let cluster: Cluster;
let browser: Browser;

beforeAll(async () => {
  assertBuilt();
  cluster = await startCluster({ web: true });
  browser = await launchTestBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
});

/** `count` session cookies HAProxy sends to each instance: the browsers are placed, not left to chance. */
async function cookiesByInstance(count: number): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>(cluster.instances.map((instance) => [instance.id, []]));
  for (let attempt = 0; attempt < 80 && [...found.values()].some((list) => list.length < count); attempt++) {
    const { session } = await newSession(cluster.lb.origin);
    const answer = await httpRequest(new URL('/_wirelab/session', cluster.lb.origin), { headers: { cookie: `wirelab_session=${session}` } });
    const list = found.get(answer.instance);
    if (list && list.length < count) list.push(session);
  }
  return found;
}

async function browserOn(session: string, locale: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
  await context.addCookies([{ name: 'wirelab_session', value: session, url: cluster.lb.origin }]);
  return context;
}

async function openIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

/** The instance that answers this page's next request (x-wirelab-instance); null while nothing answers. */
const instanceOf = (page: Page) =>
  page.evaluate(async () => {
    try {
      return (await fetch('/_wirelab/session', { cache: 'no-store' })).headers.get('x-wirelab-instance');
    } catch {
      return null;
    }
  });

async function runCell(page: Page, cellId: string, text: string): Promise<void> {
  await setEditorText(page, cellId, text);
  await cell(page, cellId).locator('[data-testid="cell-run"]').click();
}

const createUser = (name: string) =>
  `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name, email: `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.com` })}\n`;

describe('a class behind HAProxy through an instance’s death and return', () => {
  it('the students who moved pass exercises and the teacher’s runs reach them, without a reload', async () => {
    const origin = cluster.lb.origin;
    const [a, b] = cluster.instances;
    const cookies = await cookiesByInstance(2);
    const [teacherSession, movedSession] = cookies.get(a!.id)!;
    const [stayingSession] = cookies.get(b!.id)!;
    expect(teacherSession && movedSession && stayingSession, `sessions: ${JSON.stringify([...cookies])}`).toBeTruthy();

    const teacherBrowser = await browserOn(teacherSession!, 'ru-RU');
    const desk = await openIn(teacherBrowser);
    await openDesk(desk, origin, TEACHER_KEY);
    const code = await createClass(desk, 'Семинар, переживший отказ');

    const students: Array<{ page: Page; lang: 'ru' | 'en'; name: string }> = [];
    for (const [session, locale, lang, name] of [
      [movedSession!, 'en-GB', 'en', 'Moved Student'],
      [stayingSession!, 'ru-RU', 'ru', 'Оставшаяся Студентка'],
    ] as const) {
      const page = await openIn(await browserOn(session, locale));
      await page.goto(`${origin}/${lang}/class?code=${code}`);
      await joinOnThisPage(page, name);
      await expect.poll(() => attributeNow(page.getByTestId('class-bar'), 'data-following'), LIVE).toBe('true');
      students.push({ page, lang, name });
    }
    const [moved, staying] = students;
    expect(await instanceOf(moved!.page)).toBe(a!.id);
    expect(await instanceOf(staying!.page)).toBe(b!.id);

    // The teacher leads from a tab on A, to the REST lesson; both students follow there.
    const teacher = await teacherBrowser.newPage();
    await teacher.goto(`${origin}/ru/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await teacher.getByTestId('class-bar-teacher').waitFor(LIVE);
    await teacher.goto(`${origin}/ru/rest`);
    const firstCellId = (await teacher.locator('[data-testid="cell"]').first().getAttribute('data-cell-id', LIVE))!;
    await cell(teacher, firstCellId).waitFor(LIVE);
    for (const student of students) {
      await expect.poll(() => student.page.evaluate(() => location.pathname), LIVE).toBe(`/${student.lang}/rest`);
    }
    await expect.poll(() => attributeNow(teacher.getByTestId('class-bar-teacher'), 'data-status'), LIVE).toBe('open');

    // A dies. The teacher's and the moved student's pages go on on B: their channels reconnect there.
    await a!.kill('SIGKILL');
    await cluster.lb.waitForStatus(a!.id, 'DOWN');
    await expect.poll(() => instanceOf(moved!.page), LIVE).toBe(b!.id);
    await expect.poll(() => instanceOf(teacher), LIVE).toBe(b!.id);
    await expect.poll(() => attributeNow(teacher.getByTestId('class-bar-teacher'), 'data-status'), { timeout: 30_000 }).toBe('open');
    const boardRows = desk.getByTestId('board-row');
    await expect.poll(() => boardRows.count(), LIVE).toBe(2);

    // A comes back. New connections of the teacher's and the moved student's sessions go to A
    // again (consistent hashing); their WebSockets were opened on B.
    await a!.restart();
    await cluster.lb.waitForStatus(a!.id, 'UP');
    // (asked 6 s apart: a browser keeps using a keep-alive connection to B until B closes it, 5 s
    // idle; both pages asked side by side, so their idle seconds pass once)
    const keepAliveOver = { timeout: 60_000, interval: 6000 };
    await Promise.all([
      expect.poll(() => instanceOf(moved!.page), keepAliveOver).toBe(a!.id),
      expect.poll(() => instanceOf(teacher), keepAliveOver).toBe(a!.id),
    ]);

    // The moved student passes an exercise: the card, and the teacher's board.
    const movedCellId = (await moved!.page.locator('[data-testid="cell"]').first().getAttribute('data-cell-id', LIVE))!;
    await runCell(moved!.page, movedCellId, createUser('Moved'));
    await expect.poll(() => textNow(cell(moved!.page, movedCellId).locator('[data-testid="response-status"]')), LIVE).toMatch(/201/);
    await expect.poll(() => exerciseStateNow(moved!.page, createExerciseId), LIVE).toBe('passed');
    expect(await instanceOf(moved!.page)).toBe(a!.id);
    await desk.getByTestId('board-lesson').selectOption('rest');
    const movedResult = desk.locator(
      `[data-testid="board-row"][data-name="Moved Student"] [data-testid="board-result"][data-exercise="rest/${createExerciseId}"]`,
    );
    await expect.poll(() => attributeNow(movedResult, 'data-state'), LIVE).toBe('passed');

    // The teacher's run, on A now, reaches both followers (the moved one on A, the other on B),
    // and the lead bar leads.
    await runCell(teacher, firstCellId, 'GET /api/v1/users/2\n');
    await expect.poll(() => textNow(cell(teacher, firstCellId).locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    expect(await attributeNow(teacher.getByTestId('class-bar-teacher'), 'data-status')).toBe('open');
    for (const student of students) {
      const wire = student.page.getByTestId('teacher-wire');
      await wire.waitFor(LIVE);
      await wire.locator('[data-testid="insp-exchange"]', { hasText: '/api/v1/users/2' }).first().waitFor(LIVE);
    }
    await teacherBrowser.close();
  }, 300_000);

  it('a pass whose report is in flight while its instance dies, or restarts, still lands on the board', async () => {
    const origin = cluster.lb.origin;
    const [a] = cluster.instances;
    const teacherKey = { 'x-wirelab-teacher-key': TEACHER_KEY };
    const created = await httpRequest(new URL('/_wirelab/class/classes', origin), {
      method: 'POST',
      headers: teacherKey,
      body: { title: 'Reports in flight' },
    });
    expect(created.status, created.body).toBe(201);
    const { code } = created.json<{ code: string }>();
    const passedOnBoard = async (name: string): Promise<boolean> => {
      const answer = await httpRequest(new URL(`/_wirelab/class/classes/${code}/board`, origin), { headers: teacherKey });
      if (answer.status !== 200) return false;
      const board = answer.json<{ members: Array<{ name: string; results: Array<{ exercise: string; passedMs: number | null }> }> }>();
      return (
        board.members.find((member) => member.name === name)?.results.some((result) => result.exercise === createExerciseId && result.passedMs !== null) ??
        false
      );
    };
    const cookies = await cookiesByInstance(2);
    const [failoverSession, restartSession] = cookies.get(a!.id)!;
    expect(failoverSession && restartSession).toBeTruthy();

    for (const [session, name, instanceGoes] of [
      [failoverSession!, 'Failover Student', 'dies'],
      [restartSession!, 'Restart Student', 'restarts'],
    ] as const) {
      const page = await openIn(await browserOn(session, 'en-GB'));
      await page.goto(`${origin}/en/class?code=${code}`);
      await joinOnThisPage(page, name);
      expect(await instanceOf(page)).toBe(a!.id);
      // The page's report of the pass is held on its way, as if the network were slow.
      const held: Route[] = [];
      let holding = true;
      await page.route('**/_wirelab/class/progress', async (route) => {
        if (holding) held.push(route);
        else await route.continue();
      });
      await page.goto(`${origin}/en/rest`);
      const cellId = (await page.locator('[data-testid="cell"]').first().getAttribute('data-cell-id', LIVE))!;
      await runCell(page, cellId, createUser(name));
      await expect.poll(() => exerciseStateNow(page, createExerciseId), LIVE).toBe('passed');
      await expect.poll(() => held.length, LIVE).toBeGreaterThan(0);
      expect(await passedOnBoard(name)).toBe(false);

      if (instanceGoes === 'dies') {
        // A dies with the pass's captures; the report reaches B.
        await a!.kill('SIGKILL');
        await cluster.lb.waitForStatus(a!.id, 'DOWN');
      } else {
        // A restarts: its new process never saw the pass; the report reaches it.
        await a!.restart();
        await cluster.lb.waitForStatus(a!.id, 'UP');
      }
      holding = false;
      for (const route of held) await route.continue();
      await expect.poll(() => passedOnBoard(name), { timeout: 30_000 }).toBe(true);
      if (instanceGoes === 'dies') {
        await a!.restart();
        await cluster.lb.waitForStatus(a!.id, 'UP');
      }
      await releasePage(page);
    }
  }, 300_000);
});
