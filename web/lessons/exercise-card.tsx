import { importAgain } from '../../shared/import-again.ts';
import { useState, type FormEvent, type MouseEvent } from 'react';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { useStrings } from '../kit/lang-context.ts';
import type { Check } from '../../contracts/exercise-checks/check-types.ts';
import { lessonStrings } from './strings.ts';
import { exerciseStrings } from './exercise-strings.ts';
import { useExerciseVerdict } from './use-exercise-verdict.ts';
import { ExerciseFrame } from './exercise-frame.tsx';
import { ExerciseHints } from './exercise-hints.tsx';
import type { CaptureQuestion } from '../../contracts/exercise-checks/capture-question.ts';
import { useChunk } from '../kit/use-chunk.ts';
import { usePageSettled } from '../kit/page-shown.ts';

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

/** An exercise: checked against the student's traffic, or a question about a capture file of the lesson. */
export function ExerciseCard(props: ExerciseCardProps) {
  const question = captureQuestionOf(props.check);
  return question ? <CaptureQuestionCardLater {...props} question={question} /> : <TrafficExerciseCard {...props} />;
}

/** lesson.json's `"type": "capture"` check (contracts/exercise-checks/capture-question.ts), if this is one. */
function captureQuestionOf(check: Check | CaptureQuestion): CaptureQuestion | null {
  return check.type === 'capture' ? check : null;
}

// A question about a capture file (capture-question-card.tsx, with the inspector's opened files and
// the question's evaluation) comes only to a lesson that has one, once its first editor is up.
const loadCaptureQuestionCard = () => importAgain(() => import('./capture-question-card.tsx')).then((module) => module.CaptureQuestionCard);

function CaptureQuestionCardLater({ lesson, id, question, promptHtml, hintsHtml }: ExerciseCardProps & { question: CaptureQuestion }) {
  const Card = useChunk(loadCaptureQuestionCard, usePageSettled());
  const { exercise: heading } = useStrings(lessonStrings);
  if (Card) return <Card lesson={lesson} id={id} question={question} promptHtml={promptHtml} hintsHtml={hintsHtml} />;
  return (
    <div role="group" className="exercise" data-testid="exercise-placeholder" aria-labelledby={`exercise-${id}-title`}>
      <header className="exercise-header">
        <h3 id={`exercise-${id}-title`} className="exercise-label">
          {heading}
        </h3>
      </header>
      <div className="prose" dangerouslySetInnerHTML={{ __html: promptHtml }} />
    </div>
  );
}

function TrafficExerciseCard({ lesson, id, check, cell, runOnly, promptHtml, hintsHtml, exchanges, messages, own, aimedAtMine }: ExerciseCardProps) {
  const t = useStrings(exerciseStrings);
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
    <ExerciseFrame id={id} passed={passed} missed={showMiss} promptHtml={promptHtml}>
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
      <ExerciseHints hintsHtml={hintsHtml} />
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
    </ExerciseFrame>
  );
}

function goToCell(event: MouseEvent<HTMLAnchorElement>, cell: string) {
  const target = document.getElementById(`cell-${cell}`);
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ behavior: 'smooth', block: 'center' });
  target.querySelector<HTMLElement>('textarea, .monaco-editor textarea')?.focus({ preventScroll: true });
}
