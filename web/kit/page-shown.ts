import { useSyncExternalStore } from 'react';

// What a page shows first (a lesson's text) must not wait for what can come a moment later (the
// class bar, the inspector): those load once the page says its content is on screen.
//
// A page that opens at a code editor has a second milestone, "settled": that editor is up. Monaco
// is the editor's long wait — megabytes to parse and start on a machine that may have two cores —
// so what is no part of reading or editing (the inspector, the capture store, the class bar, the
// exercises' evaluator, the presenter's controls) waits for it and does not compete with it.
// Without an editor near the viewport the page settles as soon as it is shown.

/** How long the rest of the page waits for an editor at most (a slow network, a stuck Monaco). */
export const EDITOR_WAIT_CAP_MS = 3000;

let shown = false;
let settled = false;
let editorExpected = false;
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

function settle(): void {
  if (settled) return;
  settled = true;
  notify();
}

/** The page's main content is on screen; called once per page load (later calls do nothing). */
export function markPageShown(): void {
  if (shown) return;
  shown = true;
  notify();
  // The cells near the viewport say they expect an editor from their first intersection
  // callbacks, which come with the first frame after the text: two frames on, nobody has.
  const afterTwoFrames = (then: () => void) =>
    typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => requestAnimationFrame(then)) : setTimeout(then, 0);
  afterTwoFrames(() => {
    if (!editorExpected) settle();
  });
  setTimeout(settle, EDITOR_WAIT_CAP_MS);
}

/** A cell near the viewport has started loading its Monaco: the page settles once an editor is up. */
export function expectEditor(): void {
  editorExpected = true;
}

/** A Monaco editor is up, or the one expected will not come (its Monaco failed to load). */
export function markEditorSettled(): void {
  settle();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the page's main content has been shown. */
export function usePageShown(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => shown,
    () => shown,
  );
}

/** Calls `then` once the page has settled (isPageSettled). */
export function onPageSettled(then: () => void): void {
  const listener = () => {
    if (!settled) return;
    listeners.delete(listener);
    then();
  };
  listeners.add(listener);
}

/** Whether the page has been shown and its first editor near the viewport (if any) is up. */
export function isPageSettled(): boolean {
  return settled;
}

export function usePageSettled(): boolean {
  return useSyncExternalStore(subscribe, isPageSettled, isPageSettled);
}
