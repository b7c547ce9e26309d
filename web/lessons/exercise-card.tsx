import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent, type MouseEvent } from 'react';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { useStrings } from '../kit/lang-context.ts';
import type { Check } from '../../contracts/exercise-checks/check-types.ts';
import { checkNeedsAnswer } from '../../contracts/exercise-checks/check-reading.ts';
import { usePageSettled } from '../kit/page-shown.ts';
import { markPassed, useProgress } from './progress.ts';
import { boardVerdictOf, emitExerciseEvent, onBoardVerdict } from './exercise-events.ts';
import { attemptMissOf } from './attempt-miss.ts';
import { lessonStrings } from './strings.ts';
import { exerciseStrings } from './exercise-strings.ts';

type ChecksModule = typeof import('./exercise-evaluation.ts');
let checksModule: ChecksModule | null = null;
let checksLoading: Promise<ChecksModule | null> | null = null;

/**
 * The checks' evaluator (exercise-evaluation.ts), fetched once the lesson's text is on screen (nothing to check before
 * the capture store has the traffic anyway); null until it arrived.
 */
function useChecks(): ChecksModule | null {
  const pageSettled = usePageSettled();
  const [loaded, setLoaded] = useState(checksModule);
  useEffect(() => {
    if (!pageSettled || loaded) return;
    let alive = true;
    checksLoading ??= import('./exercise-evaluation.ts').then(
      (module) => (checksModule = module),
      () => (checksLoading = null),
    );
    void checksLoading.then((module) => alive && module && setLoaded(module));
    return () => {
      alive = false;
    };
  }, [pageSettled, loaded]);
  return loaded;
}

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
}

export function ExerciseCard({ lesson, id, check, cell, runOnly, promptHtml, hintsHtml, exchanges, messages, own }: ExerciseCardProps) {
  const t = useStrings(exerciseStrings);
  // its heading is the placeholder's too (lesson-reader.tsx), whose words load with the text
  const { exercise: heading } = useStrings(lessonStrings);
  const progress = useProgress();
  const [hintsShown, setHintsShown] = useState(0);
  const [answer, setAnswer] = useState('');
  const [submitted, setSubmitted] = useState<string | undefined>(undefined);

  const needsAnswer = checkNeedsAnswer(check);
  const checks = useChecks();
  const result = useMemo(() => checks?.evaluateCheck(check, exchanges, submitted, messages) ?? null, [checks, check, exchanges, submitted, messages]);
  const passedNow = result !== null && result.passed && (!needsAnswer || submitted !== undefined);
  const passedBefore = Boolean(progress[lesson]?.[id]);
  const passed = passedNow || passedBefore;

  // In the commit that shows "passed", not a task later: a student who closes the tab (or reloads)
  // the moment the card turns green keeps the pass.
  useLayoutEffect(() => {
    if (passedNow) markPassed(lesson, id, needsAnswer ? { answer: submitted } : {});
  }, [passedNow, lesson, id, needsAnswer, submitted]);
  const boardVerdict = useSyncExternalStore(onBoardVerdict, () => boardVerdictOf(lesson, id));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(answer);
  };

  // A pass may come from any of the student's traffic (a sequence can span cells); a miss only from
  // what the student did for this exercise: its own cell's traffic, or an answer typed here.
  const ownResult = useMemo(
    () => (result === null || result.passed ? null : checks!.evaluateCheck(check, own.exchanges, submitted, own.messages)),
    [checks, result, check, own, submitted],
  );
  const miss = ownResult === null || ownResult.passed ? null : ownResult.miss;
  // "nothing sent yet" is the normal state of every exercise below the one being worked on: stay quiet
  const showMiss =
    miss !== null &&
    !passedNow &&
    ((miss.kind !== 'no-request' && !(miss.kind === 'no-message' && miss.found === 0)) || (miss.step ?? 0) > 0 || (needsAnswer && submitted !== undefined));

  // A miss the student sees is an attempt (the teacher's board counts them): once per new miss.
  const shownMiss = showMiss && miss && checks ? checks.missIdentity(miss, submitted) : null;
  const missShown = useRef(miss);
  missShown.current = miss;
  useEffect(() => {
    if (shownMiss !== null) emitExerciseEvent({ lesson, exercise: id, passed: false, miss: missShown.current ? attemptMissOf(missShown.current) : undefined });
  }, [shownMiss, lesson, id]);

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
        {showMiss && <p className="exercise-feedback is-miss">{t.miss(miss)}</p>}
        {passed && boardVerdict && !boardVerdict.passed && (
          <p className="exercise-feedback" data-testid="exercise-board-verdict">
            {t.boardRefused(boardVerdict.why)}
          </p>
        )}
      </div>
    </div>
  );
}

function goToCell(event: MouseEvent<HTMLAnchorElement>, cell: string) {
  const target = document.getElementById(`cell-${cell}`);
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ behavior: 'smooth', block: 'center' });
  target.querySelector<HTMLElement>('textarea, .monaco-editor textarea')?.focus({ preventScroll: true });
}
