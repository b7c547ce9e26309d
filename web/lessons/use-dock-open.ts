import type { Selection } from '../inspector/exchange-sections.ts';
import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { OPEN_INSPECTOR_EVENT } from '../kit/inspector-events.ts';
import { keepCellAboveDock, useLastTouchedCell } from './keep-cell-in-view.ts';
import { TOGGLE_INSPECTOR_EVENT } from './projector/toggle-inspector-event.ts';

/** Where the dock leaves the side for the bottom (the same width as in lessons.css). */
const NARROW = '(max-width: 1100px)';

/**
 * Whether the dock is open, and what opens and folds it: the presenter's key, the skip link, a new
 * exchange to show, Esc on a narrow screen. `dock` goes on the dock's element; its `onFocus` and
 * `onKeyDown` take `rememberWhereFrom` and `closeOnEscape`. A tuple, not an object: the page's
 * first script is held to its byte budget (tests/e2e/light-lesson-page.test.ts), and a minifier
 * shortens a tuple's names but not an object's keys.
 */
export function useDockOpen(focus: Selection | undefined) {
  // On a narrow screen the dock covers the lower part of the text: it waits, folded, until a
  // cell gives it something to show, so an empty inspector never hides a cell's Run bar.
  const [open, setOpen] = useState(() => !window.matchMedia(NARROW).matches);
  const dock = useRef<HTMLElement>(null);
  // Where the focus was before it came into the dock: Esc gives it back there.
  const cameFrom = useRef<HTMLElement | null>(null);

  // The presenter's key (I) shows and hides it, on any screen.
  useEffect(() => {
    const toggle = () => setOpen((wasOpen) => !wasOpen);
    window.addEventListener(TOGGLE_INSPECTOR_EVENT, toggle);
    return () => window.removeEventListener(TOGGLE_INSPECTOR_EVENT, toggle);
  }, []);

  // "Skip to the inspector" (the header's skip link): open, and take the focus.
  const [focusDock, setFocusDock] = useState(0);
  useEffect(() => {
    const openAndFocus = () => {
      setOpen(true);
      setFocusDock((count) => count + 1);
    };
    window.addEventListener(OPEN_INSPECTOR_EVENT, openAndFocus);
    return () => window.removeEventListener(OPEN_INSPECTOR_EVENT, openAndFocus);
  }, []);
  useEffect(() => {
    if (focusDock > 0) dock.current?.focus();
  }, [focusDock]);

  const lastCell = useLastTouchedCell();

  // A new exchange to show opens a closed dock on a narrow screen, where it lies over the text's
  // lower part: the cell that ran moves up above it, Run bar and response in sight. Once per
  // click or key in a cell: a console's later messages do not pull the page back to it.
  useEffect(() => {
    if (!focus) return;
    setOpen(true);
    const cell = lastCell.current;
    lastCell.current = null;
    if (!window.matchMedia(NARROW).matches || !cell?.isConnected) return;
    const frame = requestAnimationFrame(() => dock.current && keepCellAboveDock(cell, dock.current));
    return () => cancelAnimationFrame(frame);
  }, [focus]);

  const rememberWhereFrom = (event: FocusEvent<HTMLElement>) => {
    const from = event.relatedTarget;
    if (from instanceof HTMLElement && !event.currentTarget.contains(from)) cameFrom.current = from.closest('.skip-links') ? null : from;
  };
  // On a narrow screen the dock is a sheet over the text: Esc folds it and gives the focus back.
  const closeOnEscape = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !open || !window.matchMedia(NARROW).matches) return;
    event.preventDefault();
    setOpen(false);
    const back = cameFrom.current?.isConnected ? cameFrom.current : document.getElementById('content');
    back?.focus();
  };

  return [open, setOpen, dock, rememberWhereFrom, closeOnEscape] as const;
}
