import { useEffect, useRef, type RefObject } from 'react';

/**
 * Keeps the selected (aria-pressed) row in view inside the timeline pane: once per selection, as
 * soon as its row is there. `rows` is what the pane shows; a new list may bring the row.
 */
export function useKeepRowInView(timelinePane: RefObject<HTMLDivElement | null>, selectionKey: string, rows: unknown): void {
  // Keep the selected row in view inside the timeline (new traffic lands at the bottom): once per
  // selection, as soon as its row is there — measuring on every capture would lay out the page.
  // Measured in the next frame, whose layout is due anyway, not in this task as a second one.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (scrolledTo.current === selectionKey) return;
    const pane = timelinePane.current;
    const row = pane?.querySelector<HTMLElement>('[aria-pressed="true"]');
    if (!pane || !row) return;
    scrolledTo.current = selectionKey;
    let measured = false;
    const frame = requestAnimationFrame(() => {
      measured = true;
      const top = row.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
      if (top < pane.scrollTop || top + row.offsetHeight > pane.scrollTop + pane.clientHeight) {
        pane.scrollTop = Math.max(0, top - pane.clientHeight + row.offsetHeight + 8);
      }
    });
    return () => {
      cancelAnimationFrame(frame);
      if (!measured) scrolledTo.current = null;
    };
  }, [selectionKey, rows]);
}
