// What a lesson page costs on the network: a first visit (empty cache) and a second visit in a
// new tab of the same browser (its HTTP cache warm), in headless Chromium. Bytes are what CDP
// reports as crossed the wire (Network.loadingFinished's encodedDataLength: headers and the body
// as sent, compressed or not); the capture channel's WebSocket frames are not counted. Dedicated
// workers are attached to and their requests counted too, but Chromium reports a worker's own
// script with about its headers only (some 0.4 kB): a lesson that starts Monaco's JSON worker
// moves up to json.worker's brotli size (about 100 kB) more than printed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, WEB_ROOT } from '../tests/e2e/browser.ts';
import { startBenchServer } from './bench-process.ts';

const LESSON = process.env.BENCH_LESSON ?? '/en/rest';
const FIRST_VISIT_TARGET = 1.2 * 1024 * 1024;
const SECOND_VISIT_TARGET = 30 * 1024;

interface Transfer {
  bytes: number;
  requests: number;
  /** the largest responses, for the report */
  largest: Array<{ url: string; bytes: number }>;
}

/** Loads `url` in `page` until its first editor is ready and the network is quiet; sums what crossed. */
async function measureVisit(page: Page, url: string): Promise<Transfer> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const sizes = new Map<string, number>();
  const inFlight = new Set<string>();
  let lastActivity = Date.now();
  cdp.on('Network.requestWillBeSent', (event) => {
    urls.set(event.requestId, event.request.url);
    inFlight.add(event.requestId);
    lastActivity = Date.now();
  });
  cdp.on('Network.loadingFinished', (event) => {
    sizes.set(event.requestId, event.encodedDataLength);
    inFlight.delete(event.requestId);
    lastActivity = Date.now();
  });
  cdp.on('Network.loadingFailed', (event) => {
    inFlight.delete(event.requestId);
    lastActivity = Date.now();
  });
  // A dedicated worker fetches its own script, reported on the worker's target, not the page's:
  // attach to each worker as it starts and count its responses too.
  const workerSessions = new Set<string>();
  let nextId = 1;
  const toWorker = (sessionId: string, method: string, params: object = {}) =>
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: nextId++, method, params }) });
  cdp.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type !== 'worker') return;
    workerSessions.add(event.sessionId);
    void toWorker(event.sessionId, 'Network.enable').then(() => toWorker(event.sessionId, 'Runtime.runIfWaitingForDebugger'));
  });
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { method?: string; params?: Record<string, unknown> };
    if (!message.method?.startsWith('Network.')) return;
    const params = message.params as { requestId: string; request?: { url: string }; encodedDataLength?: number };
    const id = `${event.sessionId}/${params.requestId}`;
    if (message.method === 'Network.requestWillBeSent') {
      urls.set(id, params.request!.url);
      inFlight.add(id);
    } else if (message.method === 'Network.loadingFinished') {
      sizes.set(id, params.encodedDataLength!);
      inFlight.delete(id);
    } else if (message.method === 'Network.loadingFailed') inFlight.delete(id);
    lastActivity = Date.now();
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  await page.goto(url);
  await page.waitForFunction(() => ((window as unknown as { __wirelabEditors?: Map<string, unknown> }).__wirelabEditors?.size ?? 0) > 0, undefined, {
    timeout: 60_000,
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (inFlight.size > 0 || Date.now() - lastActivity < 1000)) await page.waitForTimeout(100);
  await cdp.detach();
  // A worker's own script may have been requested before its Network domain was on: no URL then.
  const entries = [...sizes].map(([id, bytes]) => ({ url: urls.has(id) ? new URL(urls.get(id)!).pathname : `(a worker's request ${id})`, bytes }));
  return {
    bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
    requests: entries.length,
    largest: entries.sort((a, b) => b.bytes - a.bytes).slice(0, 5),
  };
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const verdict = (figure: number, target: number) => (figure <= target ? 'met' : 'NOT MET');

if (!existsSync(join(WEB_ROOT, 'index.html'))) execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
const browser = await launchBrowser();
const server = await startBenchServer({ tap: true, web: true });
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const first = await measureVisit(await context.newPage(), `${server.origin}${LESSON}`);
  const second = await measureVisit(await context.newPage(), `${server.origin}${LESSON}`);
  console.log(`lesson page ${LESSON}, headless Chromium, loopback`);
  console.log(
    `  first visit:  ${kB(first.bytes)} in ${first.requests} requests (target ≤ ${kB(FIRST_VISIT_TARGET)}: ${verdict(first.bytes, FIRST_VISIT_TARGET)})`,
  );
  for (const entry of first.largest) console.log(`    ${kB(entry.bytes).padStart(10)}  ${entry.url}`);
  console.log(
    `  second visit, new tab: ${kB(second.bytes)} in ${second.requests} requests (target ≤ ${kB(SECOND_VISIT_TARGET)}: ${verdict(second.bytes, SECOND_VISIT_TARGET)})`,
  );
  for (const entry of second.largest) console.log(`    ${kB(entry.bytes).padStart(10)}  ${entry.url}`);
} finally {
  await browser.close();
  server.child.kill('SIGTERM');
}
