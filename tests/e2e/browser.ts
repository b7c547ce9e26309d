import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../integration/start-server.ts';
import { fileCpuEnd, fileCpuStart } from './file-cpu.ts';
import { closeKeptPages, keptProfiles, openPage, releasePage } from './page-pool.ts';

export { openPage, releasePage };

/**
 * Debian's Chromium (playwright's own browser download cannot work offline): its headless shell
 * when installed (package chromium-headless-shell, the old headless mode playwright itself runs
 * headless tests in), which loads a lesson page in about half the CPU time of the full browser
 * in new headless mode — the end-to-end suite's main cost on CI's two cores; the full browser
 * otherwise. CHROMIUM_PATH picks one.
 */
export const CHROMIUM =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');
export const WEB_ROOT = join(import.meta.dirname, '..', '..', 'dist', 'web');

export function assertBuilt(): void {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error('dist/web is missing: end-to-end tests run against the built app ("npm test" builds it first).');
  }
}

/** Chromium as a student's browser runs the app: what the benches measure. */
export function launchBrowser(): Promise<Browser> {
  return launchChromium([]);
}

/**
 * Chromium for the end-to-end tests: V8 optimizes a function with Maglev, then TurboFan, after five
 * times as many calls as it would (its OSR of a long loop likewise), and runs in its efficiency mode
 * (what Chromium gives a page in the background: its garbage collector on the page's own thread, not
 * on helper threads, and TurboFan three times later still). A test's page lives seconds: most of
 * what V8 compiles or collects for it on Chromium's worker threads never pays back there, while a
 * truly hot loop (a decoder's) is still optimized. The counts: `axe-every-page` beside
 * `keyboard-and-small-screens` took 0.85 and 0.89 of Chromium's CPU in two alternated pairs;
 * efficiency mode on top, 0.84 in the median of six pairs over three sets of files (tests/README.md,
 * "V8's tiering" and "V8's efficiency mode"). Both compilers off cost less still, but stalled a
 * page 30 s on a loaded machine. What the tests check does not depend on how fast the app's script
 * runs; the benches keep V8's own settings (launchBrowser).
 */
export function launchTestBrowser(): Promise<Browser> {
  return launchChromium([
    '--js-flags=--invocation-count-for-maglev=2000 --invocation-count-for-turbofan=15000 --invocation-count-for-maglev-osr=500 --invocation-count-for-osr=2500 --efficiency-mode=true',
  ]);
}

function launchChromium(extraArgs: readonly string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
      // more flags, space-separated, to measure what they change (tests/README.md, "Where CI's time goes")
      ...(process.env.WIRELAB_E2E_CHROMIUM_ARGS?.split(/\s+/).filter(Boolean) ?? []),
    ],
  });
}

/**
 * One page of `path` for the tests of a describe that each use cells of their own, opened at the
 * first test that asks for it and given back after the describe: the lesson loads once, not once a
 * test. A lesson page's load (its Monaco editors, then every other cell mounted in its turn) was
 * most of such a test's CPU, Chromium's renderer most of all. The tests share the page's session,
 * so sandbox, captures and exercise cards: give one its own page (openPage) when another test's
 * traffic could pass its exercise or answer its inspector query, or when it holds the capture back.
 */
export function describePage(lab: AppAndBrowser, path: string, options: { locale?: string } = {}): () => Promise<Page> {
  let page: Promise<Page> | undefined;
  afterAll(async () => {
    await releasePage(await page?.catch(() => undefined));
  });
  return () =>
    (page ??= (async () => {
      const opened = await openPage(lab.browser, options);
      await opened.goto(`${lab.server.origin}${path}`);
      return opened;
    })());
}

/**
 * describePage for tests that start on different pages: the one page of the describe, taken to
 * `path` (with its query; the hash aside) only when the test before left it elsewhere, so a test
 * that starts where the one before it ended (a language switch, a link followed) loads nothing.
 * Each test names where it starts, so it passes in any order (the order decides only what loads);
 * the same rules as describePage say which tests may share it.
 */
export function describePageAt(lab: AppAndBrowser, options: { locale?: string } = {}): (path: string) => Promise<Page> {
  let page: Promise<Page> | undefined;
  afterAll(async () => {
    await releasePage(await page?.catch(() => undefined));
  });
  return async (path) => {
    const opened = await (page ??= openPage(lab.browser, options));
    const wanted = new URL(path, lab.server.origin);
    const now = new URL(opened.url());
    if (now.origin !== wanted.origin || now.pathname !== wanted.pathname || now.search !== wanted.search) await opened.goto(wanted.href);
    return opened;
  };
}

/** What a test file shares: the server with the built app, and one Chromium. */
export interface AppAndBrowser {
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * One Chromium for every file a worker runs when the e2e project shares its workers between files
 * (vitest.config.ts sets WIRELAB_E2E_SHARED_BROWSER with `isolate: false`), not one launched for
 * each of 50 files. Playwright closes it when the process exits.
 */
let sharedBrowser: Promise<Browser> | undefined;
const SHARE_BROWSER = process.env.WIRELAB_E2E_SHARED_BROWSER === '1';

/** The file's Chromium: the worker's shared one, or its own (give it back with releaseBrowser). */
export async function fileBrowser(): Promise<Browser> {
  if (!SHARE_BROWSER) return launchTestBrowser();
  sharedBrowser ??= launchTestBrowser();
  const browser = await sharedBrowser;
  if (browser.isConnected()) return browser;
  sharedBrowser = launchTestBrowser();
  return sharedBrowser;
}

/**
 * After a file's tests: its browser profiles of a shared Chromium closed but the pages kept for the
 * next file (page-pool.ts: on about:blank, cleared), or its own Chromium.
 */
export async function releaseBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  if (!SHARE_BROWSER) {
    await closeKeptPages(browser);
    await browser.close();
    return;
  }
  const kept = new Set(keptProfiles(browser));
  await Promise.all(browser.contexts().map((context) => (kept.has(context) ? undefined : context.close())));
}

/**
 * The port this worker's files serve the app on, one file after another (a shared Chromium only):
 * a page a file kept (page-pool.ts) then finds the app's scripts at the same addresses, compiled
 * and in its memory cache, as it does for the file's own later tests. Another port when it is
 * taken meanwhile.
 */
let fileServerPort = 0;

async function startFileServer(): Promise<RunningServer> {
  if (SHARE_BROWSER && fileServerPort !== 0) {
    try {
      return await startServer({ webRoot: WEB_ROOT }, fileServerPort);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  const server = await startServer({ webRoot: WEB_ROOT });
  if (SHARE_BROWSER) fileServerPort = server.port;
  return server;
}

/**
 * Starts the server with the built app and Chromium before the file's tests and closes both
 * after them (a shared Chromium: the file's browser profiles, so nothing of one file's pages
 * runs on into the next, but the pages kept on about:blank, cleared). Read `lab.server` and `lab.browser` inside tests: they exist once
 * beforeAll ran.
 */
export function useAppAndBrowser(): AppAndBrowser {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    fileCpuStart();
    assertBuilt();
    [server, browser] = await Promise.all([startFileServer(), fileBrowser()]);
  });
  // (vitest passes the file as a hook's second argument; its first must be a destructuring pattern)
  // biome-ignore lint/correctness/noEmptyPattern: the file is the second argument
  afterAll(async ({}, file) => {
    await releaseBrowser(browser);
    await server?.close();
    await fileCpuEnd(file.file?.name ?? file.name);
  });
  return {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium starts in beforeAll');
      return browser;
    },
  };
}
