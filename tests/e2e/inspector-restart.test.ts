import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../integration/start-server.ts';
import { assertBuilt, fileBrowser, openPage, releaseBrowser, WEB_ROOT } from './browser.ts';
import { attributeNow, cell, inspectorNode, LIVE, setEditorText, textNow } from './lesson-page.ts';

// The teacher restarts the server mid-seminar: what the student captured before stays in the
// inspector, marked as from before the restart, its bytes still shown, and the restarted server's
// connections (numbered from c1 again) never take the earlier ones' ids. In English; the Russian
// label is checked in web/inspector/capture-store-restart.test.ts.

let browser: Browser;
let server: RunningServer | undefined;

beforeAll(async () => {
  assertBuilt();
  browser = await fileBrowser();
});
afterAll(async () => {
  await releaseBrowser(browser);
  await server?.close();
});

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
    // the same server as `npm start` makes it again: the same session secret, so the same session
    const options = { webRoot: WEB_ROOT, tap: {}, sessionSecret: randomBytes(32) };
    server = await startServer(options);
    const { origin, port } = server;
    const page = await openPage(browser, { locale: 'en-US' });
    await page.goto(`${origin}/en/rest`);
    await expect.poll(() => inspectorStatus(page), LIVE).toBe('open');
    const before = await runGetUser(page, '/api/v1/users/2');

    // Ctrl-C, and started again on the same port: the page reconnects by itself
    await server.close();
    server = undefined;
    await expect.poll(() => inspectorStatus(page), LIVE).toBe('restarting');
    server = await startServer(options, port);
    await expect.poll(() => inspectorStatus(page), LIVE).toBe('open');
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
    await page.context().close();
  }, 120_000);
});
