// One lesson page load under a Chromium trace, its CPU split by thread and by kind of work (thread
// time, not wall: a loaded machine stretches the wall), and its script by module (V8's sampling
// profiler in the trace). A tool for reading where a page's CPU goes, not part of `npm run bench`:
//   node --import tsx bench/lesson-page-cpu-trace.ts /en/grpc [--window-ms=20000] [--web=dist/web] [--out=trace.json]
//     [--categories=viz,disabled-by-default-viz.quads] (more trace categories, e.g. to count frames and damage)
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser, WEB_ROOT } from '../tests/e2e/browser.ts';
import { startServer } from '../tests/integration/start-server.ts';
import { traceEventsOf, type TraceEvent } from './chromium-trace.ts';

const args = process.argv.slice(2);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const path = args.find((arg) => !arg.startsWith('--')) ?? '/en/grpc';
const windowMs = Number(option('window-ms') ?? 20_000);
const webRoot = resolve(option('web') ?? WEB_ROOT);
const out = option('out');

const server = await startServer({ webRoot });
const browser = await launchBrowser();
try {
  const warm = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await (await warm.newPage()).goto(`${server.origin}${path}`);
  await new Promise((done) => setTimeout(done, 3000));
  await warm.close();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8',
      'v8.execute',
      'disabled-by-default-v8.cpu_profiler',
      'toplevel',
      'blink',
      'cc',
      'gpu',
      ...(option('categories')?.split(',') ?? []),
    ],
  });
  const started = Date.now();
  await page.goto(`${server.origin}${path}`);
  await page.waitForTimeout(windowMs - (Date.now() - started));
  const placeholders = await page.locator('.cell-slot [data-testid="cell-placeholder"]').count();
  const buffer = await browser.stopTracing();
  await context.close();
  if (out) writeFileSync(out, buffer);
  const events = traceEventsOf(buffer);
  const threadNames = new Map<string, string>();
  const processNames = new Map<number, string>();
  for (const e of events) {
    if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name);
    if (e.name === 'process_name') processNames.set(e.pid, e.args?.name);
  }
  console.log(`${path}: ${windowMs} ms window, placeholders left ${placeholders}`);
  // top-level tasks' thread time per thread: a task is often both events, RunTask inside
  // ThreadControllerImpl::RunTask, and counting both doubled every thread's figure (before 27 Nov)
  const perThread = new Map<string, number>();
  const taskEnds = new Map<string, number>();
  const tasks = events
    .filter((e) => e.ph === 'X' && ['ThreadControllerImpl::RunTask', 'RunTask'].includes(e.name) && e.tdur)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  for (const e of tasks) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ts < (taskEnds.get(thread) ?? 0)) continue;
    taskEnds.set(thread, e.ts + e.dur!);
    const key = `${processNames.get(e.pid) ?? e.pid} ${threadNames.get(thread) ?? e.tid}`;
    perThread.set(key, (perThread.get(key) ?? 0) + e.tdur! / 1000);
  }
  console.log('  thread time of top-level tasks, ms:');
  for (const [key, ms] of [...perThread].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${ms.toFixed(0).padStart(6)}  ${key}`);
  // the renderer's main thread: self thread time by event name
  const main = events.find(
    (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'ParseHTML'),
  );
  if (main) {
    const mine = events
      .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
      .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const self = new Map<string, number>();
    const stack: TraceEvent[] = [];
    const childTime = new Map<TraceEvent, number>();
    for (const e of mine) {
      while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent) childTime.set(parent, (childTime.get(parent) ?? 0) + (e.tdur ?? 0));
      stack.push(e);
    }
    for (const e of mine) {
      const own = (e.tdur ?? 0) - (childTime.get(e) ?? 0);
      self.set(e.name, (self.get(e.name) ?? 0) + own / 1000);
    }
    console.log('  renderer main thread, self thread time by event, ms:');
    for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) if (ms >= 5) console.log(`    ${ms.toFixed(0).padStart(6)}  ${name}`);
  }
  printFrames(events, processNames);
  // V8's samples: self time by script and by function
  const nodes = new Map<string, Map<number, { url: string; fn: string; line: number }>>();
  const byUrl = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk') continue;
    const key = `${e.pid}:${e.id}`;
    if (!nodes.has(key)) nodes.set(key, new Map());
    const map = nodes.get(key)!;
    const profile = e.args?.data?.cpuProfile;
    for (const node of profile?.nodes ?? []) {
      const url = node.callFrame.url
        ? String(node.callFrame.url)
            .replace(/^https?:\/\/[^/]+/, '')
            .replace(/-[\w-]{8}\.js$/, '')
        : `(${node.callFrame.functionName || 'program'})`;
      map.set(node.id, { url, fn: node.callFrame.functionName, line: node.callFrame.lineNumber });
    }
    const samples: number[] = profile?.samples ?? [];
    const deltas: number[] = e.args?.data?.timeDeltas ?? [];
    samples.forEach((id, index) => {
      const node = map.get(id);
      const ms = (deltas[index + 1] ?? deltas[index] ?? 0) / 1000;
      if (!node) return;
      byUrl.set(node.url, (byUrl.get(node.url) ?? 0) + ms);
      const fn = `${node.fn || '(anonymous)'} ${node.url}:${node.line}`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
    });
  }
  console.log('  V8 samples, self time by script, ms (wall between samples):');
  for (const [url, ms] of [...byUrl].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${ms.toFixed(0).padStart(6)}  ${url}`);
  console.log('  by function:');
  for (const [fn, ms] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${ms.toFixed(0).padStart(6)}  ${fn}`);
} finally {
  await browser.close();
  await server.close();
}

/**
 * The frames the GPU process drew (Display::DrawAndSwap, with its thread time) and, when the trace
 * has `disabled-by-default-viz.quads`, how many of the page's frames damaged the whole viewport:
 * in Chromium's software compositing (the tests' headless shell) a frame costs the pixels it damages,
 * and a page whose layer changes size (its height, as content below the screen grows) damages all.
 */
function printFrames(events: TraceEvent[], processNames: Map<number, string>): void {
  const draws = events.filter((e) => e.name === 'Display::DrawAndSwap' && e.ph === 'X');
  if (draws.length === 0) return;
  const drawMs = draws.reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000;
  console.log(`  frames drawn: ${draws.length}, ${drawMs.toFixed(0)} ms of the GPU process's thread time`);
  const snapshots = events.filter((e) => e.name === 'LayerTreeHostImpl:snapshot' && e.args?.snapshot?.frame && processNames.get(e.pid) === 'Renderer');
  if (snapshots.length === 0) return;
  let whole = 0;
  for (const snapshot of snapshots) {
    const { frame, device_viewport_size: viewport } = snapshot.args!.snapshot;
    const root = frame.render_passes?.at(-1);
    const [, , width, height] = (root?.damage_rect ?? [0, 0, 0, 0]) as number[];
    if (width * height >= viewport.width * viewport.height) whole++;
  }
  console.log(`  the page's frames: ${snapshots.length}, ${whole} of them damaging the whole viewport`);
}
