import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { cell, editorText, exerciseState, exerciseStateNow, LIVE, setEditorText, textNow } from './lesson-page.ts';

// Lesson 02's header versioning in real Chromium: the student switches the version of
// /api/users/1 by header, and the exercises read the Content-Type, Api-Version and Vary the
// server really sent.

const lab = useAppAndBrowser();

describe('lesson 02: the version in a header', () => {
  it('Api-Version, then a vendor type in Accept; the Vary question checks the typed answer', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/rest`);
    const target = cell(page, 'user-by-header');
    await target.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(target.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    expect(await target.locator('[data-testid="response-body"]').textContent()).toContain('"first"');
    // Run alone (Api-Version: 2) is not the vendor type the exercise asks for.
    expect(await exerciseState(page, 'version-by-accept')).not.toBe('passed');

    const text = await editorText(page, 'user-by-header');
    await setEditorText(
      page,
      'user-by-header',
      text.replace('Accept: application/json', 'Accept: application/vnd.wirelab.v2+json').replace(/\nApi-Version: 2/, ''),
    );
    await target.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => exerciseStateNow(page, 'version-by-accept'), LIVE).toBe('passed');

    const exercise = page.locator('[data-testid="exercise"][data-exercise-id="vary-answer"]');
    await exercise.locator('[data-testid="exercise-answer"]').fill('Accept');
    await exercise.locator('[data-testid="exercise-answer"]').press('Enter');
    // exerciseState, which waits for the card: a read that answered null for a missing card would pass this
    await expect.poll(() => exerciseState(page, 'vary-answer'), LIVE).not.toBe('passed');
    await exercise.locator('[data-testid="exercise-answer"]').fill('Accept, Api-Version');
    await exercise.locator('[data-testid="exercise-answer"]').press('Enter');
    await expect.poll(() => exerciseStateNow(page, 'vary-answer'), LIVE).toBe('passed');
    await releasePage(page);
  });
});
