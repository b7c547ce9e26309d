import { importAgain } from '../../shared/import-again.ts';
import { lazy, Suspense, useEffect, useState, type CSSProperties } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { LoadingNote } from '../kit/loading-note.tsx';
import { lessonStrings } from './strings.ts';
import { INSPECTOR_ID } from '../kit/inspector-events.ts';
import { useClassroomParts, type DockInspectorProps } from '../kit/classroom-parts.ts';
import { useDockWidth } from './dock-width.ts';
import { useDockOpen } from './use-dock-open.ts';

// The inspector is not on the way to the lesson's text: it is fetched once the text is on screen.
// The resizer comes with the inspector, after the text: the page's first script is held to its
// byte budget (tests/e2e/light-lesson-page.test.ts), and a handle to drag is not needed to read.
const DockResizer = lazy(() => importAgain(() => import('./dock-resizer.tsx')).then((module) => ({ default: module.DockResizer })));

/**
 * The inspector beside the text (below it on narrow screens), showing the last cell run.
 * `afterText`: the inspector may load now — a lesson's text is on screen and its first editor near
 * the viewport, if any, is up (web/kit/page-shown.ts); default: at once.
 */
export function InspectorDock({ focus, onSelectionChange, onPick, afterText = true }: DockInspectorProps & { afterText?: boolean }) {
  const t = useStrings(lessonStrings);
  // the classroom's inspector (the teacher's captures beside the student's), from the app shell
  const { DockInspector } = useClassroomParts();
  const [loadInspector, setLoadInspector] = useState(false);
  useEffect(() => {
    if (!afterText) return;
    // a task of its own after the text's: the text paints first
    const timer = setTimeout(() => setLoadInspector(true), 0);
    return () => clearTimeout(timer);
  }, [afterText]);
  const [width, setWidth] = useDockWidth();
  const [open, setOpen, dock, rememberWhereFrom, closeOnEscape] = useDockOpen(focus);

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
      {loadInspector && (
        <Suspense fallback={null}>
          <DockResizer width={width} setWidth={setWidth} />
        </Suspense>
      )}
      <div className="dock-header">
        <h2 className="dock-title">{t.inspector}</h2>
        <button type="button" className="button button-quiet dock-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t.hideInspector : t.showInspector}
        </button>
      </div>
      <div className="dock-body">
        {loadInspector ? (
          <Suspense fallback={<LoadingNote />}>
            <DockInspector focus={focus} onSelectionChange={onSelectionChange} onPick={onPick} />
          </Suspense>
        ) : (
          <LoadingNote />
        )}
      </div>
    </aside>
  );
}
