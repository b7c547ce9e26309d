import { useCallback, useRef, useState } from 'react';

/**
 * How close to the viewport an editor must come to load Monaco: half a screen above or below.
 * Monaco is megabytes of script and its workers; a lesson's text and its editors' plain text
 * areas are readable and runnable without it, so it waits until the reader nears a cell, a
 * little ahead so that it is there by the time the cell scrolls in.
 */
export const MONACO_PRELOAD_MARGIN = '50% 0px';

/**
 * A ref for an element and whether it has come within `margin` of the viewport (it stays true).
 * Without IntersectionObserver (server rendering, old browsers) it is true at once.
 */
export function useNearViewport<T extends Element>(margin: string = MONACO_PRELOAD_MARGIN): [(element: T | null) => void, boolean] {
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  const observer = useRef<IntersectionObserver | null>(null);
  const ref = useCallback(
    (element: T | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!element || typeof IntersectionObserver === 'undefined') return;
      const watching = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          watching.disconnect();
          setNear(true);
        },
        { rootMargin: margin },
      );
      watching.observe(element);
      observer.current = watching;
    },
    [margin],
  );
  return [ref, near];
}
