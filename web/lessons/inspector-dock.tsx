import type { Selection } from '../inspector/exchange-sections.ts';
import { lazy, Suspense, useEffect, useRef, useState, type CSSProperties, type FocusEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { LoadingNote } from '../kit/loading-note.tsx';
import { lessonStrings } from './strings.ts';
import { TOGGLE_INSPECTOR_EVENT } from './projector/toggle-inspector-event.ts';
import { INSPECTOR_ID, OPEN_INSPECTOR_EVENT } from '../kit/inspector-events.ts';
import { keepCellAboveDock, useLastTouchedCell } from './keep-cell-in-view.ts';

// The inspector is not on the way to the lesson's text: it is fetched once the text is on screen.
const ClassAwareInspector = lazy(() => import('../classroom/class-inspector.tsx').then((module) => ({ default: module.ClassAwareInspector })));

const WIDTH_KEY = 'wirelab.inspectorWidth';
const MIN_WIDTH = 360;
const DEFAULT_WIDTH = 560;
/** Where the dock leaves the side for the bottom (the same width as in lessons.css). */
const NARROW = '(max-width: 1100px)';

function storedWidth(): number {
  try {
    const value = Number(localStorage.getItem(WIDTH_KEY));
    return Number.isFinite(value) && value >= MIN_WIDTH ? value : DEFAULT_WIDTH;
  } catch {
    return DEFAULT_WIDTH;
  }
}

/**
 * The inspector beside the text (below it on narrow screens), showing the last cell run.
 * `afterText`: the inspector may load now — a lesson's text is on screen and its first editor near
 * the viewport, if any, is up (web/kit/page-shown.ts); default: at once.
 */
export function InspectorDock({
  focus,
  onSelectionChange,
  afterText = true,
}: {
  focus?: Selection;
  onSelectionChange?(selection: Selection | null): void;
  afterText?: boolean;
}) {
  const t = useStrings(lessonStrings);
  const [loadInspector, setLoadInspector] = useState(false);
  useEffect(() => {
    if (!afterText) return;
    // a task of its own after the text's: the text paints first
    const timer = setTimeout(() => setLoadInspector(true), 0);
    return () => clearTimeout(timer);
  }, [afterText]);
  const [width, setWidth] = useState(storedWidth);
  // On a narrow screen the dock covers the lower part of the text: it waits, folded, until a
  // cell gives it something to show, so an empty inspector never hides a cell's Run bar.
  const [open, setOpen] = useState(() => !window.matchMedia(NARROW).matches);
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);
  const dock = useRef<HTMLElement>(null);
  // Where the focus was before it came into the dock: Esc gives it back there.
  const cameFrom = useRef<HTMLElement | null>(null);

  useEffect(() => {
    try {
      localStorage.setItem(WIDTH_KEY, String(Math.round(width)));
    } catch {
      // the width is a comfort, not state worth an error
    }
  }, [width]);

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

  const clamp = (value: number) => Math.max(MIN_WIDTH, Math.min(value, window.innerWidth * 0.7));
  const startDrag = (event: PointerEvent<HTMLDivElement>) => {
    drag.current = { startX: event.clientX, startWidth: width };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const moveDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current) setWidth(clamp(drag.current.startWidth + drag.current.startX - event.clientX));
  };
  const endDrag = () => {
    drag.current = null;
  };
  const resizeWithKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 80 : 20;
    if (event.key === 'ArrowLeft') setWidth(clamp(width + step));
    else if (event.key === 'ArrowRight') setWidth(clamp(width - step));
    else return;
    event.preventDefault();
  };

  return (
    <aside
      ref={dock}
      id={INSPECTOR_ID}
      tabIndex={-1}
      className={`inspector-dock ${open ? 'is-open' : 'is-closed'}`}
      data-testid="inspector-dock"
      style={{ '--dock-width': `${width}px` } as CSSProperties}
      aria-label={t.inspector}
      onFocus={rememberWhereFrom}
      onKeyDown={closeOnEscape}
    >
      <div
        className="dock-resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label={t.resizeInspector}
        aria-valuenow={Math.round(width)}
        aria-valuemin={MIN_WIDTH}
        tabIndex={0}
        onPointerDown={startDrag}
        onPointerMove={moveDrag}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onKeyDown={resizeWithKeys}
      />
      <div className="dock-header">
        <h2 className="dock-title">{t.inspector}</h2>
        <button type="button" className="button button-quiet dock-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t.hideInspector : t.showInspector}
        </button>
      </div>
      <div className="dock-body">
        {loadInspector ? (
          <Suspense fallback={<LoadingNote />}>
            <ClassAwareInspector focus={focus} onSelectionChange={onSelectionChange} />
          </Suspense>
        ) : (
          <LoadingNote />
        )}
      </div>
    </aside>
  );
}
