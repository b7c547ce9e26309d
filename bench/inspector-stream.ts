// npm run bench (inspector part): a server stream of STREAM_MESSAGES gRPC messages
// (LabService.Ticks with no pause, over Connect from the lesson's gRPC cell) in real Chromium,
// with the tap recording. Measures how long until the page has every message, how long until the
// inspector has decoded the whole captured stream (its end-of-stream status), and the main
// thread's long tasks meanwhile — the inspector decodes in the page, so this is where it hurts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { launchBrowser, WEB_ROOT } from '../tests/e2e/browser.ts';
import { startBenchServer } from './bench-process.ts';

/** LabService.Ticks allows at most 10 000 (server/protocols/grpc/README.md, Limits). */
const STREAM_MESSAGES = Number(process.env.BENCH_STREAM_MESSAGES ?? 10_000);
const WAIT = { timeout: 120_000 };

if (!existsSync(join(WEB_ROOT, 'index.html'))) execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });

// The browser first: if Chromium is missing, this fails before a server process would keep us alive.
const browser = await launchBrowser();
const server = await startBenchServer({ tap: true, web: true });
try {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${server.origin}/en/grpc`);
  const ticks = page.locator('[data-testid="cell"][data-cell-id="ticks"]');
  const editor = ticks.locator('[data-testid="grpc-request-editor"]');
  // A cell's Monaco loads only when the cell nears the viewport (issue 15, the light lesson page).
  await ticks.waitFor(WAIT);
  await ticks.scrollIntoViewIfNeeded();
  await editor.waitFor(WAIT);
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify({ count: STREAM_MESSAGES, intervalMs: 0 }));
  // Monaco still auto-closes the brackets and quotes it saw typed: drop whatever follows.
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => document.fonts.ready);
  await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));

  const started = Date.now();
  await ticks.locator('[data-testid="cell-run"]').click();
  await ticks.locator('[data-testid="grpc-status"]').waitFor(WAIT);
  const received = Date.now() - started;
  const status = await ticks.locator('[data-testid="grpc-status"]').textContent();
  if (!status?.startsWith('0 OK')) throw new Error(`the stream ended with ${status}`);
  // The inspector has decoded the whole captured body once the stream's end is among its messages.
  await page.locator('[data-testid="inspector"] [data-testid="insp-message"][data-layer="grpc-status"]').first().waitFor(WAIT);
  const decoded = Date.now() - started;
  const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);

  console.log(`\nInspector: a server stream of ${STREAM_MESSAGES} gRPC messages (Connect JSON, tap recording) in Chromium`);
  console.log(`  all messages in the page: ${received} ms; whole stream decoded in the inspector: ${decoded} ms`);
  console.log(
    `  long tasks (> 50 ms): ${tasks.length}, longest ${Math.round(Math.max(0, ...tasks))} ms, over 100 ms: ${tasks.filter((d) => d > 100).length}; JS heap ${(heap / 1e6).toFixed(1)} MB`,
  );
} finally {
  await browser.close();
  server.child.kill('SIGTERM');
}
