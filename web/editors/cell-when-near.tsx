import { useEffect, useState, type ReactNode } from 'react';
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

/** True once the cell has come near the viewport (it stays true), or its turn after the page settled. */
function useCellWanted(): [(element: HTMLElement | null) => void, boolean] {
  const [watch, near] = useNearViewport<HTMLElement>();
  const settled = usePageSettled();
  const [turn, setTurn] = useState(false);
  useEffect(() => {
    if (near || !settled) return;
    let alive = true;
    takeTurn(() => {
      if (alive) setTurn(true);
    });
    return () => {
      alive = false;
    };
  }, [near, settled]);
  return [watch, near || turn];
}

/** The cell (`children`) once it is wanted; its code as plain text until then. */
export function CellWhenNear({ text, children }: { text: string; children: ReactNode }) {
  const [watch, wanted] = useCellWanted();
  if (wanted) return children;
  return (
    <div ref={watch} className="cell-placeholder" data-testid="cell-placeholder">
      <pre>{text}</pre>
    </div>
  );
}
