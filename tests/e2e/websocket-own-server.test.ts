// The WebSocket console aimed at "my server" («Мой сервер»), in Russian: the browser's WebSocket
// goes to Wirelab's relay, which opens its own to the Python WebSocket starter (a real student
// server on its own port); the echo shows in the console, and the console's links open the bytes
// of Wirelab's connection to the starter in the inspector. Nothing listening: the fact, in Russian.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPythonStarter, type RunningStarter } from '../integration/own-server-starters.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, inspectorNode, LIVE, selectedMessage, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();

let starter: RunningStarter;
beforeAll(async () => {
  starter = await startPythonStarter('websocket_server.py');
});
afterAll(() => starter?.stop());

describe('the WebSocket console aimed at my server', () => {
  it('echoes through the starter, shows Wirelab’s connection to it in the inspector, and says in Russian when nothing listens', async () => {
    const page = await openPage(lab.browser, { locale: 'ru-RU' });
    try {
      await page.goto(`${lab.server.origin}/ru/websockets`);
      const echo = cell(page, 'echo');
      expect(await echo.locator('[data-testid="own-target"] legend').textContent()).toBe('Куда подключаться');
      await echo.locator('[data-testid="own-target-mode"][value="mine"]').check();
      await echo.locator('[data-testid="own-target-address"]').fill(`127.0.0.1:${starter.port}`);
      await echo.locator('[data-testid="ws-connect"]').click();
      await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('OPEN');
      expect(await echo.locator('[data-testid="rt-log-entry"]').first().textContent()).toContain(
        `Подключаемся к вашему серверу 127.0.0.1:${starter.port}/ws/echo через сервер Wirelab`,
      );

      await echo.locator('[data-testid="ws-message"]').fill('привет');
      await echo.locator('[data-testid="ws-send"]').click();
      const received = echo.locator('[data-testid="rt-log-entry"][data-kind="received"]');
      await expect.poll(() => textNow(received.first()), LIVE).toContain('привет');

      // the handshake the console links to is Wirelab's GET to the starter, answered 101
      await echo.locator('[data-testid="rt-log-entry"][data-event="open"] [data-testid="rt-log-link"]').click();
      await expect.poll(() => textNow(inspectorNode(page, 'request-line').first()), LIVE).toMatch(/GET \/ws\/echo HTTP\/1\.1/);
      // the sent message's frame: Wirelab to the starter, masked as a client's must be
      await echo.locator('[data-testid="rt-log-entry"][data-kind="sent"]').first().locator('[data-testid="rt-log-link"]').click();
      await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), LIVE).toBe('ws-frame');
      expect(await selectedMessage(page).getAttribute('data-dir')).toBe('in');
      expect(await selectedMessage(page).textContent()).toMatch(/text · 12 Б · с маской/);

      await echo.locator('[data-testid="ws-close"]').click();
      await expect.poll(() => attributeNow(echo.locator('[data-testid="ws-state"]'), 'data-state'), LIVE).toBe('CLOSED');

      // nothing listening: the relay's fact, in Russian
      await echo.locator('[data-testid="own-target-address"]').fill('127.0.0.1:1');
      await echo.locator('[data-testid="ws-connect"]').click();
      const fact = echo.locator('[data-testid="rt-log-entry"][data-event="close"]').last();
      await expect.poll(() => textNow(fact), LIVE).toContain('В соединении отказано: по адресу 127.0.0.1:1 никто не слушает');
      expect(await fact.getAttribute('data-code')).toBe('4502');
      // the relay's own 101 before that fact is not told as an open connection: only the first run's is
      expect(await echo.locator('[data-testid="rt-log-entry"][data-event="open"]').count()).toBe(1);
    } finally {
      await releasePage(page);
    }
  }, 60_000);
});
