import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { scrollIntoViewAndHold } from './hold-in-view.ts';

// A tiny router on the History API: the app has three kinds of pages and needs nothing more.
const NAVIGATED = 'wirelab:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The hash the last in-app navigation asked for (a language switch's heading), until a page takes it. */
let requestedHash: string | null = null;

/** The heading a navigation asked for, once: later scrolling may have moved the URL's hash since. */
export function takeRequestedHash(): string | null {
  const hash = requestedHash;
  requestedHash = null;
  return hash;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  requestedHash = url.hash || null;
  const samePage = url.pathname === window.location.pathname;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATED));
  if (url.hash) scrollToHash(url.hash);
  else if (!samePage) window.scrollTo(0, 0);
}

/** The latest scroll asked for: an older one still waiting for its heading gives way. */
let scrollGeneration = 0;

/**
 * Scrolls to `#id` once the element exists (lesson text renders a moment after navigation; on a
 * slow phone, seconds after: a follower whose page was still loading when the teacher moved on
 * must still arrive), and holds it there while the page fills in around it (hold-in-view.ts).
 * Only the latest request scrolls.
 */
export function scrollToHash(hash: string, attempts = 200): void {
  scrollGeneration += 1;
  tryScrollToHash(hash, attempts, scrollGeneration);
}

function tryScrollToHash(hash: string, attempts: number, generation: number): void {
  if (generation !== scrollGeneration) return;
  const id = decodeURIComponent(hash.replace(/^#/, ''));
  const element = id ? document.getElementById(id) : null;
  if (element) scrollIntoViewAndHold(id, () => generation === scrollGeneration);
  else if (attempts > 0) setTimeout(() => tryScrollToHash(hash, attempts - 1, generation), 50);
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={follow} {...rest} />;
}
