import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fileCpuProfile } from './file-cpu.ts';

/**
 * Pages for the end-to-end tests, each a session of its own, taken from the pages earlier tests
 * gave back (releasePage) when one is free, earlier files' too in a worker's shared Chromium (whose
 * files serve the app on one port, browser.ts): a page given back is taken to about:blank, its
 * other tabs closed, its cookies and every storage of the origins it visited cleared (local and
 * session storage, IndexedDB, caches), so the next test's first request starts a new session and
 * a new sandbox, as in a fresh browser profile. What the next test keeps is Chromium's renderer
 * process, warm: its V8 has compiled the app's scripts and its memory cache holds them, as a
 * student's browser does on a second lesson. A lesson page's load in a fresh profile cost Chromium
 * 2.3–3.3 s of CPU here, taken again in a page given back 0.8–1.3 s, at the same address only (the
 * caches are per address; tests/README.md, "A page given back"), and the end-to-end files load some
 * 350 pages.
 *
 * A page whose test changed what clearing cannot undo (an init script, an exposed function, routes,
 * emulated media, permissions, extra headers, offline mode) is closed instead of kept; a page's
 * viewport is set back.
 */
export interface PageOptions {
  /** the browser's language (navigator.languages) */
  readonly locale?: string;
  /**
   * a new browser profile, never a kept one: for a test about what a first visit asks for or how
   * fast it shows (a warm renderer serves the app's scripts from its memory cache, unasked)
   */
  readonly fresh?: boolean;
}

export const VIEWPORT = { width: 1440, height: 900 } as const;
const KEPT_PER_BROWSER = 3;

interface Kept {
  readonly page: Page;
  readonly locale: string;
}

const keptPages = new WeakMap<Browser, Kept[]>();
const origins = new WeakMap<Page, Set<string>>();
const poolOf = new WeakMap<Page, { browser: Browser; locale: string }>();
const changed = new WeakSet<Page>();
const inUse = new WeakSet<Page>();
const ownerOf = new WeakMap<BrowserContext, Page>();

// what a page and its profile both can be given; then what only one of them can
const CHANGES = ['addInitScript', 'exposeFunction', 'exposeBinding', 'route', 'routeFromHAR', 'routeWebSocket', 'setExtraHTTPHeaders'] as const;
const PAGE_CHANGES = [...CHANGES, 'emulateMedia'] as const;
const CONTEXT_CHANGES = [...CHANGES, 'grantPermissions', 'setGeolocation', 'setHTTPCredentials', 'setOffline'] as const;

/** Marks the page as not to be kept once one of `methods` of `target` is called. */
function markChangedBy(page: Page, target: object, methods: readonly string[]): void {
  const methodsOf = target as Record<string, (...args: unknown[]) => unknown>;
  for (const method of methods) {
    const original = methodsOf[method];
    if (typeof original !== 'function') continue;
    methodsOf[method] = (...args: unknown[]) => {
      changed.add(page);
      return original.apply(target, args);
    };
  }
}

/** Every http(s) origin a page of the context showed, to clear their storage when the page is given back. */
function recordOrigins(page: Page, context: BrowserContext): void {
  const seen = new Set<string>();
  origins.set(page, seen);
  const record = (tab: Page) =>
    tab.on('framenavigated', (frame) => {
      if (frame.parentFrame() !== null) return;
      const { origin, protocol } = new URL(frame.url());
      if (protocol === 'http:' || protocol === 'https:') seen.add(origin);
    });
  record(page);
  context.on('page', record);
}

/**
 * A page of a session of its own (its own cookie, so its own session and sandbox; its own storage),
 * in a new browser profile or a kept one (above); `locale`: the browser's language
 * (navigator.languages). Give it back with releasePage.
 */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<Page> {
  const locale = options.locale ?? '';
  const kept = keptOf(browser);
  for (let at = kept.length - 1; at >= 0; at--) if (kept[at]!.page.isClosed()) kept.splice(at, 1);
  const index = options.fresh ? -1 : kept.findIndex((entry) => entry.locale === locale);
  if (index >= 0) {
    const page = kept.splice(index, 1)[0]!.page;
    inUse.add(page);
    return page;
  }
  const context = await browser.newContext({ viewport: VIEWPORT, locale: options.locale });
  // An uncaught error in any page of the profile fails the test, the pages a test opens beside
  // this one with context().newPage() too: the app has no error boundary, so such an error can
  // empty a page, and a test waiting there would only time out on an element that never comes.
  context.on('weberror', (webError) => {
    throw webError.error();
  });
  fileCpuProfile(context);
  const page = await context.newPage();
  poolOf.set(page, { browser, locale });
  recordOrigins(page, context);
  markChangedBy(page, page, PAGE_CHANGES);
  markChangedBy(page, context, CONTEXT_CHANGES);
  ownerOf.set(context, page);
  inUse.add(page);
  return page;
}

/**
 * Gives the page back after its test (instead of closing its browser profile): kept for the next
 * test, cleared (above), or closed with its profile when it cannot be cleared, when its test
 * changed what clearing cannot undo, or when enough pages are kept already. Give a page back once
 * (in its test or in an onTestFinished, not both): a second call after another test has taken it
 * would take it from that test. A tab the test opened beside it closes alone.
 */
export async function releasePage(page: Page | undefined): Promise<void> {
  if (!page) return;
  const context = page.context();
  const owner = ownerOf.get(context);
  if (owner !== page) {
    // a tab the test opened beside a page of the pool: closed alone, the page's profile stays
    // while that page is in use; any other page closes its own profile, as it did before the pool
    if (owner && inUse.has(owner)) await page.close().catch(() => undefined);
    else await context.close().catch(() => undefined);
    return;
  }
  // given back once: a test may give it back itself and again in its onTestFinished
  if (!inUse.has(page)) return;
  inUse.delete(page);
  const pool = poolOf.get(page);
  if (!pool || page.isClosed() || changed.has(page) || keptOf(pool.browser).length >= KEPT_PER_BROWSER || !(await cleared(page, context))) {
    await context.close().catch(() => undefined);
    return;
  }
  // the list as it is now, after the clearing's awaits: one list per browser, changed in place only,
  // or a page taken meanwhile could be kept again and handed to two tests at once
  keptOf(pool.browser).push({ page, locale: pool.locale });
}

function keptOf(browser: Browser): Kept[] {
  let kept = keptPages.get(browser);
  if (!kept) keptPages.set(browser, (kept = []));
  return kept;
}

async function cleared(page: Page, context: BrowserContext): Promise<boolean> {
  try {
    await Promise.all(
      context
        .pages()
        .filter((tab) => tab !== page)
        .map((tab) => tab.close()),
    );
    // a tab's session storage outlives its navigations: cleared while the page is still there
    await page.evaluate(() => sessionStorage.clear()).catch(() => undefined);
    // leaving the app ends its scripts, connections and timers before the cookies go, so none of
    // its requests can start the next test's session
    await page.goto('about:blank');
    await page.setViewportSize(VIEWPORT);
    await context.clearCookies();
    const client = await context.newCDPSession(page);
    for (const origin of origins.get(page) ?? []) await client.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
    await client.detach();
    origins.get(page)?.clear();
    return !page.isClosed();
  } catch {
    return false;
  }
}

/** The browser profiles of the pages kept. */
export function keptProfiles(browser: Browser): BrowserContext[] {
  return keptOf(browser)
    .filter((entry) => !entry.page.isClosed())
    .map((entry) => entry.page.context());
}

/** Closes the kept pages of a browser. */
export async function closeKeptPages(browser: Browser): Promise<void> {
  const kept = keptOf(browser).splice(0);
  await Promise.all(
    kept.map(({ page }) =>
      page
        .context()
        .close()
        .catch(() => undefined),
    ),
  );
}
