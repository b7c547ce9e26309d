import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { messageSelection, sameSelection, type Selection } from './exchange-sections.ts';
import type { TimelineConnection } from './exchange-timeline.tsx';
import { moveOfKey, moveStep, replaySteps, stepFragment, targetOfFragment, type FragmentTarget, type ReplayMove } from './replay-steps.ts';
import { stepIndexOf } from './replay-stepper.tsx';

/**
 * The inspector's steps through what its timeline shows, in time order: moves (buttons, keys)
 * select the step and put its fragment in the address (`#insp=c2.out.h2-frame.1234`), and a fragment the page
 * opened with selects its step once the capture holds it.
 */
export function useReplay(timeline: readonly TimelineConnection[], selection: Selection | null, select: (selection: Selection) => void) {
  const steps = useMemo(() => replaySteps(timeline.map(({ view, exchanges, messages }) => ({ connection: view.connection, exchanges, messages }))), [timeline]);
  const fromAddress = useRef(typeof window === 'undefined' ? null : targetOfFragment(window.location.hash));
  useEffect(() => {
    const wanted = fromAddress.current && fragmentSelection(fromAddress.current, timeline);
    if (wanted && steps.some((step) => sameSelection(step.selection, wanted))) {
      fromAddress.current = null;
      select(wanted);
    }
  }, [steps, timeline, select]);

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

/** The selection a fragment names; an old link's message number is looked up among the messages shown. */
function fragmentSelection(target: FragmentTarget, timeline: readonly TimelineConnection[]): Selection | null {
  if ('selection' in target) return target.selection;
  const message = timeline.find(({ view }) => view.connection.id === target.conn)?.messages.find((candidate) => candidate.index === target.messageIndex);
  return message ? messageSelection(message) : null;
}
