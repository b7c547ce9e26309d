// Scaled out behind HAProxy, a chunk's stylesheet asked for just as an instance dies (or on a
// keep-alive connection it had open) fails, and Vite's preload helper then throws: the lazily
// loaded part (the inspector, a console) never rendered and the page needed a reload, seen in the
// failover walk of issue 53. Its script is imported all the same once the event is prevented; the
// stylesheet is asked for again, through the load balancer, until it comes (a few tries).

const RETRIES = 5;
const FIRST_RETRY_MS = 500;

/** The stylesheet URL Vite's "Unable to preload CSS for <url>" names; null for any other error. */
export function stylesheetOfPreloadError(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  return /^Unable to preload CSS for (\S+)$/.exec(message)?.[1] ?? null;
}

function askAgain(href: string, attempt: number): void {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.onerror = () => {
    link.remove();
    if (attempt < RETRIES) setTimeout(() => askAgain(href, attempt + 1), FIRST_RETRY_MS * 2 ** attempt);
  };
  document.head.appendChild(link);
}

/** A chunk whose stylesheet failed is imported anyway, and its stylesheet asked for again. */
export function retryFailedStylesheets(): void {
  window.addEventListener('vite:preloadError', (event) => {
    const href = stylesheetOfPreloadError((event as Event & { payload?: unknown }).payload);
    if (!href) return;
    event.preventDefault();
    setTimeout(() => askAgain(href, 1), FIRST_RETRY_MS);
  });
}
