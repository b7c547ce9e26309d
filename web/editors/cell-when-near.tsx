import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { usePageSettled } from '../kit/page-shown.ts';
import { useNearViewport } from './use-near-viewport.ts';

// A lesson's cells arrive with their kind's chunk, all at once: the gRPC lesson's eighteen gRPC
// cells (method list, target switch, metadata, request editor, buttons: some 65 elements each)
// were rendered and laid out on the way to its first editor, though the reader sees one or two of
// them. A cell far from the viewport keeps showing its code as the lesson's placeholder does
// (web/lessons/lesson-reader.tsx, the same look) until it comes within the editors' margin of the
// viewport, or, once the page's first editor is up (page-shown.ts, "settled"), in its turn: one
// cell per idle moment, so that the rest do not make one long task either.

const waiting: Array<() => void> = [];
let draining = false;

function whenIdle(then: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(then, { timeout: 500 });
  else setTimeout(then, 0);
}

function releaseNext(): void {
  const next = waiting.shift();
  if (!next) {
    draining = false;
    return;
  }
  next();
  whenIdle(releaseNext);
}

function takeTurn(release: () => void): void {
  waiting.push(release);
  if (draining) return;
  draining = true;
  whenIdle(releaseNext);
}

/**
 * Whether the cell is wanted: near the viewport (it stays true), or its turn came after the page
 * settled; and, for a turn, the placeholder's height (its border box, as laid out) at that moment.
 */
function useCellWanted(): {
  watch: (element: HTMLElement | null) => void;
  near: boolean;
  wanted: boolean;
  turnHeight: number | null;
} {
  const [watch, near] = useNearViewport<HTMLElement>();
  const settled = usePageSettled();
  const [turnHeight, setTurnHeight] = useState<number | null>(null);
  const placeholder = useRef<HTMLElement | null>(null);
  const watchPlaceholder = useCallback(
    (element: HTMLElement | null) => {
      placeholder.current = element;
      watch(element);
    },
    [watch],
  );
  useEffect(() => {
    if (near || !settled) return;
    let alive = true;
    takeTurn(() => {
      // read in an idle moment, when the page is laid out already (no layout of its own)
      if (alive) setTurnHeight(placeholder.current?.getBoundingClientRect().height ?? 0);
    });
    return () => {
      alive = false;
    };
  }, [near, settled]);
  return { watch: watchPlaceholder, near, wanted: near || turnHeight !== null, turnHeight };
}

/**
 * The cell (`children`) once it is wanted; its code as plain text until then. A cell that comes
 * in its turn, screens away, holds its placeholder's place exactly (.cell-far: content-visibility,
 * its height the placeholder's) until it nears the viewport: its taller parts laid out below the
 * reader made the page taller at every turn, and Chromium then redrew the whole screen (the page's
 * layer changed size), some twenty full redraws of a gRPC lesson's load for nothing in sight.
 * Near the viewport the hold goes (display: contents), the cell laid out as any other.
 */
export function CellWhenNear({ text, children }: { text: string; children: ReactNode }) {
  const { watch, near, wanted, turnHeight } = useCellWanted();
  if (!wanted) {
    return (
      <div ref={watch} className="cell-placeholder" data-testid="cell-placeholder">
        <pre>{text}</pre>
      </div>
    );
  }
  if (turnHeight === null) return children;
  // the same element near or far: the cell inside is not made again when the hold goes
  return (
    <div
      ref={near ? undefined : watch}
      className={near ? 'cell-far is-near' : 'cell-far'}
      style={near ? undefined : { containIntrinsicBlockSize: `${turnHeight}px` }}
    >
      {children}
    </div>
  );
}
