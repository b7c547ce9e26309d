import { describe, expect, it } from 'vitest';
import { useAppAndBrowser } from './browser.ts';

// Monaco's JSON language support arrives in a chunk of its own after the first editor has started
// Monaco's services, and it registers editor contributions (code lens, outline, drag and drop)
// whose services Monaco can no longer add then. Every editor created after it failed to start
// ("depends on UNKNOWN service ICodeLensCache"): monaco-setup.ts registers those services first.

const lab = useAppAndBrowser();

describe('editors created after the JSON language support arrived', () => {
  it('start without errors', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    try {
      // The gRPC lesson's request editors speak JSON: its support loads once they are up.
      await page.goto(`${lab.server.origin}/en/grpc`);
      await page.locator('.cell-slot [data-testid="cell"]').first().scrollIntoViewIfNeeded({ timeout: 60_000 });
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((entry) => /\/jsonMode-[^/]*\.js$/.test(entry.name)), undefined, {
        timeout: 60_000,
      });
      await page.locator('.monaco-editor').first().waitFor({ timeout: 60_000 });
      // A page change in the app creates new editors in the same Monaco.
      await page.evaluate(() => {
        history.pushState(null, '', '/en/rest');
        dispatchEvent(new PopStateEvent('popstate'));
      });
      await page.locator('section.http-cell').first().scrollIntoViewIfNeeded({ timeout: 60_000 });
      await page.locator('section.http-cell .monaco-editor').first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(500);
      expect(errors.filter((message) => /UNKNOWN service|createInstance/.test(message))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
