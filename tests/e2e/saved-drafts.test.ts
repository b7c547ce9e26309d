import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, LIVE, textNow, valueNow } from './lesson-page.ts';

// A student's edits to a realtime console or the protobuf workbench survive a reload, as those of
// the HTTP, GraphQL and gRPC cells do (everyday-friction.test.ts), until the cell's Reset.

const lab = useAppAndBrowser();

/** The saved copy of a cell's draft (web/editors/saved-cell-state.ts), once React wrote it. */
const saved = (page: Page, key: string) => page.evaluate((name) => localStorage.getItem(`wirelab.cell.${name}`), key);

async function reload(page: Page, cellId: string): Promise<Locator> {
  await page.reload();
  const found = cell(page, cellId);
  await found.waitFor({ timeout: 15_000 });
  return found;
}

describe('a realtime console', () => {
  it('WebSocket: keeps the URL, the message and the close reason across a reload, until Reset', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/websockets`);
    let echo = cell(page, 'echo');
    await echo.locator('[data-testid="ws-url"]').fill('/ws/echo?ping=2000');
    await echo.locator('[data-testid="ws-message"]').fill('typed before the reload');
    await echo.locator('[data-testid="ws-close-reason"]').fill('bye');
    await expect.poll(() => saved(page, 'websockets/echo')).toContain('bye');

    echo = await reload(page, 'echo');
    expect(await echo.locator('[data-testid="ws-url"]').inputValue()).toBe('/ws/echo?ping=2000');
    expect(await echo.locator('[data-testid="ws-message"]').inputValue()).toBe('typed before the reload');
    expect(await echo.locator('[data-testid="ws-close-reason"]').inputValue()).toBe('bye');
    // the other console of the lesson keeps its own text
    expect(await cell(page, 'chat').locator('[data-testid="ws-url"]').inputValue()).toBe('/ws/chat');

    // the kept draft is what the console uses: it connects to the edited URL
    await echo.locator('[data-testid="ws-connect"]').click();
    await expect.poll(() => textNow(echo.locator('[data-testid="rt-log-entry"]').first()), { timeout: 15_000 }).toContain('/ws/echo?ping=2000');
    await echo.locator('[data-testid="ws-disconnect"]').click();
    await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), { timeout: 15_000 }).toBe('CLOSED');

    await echo.locator('[data-testid="cell-reset"]').click();
    expect(await echo.locator('[data-testid="ws-url"]').inputValue()).toBe('/ws/echo');
    expect(await echo.locator('[data-testid="ws-message"]').inputValue()).toBe('');
    await expect.poll(() => saved(page, 'websockets/echo')).toBeNull();
    echo = await reload(page, 'echo');
    expect(await echo.locator('[data-testid="ws-url"]').inputValue()).toBe('/ws/echo');
    expect(await echo.locator('[data-testid="cell-reset"]').isDisabled()).toBe(true);
    await releasePage(page);
  });

  it('Socket.IO, SSE and long polling: keep their fields across a reload', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/socket-io`);
    let lobby = cell(page, 'lobby');
    await lobby.locator('[data-testid="sio-event"]').fill('chat:message');
    await lobby.locator('[data-testid="sio-args"]').fill('[{"room":"lobby","text":"kept"}]');
    await lobby.locator('[data-testid="sio-transport-polling"]').uncheck();
    await expect.poll(() => saved(page, 'socket-io/lobby')).toContain('kept');
    lobby = await reload(page, 'lobby');
    expect(await lobby.locator('[data-testid="sio-event"]').inputValue()).toBe('chat:message');
    expect(await lobby.locator('[data-testid="sio-args"]').inputValue()).toBe('[{"room":"lobby","text":"kept"}]');
    expect(await lobby.locator('[data-testid="sio-transport-polling"]').isChecked()).toBe(false);

    await page.goto(`${lab.server.origin}/en/server-sent-events`);
    let events = cell(page, 'events');
    await events.locator('[data-testid="sse-url"]').fill('/api/v1/events?heartbeat=2');
    await events.locator('[data-testid="sse-client"]').selectOption('fetch');
    await expect.poll(() => saved(page, 'server-sent-events/events')).toContain('heartbeat=2');
    events = await reload(page, 'events');
    expect(await events.locator('[data-testid="sse-url"]').inputValue()).toBe('/api/v1/events?heartbeat=2');
    expect(await events.locator('[data-testid="sse-client"]').inputValue()).toBe('fetch');

    await page.goto(`${lab.server.origin}/en/long-polling`);
    let poll = cell(page, 'poll');
    await poll.locator('[data-testid="poll-hold"]').fill('3');
    await poll.locator('[data-testid="poll-since"]').fill('5');
    await expect.poll(() => saved(page, 'long-polling/poll')).toContain('"hold":"3"');
    poll = await reload(page, 'poll');
    expect(await poll.locator('[data-testid="poll-hold"]').inputValue()).toBe('3');
    expect(await poll.locator('[data-testid="poll-since"]').inputValue()).toBe('5');
    await releasePage(page);
  });
});

describe('the protobuf workbench', () => {
  it('keeps the edited JSON and its bytes across a reload, until Reset', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/protocol-buffers`);
    let workbench = cell(page, 'varint-150');
    await workbench.waitFor({ timeout: 15_000 });
    // JSON → bytes: 150 becomes 300 in the JSON editor (Monaco), the hex follows
    await workbench.scrollIntoViewIfNeeded();
    const editor = workbench.locator('[data-testid="pbw-json"] .monaco-editor');
    await editor.waitFor({ timeout: 15_000 });
    await editor.locator('.view-line', { hasText: '150' }).click();
    await workbench.locator('[data-testid="pbw-json"] .monaco-editor.focused').waitFor();
    await page.keyboard.press('End');
    for (let index = 0; index < 3; index += 1) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.insertText('300');
    await expect.poll(() => valueNow(workbench.locator('[data-testid="pbw-hex"]')), LIVE).toBe('08 ac 02');
    await expect.poll(() => saved(page, 'protocol-buffers/varint-150')).toContain('08 ac 02');

    workbench = await reload(page, 'varint-150');
    expect(await workbench.locator('[data-testid="pbw-hex"]').inputValue()).toBe('08 ac 02');
    await expect.poll(() => workbench.locator('[data-testid="pbw-json"] .monaco-editor .view-line', { hasText: '300' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await workbench.locator('[data-testid="pbw-strip"] .pbw-bytes').allTextContents()).toEqual(['08', 'ac 02']);

    // bytes typed by hand are kept too
    await workbench.locator('[data-testid="pbw-hex"]').fill('08 01');
    await expect.poll(() => saved(page, 'protocol-buffers/varint-150')).toContain('08 01');
    workbench = await reload(page, 'varint-150');
    expect(await workbench.locator('[data-testid="pbw-hex"]').inputValue()).toBe('08 01');
    expect(await workbench.locator('[data-testid="pbw-sizes"]').getAttribute('data-binary-size')).toBe('2');

    await workbench.locator('[data-testid="pbw-reset"]').click();
    await expect.poll(() => valueNow(workbench.locator('[data-testid="pbw-hex"]')), LIVE).toBe('08 96 01');
    await expect.poll(() => saved(page, 'protocol-buffers/varint-150')).toBeNull();
    workbench = await reload(page, 'varint-150');
    expect(await workbench.locator('[data-testid="pbw-hex"]').inputValue()).toBe('08 96 01');
    await releasePage(page);
  });
});
