import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, releasePage } from './browser.ts';
import { attributeNow, cell, exerciseStateNow, inspectorNode, LIVE, setEditorText, textNow } from './lesson-page.ts';
import { useRestartLab } from './restart-lab.ts';

// The teacher restarts the server mid-seminar: what the student captured before stays in the
// inspector, marked as from before the restart, its bytes still shown, and the restarted server's
// connections (numbered from c1 again) never take the earlier ones' ids. In English; the Russian
// label is checked in web/inspector/capture-store-restart.test.ts.

const lab = useRestartLab('inspector-restart');

/** Ctrl-C, and started again on the same port with `options`: the page's inspector reconnects by itself. */
async function restart(page: Page, options: ReturnType<typeof lab.sameServerOptions>): Promise<void> {
  const port = await lab.stop();
  await expect.poll(() => inspectorStatus(page), LIVE).toBe('restarting');
  await lab.start(options, port);
  await expect.poll(() => inspectorStatus(page), LIVE).toBe('open');
}

const inspector = (page: Page) => page.locator('[data-testid="inspector"]');
const inspectorStatus = (page: Page) => attributeNow(inspector(page).locator('[data-testid="insp-status"]'), 'data-status');
const exchangeRow = (page: Page, target: string) => inspector(page).locator('[data-testid="insp-exchange"]', { hasText: target });

/** Runs the REST lesson's get-user cell with this request and waits for its 200 and its row in the inspector. */
async function runGetUser(page: Page, target: string): Promise<string> {
  await setEditorText(page, 'get-user', `GET ${target}\nAccept: application/json\n`);
  await cell(page, 'get-user').locator('[data-testid="cell-run"]').click();
  await expect.poll(() => textNow(cell(page, 'get-user').locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
  await exchangeRow(page, target).waitFor(LIVE);
  const conn = await exchangeRow(page, target).getAttribute('data-conn');
  if (!conn) throw new Error(`the row of ${target} names no connection`);
  return conn;
}

describe('the inspector across a server restart', () => {
  it('keeps the exchanges captured before, marked, with their bytes, apart from the restarted server’s, until Clear', async () => {
    const options = lab.sameServerOptions('listed');
    const { origin } = await lab.start(options);
    const page = await openPage(lab.browser, { locale: 'en-US' });
    await page.goto(`${origin}/en/rest`);
    await expect.poll(() => inspectorStatus(page), LIVE).toBe('open');
    const before = await runGetUser(page, '/api/v1/users/2');

    await restart(page, options);
    const after = await runGetUser(page, '/api/v1/users/3');

    // Both are listed; the earlier one keeps its connection's id, the new one's is kept apart.
    expect(after).not.toBe(before);
    expect(after).toMatch(/^r1-c\d+$/);
    const earlier = inspector(page).locator(`[data-testid="insp-connection"][data-conn="${before}"]`);
    expect(await attributeNow(earlier, 'data-before-restart')).toBe('true');
    expect(await textNow(earlier.getByTestId('insp-before-restart'))).toBe('before the server restarted');
    const later = inspector(page).locator(`[data-testid="insp-connection"][data-conn="${after}"]`);
    expect(await attributeNow(later, 'data-before-restart')).toBeNull();
    expect(await later.getByTestId('insp-before-restart').count()).toBe(0);
    expect(await exchangeRow(page, '/api/v1/users/2').count()).toBe(1);
    expect(await exchangeRow(page, '/api/v1/users/3').count()).toBe(1);

    // The earlier exchange still shows its decoded request and its bytes ("G" of GET at offset 0).
    await exchangeRow(page, '/api/v1/users/2').click();
    await expect.poll(() => textNow(inspectorNode(page, 'request-line')), LIVE).toContain('GET /api/v1/users/2');
    const firstByte = inspector(page).locator('[data-testid="insp-hex-byte"][data-section="0"][data-offset="0"]');
    await expect.poll(() => textNow(firstByte), LIVE).toBe('47');

    // "Clear" takes them too: the server's `cleared` empties the earlier process's captures as well.
    await inspector(page).getByTestId('insp-clear').click();
    await expect.poll(() => exchangeRow(page, '/api/v1/users/2').count(), LIVE).toBe(0);
    await expect.poll(() => exchangeRow(page, '/api/v1/users/3').count(), LIVE).toBe(0);
    expect(await inspector(page).locator('[data-testid="insp-before-restart"]').count()).toBe(0);
    await releasePage(page);
  }, 120_000);

  it('does not let an exercise pass on a step from before the restart: the server no longer has it', async () => {
    const options = lab.sameServerOptions('exercise');
    const { origin } = await lab.start(options);
    const page = await openPage(lab.browser, { locale: 'en-US' });
    await page.goto(`${origin}/en/rest`);
    await expect.poll(() => inspectorStatus(page), LIVE).toBe('open');
    const deleteUser = async (id: number, status: number) => {
      await setEditorText(page, 'delete-user', `DELETE /api/v1/users/${id}\n`);
      await cell(page, 'delete-user').locator('[data-testid="cell-run"]').click();
      await expect.poll(() => textNow(cell(page, 'delete-user').locator('[data-testid="response-status"]')), LIVE).toMatch(new RegExp(`^${status}`));
      await inspector(page)
        .locator('[data-testid="insp-exchange"]', { hasText: `/api/v1/users/${id}` })
        .nth(status === 204 ? 0 : 1)
        .waitFor(LIVE);
    };
    // "get 204, then 404": the 204 before the restart…
    await deleteUser(12, 204);
    await restart(page, options);
    // …the 404 after it (the database file kept the deletion): the page still shows both, but the
    // restarted server has only the 404, and the card does not pass on the page's word alone.
    await deleteUser(12, 404);
    expect(await inspector(page).locator('[data-testid="insp-before-restart"]').count()).toBeGreaterThan(0);
    // the card's verdict comes in the same render as the inspector's row; a second more for a slow page
    await page.waitForTimeout(1000);
    expect(await exerciseStateNow(page, 'delete-twice')).toBe('pending');
    // Both steps after the restart: it passes.
    await deleteUser(11, 204);
    await deleteUser(11, 404);
    await expect.poll(() => exerciseStateNow(page, 'delete-twice'), LIVE).toBe('passed');
    await releasePage(page);
  }, 120_000);
});
