import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { cell, editorText, LIVE, textNow } from './lesson-page.ts';

// Issue 24: a cell edited in Monaco travels in the progress file ("My progress" on the course
// map, web/course/course-progress-file.ts) to another browser, and shows there in the editor.

const lab = useAppAndBrowser();
const DRAFT_KEY = 'wirelab.cell.rest/get-user';

describe('a Monaco draft through the progress file', () => {
  it('is saved with the progress, and a browser with nothing kept shows it in the cell’s editor after the import', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/rest`);
    const getUser = cell(page, 'get-user');
    await getUser.waitFor(LIVE);
    await getUser.scrollIntoViewIfNeeded();
    const editor = getUser.locator('.monaco-editor');
    await editor.waitFor(LIVE);
    await editor.locator('.view-line').first().click();
    await getUser.locator('.monaco-editor.focused').waitFor(LIVE);
    await page.keyboard.press('End');
    await page.keyboard.insertText('?draft=42');
    await expect.poll(() => editorText(page, 'get-user'), LIVE).toContain('/api/v1/users/1?draft=42');
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY), LIVE).toContain('draft=42');

    await page.goto(`${lab.server.origin}/en/course`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="progress-export"]').click()]);
    // kept apart: the download goes with its browser context
    const saved = join(tmpdir(), `wirelab-progress-monaco-${process.pid}.json`);
    await download.saveAs(saved);
    expect(Object.keys(JSON.parse(readFileSync(saved, 'utf8')).cells)).toContain('rest/get-user');
    await releasePage(page);

    // another browser profile: nothing kept, its own session
    const other = await openPage(lab.browser);
    await other.goto(`${lab.server.origin}/en/course`);
    expect(await other.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).toBeNull();
    await other.locator('[data-testid="progress-import"]').setInputFiles(saved);
    await expect.poll(() => textNow(other.locator('[data-testid="progress-import-confirm"]')), LIVE).toContain('1 edited cell');
    await other.locator('[data-testid="progress-import-replace"]').click();
    await other.locator('[data-testid="progress-imported"]').waitFor(LIVE);

    await other.goto(`${lab.server.origin}/en/rest`);
    const imported = cell(other, 'get-user');
    await imported.waitFor(LIVE);
    await imported.scrollIntoViewIfNeeded();
    await expect.poll(() => imported.locator('.monaco-editor .view-line', { hasText: '?draft=42' }).count(), LIVE).toBe(1);
    expect(await editorText(other, 'get-user')).toContain('/api/v1/users/1?draft=42');
    await releasePage(other);
  });
});
