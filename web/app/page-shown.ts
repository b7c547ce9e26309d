import { useSyncExternalStore } from 'react';

// What a page shows first (a lesson's text) must not wait for what can come a moment later (the
// class bar, the inspector): those load once the page says its content is on screen.

let shown = false;
const listeners = new Set<() => void>();

/** The page's main content is on screen; called once per page load (later calls do nothing). */
export function markPageShown(): void {
  if (shown) return;
  shown = true;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the page's main content has been shown. */
export function usePageShown(): boolean {
  return useSyncExternalStore(subscribe, () => shown, () => shown);
}
