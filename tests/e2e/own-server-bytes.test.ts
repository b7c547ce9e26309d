// "My server" end to end, the bytes behind a check: the page runs the REST suite against the
// complete Python starter (a real student server on its own port), and a check's "open its bytes"
// opens the page's inspector at the connection Wirelab opened to that server — the request Wirelab
// sent and the starter's answer, decoded, with the hex view, marked as Wirelab's own connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPythonStarter, type RunningStarter } from '../integration/own-server-starters.ts';
import { openPage, useAppAndBrowser } from './browser.ts';
import { attributeNow, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();
const LIVE = { timeout: 20_000 };

let starter: RunningStarter;
beforeAll(async () => {
  starter = await startPythonStarter('rest_server.py');
});
afterAll(() => starter?.stop());

describe('"My server": a check links to its bytes', () => {
  it('runs the REST suite against the Python starter and opens a check’s connection in the inspector', async () => {
    const page = await openPage(lab.browser, { locale: 'en-GB' });
    try {
      await page.goto(`${lab.server.origin}/en/my-server`);
      await page.locator('[data-testid="own-server-target"]').fill(`127.0.0.1:${starter.port}`);
      await page.locator('[data-testid="own-server-protocol"][value="rest"]').check();
      await page.locator('[data-testid="own-server-run"]').click();
      await expect.poll(() => textNow(page.locator('[data-testid="own-server-summary"]')), LIVE).toMatch(/39 checks: 39 passed, 0 failed$/);

      // every check names the connections it opened; `not-found-problem` opened one: a GET
      const notFound = page.locator('[data-testid="own-server-check"][data-id="not-found-problem"]');
      const open = notFound.locator('[data-testid="own-server-open-bytes"]');
      expect(await open.count()).toBe(1);
      expect(await open.textContent()).toBe('Open its bytes in the inspector');
      const conn = await open.getAttribute('data-conn');
      expect(conn).toMatch(/^c\d+$/);
      expect(await page.locator('[data-testid="own-server-open-bytes"]').count()).toBeGreaterThanOrEqual(39);
      await open.click();

      // the inspector takes the focus and shows that exchange: Wirelab's GET, the starter's 404
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('inspector');
      const exchange = page.locator(`[data-testid="insp-exchange"][data-conn="${conn}"][data-index="0"]`);
      await expect.poll(() => attributeNow(exchange, 'aria-pressed'), LIVE).toBe('true');
      expect(await exchange.textContent()).toMatch(/GET.*\/api\/v1\/users\/2147483000.*404/);
      const tree = page.locator('[data-testid="insp-tree-node"][data-kind="request-line"]').first();
      await expect.poll(() => textNow(tree), LIVE).toMatch(/GET \/api\/v1\/users\/2147483000 HTTP\/1\.1/);
      expect(await page.locator('[data-testid="insp-hex-byte"]').count()).toBeGreaterThan(0);
      // the connection's head line: the starter is the server, so its port shows as the far end
      const head = page.locator(`[data-testid="insp-connection"][data-conn="${conn}"]`);
      expect(await head.count()).toBe(1);
      // marked as Wirelab's own connection to the student's server, its client port Wirelab's
      expect(await head.locator('[data-testid="insp-outbound"]').textContent()).toBe(`Wirelab → your server 127.0.0.1:${starter.port}`);
      expect(await head.locator('.insp-conn-head').textContent()).toMatch(/Wirelab’s port \d+/);

      // a check whose verdict came from the suite's preparation links to the preparation's POSTs
      const create = page.locator('[data-testid="own-server-check"][data-id="create-201-location"] [data-testid="own-server-open-bytes"]');
      expect(await create.count()).toBe(2);
      expect(await create.first().textContent()).toBe('Connection 1 of 2: its bytes in the inspector');
      const createConn = await create.first().getAttribute('data-conn');
      await create.first().click();
      const post = page.locator(`[data-testid="insp-exchange"][data-conn="${createConn}"][data-index="0"]`);
      await expect.poll(() => attributeNow(post, 'aria-pressed'), LIVE).toBe('true');
      expect(await post.textContent()).toMatch(/POST.*\/api\/v1\/users.*201/);
    } finally {
      await page.close();
    }
  }, 60_000);
});
