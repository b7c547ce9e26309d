import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser } from './browser.ts';

const lab = useAppAndBrowser();

describe('the app shell', () => {
  it('shows the lesson text while Monaco is still on its way', async () => {
    const page = await openPage(lab.browser);
    const held: Route[] = [];
    // Monaco's chunk is held back until the text has been read: the text must not wait for it.
    await page.route(/\/assets\/monaco-setup-[^/]+\.js$/, (route) => {
      held.push(route);
    });
    await page.goto(`${lab.server.origin}/en/rest`);
    await expect.poll(() => page.locator('h1').first().textContent()).toMatch(/REST/);
    await expect.poll(() => page.locator('.prose').count()).toBeGreaterThan(3);
    // Monaco is asked for once a cell nears the viewport (light-lesson-page.test.ts: not before)
    await page.locator('.cell-slot [data-testid="cell"]').first().scrollIntoViewIfNeeded();
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.monaco-editor').count()).toBe(0);

    for (const route of held) await route.continue();
    await page.locator('.monaco-editor').first().waitFor({ timeout: 15_000 });
    await page.context().close();
  });

  it('switches the language in the URL and remembers it', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/rest`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/ru/rest');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ru');

    await page.goto(`${lab.server.origin}/`);
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/ru\//);
    await page.context().close();
  });

  it("resets my data to the starting set, and nobody else's", async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/rest`);
    await page.locator('[data-testid="reset-data"]').waitFor();
    const created = await page.evaluate(async () => {
      const response = await fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Emmy Noether', email: `emmy-${Date.now()}@example.com` }),
      });
      return { status: response.status, location: response.headers.get('location') };
    });
    expect(created.status).toBe(201);
    const statusOf = () => page.evaluate(async (url) => (await fetch(url!)).status, created.location);
    expect(await statusOf()).toBe(200);
    // Another browser (another session) sees the seed, not this user.
    const other = await openPage(lab.browser);
    await other.goto(`${lab.server.origin}/en/`);
    await other.locator('[data-testid="reset-data"]').waitFor();
    expect(await other.evaluate(async (url) => (await fetch(url!)).status, created.location)).toBe(404);

    await page.locator('[data-testid="reset-data"]').click();
    await page.locator('[data-testid="reset-data-confirm"]').click();
    await page.locator('[data-testid="reset-data-done"]').waitFor();
    expect(await statusOf()).toBe(404);
    await other.context().close();
    await page.context().close();
  });
});
