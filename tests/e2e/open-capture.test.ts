// «Открыть запись» / "Open capture" in Chromium: files real tools wrote open in the inspector,
// decoded by the same code as live captures, in both languages; a bad file is named and the live
// captures stay; a HAR that Chromium itself recorded (Playwright's recordHar) lists every request
// with its status, headers and body; a 50 MB pcapng opens completely (its speed:
// bench/open-capture.ts); a capture is stepped through from the keyboard, and a link opens one step.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../wire/capture-file/read-capture-file.ts';
import { bigCapture, bigCaptureConnections } from './big-capture.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, LIVE, pollEvery, setEditorText, textNow } from './lesson-page.ts';

const FIXTURES = join(import.meta.dirname, '../../wire/capture-file/fixtures');

// the worker's Chromium, as every other end-to-end file has it, not one launched for this file
const lab = useAppAndBrowser();
// the page asked every 250 ms while a test waits, not every 50 ms (lesson-page.ts)
pollEvery(250);
let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'wirelab-open-capture-'));
});
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const inspectorOf = (page: Page) => page.locator('[data-testid="inspector"]');

async function openFile(page: Page, path: string): Promise<void> {
  await inspectorOf(page).locator('[data-testid="insp-open-file"]').setInputFiles(path);
}

/** Runs the REST lesson's first cell: a live exchange in the inspector. */
async function liveRequest(page: Page): Promise<void> {
  const cell = page.locator('[data-testid="cell"]').first();
  const cellId = (await cell.getAttribute('data-cell-id'))!;
  await setEditorText(page, cellId, 'GET /api/v1/users?limit=1\n');
  await cell.locator('[data-testid="cell-run"]').click();
  await expect.poll(() => textNow(cell.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
}

describe.each([
  { lang: 'en', button: 'Open capture', back: 'Back to live captures', bad: /Cannot open notes\.txt: it is not a pcapng, pcap or HAR file/ },
  { lang: 'ru', button: 'Открыть запись', back: 'К живому трафику', bad: /Не удалось открыть notes\.txt: это не файл pcapng, pcap или HAR/ },
])('opening a capture in $lang', { timeout: 180_000 }, ({ lang, button, back, bad }) => {
  it('decodes a gRPC pcapng that python3-grpcio wrote, names a bad file while the live captures stay, and goes back to live', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/rest`);
    const inspector = inspectorOf(page);
    // the lesson page loads the inspector once its text is on screen (use-captures-later.ts)
    await expect.poll(() => textNow(inspector.locator('.insp-file-open')), { timeout: 60_000 }).toContain(button);
    await liveRequest(page);
    const liveRow = inspector.locator('[data-testid="insp-exchange"]', { hasText: '/api/v1/users?limit=1' });
    await expect.poll(() => liveRow.count(), LIVE).toBe(1);

    const badFile = join(workDir, 'notes.txt');
    writeFileSync(badFile, 'not a capture at all');
    await openFile(page, badFile);
    const failure = inspector.locator('[data-testid="insp-file-failure"]');
    await expect.poll(() => textNow(failure), LIVE).toMatch(bad);
    expect(await attributeNow(failure, 'data-code')).toBe('unknown-format');
    expect(await liveRow.count()).toBe(1); // nothing of the live captures is lost

    await openFile(page, join(FIXTURES, 'grpc-python.pcapng'));
    await expect.poll(() => attributeNow(inspector.locator('[data-testid="insp-file-opened"]'), 'data-kind'), LIVE).toBe('packets');
    expect(await failure.count()).toBe(0);
    const calls = inspector.locator('[data-testid="insp-exchange"]', { hasText: '/demo.v1.Greeter/Greet' });
    await expect.poll(() => calls.count(), LIVE).toBe(2);
    expect(await liveRow.count()).toBe(0);
    expect(await inspector.locator('[data-testid="insp-status"]').count()).toBe(0);
    // the gRPC messages' layer comes lazily and adds rows before the status: clicked at once, most
    // often before that layer is in, the selection still names the status (its connection, layer,
    // direction and first byte, never its row number), and shows it once the layer has arrived
    const statuses = inspector.locator('[data-testid="insp-message"][data-layer="grpc-status"]');
    await expect.poll(() => statuses.count(), LIVE).toBe(2);
    await statuses.last().click();
    await expect.poll(() => inspector.locator('[data-testid="insp-message"][data-layer="grpc-message"]').count(), LIVE).toBe(3);
    await expect.poll(() => textNow(inspector.locator('.insp-detail')), LIVE).toContain('NOT_FOUND');
    const selected = inspector.locator('[data-testid="insp-message"][aria-pressed="true"]');
    expect(await attributeNow(selected, 'data-layer')).toBe('grpc-status');
    expect(await textNow(selected)).toContain('NOT_FOUND');

    await inspector.locator('[data-testid="insp-file-close"]').click();
    expect(await textNow(inspector.locator('[data-testid="insp-file-close"]').or(page.getByText(back)))).toBeNull();
    await expect.poll(() => liveRow.count(), LIVE).toBe(1);
    await releasePage(page);
  });

  it('steps through a capture from the keyboard, shows the time between steps, and a link opens one step', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/rest`);
    const inspector = inspectorOf(page);
    await openFile(page, join(FIXTURES, 'mqtt-mosquitto.pcapng'));
    await expect.poll(() => inspector.locator('[data-testid="insp-message"]').count(), LIVE).toBe(12);
    const position = inspector.locator('[data-testid="insp-step-position"]');
    await inspector.locator('[data-testid="insp-step-next"]').click();
    expect(await textNow(position)).toMatch(lang === 'en' ? /^step 1 of 12$/ : /^шаг 1 из 12$/);
    await page.keyboard.press('.');
    await page.keyboard.press('.');
    expect(await textNow(position)).toMatch(/3/);
    const selected = inspector.locator('[data-testid="insp-message"][aria-pressed="true"]');
    expect(await attributeNow(selected, 'data-index')).toBe('2'); // c1's PUBLISH, third in time
    expect(await textNow(selected)).toContain('PUBLISH');
    expect(await textNow(inspector.locator('[data-testid="insp-step-gap"]'))).toMatch(/\+\d/);
    await page.keyboard.press(',');
    expect(await attributeNow(selected, 'data-index')).toBe('1');
    await page.keyboard.press('End');
    expect(await textNow(position)).toMatch(/12/);
    // the last step: c2's last packet, named by its direction, layer and first byte
    const link = page.url();
    expect(new URL(link).hash).toMatch(/^#insp=c2\.(in|out)\.mqtt-packet\.\d+$/);
    const lastPacket = await textNow(selected);
    // the link opens that step once the file is opened again
    const again = await page.context().newPage();
    await again.goto(link);
    await openFile(again, join(FIXTURES, 'mqtt-mosquitto.pcapng'));
    const chosen = inspectorOf(again).locator('[data-testid="insp-message"][aria-pressed="true"]');
    await expect.poll(() => attributeNow(chosen, 'data-index'), LIVE).toBe('6');
    expect(await textNow(chosen)).toBe(lastPacket);
    await releasePage(page);
  });
});

describe('links and HAR', { timeout: 180_000 }, () => {
  it('a link to one step of a live capture opens the inspector at that step', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/rest`);
    await liveRequest(page);
    const inspector = inspectorOf(page);
    const row = inspector.locator('[data-testid="insp-exchange"]', { hasText: '/api/v1/users?limit=1' });
    await expect.poll(() => row.count(), LIVE).toBe(1);
    await row.click();
    await inspector.locator('[data-testid="insp-step-link"]').click();
    await expect.poll(() => new URL(page.url()).hash, LIVE).toMatch(/^#insp=/);
    const link = page.url();
    // the exchange's index on its connection: the browser may send the fetch on a connection that
    // already carried the page's own requests, so any index; the second page below must find it
    expect(new URL(link).hash).toMatch(/^#insp=c\d+\.x\d+$/);
    // a second page of the same session (the capture channel replays the session's captures)
    const again = await page.context().newPage();
    await again.goto(link);
    const chosen = inspectorOf(again).locator('[data-testid="insp-exchange"][aria-pressed="true"]');
    await expect.poll(() => textNow(chosen), { timeout: 60_000 }).toContain('/api/v1/users?limit=1');
    await releasePage(page);
  });

  it('lists every request of a HAR that Chromium recorded, with its status, headers and body, and says what a HAR lacks', async () => {
    const harPath = join(workDir, 'chromium.har');
    const recording = await lab.browser.newContext({ recordHar: { path: harPath, content: 'embed' } });
    const recorded = await recording.newPage();
    await recorded.goto(`${lab.server.origin}/en/rest`);
    // each body read to its end: fetch resolves at the response's head, and a body still arriving
    // when the context closes is one Chromium leaves out of the HAR
    await recorded.evaluate(async () => {
      await (await fetch('/api/v1/users?limit=2')).text();
      await (
        await fetch('/api/v1/users', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Har Reader', email: `har-${Date.now()}@example.org` }),
        })
      ).text();
      await (await fetch('/api/v1/users/999999')).text();
    });
    await recording.close(); // writes the HAR
    const har = JSON.parse(readFileSync(harPath, 'utf8')) as {
      log: { entries: Array<{ request: { method: string; url: string }; response: { status: number } }> };
    };

    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/rest`);
    const inspector = inspectorOf(page);
    await openFile(page, harPath);
    await expect.poll(() => attributeNow(inspector.locator('[data-testid="insp-file-opened"]'), 'data-kind'), LIVE).toBe('har');
    expect(await textNow(inspector.locator('[data-testid="insp-har-lacks"]'))).toContain('не байты, прошедшие по сети');
    const rows = inspector.locator('[data-testid="insp-har-entry"]');
    expect(await rows.count()).toBe(har.log.entries.length);
    const listed = await rows.allTextContents();
    for (const entry of har.log.entries)
      expect(listed.some((text) => text.includes(`${entry.request.method} ${entry.request.url}`) && text.includes(String(entry.response.status)))).toBe(true);
    const post = rows.filter({ hasText: 'POST' }).first();
    await post.click();
    const detail = inspector.locator('[data-testid="insp-har-detail"]');
    expect(await textNow(detail)).toContain('201');
    expect(await textNow(detail)).toContain('content-type');
    const bodies = await detail.locator('[data-testid="insp-har-body"]').allTextContents();
    expect(bodies[0]).toContain('Har Reader');
    expect(bodies[1]).toContain('"id"');
    await releasePage(page);
  });
});

// The bound, the page's longest task under 200 ms while a 50 MB file opens, is a figure of
// speed: bench/open-capture.ts measures it (bench/README.md). This test holds that such a file
// opens completely: through the worker with a progress bar, every connection's exchange listed and
// readable, the facts line counting every packet and connection.
describe('a 50 MB capture', () => {
  it('opens through the worker with a progress bar, every exchange listed and readable, the facts line complete', { timeout: 240_000 }, async () => {
    const megabytes = 50;
    const bytes = bigCapture(megabytes);
    expect(bytes.length).toBeGreaterThan(megabytes * 1000 * 1000);
    const connections = bigCaptureConnections(megabytes);
    // every packet and connection the file holds, read in Node by the code the worker runs
    const read = readCaptureFile(bytes);
    if (read.kind !== 'packets') throw new Error(`the big capture reads as ${read.kind}`);
    expect(read.connections).toHaveLength(connections);
    const path = join(workDir, 'big.pcapng');
    writeFileSync(path, bytes);
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/rest`);
    const inspector = inspectorOf(page);
    await expect.poll(() => inspector.locator('[data-testid="insp-open-file"]').count(), LIVE).toBe(1);
    await openFile(page, path);
    await expect.poll(() => inspector.locator('[data-testid="insp-file-progress"]').count(), LIVE).toBe(1);
    await expect
      .poll(() => attributeNow(inspector.locator('[data-testid="insp-file-opened"]'), 'data-kind'), { timeout: 180_000, interval: 500 })
      .toBe('packets');
    const facts = await textNow(inspector.locator('[data-testid="insp-file-facts"]'));
    expect(facts).toContain(`pcapng, ${read.packets} packets, ${connections} TCP connections`);
    expect(facts).toContain('no gaps');
    const rows = inspector.locator('[data-testid="insp-exchange"]');
    await expect.poll(() => rows.count(), { timeout: 120_000, interval: 500 }).toBe(connections);
    await rows.last().click();
    await expect.poll(() => textNow(inspector.locator('.insp-detail')), LIVE).toContain(`/big/${connections - 1}`);
    await releasePage(page);
  });
});
