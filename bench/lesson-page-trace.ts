// One cold load of a lesson page under a Chromium performance trace, split into where the time
// between "text visible" and "first editor usable" goes (issue 15). Not part of `npm run bench`:
// a tool for reading one load. Usage: node --import tsx bench/lesson-page-trace.ts [/en/rest] [trace.json]
import { writeFileSync } from 'node:fs';
import { launchBrowser } from '../tests/e2e/browser.ts';
import { startBenchServer } from './bench-process.ts';
import { traceEventsOf, type TraceEvent } from './chromium-trace.ts';

const path = process.argv[2] ?? '/en/rest';
const out = process.argv[3];

const INSTRUMENT = `(() => {
  const marks = { text: -1, cell: -1, editor: -1 };
  window.__lessonPage = marks;
  const look = () => {
    const now = performance.now();
    if (marks.text < 0 && document.querySelector('article.lesson .prose p, main h1')) { marks.text = now; performance.mark('wl-text'); }
    // each query only until its mark is found (bench/lesson-page.ts says why)
    const cell = marks.cell < 0 && document.querySelector('.cell-slot [data-testid="cell"], .cell-slot [data-testid="cell-placeholder"]');
    if (cell) { marks.cell = now; performance.mark('wl-cell'); cell.scrollIntoView({ block: 'center' }); }
    if (marks.editor < 0 && document.querySelector('.cell-slot .monaco-editor .view-line')?.textContent?.trim()) { marks.editor = now; performance.mark('wl-editor'); }
    if (marks.editor >= 0) observer.disconnect();
  };
  const observer = new MutationObserver(look);
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();`;

const browser = await launchBrowser();
const server = await startBenchServer({ tap: true, web: true });
try {
  // warm the server (not the browser: every load is in a fresh context)
  for (let i = 0; i < 2; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript({ content: INSTRUMENT });
    await page.goto(`${server.origin}${path}`);
    await page.waitForFunction(() => (window as any).__lessonPage.editor >= 0, undefined, { timeout: 60_000, polling: 50 });
    await context.close();
  }
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript({ content: INSTRUMENT });
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'toplevel'],
  });
  await page.goto(`${server.origin}${path}`);
  await page.waitForFunction(() => (window as any).__lessonPage.editor >= 0, undefined, { timeout: 60_000, polling: 50 });
  await page.waitForTimeout(300);
  const marks = await page.evaluate(() => (window as any).__lessonPage);
  const buffer = await browser.stopTracing();
  await context.close();
  if (out) writeFileSync(out, buffer);
  const events = traceEventsOf(buffer);
  // the renderer's main thread: the one with the user timing marks
  const textMark = events.find((e) => e.name === 'wl-text');
  if (!textMark) throw new Error('no wl-text mark in trace');
  const { pid } = textMark;
  const mainTid = events.find((e) => e.pid === pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  // the page's clock starts at navigation: align the trace's on the text mark
  const t0 = textMark.ts - marks.text * 1000;
  const rel = (ts: number) => (ts - t0) / 1000;
  console.log(`${path}: marks (page clock) text ${marks.text.toFixed(0)} cell ${marks.cell.toFixed(0)} editor ${marks.editor.toFixed(0)} ms`);
  for (const name of ['wl-text', 'wl-cell', 'wl-editor']) {
    const mark = events.find((e) => e.name === name);
    if (mark) console.log(`  ${name} at ${rel(mark.ts).toFixed(0)} ms (trace clock)`);
  }
  // network: per resource, request sent, response, finished
  const requests = new Map<string, { url: string; send: number; response?: number; finish?: number; bytes?: number }>();
  for (const e of events) {
    const data = e.args?.data;
    if (!data?.requestId) continue;
    if (e.pid !== pid) continue;
    if (e.name === 'ResourceSendRequest' && data.url.startsWith('http')) requests.set(data.requestId, { url: data.url, send: rel(e.ts) });
    const request = requests.get(data.requestId);
    if (!request) continue;
    if (e.name === 'ResourceReceiveResponse') request.response = rel(e.ts);
    if (e.name === 'ResourceFinish') {
      request.finish = rel(data.finishTime ? data.finishTime * 1e6 : e.ts);
      request.bytes = data.encodedDataLength;
    }
  }
  console.log('  network (ms from navigation: sent → response → finished, bytes):');
  for (const r of [...requests.values()].sort((a, b) => a.send - b.send)) {
    console.log(
      `    ${r.send.toFixed(0).padStart(5)} → ${(r.response ?? NaN).toFixed(0).padStart(5)} → ${(r.finish ?? NaN).toFixed(0).padStart(5)}  ${String(r.bytes ?? '').padStart(8)}  ${new URL(r.url).pathname}`,
    );
  }
  // scripts parsed off the main thread as they stream in (Chromium's script streaming): Monaco's
  // chunk is parsed here before it can run, so its parse is on the way to the editor
  console.log('  script parse on background threads (start, duration):');
  for (const e of events.filter((event) => event.pid === pid && event.name === 'v8.parseOnBackground' && event.dur! > 5000)) {
    console.log(
      `    ${rel(e.ts).toFixed(0).padStart(5)} ${(e.dur! / 1000).toFixed(0).padStart(4)} ms (CPU ${((e.tdur ?? 0) / 1000).toFixed(0).padStart(4)} ms)  ${new URL(e.args!.data.url).pathname}`,
    );
  }
  // main-thread top-level tasks, each labelled by what it mostly did, in two windows
  const main = events.filter((e) => e.pid === pid && e.tid === mainTid && e.ph === 'X' && e.dur);
  const tasks = main.filter((e) => e.name === 'RunTask');
  const within = (outer: TraceEvent, inner: TraceEvent) => inner !== outer && inner.ts >= outer.ts && inner.ts + inner.dur! <= outer.ts + outer.dur!;
  const script = (e: TraceEvent) => {
    const url: string | undefined = e.args?.data?.url ?? e.args?.data?.stackTrace?.[0]?.url;
    return url ? new URL(url).pathname.replace('/assets/', '').replace(/-[\w-]{8}\.js$/, '') : '?';
  };
  const labelOf = (task: TraceEvent): string => {
    const children = main.filter((e) => within(task, e));
    const biggest = (names: string[]) => children.filter((e) => names.includes(e.name)).sort((a, b) => b.dur! - a.dur!)[0];
    const module = biggest(['v8.evaluateModule']);
    if (module && module.dur! > task.dur! / 2) return 'evaluate module';
    const compile = biggest(['v8.compileModule', 'v8.compile', 'V8.CompileCode']);
    if (compile && compile.dur! > task.dur! / 2) return 'compile';
    const gc = biggest(['MinorGC', 'MajorGC', 'V8.GCScavenger', 'V8.GCFinalizeMC']);
    if (gc && gc.dur! > task.dur! / 2) return 'garbage collection';
    const call = biggest(['FunctionCall', 'EvaluateScript', 'v8.callFunction']);
    const render = biggest(['WebFrameWidgetImpl::UpdateLifecycle', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Commit', 'ParseAuthorStyleSheet']);
    if (call && (!render || call.dur! >= render.dur!)) {
      const fn = children.filter((e) => e.name === 'FunctionCall').sort((a, b) => b.dur! - a.dur!)[0];
      return `script ${fn ? script(fn) : '?'}`;
    }
    if (render) return 'style, layout, paint';
    return children.sort((a, b) => b.dur! - a.dur!)[0]?.name ?? task.name;
  };
  const windows = [
    ['navigation → text visible', 0, marks.text],
    ['text visible → editor usable', marks.text, marks.editor],
  ] as const;
  for (const [label, from, to] of windows) {
    const inWindow = tasks.filter((e) => rel(e.ts) >= from && rel(e.ts) < to);
    const busy = inWindow.reduce((s, e) => s + e.dur! / 1000, 0);
    // the thread's own CPU time in those tasks (the trace's thread clock): what the page asked of
    // the main thread, apart from the time other processes held the core (a loaded machine)
    const cpu = inWindow.reduce((s, e) => s + (e.tdur ?? 0) / 1000, 0);
    console.log(
      `  ${label} (${(to - from).toFixed(0)} ms): main thread busy ${busy.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms) in ${inWindow.length} tasks, idle ${(to - from - busy).toFixed(0)} ms`,
    );
    const byLabel = new Map<string, number>();
    for (const task of inWindow) byLabel.set(labelOf(task), (byLabel.get(labelOf(task)) ?? 0) + task.dur! / 1000);
    for (const [name, total] of [...byLabel].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${total.toFixed(0).padStart(5)} ms  ${name}`);
  }
  console.log('  main-thread tasks over 8 ms (start, duration, label):');
  for (const task of tasks.filter((e) => rel(e.ts) >= 0 && rel(e.ts) < marks.editor + 60 && e.dur! > 8_000)) {
    console.log(`    ${rel(task.ts).toFixed(0).padStart(5)} ${(task.dur! / 1000).toFixed(0).padStart(4)} ms  ${labelOf(task)}`);
  }
} finally {
  await browser.close();
  server.child.kill('SIGTERM');
}
