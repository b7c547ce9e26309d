import type { ReactNode } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { exerciseStrings } from './exercise-strings.ts';
import { lessonStrings } from './strings.ts';

export interface ExerciseFrameProps {
  id: string;
  passed: boolean;
  /** a wrong attempt is what the card shows now */
  missed: boolean;
  promptHtml: string;
  /** an extra class for the card's kind ("exercise-capture") */
  kind?: string;
  children: ReactNode;
}

/** What every exercise card is: a labelled group with its heading, its state and its prompt; the card's own parts follow. */
export function ExerciseFrame({ id, passed, missed, promptHtml, kind, children }: ExerciseFrameProps) {
  const t = useStrings(exerciseStrings);
  const { exercise: heading } = useStrings(lessonStrings);
  return (
    // a group, not a landmark: a lesson holds many exercises, all headed "Exercise" (the placeholder's heading too: lesson-reader.tsx, whose words load with the text)
    <div
      role="group"
      className={['exercise', kind, passed ? 'is-passed' : ''].filter(Boolean).join(' ')}
      data-testid="exercise"
      data-exercise-id={id}
      data-state={passed ? 'passed' : 'pending'}
      aria-labelledby={`exercise-${id}-title`}
    >
      <header className="exercise-header">
        <h3 id={`exercise-${id}-title`} className="exercise-label">
          {heading}
        </h3>
        <span className={`exercise-status ${passed ? 'is-passed' : missed ? 'is-missed' : ''}`} data-testid="exercise-status">
          {passed ? `✓ ${t.passed}` : missed ? t.notYet : t.notTried}
        </span>
      </header>
      <div className="prose" dangerouslySetInnerHTML={{ __html: promptHtml }} />
      {children}
    </div>
  );
}
