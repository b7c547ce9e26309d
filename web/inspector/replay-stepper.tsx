import { useState } from 'react';
import type { CaptureFileStrings } from './capture-file-strings.ts';
import { sameSelection, type Selection } from './exchange-sections.ts';
import { formatDuration } from './format.ts';
import { stepFragment, type ReplayMove, type ReplayStep } from './replay-steps.ts';
import type { InspectorStrings } from './strings.ts';

/** Where `selection` is among the steps (-1: not a step). */
export function stepIndexOf(steps: readonly ReplayStep[], selection: Selection | null): number {
  return selection ? steps.findIndex((step) => sameSelection(step.selection, selection)) : -1;
}

/**
 * Steps through a capture in time order: frame by frame, message by message, forwards and back,
 * with the time between steps; the same moves from the keyboard (the inspector's keydown, see
 * replay-steps.ts `moveOfKey`), and a link to the step shown.
 */
export function ReplayStepper({
  steps,
  selection,
  onMove,
  t,
  tf,
}: {
  steps: readonly ReplayStep[];
  selection: Selection | null;
  onMove(move: ReplayMove): void;
  t: InspectorStrings;
  tf: CaptureFileStrings;
}) {
  const [copied, setCopied] = useState(false);
  const current = stepIndexOf(steps, selection);
  const step = steps[current];
  const button = (move: ReplayMove, label: string, text: string, disabled: boolean) => (
    <button
      type="button"
      className="insp-button"
      data-testid={`insp-step-${move}`}
      title={label}
      aria-label={label}
      disabled={disabled}
      onClick={() => onMove(move)}
    >
      {text}
    </button>
  );
  const atStart = current <= 0;
  const atEnd = current === steps.length - 1;
  return (
    <div className="insp-stepper" data-testid="insp-stepper" role="group" aria-label={tf.replay.title} title={tf.replay.keys}>
      <span className="insp-stepper-title">{tf.replay.title}</span>
      {button('previous-message', tf.replay.previousMessage, '«', steps.length === 0 || atStart)}
      {button('previous', tf.replay.previous, '‹', steps.length === 0 || atStart)}
      {button('next', tf.replay.next, '›', steps.length === 0 || atEnd)}
      {button('next-message', tf.replay.nextMessage, '»', steps.length === 0 || atEnd)}
      <span className="insp-stepper-where" data-testid="insp-step-position" aria-live="polite">
        {steps.length === 0 ? tf.replay.noSteps : step ? tf.replay.position(current + 1, steps.length) : `— / ${steps.length}`}
      </span>
      {step && current > 0 && (
        <span className="insp-stepper-time" data-testid="insp-step-gap">
          {tf.replay.sincePrevious(formatDuration(step.at - steps[current - 1]!.at, t))} · {tf.replay.sinceStart(formatDuration(step.at - steps[0]!.at, t))}
        </span>
      )}
      {step && (
        <a
          className="insp-stepper-link"
          data-testid="insp-step-link"
          href={stepFragment(step.selection)}
          title={tf.replay.linkHint}
          onClick={(event) => {
            event.preventDefault();
            const url = new URL(stepFragment(step.selection), window.location.href).href;
            window.history.replaceState(window.history.state, '', url);
            void navigator.clipboard?.writeText(url).then(
              () => setCopied(true),
              () => undefined,
            );
          }}
        >
          {copied ? tf.replay.linkCopied : tf.replay.link}
        </a>
      )}
      <span className="insp-stepper-keys">{tf.replay.keys}</span>
    </div>
  );
}
