// Scaled out behind HAProxy, a chunk's stylesheet asked for just as an instance dies (or on a
// keep-alive connection it had open) fails, and Vite's preload helper then throws: the lazily
// loaded part (the inspector, a console) never rendered and the page needed a reload, seen in the
// failover walk of issue 53. Its script is imported all the same once the event is prevented; the
// stylesheet is asked for again, through the load balancer, until it comes: on the schedule a
// chunk's script is imported again by (shared/import-again.ts), so the two come back together.
import { tryAgainWhile } from '../../shared/import-again.ts';

/** The stylesheet URL Vite's "Unable to preload CSS for <url>" names; null for any other error. */
export function stylesheetOfPreloadError(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  return /^Unable to preload CSS for (\S+)$/.exec(message)?.[1] ?? null;
}

/** The stylesheet linked once more; settles when it has loaded, or fails (the link removed). */
function linkStylesheet(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = () => resolve();
    link.onerror = () => {
      link.remove();
      reject(new Error(`Unable to load CSS for ${href}`));
    };
    document.head.appendChild(link);
  });
}

/**
 * A chunk whose stylesheet failed is imported anyway, and its stylesheet asked for again: once,
 * though every import that needed it says it failed (a lesson's cells share theirs: one link each
 * before).
 */
export function retryFailedStylesheets(): void {
  const askedAgain = new Set<string>();
  window.addEventListener('vite:preloadError', (event) => {
    const href = stylesheetOfPreloadError((event as Event & { payload?: unknown }).payload);
    if (!href) return;
    event.preventDefault();
    if (askedAgain.has(href)) return;
    askedAgain.add(href);
    // given up after two minutes: the part stays unstyled, as before any retry; a later failure asks again
    tryAgainWhile(
      () => linkStylesheet(href),
      () => true,
    ).catch(() => askedAgain.delete(href));
  });
}
