import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser } from './browser.ts';
import { cell, exerciseState, LIVE } from './lesson-page.ts';

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
    const last = rows.last();
    const conn = (await last.getAttribute('data-conn'))!;
    const lastIndex = Number(await last.getAttribute('data-index'));
    const group = page.locator(`[data-testid="inspector"] [data-testid="insp-connection"][data-conn="${conn}"] [data-testid="insp-exchange"]`);
    const readIndexes = () => group.evaluateAll((buttons) => buttons.map((button) => Number(button.getAttribute('data-index'))).join(','));
    // The timeline draws rows as their captures are decoded: count once it has stopped changing, as a student would.
    let indexes = await readIndexes();
    await expect
      .poll(async () => {
        const next = await readIndexes();
        const settled = next === indexes;
        indexes = next;
        return settled;
      }, { ...LIVE, interval: 500 })
      .toBe(true);
    const visibleBefore = indexes.split(',').map(Number).filter((index) => index < lastIndex).length;

    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="count-connection-requests"]');
    const field = exercise.locator('[data-testid="exercise-answer"]');
    await field.fill(String(visibleBefore + 1));
    await field.press('Enter');
    expect(await exerciseState(page, 'count-connection-requests')).not.toBe('passed');
    await field.fill(String(visibleBefore));
    await field.press('Enter');
    await expect.poll(() => exerciseState(page, 'count-connection-requests'), LIVE).toBe('passed');
    await page.context().close();
  });
});
