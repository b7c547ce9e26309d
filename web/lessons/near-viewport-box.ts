// Whether a cell's placeholder is near the viewport, read from its box by hand: what the
// IntersectionObserver of lesson-reader.tsx (CELL_MONACO_MARGIN) would say, a frame sooner.

/** CELL_MONACO_MARGIN (cell-registry.tsx) as a share of the viewport's height. */
export const MONACO_MARGIN_SHARE = 0.5;

/** Whether a laid-out box is within the margin of a viewport this tall (never, when not laid out). */
export function isWithinMonacoMargin(box: { top: number; bottom: number; width: number }, viewportHeight: number): boolean {
  const margin = viewportHeight * MONACO_MARGIN_SHARE;
  return box.width > 0 && box.bottom >= -margin && box.top <= viewportHeight + margin;
}
