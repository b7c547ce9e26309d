import { useState, type FormEvent, type MouseEvent } from 'react';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { useStrings } from '../kit/lang-context.ts';
import type { Check } from '../../contracts/exercise-checks/check-types.ts';
import { lessonStrings } from './strings.ts';
import { exerciseStrings } from './exercise-strings.ts';
import { useExerciseVerdict } from './use-exercise-verdict.ts';

export interface ExerciseCardProps {
  lesson: string;
  id: string;
  check: Check;
  cell?: string;
  /** pressing Run on the unchanged cell is the whole step (lesson.json `runOnly`): the card says so */
  runOnly?: boolean;
  promptHtml: string;
  hintsHtml: string[];
  /** traffic captured since the lesson was opened */
  exchanges: readonly HttpExchange[];
  /** decoded messages (HTTP/2 frames, WebSocket frames…) captured since the lesson was opened */
  messages: readonly WireMessage[];
  /** what the exercise's own cell produced of those: the only traffic a miss may come from (cell-traffic.ts) */
  own: { exchanges: readonly HttpExchange[]; messages: readonly WireMessage[] };
  /** the exercise's cell was run against "my server": its answer is shown, and counts for nothing here */
  aimedAtMine?: boolean;
}

export function ExerciseCard({ lesson, id, check, cell, runOnly, promptHtml, hintsHtml, exchanges, messages, own, aimedAtMine }: ExerciseCardProps) {
  const t = useStrings(exerciseStrings);
  // its heading is the placeholder's too (lesson-reader.tsx), whose words load with the text
  const { exercise: heading } = useStrings(lessonStrings);
  const [answer, setAnswer] = useState('');
  const [submitted, setSubmitted] = useState<string | undefined>(undefined);
  const { needsAnswer, passedNow, passedBefore, passed, miss, showMiss, boardVerdict, missCount } = useExerciseVerdict({
    lesson,
    id,
    check,
    exchanges,
    messages,
    own,
    submitted,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(answer);
  };

  return (
    // a group, not a landmark: a lesson holds many exercises, all headed "Exercise"
    <div
      role="group"
      className={`exercise ${passed ? 'is-passed' : ''}`}
      data-testid="exercise"
      data-exercise-id={id}
      data-state={passed ? 'passed' : 'pending'}
      aria-labelledby={`exercise-${id}-title`}
    >
      <header className="exercise-header">
        <h3 id={`exercise-${id}-title`} className="exercise-label">
          {heading}
        </h3>
        <span className={`exercise-status ${passed ? 'is-passed' : showMiss ? 'is-missed' : ''}`} data-testid="exercise-status">
          {passed ? `✓ ${t.passed}` : showMiss ? t.notYet : t.notTried}
        </span>
      </header>
      <div className="prose" dangerouslySetInnerHTML={{ __html: promptHtml }} />
      {runOnly && (
        <p className="exercise-run-only" data-testid="exercise-run-only">
          {t.runOnly}
        </p>
      )}
      {cell && (
        <p className="exercise-cell">
          {t.startsFrom} <code>{cell}</code> —{' '}
          <a href={`#cell-${cell}`} onClick={(event) => goToCell(event, cell)}>
            {t.goToCell}
          </a>
        </p>
      )}
      <Hints hintsHtml={hintsHtml} />
      {needsAnswer && (
        <form className="exercise-answer" onSubmit={submit}>
          <label htmlFor={`answer-${id}`}>{t.answerLabel}</label>
          <input
            id={`answer-${id}`}
            data-testid="exercise-answer"
            value={answer}
            onChange={(event) => setAnswer(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" className="button button-primary" data-testid="exercise-submit">
            {t.answerSubmit}
          </button>
        </form>
      )}
      <div aria-live="polite">
        {passedNow && <p className="exercise-feedback is-passed">{t.passedMessage}</p>}
        {!passedNow && passedBefore && !showMiss && <p className="exercise-feedback">{t.passedBefore}</p>}
        {showMiss && miss && <p className="exercise-feedback is-miss">{t.miss(miss)}</p>}
        {showMiss && miss && missCount && (
          <p className="exercise-feedback" data-testid="exercise-miss-count" data-counted={String(missCount.counted)}>
            {missCount.counted ? t.missCounted : t.missNotCounted(missCount.why)}
          </p>
        )}
        {!passed && aimedAtMine && (
          <p className="exercise-feedback" data-testid="exercise-aimed-at-mine">
            {t.aimedAtMine}
          </p>
        )}
        {passed && boardVerdict && !boardVerdict.passed && (
          <p className="exercise-feedback" data-testid="exercise-board-verdict">
            {t.boardRefused(boardVerdict.why)}
          </p>
        )}
      </div>
    </div>
  );
}

/** The exercise's hints, shown one at a time on request. */
function Hints({ hintsHtml }: { hintsHtml: string[] }) {
  const t = useStrings(exerciseStrings);
  const [hintsShown, setHintsShown] = useState(0);
  return (
    <>
      {hintsHtml.slice(0, hintsShown).map((hint, index) => (
        <div key={index} className="hint">
          <p className="hint-label">{t.hint(index + 1)}</p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: hint }} />
        </div>
      ))}
      {hintsShown < hintsHtml.length && (
        <button type="button" className="button button-quiet" onClick={() => setHintsShown(hintsShown + 1)}>
          {t.showHint(hintsShown + 1, hintsHtml.length)}
        </button>
      )}
    </>
  );
}

function goToCell(event: MouseEvent<HTMLAnchorElement>, cell: string) {
  const target = document.getElementById(`cell-${cell}`);
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ behavior: 'smooth', block: 'center' });
  target.querySelector<HTMLElement>('textarea, .monaco-editor textarea')?.focus({ preventScroll: true });
}
