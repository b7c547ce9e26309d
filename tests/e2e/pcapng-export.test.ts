import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../integration/start-server.ts';
import { assertBuilt, launchTestBrowser, openPage, WEB_ROOT, releasePage } from './browser.ts';
import { setEditorText, textNow } from './lesson-page.ts';

const run = promisify(execFile);
const TSHARK = '/usr/bin/tshark';

let server: RunningServer;
let browser: Browser;
let workDir: string;

beforeAll(async () => {
  assertBuilt();
  if (!existsSync(TSHARK))
    throw new Error(`${TSHARK} is missing: this test opens the inspector's pcapng export with tshark. Install the Debian package "tshark".`);
  server = await startServer({ webRoot: WEB_ROOT });
  browser = await launchTestBrowser();
  workDir = mkdtempSync(join(tmpdir(), 'wirelab-pcapng-e2e-'));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Clicks a control that downloads a file; returns where the file was saved and its suggested name. */
async function download(page: Page, testId: string, into: string): Promise<{ path: string; name: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="inspector"] [data-testid="${testId}"]`).first().click()]);
  const path = join(workDir, into);
  await file.saveAs(path);
  return { path, name: file.suggestedFilename() };
}

/** "METHOD uri" and status codes as tshark reads them (the app's port dissected as HTTP). */
async function tsharkHttp(file: string): Promise<string[]> {
  const { stdout } = await run(TSHARK, [
    '-r',
    file,
    '-d',
    `tcp.port==${server.port},http`,
    '-Y',
    'http',
    '-T',
    'fields',
    '-e',
    'http.request.method',
    '-e',
    'http.request.uri',
    '-e',
    'http.response.code',
  ]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t').filter(Boolean).join(' '));
}

describe.each([
  { lang: 'en', connectionLabel: 'Save connection .pcapng', sessionLabel: 'Save .pcapng' },
  { lang: 'ru', connectionLabel: 'Сохранить соединение .pcapng', sessionLabel: 'Сохранить .pcapng' },
])('the inspector in $lang', ({ lang, connectionLabel, sessionLabel }) => {
  it("saves the selected request's connection and the whole session as pcapng files that tshark reads", async () => {
    // a fresh profile: the session then holds the connections of the page's first load too
    const page = await openPage(browser, { fresh: true });
    await page.goto(`${server.origin}/${lang}/rest`);
    const cell = page.locator('[data-testid="cell"]').first();
    const cellId = (await cell.getAttribute('data-cell-id'))!;
    const email = `pcap-${lang}-${Date.now()}@example.com`;
    await setEditorText(page, cellId, `POST /api/v1/users\nContent-Type: application/json\n\n${JSON.stringify({ name: 'Ada Pcap', email })}\n`);
    await cell.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), { timeout: 10_000 }).toMatch(/201/);

    const inspector = page.locator('[data-testid="inspector"]');
    const row = inspector.locator('[data-testid="insp-exchange"]', { hasText: 'POST' }).last();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await inspector.locator('[data-testid="insp-tree-node"][data-kind="request-line"]').first().waitFor();
    expect(await inspector.locator('[data-testid="insp-export-selected"]').textContent()).toBe(connectionLabel);
    expect(await inspector.locator('[data-testid="insp-export-session"]').textContent()).toBe(sessionLabel);
    // Every connection in the timeline has its own export too.
    const connectionId = await row.locator('xpath=ancestor::li[@data-testid="insp-connection"]').getAttribute('data-conn');
    await inspector.locator(`[data-testid="insp-connection"][data-conn="${connectionId}"] [data-testid="insp-export-conn"]`).waitFor();

    const connection = await download(page, 'insp-export-selected', `connection-${lang}.pcapng`);
    expect(connection.name).toMatch(new RegExp(`^wirelab-connection-${connectionId}-.*\\.pcapng$`));
    const seen = await tsharkHttp(connection.path);
    expect(seen).toContain('POST /api/v1/users');
    expect(seen).toContain('201');

    const session = await download(page, 'insp-export-session', `session-${lang}.pcapng`);
    expect(session.name).toMatch(/^wirelab-session-.*\.pcapng$/);
    const all = await tsharkHttp(session.path);
    expect(all).toContain('POST /api/v1/users');
    // The session holds more than that connection: the page's own requests (lesson, scripts) too.
    expect(all.length).toBeGreaterThan(seen.length);
    await releasePage(page);
  });
});
