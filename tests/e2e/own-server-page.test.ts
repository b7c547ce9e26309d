// «Мой сервер» end to end: the page aims Wirelab at the test server's own address (the student's
// loopback), runs the REST suite through the route, shows every check passed in Russian, and opens
// one check's transcript — the real request bytes. Then Cancel, against a server that never
// answers: the connections Wirelab opened to it close.
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser } from './browser.ts';
import { textNow, valueNow } from './lesson-page.ts';

const lab = useAppAndBrowser();
const LIVE = { timeout: 20_000 };

describe('«Мой сервер»', () => {
  it('checks the server it was aimed at, in Russian, from the keyboard, and shows what was sent', async () => {
    const page = await openPage(lab.browser, { locale: 'ru-RU' });
    await page.goto(`${lab.server.origin}/ru/`);
    await page.locator('[data-testid="nav-my-server"]').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/ru/my-server');
    await expect.poll(() => textNow(page.locator('h1')), LIVE).toBe('Мой сервер');

    const target = page.locator('[data-testid="own-server-target"]');
    expect(await target.inputValue()).toBe('127.0.0.1:8000');
    expect(await page.locator('[data-testid="own-server-protocol"][value="rest"]').isChecked()).toBe(true);
    // On the machine Wirelab runs on, the page offers Wirelab's own address: what passing looks like.
    await page.locator('[data-testid="own-server-itself"]').click();
    expect(await target.inputValue()).toBe(`127.0.0.1:${lab.server.port}`);
    expect(await page.locator('[data-testid="own-server-cli-command"]').textContent()).toBe(`npm run check-server -- rest 127.0.0.1:${lab.server.port}`);
    // Enter in the field runs the checks, as a form does.
    await target.press('Enter');

    const summary = page.locator('[data-testid="own-server-summary"]');
    await expect.poll(() => textNow(summary), LIVE).toMatch(/39 проверок — пройдено: 39, не пройдено: 0$/);
    // the keyboard's place is the result, not the top of the page
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('own-server-result');
    const checks = page.locator('[data-testid="own-server-check"]');
    expect(await checks.evaluateAll((items) => items.map((item) => item.getAttribute('data-outcome')))).toEqual(Array(39).fill('pass'));
    const create = page.locator('[data-testid="own-server-check"][data-id="create-201-location"]');
    expect(await create.locator('[data-testid="own-server-outcome"]').textContent()).toBe('Пройдена');
    expect(await create.textContent()).toMatch(/RFC 9110 §15\.3\.2/);
    // the page's run is the session's: the server's verdict for lesson 15 comes with it, shown under the report
    const verdict = page.locator('[data-testid="own-server-exercise"]');
    expect(await verdict.getAttribute('data-passed')).toBe('false');
    expect(await verdict.textContent()).toMatch(/^Вердикт сервера по упражнению: Этот запуск попал в сам Wirelab: .* поэтому упражнение его не засчитывает\.$/);

    // The transcript opens from the keyboard: the real bytes, whitespace kept.
    const transcript = create.locator('[data-testid="own-server-transcript"]');
    expect(await create.locator('[data-testid="own-server-sent"]').isVisible()).toBe(false);
    await transcript.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => create.locator('[data-testid="own-server-sent"]').isVisible()).toBe(true);
    expect(await create.locator('[data-testid="own-server-sent"]').textContent()).toMatch(/^POST \/api\/v1\/users HTTP\/1\.1\n/);
    expect(await create.locator('[data-testid="own-server-got"]').textContent()).toMatch(/^HTTP\/1\.1 201 Created\n/);
    expect(await create.locator('[data-testid="own-server-sent"]').evaluate((element) => getComputedStyle(element).whiteSpace)).toBe('pre-wrap');

    // The address is remembered in this browser.
    await page.reload();
    await expect.poll(() => valueNow(target), LIVE).toBe(`127.0.0.1:${lab.server.port}`);

    // Cancel: a server that accepts and never answers; the suite's connections to it close.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      // read (and drop) what arrives, so the end of the stream is seen when Wirelab closes
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      await target.fill(`127.0.0.1:${(silent.address() as { port: number }).port}`);
      await page.locator('[data-testid="own-server-run"]').click();
      await expect.poll(() => sockets.some((socket) => socket.bytesRead > 0), LIVE).toBe(true);
      expect(await page.locator('[data-testid="own-server-running"]').isVisible()).toBe(true);
      // Cancel has the focus while the check runs: Enter presses it
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('own-server-cancel');
      await page.keyboard.press('Enter');
      await expect.poll(() => textNow(page.locator('[data-testid="own-server-cancelled"]')), LIVE).toMatch(/^Отменено/);
      await expect.poll(() => sockets.every((socket) => socket.destroyed), LIVE).toBe(true);
      expect(await page.locator('[data-testid="own-server-run"]').isEnabled()).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await page.close();
    }
  }, 40_000);

  it('checks an MQTT broker: Wirelab’s own passes all 41, and the help starts mosquitto instead of a starter', async () => {
    const page = await openPage(lab.browser, { locale: 'en-US' });
    try {
      await page.goto(`${lab.server.origin}/en/my-server`);
      const mqtt = page.locator('[data-testid="own-server-protocol"][value="mqtt"]');
      await mqtt.check();
      await page.locator('[data-testid="own-server-itself"]').click();
      expect(await page.locator('[data-testid="own-server-starter-command"]').textContent()).toBe(`mosquitto -p ${lab.server.port}`);
      expect(await page.locator('[data-testid="own-server-cli-command"]').textContent()).toBe(`npm run check-server -- mqtt 127.0.0.1:${lab.server.port}`);
      await page.locator('[data-testid="own-server-run"]').click();
      await expect.poll(() => textNow(page.locator('[data-testid="own-server-summary"]')), LIVE).toMatch(/41 checks: 41 passed, 0 failed$/);
      const qos2 = page.locator('[data-testid="own-server-check"][data-id="qos2-exactly-once"]');
      expect(await qos2.textContent()).toMatch(/MQTT 3\.1\.1 §4\.3\.3/);
      expect(await qos2.locator('[data-testid="own-server-got"]').textContent()).toMatch(/\[pub\] ← PUBCOMP id 514/);
      expect(await page.locator('[data-testid="own-server-exercise-note"]').textContent()).toMatch(
        /^This run reached Wirelab itself: .* so the exercise does not count it\.$/,
      );
    } finally {
      await page.close();
    }
  }, 40_000);
});
