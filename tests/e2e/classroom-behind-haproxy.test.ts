import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, TEACHER_KEY, type Cluster } from '../scale/cluster.ts';
import { httpRequest, newSession } from '../scale/clients.ts';
import { assertBuilt, launchTestBrowser } from './browser.ts';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { attributeNow, cell, LIVE, setEditorText, textNow } from './lesson-page.ts';

// The class walk of classroom.test.ts, scaled out: two instances on one Redis behind Debian's
// HAProxy running deploy/haproxy/haproxy.cfg, every browser through the load balancer's one port.
// The teacher's browser is pinned to one instance and a Russian student's to the other, so the
// board, the navigation and the teacher's traffic must cross between them (over Redis).

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

/** A session cookie HAProxy sends to each instance: the browsers are placed, not left to chance. */
async function cookiesByInstance(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let attempt = 0; attempt < 40 && found.size < cluster.instances.length; attempt++) {
    const { session } = await newSession(cluster.lb.origin);
    const answer = await httpRequest(new URL('/_wirelab/session', cluster.lb.origin), { headers: { cookie: `wirelab_session=${session}` } });
    if (!found.has(answer.instance)) found.set(answer.instance, session);
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

/** The instance that answers this page's requests (x-wirelab-instance). */
const instanceOf = (page: Page) => page.evaluate(async () => (await fetch('/_wirelab/session')).headers.get('x-wirelab-instance'));

describe('a class behind HAProxy, its people on two instances', () => {
  it('joins, fills the board, follows the teacher and shows the teacher’s traffic across instances', async () => {
    const origin = cluster.lb.origin;
    const cookies = await cookiesByInstance();
    const [onA, onB] = cluster.instances.map((instance) => cookies.get(instance.id));
    expect(onA && onB, `sessions for both instances: ${[...cookies.keys()]}`).toBeTruthy();

    const teacherBrowser = await browserOn(onA!, 'ru-RU');
    const desk = await openIn(teacherBrowser);
    await openDesk(desk, origin, TEACHER_KEY);
    expect(await instanceOf(desk)).toBe(cluster.instances[0].id);
    const code = await createClass(desk, 'Семинар за балансировщиком');
    // the join link names the address the teacher's browser used: the load balancer's, not an instance's
    expect(await desk.locator('.class-join-link a').textContent()).toBe(`${origin}/class?code=${code}`);

    // A Russian student on the other instance, an English one on the teacher's; both by the QR's link.
    const students: Array<{ page: Page; lang: 'ru' | 'en'; instance: string }> = [];
    for (const [session, locale, lang, name] of [
      [onB!, 'ru-RU', 'ru', 'Анна Ершова'],
      [onA!, 'en-GB', 'en', 'Ben Okafor'],
    ] as const) {
      const page = await openIn(await browserOn(session, locale));
      await page.goto(`${origin}/class?code=${code}`);
      await expect.poll(() => page.evaluate(() => `${location.pathname}${location.search}`), LIVE).toBe(`/${lang}/class?code=${code}`);
      await joinOnThisPage(page, name);
      await expect.poll(() => attributeNow(page.getByTestId('class-bar'), 'data-following'), LIVE).toBe('true');
      students.push({ page, lang, instance: (await instanceOf(page))! });
    }
    expect(students.map((student) => student.instance)).toEqual([cluster.instances[1].id, cluster.instances[0].id]);

    // The board on instance A counts the student on B online and following.
    const rows = desk.getByTestId('board-row');
    await expect.poll(() => rows.count(), LIVE).toBe(2);
    await expect.poll(() => textNow(desk.getByTestId('class-board')), LIVE).toMatch(/(следует.*){2}/s);

    // The teacher leads from another tab on A; the student on B follows to the same section.
    const teacher = await teacherBrowser.newPage();
    await teacher.goto(`${origin}/ru/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await teacher.getByTestId('class-bar-teacher').waitFor(LIVE);
    await teacher.goto(`${origin}/ru/rest`);
    await cell(teacher, (await teacher.locator('[data-testid="cell"]').first().getAttribute('data-cell-id', LIVE))!).waitFor(LIVE);
    const section = (await teacher.locator('article.lesson h2[id]').nth(2).getAttribute('id'))!;
    await teacher.evaluate((id) => document.getElementById(id)!.scrollIntoView(), section);
    for (const student of students) {
      await expect.poll(() => student.page.evaluate(() => `${location.pathname}${location.hash}`), LIVE).toBe(`/${student.lang}/rest#${section}`);
    }

    // The teacher's run on A reaches both followers' inspectors, decoded from the relayed bytes.
    const firstCell = teacher.locator('[data-testid="cell"]').first();
    await setEditorText(teacher, (await firstCell.getAttribute('data-cell-id'))!, 'GET /api/v1/users/3\n');
    await firstCell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(firstCell.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    for (const student of students) {
      const wire = student.page.getByTestId('teacher-wire');
      await wire.waitFor(LIVE);
      const row = wire.locator('[data-testid="insp-exchange"]', { hasText: '/api/v1/users/3' }).first();
      await row.waitFor(LIVE);
      await row.click();
      await expect.poll(() => textNow(wire.locator('[data-testid="insp-tree-node"][data-kind="request-line"]').first()), LIVE).toContain('GET /api/v1/users/3');
    }
    expect(await students[0].page.getByTestId('wire-teacher').textContent()).toBe('Трафик преподавателя');
    await teacherBrowser.close();
  }, 180_000);
});
