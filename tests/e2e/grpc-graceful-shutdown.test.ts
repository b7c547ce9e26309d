import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { cell, editorText, enabledNow, exerciseState, exerciseStateNow, LIVE, setEditorText, textNow } from './lesson-page.ts';

// Lesson 04's health Watch and graceful shutdown in real Chromium: the student flips a service's
// status and sees the Watch stream's messages, then shuts their sandbox's server down with a chat
// open, and the exercises find the GOAWAY, the chat's OK and the next call's UNAVAILABLE in the bytes.

const lab = useAppAndBrowser();

describe('lesson 04: health Watch and graceful shutdown', () => {
  it('the watch stream shows each switch of the serving status', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/grpc`);
    const watch = cell(page, 'health-watch');
    await watch.locator('[data-testid="cell-run"]').click();
    const messages = watch.locator('[data-testid="grpc-message"]');
    await expect.poll(() => messages.count(), LIVE).toBe(1);
    expect(await messages.nth(0).textContent()).toContain('SERVING');

    const flip = cell(page, 'serving-status');
    await flip.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => messages.count(), LIVE).toBe(2);
    expect(await messages.nth(1).textContent()).toContain('NOT_SERVING');
    expect(await exerciseState(page, 'watch-not-serving')).not.toBe('passed');

    await setEditorText(page, 'serving-status', (await editorText(page, 'serving-status')).replace('"NOT_SERVING"', '"SERVING"'));
    await flip.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => messages.count(), LIVE).toBe(3);
    expect(await messages.nth(2).textContent()).not.toContain('NOT_SERVING');
    await expect.poll(() => exerciseStateNow(page, 'watch-not-serving'), LIVE).toBe('passed');
    await watch.locator('[data-testid="grpc-cancel"]').click();
    await releasePage(page);
  });

  it('a graceful shutdown: NOT_SERVING, GOAWAY, the open chat finishes with OK, the next call is UNAVAILABLE', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/grpc`);
    const watch = cell(page, 'health-watch');
    await watch.locator('[data-testid="cell-run"]').click();
    const statuses = watch.locator('[data-testid="grpc-message"]');
    await expect.poll(() => statuses.count(), LIVE).toBe(1);

    const chat = cell(page, 'drain-chat');
    await chat.locator('[data-testid="grpc-start"]').click();
    await expect.poll(() => enabledNow(chat.locator('[data-testid="grpc-send"]')), LIVE).toBe(true);
    await chat.locator('[data-testid="grpc-send"]').click();
    await expect.poll(() => chat.locator('[data-testid="grpc-message"]').count(), LIVE).toBeGreaterThanOrEqual(2);

    const shutdown = cell(page, 'graceful-shutdown');
    await shutdown.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(shutdown.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
    expect(await shutdown.locator('[data-testid="grpc-message"]').first().textContent()).toMatch(/connectionsNotified[^0-9]*1/);
    await expect.poll(() => statuses.count(), LIVE).toBe(2);
    expect(await statuses.nth(1).textContent()).toContain('NOT_SERVING');

    // The open call still works after the GOAWAY, and ends normally.
    const answered = await chat.locator('[data-testid="grpc-message"]').count();
    await chat.locator('[data-testid="grpc-send"]').click();
    await expect.poll(() => chat.locator('[data-testid="grpc-message"]').count(), LIVE).toBeGreaterThan(answered);
    expect(await exerciseState(page, 'drain-goaway')).not.toBe('passed');
    await chat.locator('[data-testid="grpc-half-close"]').click();
    await expect.poll(() => textNow(chat.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);

    // A new call: refused while the sandbox's server is down.
    await chat.locator('[data-testid="grpc-start"]').click();
    await expect.poll(() => textNow(chat.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/UNAVAILABLE/);
    await expect.poll(() => exerciseStateNow(page, 'drain-goaway'), LIVE).toBe('passed');
    await watch.locator('[data-testid="grpc-cancel"]').click();
    await releasePage(page);
  }, 60_000);
});
