import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { sameSelection, type Selection } from './exchange-sections.ts';
import type { TimelineConnection } from './exchange-timeline.tsx';
import { moveOfKey, moveStep, replaySteps, selectionOfFragment, stepFragment, type ReplayMove } from './replay-steps.ts';
import { stepIndexOf } from './replay-stepper.tsx';

/**
 * The inspector's steps through what its timeline shows, in time order: moves (buttons, keys)
 * select the step and put its fragment in the address (`#insp=c2.m14`), and a fragment the page
 * opened with selects its step once the capture holds it.
 */
export function useReplay(timeline: readonly TimelineConnection[], selection: Selection | null, select: (selection: Selection) => void) {
  const steps = useMemo(() => replaySteps(timeline.map(({ view, exchanges, messages }) => ({ connection: view.connection, exchanges, messages }))), [timeline]);
  const fromAddress = useRef(typeof window === 'undefined' ? null : selectionOfFragment(window.location.hash));
  useEffect(() => {
    const wanted = fromAddress.current;
    if (wanted && steps.some((step) => sameSelection(step.selection, wanted))) {
      fromAddress.current = null;
      select(wanted);
    }
  }, [steps, select]);

  const move = (how: ReplayMove) => {
    const step = steps[moveStep(steps, stepIndexOf(steps, selection), how)];
    if (!step) return;
    select(step.selection);
    window.history.replaceState(window.history.state, '', stepFragment(step.selection));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    const how = moveOfKey(event.key);
    // Home and End belong to the tree when it has the focus (tree-keys.ts)
    if (!how || ((how === 'first' || how === 'last') && target.closest('[role="tree"]'))) return;
    event.preventDefault();
    move(how);
  };

  return { steps, move, onKeyDown };
}
