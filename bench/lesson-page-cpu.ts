// The CPU one lesson page load costs Chromium (every Chromium process: renderer, GPU, browser,
// utilities), not its wall time: on a shared, loaded machine the wall time says more about the
// neighbours, and on CI's two cores what the end-to-end tests pay is CPU. Each load is a fresh
// browser profile (a cold HTTP cache) left alone for a fixed window after navigation (the page's
// deferred work, cells mounting, included); beside it the renderer's own account of its main thread
// (CDP Performance.getMetrics: tasks, script, style, layout). With two builds (`--web=dir`
// twice), their loads alternate, so that both see the same neighbours. Not part of `npm run bench`:
// a tool for comparing a change, e.g.
//   node --import tsx bench/lesson-page-cpu.ts --web=/tmp/before --web=dist/web --rounds=5 /en/grpc /ru/grpc
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, WEB_ROOT } from '../tests/e2e/browser.ts';
import { pathUnder, readProcessTable } from '../tests/e2e/process-table.ts';
import { startServer, type RunningServer } from '../tests/integration/start-server.ts';

const args = process.argv.slice(2);
const option = (name: string) => args.filter((arg) => arg.startsWith(`--${name}=`)).map((arg) => arg.slice(name.length + 3));
const webRoots = option('web').map((dir) => resolve(dir));
if (webRoots.length === 0) webRoots.push(WEB_ROOT);
const rounds = Number(option('rounds')[0] ?? 3);
const windowMs = Number(option('window-ms')[0] ?? 10_000);
const paths = args.filter((arg) => !arg.startsWith('--'));
if (paths.length === 0) paths.push('/en/grpc');

/** pid → CPU seconds of every Chromium process under this one. */
function chromiumCpu(): Map<number, number> {
  const table = readProcessTable();
  const mine = new Map<number, number>();
  for (const [pid, row] of table) if (row.chromium && pathUnder(table, pid, process.pid).length > 0) mine.set(pid, row.seconds);
  return mine;
}

interface LoadFigures {
  chromium: number;
  task: number;
  script: number;
  style: number;
  layout: number;
  placeholders: number;
}

async function loadOnce(browser: Browser, origin: string, path: string): Promise<LoadFigures> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await new Promise((done) => setTimeout(done, 300));
  const before = chromiumCpu();
  const page = await context.newPage();
  const client = await context.newCDPSession(page);
  await client.send('Performance.enable');
  await page.goto(`${origin}${path}`);
  await page.waitForTimeout(windowMs);
  const { metrics } = await client.send('Performance.getMetrics');
  const after = chromiumCpu();
  const placeholders = await page.locator('.cell-slot [data-testid="cell-placeholder"]').count();
  await context.close();
  let chromium = 0;
  for (const [pid, seconds] of after) chromium += seconds - (before.get(pid) ?? 0);
  const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? Number.NaN;
  return {
    chromium,
    task: metric('TaskDuration'),
    script: metric('ScriptDuration'),
    style: metric('RecalcStyleDuration'),
    layout: metric('LayoutDuration'),
    placeholders,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const servers: RunningServer[] = await Promise.all(webRoots.map((webRoot) => startServer({ webRoot })));
const browser = await launchBrowser();
try {
  browser.on('disconnected', () => process.exit(1));
  const results = new Map<string, LoadFigures[]>();
  for (const path of paths) {
    // one warm-up load per build (the server's first answers, Chromium's first process)
    for (const server of servers) await loadOnce(browser, server.origin, path);
    for (let round = 0; round < rounds; round++) {
      for (const [index, server] of servers.entries()) {
        const figures = await loadOnce(browser, server.origin, path);
        const key = `${path} ${webRoots[index]}`;
        results.set(key, [...(results.get(key) ?? []), figures]);
        const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
        console.log(
          `${path} [${index}] round ${round}: Chromium ${figures.chromium.toFixed(2)} s; renderer main thread: tasks ${figures.task.toFixed(2)}, script ${figures.script.toFixed(2)}, style ${figures.style.toFixed(2)}, layout ${figures.layout.toFixed(2)} s; placeholders left ${figures.placeholders}; load ${load}`,
        );
      }
    }
  }
  console.log('medians:');
  for (const [key, list] of results) {
    const of = (pick: (figures: LoadFigures) => number) => median(list.map(pick)).toFixed(2);
    console.log(
      `  ${key}: Chromium ${of((f) => f.chromium)} s, tasks ${of((f) => f.task)}, script ${of((f) => f.script)}, style ${of((f) => f.style)}, layout ${of((f) => f.layout)} (${list.length} loads)`,
    );
  }
} finally {
  await browser.close();
  await Promise.all(servers.map((server) => server.close()));
}
