// The REST lesson's HTTP cell aimed at "my server" («Мой сервер»): the cell's request is sent by
// Wirelab's server to the complete Python REST starter (a real student server on its own port),
// the starter's answer shows in the cell as usual and its bytes in the inspector; the choice is
// remembered; nothing listening is refused in Russian; back on Wirelab's server the cell works as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPythonStarter, type RunningStarter } from '../integration/own-server-starters.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { checkedNow, setEditorText, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();
const LIVE = { timeout: 15_000 };

let starter: RunningStarter;
beforeAll(async () => {
  starter = await startPythonStarter('rest_server.py');
});
afterAll(() => starter?.stop());

const createUser = (email: string) => `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Софья Ковалевская', email })}\n`;

describe('an HTTP cell aimed at my server', () => {
  it('sends the cell’s request to the student’s server, shows its answer and bytes, remembers the choice, and refuses clearly', async () => {
    const page = await openPage(lab.browser, { locale: 'ru-RU' });
    try {
      await page.goto(`${lab.server.origin}/ru/rest`);
      const cell = page.locator('[data-testid="cell"]').first();
      const cellId = (await cell.getAttribute('data-cell-id'))!;
      expect(await cell.locator('[data-testid="own-target"] legend').textContent()).toBe('Куда отправить');
      expect(await cell.locator('[data-testid="own-target-mode"][value="wirelab"]').isChecked()).toBe(true);
      await cell.locator('[data-testid="own-target-mode"][value="mine"]').check();
      await cell.locator('[data-testid="own-target-address"]').fill(`127.0.0.1:${starter.port}`);

      const email = `sofia-mine-${Date.now()}@example.com`;
      await setEditorText(page, cellId, createUser(email));
      await cell.locator('[data-testid="cell-run"]').click();
      await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), LIVE).toMatch(/^201/);
      expect(await cell.locator('[data-testid="response-body"]').textContent()).toContain(email);
      expect(await cell.locator('[data-testid="http-sent-to-mine"]').textContent()).toBe(
        `Запрос отправил сервер Wirelab на ваш сервер 127.0.0.1:${starter.port}; байты — в инспекторе.`,
      );
      // the user is on the student's server, not on Wirelab's
      const onStarter = await (await fetch(`http://127.0.0.1:${starter.port}/api/v1/users?limit=100`)).text();
      expect(onStarter).toContain(email);

      // the inspector shows Wirelab's request to the starter: the exchange the cell ran
      const inspector = page.locator('[data-testid="inspector"]');
      const requestLine = inspector.locator('[data-testid="insp-tree-node"][data-kind="request-line"]').first();
      await expect.poll(() => textNow(requestLine), LIVE).toMatch(/POST \/api\/v1\/users HTTP\/1\.1/);
      const selected = inspector.locator('[data-testid="insp-exchange"][aria-pressed="true"]');
      expect(await selected.textContent()).toMatch(/201/);

      // remembered: after a reload the cell still sends to the student's server
      await page.reload();
      await expect.poll(() => checkedNow(cell.locator('[data-testid="own-target-mode"][value="mine"]')), LIVE).toBe(true);
      expect(await cell.locator('[data-testid="own-target-address"]').inputValue()).toBe(`127.0.0.1:${starter.port}`);

      // nothing listening: refused, in Russian, as a fact
      await cell.locator('[data-testid="own-target-address"]').fill('127.0.0.1:1');
      await cell.locator('[data-testid="cell-run"]').click();
      const refused = cell.locator('[data-testid="http-refused"]');
      await expect.poll(() => textNow(refused), LIVE).toMatch(/^На ваш сервер не отправлено: В соединении отказано: по адресу 127\.0\.0\.1:1/);
      expect(await refused.getAttribute('data-status')).toBe('502');

      // back to Wirelab's server: the cell fetches from the page's own server again
      await cell.locator('[data-testid="own-target-mode"][value="wirelab"]').check();
      expect(await cell.locator('[data-testid="own-target-address"]').count()).toBe(0);
      const ownEmail = `sofia-wirelab-${Date.now()}@example.com`;
      await setEditorText(page, cellId, createUser(ownEmail));
      await cell.locator('[data-testid="cell-run"]').click();
      await expect.poll(() => textNow(cell.locator('[data-testid="response-body"]')), LIVE).toContain(ownEmail);
      expect(await cell.locator('[data-testid="http-sent-to-mine"]').count()).toBe(0);
      expect(await (await fetch(`http://127.0.0.1:${starter.port}/api/v1/users?limit=100`)).text()).not.toContain(ownEmail);
    } finally {
      await releasePage(page);
    }
  }, 60_000);
});
