import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, releasePage } from './browser.ts';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { attributeNow, cell, editorText, LIVE, setEditorText, textNow } from './lesson-page.ts';
import { useRestartLab } from './restart-lab.ts';

// Mid-seminar the teacher stops the server (Ctrl-C) and starts it again on the same port: the
// student's page says the server is restarting (the capture and class channels' close 1001),
// comes back by itself, follows the teacher again, shows new captures, keeps what was typed, and
// keeps the teacher's traffic it was shown, marked as from before the restart.
// In Russian; the English strings are checked in web/classroom/strings.test.ts and
// web/inspector/capture-store-restart.test.ts.

const KEY = 'restart-teacher-key';
const TYPED = 'GET /api/v1/users/2\nAccept: application/json\n';

const lab = useRestartLab('restart');
/** The same server as `npm start` would make it again: its database file, session secret and teacher key. */
const sameServerOptions = () => lab.sameServerOptions('wirelab', { classroom: { teacherKey: KEY } });

const pathAndHash = (page: Page) => page.evaluate(() => `${location.pathname}${location.hash}`);
const inspectorStatus = (page: Page) => attributeNow(page.locator('[data-testid="inspector"] [data-testid="insp-status"]'), 'data-status');
const teacherWire = (page: Page) => page.getByTestId('teacher-wire');

/** The teacher runs the REST lesson's get-user cell; returns the connection the student's "teacher's traffic" lists it under. */
async function teacherRuns(teacher: Page, student: Page, target: string): Promise<string> {
  await setEditorText(teacher, 'get-user', `GET ${target}\nAccept: application/json\n`);
  await cell(teacher, 'get-user').locator('[data-testid="cell-run"]').click();
  await expect.poll(() => textNow(cell(teacher, 'get-user').locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
  if ((await teacherWire(student).count()) === 0) await student.getByTestId('wire-teacher').click();
  const row = teacherWire(student).locator('[data-testid="insp-exchange"]', { hasText: target });
  await row.waitFor(LIVE);
  const conn = await row.getAttribute('data-conn');
  if (!conn) throw new Error(`the teacher's row of ${target} names no connection`);
  return conn;
}

describe('the teacher restarts the server', () => {
  it('the student page says so, comes back, follows the teacher, captures again and keeps its draft', async () => {
    const options = sameServerOptions();
    const { origin } = await lab.start(options);

    const desk = await openPage(lab.browser);
    await openDesk(desk, origin, KEY);
    const code = await createClass(desk, 'Семинар');
    const student = await openPage(lab.browser, { locale: 'ru-RU' });
    await student.goto(`${origin}/ru/class?code=${code}`);
    await joinOnThisPage(student, 'Анна');

    // The teacher leads from another tab; the student follows to the REST lesson.
    const teacher = await desk.context().newPage();
    await teacher.goto(`${origin}/ru/class/teach?class=${code}`);
    await teacher.getByTestId('class-lead').click();
    await expect.poll(() => attributeNow(teacher.getByTestId('class-bar-teacher'), 'data-status'), LIVE).toBe('open');
    await teacher.goto(`${origin}/ru/rest`);
    await expect.poll(() => pathAndHash(student), LIVE).toMatch(/^\/ru\/rest/);
    await setEditorText(student, 'get-user', TYPED);
    await expect.poll(() => student.evaluate(() => localStorage.getItem('wirelab.cell.rest/get-user'))).toContain('/users/2');
    await expect.poll(() => inspectorStatus(student), LIVE).toBe('open');
    const teachersBefore = await teacherRuns(teacher, student, '/api/v1/users/3');
    await student.getByTestId('wire-mine').click();

    // Ctrl-C: both of the student's channels hear 1001, and the page says the server is restarting.
    const port = await lab.stop();
    const note = student.getByTestId('class-channel-down');
    await expect.poll(() => attributeNow(note, 'data-restarting'), LIVE).toBe('true');
    expect(await note.textContent()).toBe('сервер остановлен или перезапускается; переподключаемся…');
    await expect.poll(() => inspectorStatus(student), LIVE).toBe('restarting');
    expect(await textNow(student.locator('[data-testid="inspector"] [data-testid="insp-status"]'))).toBe(
      'сервер остановлен или перезапускается; переподключаемся…',
    );
    await teacher.getByTestId('class-lead-restarting').waitFor(LIVE);
    await expect.poll(() => attributeNow(desk.getByTestId('class-desk-connecting'), 'data-restarting'), LIVE).toBe('true');

    // Started again on the same port: the student's page reconnects by itself.
    await lab.start(options, port);
    await expect.poll(() => note.count(), LIVE).toBe(0);
    await expect.poll(() => inspectorStatus(student), LIVE).toBe('open');
    await expect.poll(() => attributeNow(teacher.getByTestId('class-bar-teacher'), 'data-status'), LIVE).toBe('open');
    expect(await teacher.getByTestId('class-lead-restarting').count()).toBe(0);
    await expect.poll(() => attributeNow(desk.getByTestId('class-teacher'), 'data-status'), LIVE).toBe('ready');

    // The teacher's traffic shown before the restart is still there, marked; the restarted
    // server's connections (numbered from c1 again) are listed apart from it.
    const teachersAfter = await teacherRuns(teacher, student, '/api/v1/users/4');
    expect(teachersAfter).not.toBe(teachersBefore);
    const earlier = teacherWire(student).locator(`[data-testid="insp-connection"][data-conn="${teachersBefore}"]`);
    expect(await attributeNow(earlier, 'data-before-restart')).toBe('true');
    expect(await textNow(earlier.getByTestId('insp-before-restart'))).toBe('до перезапуска сервера');
    expect(await earlier.locator('[data-testid="insp-exchange"]', { hasText: '/api/v1/users/3' }).count()).toBe(1);
    const later = teacherWire(student).locator(`[data-testid="insp-connection"][data-conn="${teachersAfter}"]`);
    expect(await attributeNow(later, 'data-before-restart')).toBeNull();
    await student.getByTestId('wire-mine').click();

    // The teacher moves on: the student follows again.
    await teacher.goto(`${origin}/ru/graphql`);
    await expect.poll(() => pathAndHash(student), LIVE).toMatch(/^\/ru\/graphql/);

    // Back on the REST lesson the typed request is still there, and its run after the restart
    // shows its bytes in the student's inspector.
    await student.goBack();
    await expect.poll(() => pathAndHash(student), LIVE).toMatch(/^\/ru\/rest/);
    await expect.poll(() => editorText(student, 'get-user'), LIVE).toBe(TYPED);
    await cell(student, 'get-user').locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell(student, 'get-user').locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    const row = student.locator('[data-testid="inspector"] [data-testid="insp-exchange"]', { hasText: '/api/v1/users/2' }).last();
    await row.waitFor(LIVE);
    await row.click();
    await expect
      .poll(() => textNow(student.locator('[data-testid="inspector"] [data-testid="insp-tree-node"][data-kind="request-line"]').first()), LIVE)
      .toContain('GET /api/v1/users/2');
    await releasePage(desk);
    await releasePage(student);
  }, 120_000);
});
