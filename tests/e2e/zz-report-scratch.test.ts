import { it } from 'vitest';
import { openPage, useAppAndBrowser } from './browser.ts';
const lab = useAppAndBrowser();
it('prints the table', async () => {
  const page = await openPage(lab.browser);
  await page.goto(`${lab.server.origin}/en/compare`);
  for (const job of ['read', 'list']) {
    for (const size of job === 'list' ? ['1', '100'] : ['1']) {
      await page.locator(`[data-testid="compare-job"][value="${job}"]`).check();
      if (job === 'list') await page.locator('[data-testid="compare-size"]').selectOption(size);
      await page.locator('[data-testid="compare-reps"]').selectOption('5');
      await page.locator('[data-testid="compare-run"]').click();
      await page.waitForFunction(() => !(document.querySelector('[data-testid="compare-run"]') as HTMLButtonElement).disabled && document.querySelectorAll('[data-testid="compare-row"]').length === 8, undefined, { timeout: 200000 });
      const text = await page.locator('[data-testid="compare-table"]').evaluate((table) => [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent).join(' | ')).join('\n'));
      console.log(`\n### ${job} ${size}\n${text}`);
    }
  }
  const claims = await page.locator('[data-testid="compare-claim"]').allTextContents();
  console.log(claims.join('\n'));
  const csv = await page.evaluate(async () => 'n/a');
  console.log(csv);
}, 600000);
