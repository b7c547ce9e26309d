// The app loads most of itself lazily: a page's parts, its cells, the inspector's decoders, each a
// chunk downloaded when first needed. A chunk asked for while the server cannot answer — an
// instance killed behind the load balancer before it is marked down, a restart, a moment without
// Wi-Fi — failed for good: React's lazy part threw, and with no error boundary the page went
// blank until a reload (the failover walk, tests/e2e/classroom-failover-behind-haproxy.test.ts,
// lost a student's lesson page so: "Failed to fetch dynamically imported module"). The HTML
// standard no longer keeps a failed module fetch in the module map (whatwg/html#10327): the next
// import of it fetches it again (Debian's Chromium 156 does; Firefox and WebKit have it too). So a
// failed download is asked for again, a little later each time, for as long as a failover or a
// restart takes. A browser from before that change fails each try at once, as it did before.

/** The first wait before a failed chunk is asked for again; each wait doubles, up to the longest. */
export const FIRST_WAIT_MS = 500;
export const LONGEST_WAIT_MS = 10_000;
/** After this long without the chunk, its import fails as it would have at once (a build replaced, whose old chunks are gone). */
export const GIVE_UP_AFTER_MS = 120_000;

/**
 * Whether `error` is a browser's "this module's file could not be fetched" — Chromium's "Failed
 * to fetch dynamically imported module", Firefox's "error loading dynamically imported module",
 * Safari's "Importing a module script failed." — and not an error thrown by the module's own code,
 * which a second import would only throw again.
 */
export function isModuleFetchFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /dynamically imported module|Importing a module script failed/i.test(message);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `attempt()` until it succeeds, again while `mayTryAgain(error)` says its failure may pass: after
 * 0.5 s, 1, 2, 4, 8, then every 10 s, for up to two minutes; then its failure is the caller's. The
 * one schedule for what the page downloads again (a chunk's script here, its stylesheet in
 * web/kit/stylesheet-retry.ts), so both parts of a chunk come back together.
 */
export async function tryAgainWhile<T>(
  attempt: () => Promise<T>,
  mayTryAgain: (error: unknown) => boolean,
  wait: (ms: number) => Promise<void> = sleep,
  now: () => number = Date.now,
): Promise<T> {
  const started = now();
  for (let waitMs = FIRST_WAIT_MS; ; waitMs = Math.min(waitMs * 2, LONGEST_WAIT_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!mayTryAgain(error) || now() - started + waitMs > GIVE_UP_AFTER_MS) throw error;
      await wait(waitMs);
    }
  }
}

/**
 * `load()` (a dynamic import, `() => import('./part.tsx')`), called again while its chunk cannot
 * be fetched (tryAgainWhile's schedule). Any other error is the caller's at once.
 */
export function importAgain<T>(load: () => Promise<T>, wait?: (ms: number) => Promise<void>, now?: () => number): Promise<T> {
  return tryAgainWhile(load, isModuleFetchFailure, wait, now);
}
