import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { enabledNow, LIVE, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();

// "As code" beside Run, in Chromium: reached and used with the keyboard alone, in Russian and
// English, the program carrying the session's curl token, and the language remembered when the
// student moves to another lesson, a console's program (MQTT: the token in the user name), and a
// gRPC cell in Go with the commands for its stubs.

describe('"As code" beside Run', () => {
  it('opens from the keyboard, writes the cell with the token, and remembers the language across lessons', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/rest`);
    const cell = page.locator('[data-testid="cell"]').first();
    const button = cell.locator('[data-testid="as-code"]');
    await expect.poll(() => enabledNow(button), { timeout: 10_000 }).toBe(true);
    expect(await button.textContent()).toContain('Как код');

    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog.as-code-dialog[open]');
    await dialog.waitFor();
    const code = dialog.locator('[data-testid="as-code-code"]');
    await expect.poll(() => textNow(code), LIVE).toMatch(/^curl /);
    expect(await code.textContent()).toMatch(/x-wirelab-sandbox: curl\.[A-Za-z0-9_-]{64}/);

    // the language radio group, by keyboard: Terminal → Python
    await dialog.locator('input[value="terminal"]').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => textNow(code), LIVE).toContain('import requests');
    expect(await dialog.textContent()).toContain('Установить');

    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog.as-code-dialog[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('as-code');

    await page.goto(`${lab.server.origin}/en/graphql`);
    // a GraphQL cell's own button: the lesson's cells mount as their code arrives, so "the first
    // button" may be the lesson's REST cell by the time it is clicked
    const graphqlButton = page.locator('[data-cell-kind="graphql"] [data-testid="as-code"]').first();
    await expect.poll(() => enabledNow(graphqlButton), { timeout: 10_000 }).toBe(true);
    expect(await graphqlButton.textContent()).toContain('As code');
    await graphqlButton.click();
    const graphqlCode = page.locator('dialog.as-code-dialog[open] [data-testid="as-code-code"]');
    await expect.poll(() => textNow(graphqlCode), LIVE).toContain('import requests');
    expect(await graphqlCode.textContent()).toContain('/graphql');
    await page.keyboard.press('Escape');

    // a console: the MQTT one, its token in the user name, and the note saying so
    await page.goto(`${lab.server.origin}/en/mqtt`);
    const mqttButton = page.locator('[data-kind="mqtt"] [data-testid="as-code"]').first();
    await expect.poll(() => enabledNow(mqttButton), { timeout: 10_000 }).toBe(true);
    await mqttButton.click();
    const mqttDialog = page.locator('dialog.as-code-dialog[open]');
    await expect.poll(() => textNow(mqttDialog.locator('[data-testid="as-code-code"]')), LIVE).toContain('import paho.mqtt.client as mqtt');
    expect(await mqttDialog.locator('[data-testid="as-code-code"]').textContent()).toMatch(/TOKEN = "curl\.[A-Za-z0-9_-]{64}"/);
    expect(await mqttDialog.textContent()).toContain('The user name sandbox:<token>');
    await page.keyboard.press('Escape');

    // a bidi gRPC cell in Go: grpc-go with the stubs of Debian's protoc-gen-go-grpc, and how to make them
    await page.goto(`${lab.server.origin}/ru/grpc`);
    const chatButton = page.locator('[data-cell-id="chat"] [data-testid="as-code"]');
    await expect.poll(() => enabledNow(chatButton), { timeout: 10_000 }).toBe(true);
    await chatButton.click();
    const chatDialog = page.locator('dialog.as-code-dialog[open]');
    await chatDialog.locator('input[value="go"]').check();
    const chatCode = chatDialog.locator('[data-testid="as-code-code"]');
    await expect.poll(() => textNow(chatCode), LIVE).toContain('stream, err := client.Chat(ctx)');
    expect(await chatCode.textContent()).toMatch(/"x-wirelab-sandbox", token/);
    expect(await chatCode.textContent()).toMatch(/token := "curl\.[A-Za-z0-9_-]{64}"/);
    await chatDialog.locator('.as-code-protos summary').click();
    expect(await chatDialog.locator('.as-code-protos').textContent()).toContain('Заглушки для Go');
    expect(await chatDialog.locator('.as-code-protos').textContent()).toContain('--go-grpc_out=gopath/src');
    await releasePage(page);
  });
});
