import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, type ExpectStatic, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, LIVE, textNow } from './lesson-page.ts';

// A student who clicks Connect on the MQTT console (web/editors/mqtt/) either gets connected or
// reads why not. CI's console-restart test clicked Connect on a page opened beside seven others
// and read 'CLOSED': mqtt.js's CONNACK timer ran from the click, the WebSocket's handshake
// included, so a handshake slow to complete (a loaded machine) made the console give up on a
// broker that had not even been asked yet, and then say the broker had closed it. Here a
// loopback proxy holds the console's handshake for longer than that wait.

const lab = useAppAndBrowser();

/**
 * A loopback proxy to the server that holds a connection's bytes for `ms` when it opens with the
 * MQTT console's WebSocket handshake (`GET /mqtt`), as a loaded server or network can: the
 * handshake completes late. Everything else passes at once.
 */
async function slowMqttHandshakes(target: number, ms: number): Promise<{ origin: string; close(): void }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const proxy = createServer((browser) => {
    track(browser);
    browser.once('data', (first: Buffer) => {
      browser.pause();
      // the server hears of the connection only then: it would otherwise close a silent one
      const go = () => {
        const server = connect(target, '127.0.0.1');
        track(server);
        server.on('close', () => browser.destroy());
        browser.on('close', () => server.destroy());
        server.pipe(browser);
        server.write(first);
        browser.pipe(server);
        browser.resume();
      };
      if (first.subarray(0, 10).toString('latin1') === 'GET /mqtt ') setTimeout(go, ms);
      else go();
    });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const { port } = proxy.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      proxy.close();
    },
  };
}

async function finalState(expect: ExpectStatic, page: Page): Promise<string | null> {
  const state = cell(page, 'dashboard').locator('[data-testid="mqtt-state"]');
  await expect.poll(() => attributeNow(state, 'data-state'), { timeout: 60_000 }).toMatch(/^(connected|CLOSED)$/);
  return attributeNow(state, 'data-state');
}

// Each test waits some 11 s on the console's CONNACK timer, on a page and in a browser profile of
// its own: they wait side by side (two at a time, vitest.config.ts).
describe.concurrent('the MQTT console’s Connect', () => {
  it('connects when the WebSocket handshake takes longer than the console waits for CONNACK', async ({ expect }) => {
    const proxy = await slowMqttHandshakes(lab.server.port, 11_000);
    const page = await openPage(lab.browser, { locale: 'ru-RU' });
    await page.goto(`${proxy.origin}/ru/mqtt`);
    const dashboard = cell(page, 'dashboard');
    await dashboard.locator('[data-testid="mqtt-connect"]').click();
    const state = await finalState(expect, page);
    expect(state, (await dashboard.locator('[data-testid="rt-log-entry"]').allTextContents()).join('\n')).toBe('connected');
    await dashboard.locator('[data-testid="rt-log-entry"][data-packet="CONNACK"]').waitFor(LIVE);
    await releasePage(page);
    proxy.close();
  }, 120_000);

  it('says in words that the broker sent no CONNACK, and that the console closed the connection', async ({ expect }) => {
    const page = await openPage(lab.browser, { locale: 'ru-RU' });
    // a "broker" that takes the WebSocket and never answers CONNECT
    await page.routeWebSocket(/\/mqtt$/, (socket) => socket.onMessage(() => undefined));
    await page.goto(`${lab.server.origin}/ru/mqtt`);
    const dashboard = cell(page, 'dashboard');
    await dashboard.locator('[data-testid="mqtt-connect"]').click();
    expect(await finalState(expect, page)).toBe('CLOSED');
    const closed = dashboard.locator('[data-testid="rt-log-entry"][data-event="close"]');
    expect(await closed.getAttribute('data-how')).toBe('no-connack');
    expect(await closed.getAttribute('data-kind')).toBe('error');
    expect(await textNow(closed)).toContain(
      'Нет CONNACK: брокер не ответил на CONNECT за 10 с, и консоль закрыла соединение. Нажмите «Подключиться», чтобы попробовать снова.',
    );
    // mqtt.js's own words ("connack timeout") are not the student's
    expect(await dashboard.locator('[data-testid="rt-log-entry"]').allTextContents()).not.toContainEqual(expect.stringContaining('connack timeout'));
    await releasePage(page);
  }, 120_000);
});
