import { useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import { rowOf, type HexBlockView, type HexLayout, type HexSection } from './hex-rows.ts';

/** The scroller's visible height, kept as it is resized (400 until the first report). */
export function useViewportHeight(scroller: RefObject<HTMLDivElement | null>): number {
  const [viewport, setViewport] = useState(400);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    // Reading the height now would force a layout of the whole page; the observer reports it
    // after the next layout anyway (and its first report comes unasked).
    if (typeof ResizeObserver === 'undefined') {
      setViewport(element.clientHeight || 400);
      return;
    }
    const observer = new ResizeObserver(() => setViewport(element.clientHeight || 400));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return viewport;
}

/** Scrolls the byte (stream offset) of `target` into view, a third down, unless it is already in sight. */
export function useScrollToByte(
  scroller: RefObject<HTMLDivElement | null>,
  target: { section: number; offset: number; view: HexBlockView } | null,
  layout: HexLayout,
  sections: readonly HexSection[],
  rowHeight: number,
): void {
  useEffect(() => {
    const element = scroller.current;
    const section = target ? sections[target.section] : undefined;
    if (!element || !target || !section) return;
    const top = rowOf(layout, target.section, target.offset - section.start, target.view) * rowHeight;
    if (top < element.scrollTop || top + rowHeight > element.scrollTop + element.clientHeight) {
      element.scrollTop = Math.max(0, top - element.clientHeight / 3);
    }
  }, [target, layout, sections, rowHeight]);
}
