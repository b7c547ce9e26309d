import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { MIN_WIDTH } from './dock-width.ts';
import { lessonStrings } from './strings.ts';

/** The dock's left edge: dragged with the pointer, or moved with the arrow keys (Shift: larger steps). */
export function DockResizer({ width, setWidth }: { width: number; setWidth(width: number): void }) {
  const t = useStrings(lessonStrings);
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);
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
  );
}
