import { useEffect, useRef, type RefObject } from 'react';

/** Room kept between the cell and the header above it or the dock below it, in px. */
const GAP = 8;

/**
 * Scrolls the page so that the cell's end (its response) sits just above the inspector sheet
 * (`dock`, fixed at the bottom of a narrow screen), without ever taking its Run bar under the
 * header: when both do not fit, the Run bar stays in sight and the response starts below it.
 */
export function keepCellAboveDock(cell: HTMLElement, dock: HTMLElement): void {
  const box = cell.getBoundingClientRect();
  const headerBottom = document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0;
  if (readerLeftCell(box.top, box.bottom, headerBottom, window.innerHeight)) return;
  const delta = scrollToKeepCell(
    box.bottom,
    (cell.querySelector('[data-testid="cell-run"]') ?? cell).getBoundingClientRect().top,
    headerBottom,
    dock.getBoundingClientRect().top,
  );
  if (delta !== 0) window.scrollBy({ top: delta });
}

/**
 * Whether no part of the cell is on screen any more (viewport coordinates): the reader went on
 * between the run and its bytes being found (a link, the scroll bar), and the page stays where
 * they went. A student who ran a cell and followed a link at once was pulled back to the cell:
 * tests/e2e/everyday-friction.test.ts holds the bytes back to show it (5,558 px away without this);
 * classroom-phone-notices.test.ts once found the teacher's section at −982 px, likely the same.
 */
export function readerLeftCell(cellTop: number, cellBottom: number, headerBottom: number, viewportHeight: number): boolean {
  return cellBottom <= headerBottom || cellTop >= viewportHeight;
}

/**
 * How far to scroll (positive: the page moves up) so that `cellBottom` is above `dockTop` while
 * `runTop` stays below `headerBottom` (viewport coordinates); the Run bar wins when both cannot.
 */
export function scrollToKeepCell(cellBottom: number, runTop: number, headerBottom: number, dockTop: number): number {
  let delta = Math.max(0, cellBottom - (dockTop - GAP));
  if (runTop - delta < headerBottom + GAP) delta = runTop - (headerBottom + GAP);
  return Math.round(delta);
}

/**
 * The cell the student last clicked or typed in: the one a new exchange comes from. (Not the
 * focus: a button that turns into another while its request runs leaves it on the page's body.)
 */
export function useLastTouchedCell(): RefObject<HTMLElement | null> {
  const lastCell = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const remember = (event: Event) => {
      const cell = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-testid="cell"]') : null;
      if (cell) lastCell.current = cell;
    };
    document.addEventListener('pointerdown', remember, true);
    document.addEventListener('keydown', remember, true);
    return () => {
      document.removeEventListener('pointerdown', remember, true);
      document.removeEventListener('keydown', remember, true);
    };
  }, []);
  return lastCell;
}
