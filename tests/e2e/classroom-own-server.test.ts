// "Check my server" on the class board (issue 27, item 7): a student in the class runs the REST
// suite from /my-server; the teacher's board shows it live ("REST N/N ✓ · Wirelab": the run
// reached Wirelab itself), and the teacher opens its details — every check's verdict, the warning
// that Wirelab itself proves nothing — in Russian, axe-clean, within 800 px.
import { describe, expect, it } from 'vitest';
import { restSuite } from '../../server/own-server/checks/rest.ts';
import { axeViolations } from './axe-violations.ts';
import { createClass, joinOnThisPage, openDesk } from './class-pages.ts';
import { openPage, useAppAndBrowser } from './browser.ts';
import { attributeNow, LIVE, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();
/** The REST suite's size, from the suite itself: it grows when checks are added. */
const REST_CHECKS = restSuite.checks.length;

describe("a student's own server on the board", () => {
  it('shows the latest run per protocol live, and the teacher opens its checks', async () => {
    const { origin, port } = lab.server;
    const desk = await openPage(lab.browser, { locale: 'ru-RU' });
    await openDesk(desk, origin, lab.server.app.classroom.teacherKey);
    const code = await createClass(desk, 'Свои серверы');

    const student = await openPage(lab.browser);
    await student.goto(`${origin}/en/class?code=${code}`);
    await joinOnThisPage(student, 'Sam');
    // no run yet: no own-server column
    await desk.locator('[data-testid="board-row"][data-name="Sam"]').waitFor(LIVE);
    expect(await desk.getByTestId('board-servers').count()).toBe(0);

    await student.goto(`${origin}/en/my-server`);
    await student.locator('[data-testid="own-server-itself"]').click();
    await student.locator('[data-testid="own-server-run"]').click();
    await expect.poll(() => textNow(student.locator('[data-testid="own-server-summary"]')), LIVE).toMatch(new RegExp(`${REST_CHECKS} passed, 0 failed`));

    const chip = desk.locator('[data-testid="board-row"][data-name="Sam"] [data-testid="board-server"][data-protocol="rest"]');
    await expect.poll(() => textNow(chip), LIVE).toBe(`REST ${REST_CHECKS}/${REST_CHECKS} ✓ · Wirelab`);
    expect(await chip.getAttribute('aria-label')).toBe(`Sam: REST ${REST_CHECKS}/${REST_CHECKS} ✓ · Wirelab — показать проверки`);
    await chip.click();
    const panel = desk.getByTestId('server-checks');
    await panel.waitFor(LIVE);
    expect(await panel.locator('h3').textContent()).toBe('Проверки REST: Sam');
    expect(await desk.getByTestId('server-checks-summary').textContent()).toContain(`пройдено: ${REST_CHECKS}, не пройдено: 0`);
    expect(await desk.getByTestId('server-checks-summary').textContent()).toContain(`порт ${port}`);
    expect(await desk.getByTestId('server-checks-wirelab').textContent()).toMatch(/сервер самого Wirelab/);
    expect(await panel.locator('[data-testid="server-check"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-outcome')))).toEqual(
      Array(REST_CHECKS).fill('pass'),
    );
    // the focus is on the panel's heading; the teacher's page never got the student's bytes
    expect(await desk.evaluate(() => document.activeElement?.id)).toBe('server-checks-title');
    expect(await panel.textContent()).not.toMatch(/HTTP\/1\.1|127\.0\.0\.1/);

    expect(await axeViolations(desk)).toEqual([]);
    await desk.setViewportSize({ width: 800, height: 900 });
    expect(await desk.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    expect(await panel.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);

    // hidden names: the chip shows, opens nothing
    await desk.getByTestId('board-anonymous').check();
    expect(await desk.locator('button[data-testid="board-server"]').count()).toBe(0);
    expect(await desk.locator('[data-testid="board-server"]').first().textContent()).toBe(`REST ${REST_CHECKS}/${REST_CHECKS} ✓ · Wirelab`);
    await desk.getByTestId('board-anonymous').uncheck();
    await desk.getByTestId('server-checks-close').click();
    expect(await panel.count()).toBe(0);

    // in English: the same cell, its details in the teacher's language
    await openDesk(desk, origin, lab.server.app.classroom.teacherKey, 'en');
    await desk.locator(`[data-testid="class-open"][data-code="${code}"]`).click();
    await expect.poll(() => attributeNow(chip, 'aria-label'), LIVE).toBe(`Sam: REST ${REST_CHECKS}/${REST_CHECKS} ✓ · Wirelab — show the checks`);
    await chip.click();
    await expect.poll(() => textNow(panel.locator('h3')), LIVE).toBe('REST checks of Sam’s server');
    expect(await desk.getByTestId('server-checks-summary').textContent()).toContain(`${REST_CHECKS} passed, 0 failed`);
    expect(await axeViolations(desk)).toEqual([]);
  }, 90_000);
});
