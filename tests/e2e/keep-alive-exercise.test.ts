import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseState, exerciseStateNow, LIVE } from './lesson-page.ts';

// Lesson 1's keep-alive question, answered the way its hint says: count the rows above your last
// request in the same connection group of the timeline. The page's own requests may share that
// connection; the timeline hides them and the answer must not count them.

const lab = useAppAndBrowser();

describe('the keep-alive exercise', () => {
  it('accepts the count of visible rows above the last request of its connection', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/how-a-request-travels`);
    const getAda = cell(page, 'get-ada');
    const rows = page.locator('[data-testid="inspector"] [data-testid="insp-exchange"]', { hasText: '/api/v1/users/1' });
    for (let run = 1; run <= 3; run += 1) {
      await getAda.locator('[data-testid="cell-run"]').click();
      await expect.poll(() => rows.count(), LIVE).toBeGreaterThanOrEqual(run);
    }
    // "Your last request" is the one the run put in focus (selected): the timeline groups rows by
    // connection, so the last row on the page may be an older request on another connection.
    const last = page.locator('[data-testid="inspector"] [data-testid="insp-exchange"][aria-pressed="true"]', { hasText: '/api/v1/users/1' });
    await last.waitFor(LIVE);
    // the third run's exchange, once the focus has settled on it
    let focused = '';
    let steady = 0;
    await expect
      .poll(
        async () => {
          const conn = await attributeNow(last, 'data-conn');
          const index = await attributeNow(last, 'data-index');
          // no row in focus (between two renders) is no steady focus
          const next = conn === null || index === null ? '' : `${conn}:${index}`;
          steady = next !== '' && next === focused ? steady + 1 : 0;
          focused = next;
          return steady >= 2;
        },
        { ...LIVE, interval: 300 },
      )
      .toBe(true);
    const conn = (await last.getAttribute('data-conn'))!;
    const lastIndex = Number(await last.getAttribute('data-index'));
    const group = page.locator(`[data-testid="inspector"] [data-testid="insp-connection"][data-conn="${conn}"] [data-testid="insp-exchange"]`);
    const readIndexes = () => group.evaluateAll((buttons) => buttons.map((button) => Number(button.getAttribute('data-index'))).join(','));
    // The timeline draws rows as their captures are decoded: count once it has stopped changing
    // for two seconds, as a student would (half a second once passed while a row was still to
    // come on a loaded machine, and the count was one short).
    let indexes = await readIndexes();
    let quietReads = 0;
    await expect
      .poll(
        async () => {
          const next = await readIndexes();
          quietReads = next === indexes ? quietReads + 1 : 0;
          indexes = next;
          return quietReads >= 4;
        },
        { ...LIVE, interval: 500 },
      )
      .toBe(true);
    const visibleBefore = indexes
      .split(',')
      .map(Number)
      .filter((index) => index < lastIndex).length;

    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="count-connection-requests"]');
    const field = exercise.locator('[data-testid="exercise-answer"]');
    await field.fill(String(visibleBefore + 1));
    await field.press('Enter');
    expect(await exerciseState(page, 'count-connection-requests')).not.toBe('passed');
    await field.fill(String(visibleBefore));
    await field.press('Enter');
    await expect.poll(() => exerciseStateNow(page, 'count-connection-requests'), LIVE).toBe('passed');
    await releasePage(page);
  });
});
