import { importAgain } from '../../shared/import-again.ts';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import type { Check } from '../../contracts/exercise-checks/check-types.ts';
import { checkNeedsAnswer } from '../../contracts/exercise-checks/check-reading.ts';
import { usePageSettled } from '../kit/page-shown.ts';
import { markPassed, useProgress } from './progress.ts';
import { boardVerdictOf, emitExerciseEvent, missCountOf, onBoardVerdict } from './exercise-events.ts';
import { attemptMissOf, attemptRefOf } from '../../contracts/exercise-checks/attempt-miss.ts';

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
    checksLoading ??= importAgain(() => import('./exercise-evaluation.ts')).then(
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

/** An exercise, the traffic it is checked against, and the answer the student submitted (if it takes one). */
export interface ExerciseInput {
  lesson: string;
  id: string;
  check: Check;
  /** traffic captured since the lesson was opened */
  exchanges: readonly HttpExchange[];
  messages: readonly WireMessage[];
  /** what the exercise's own cell produced of those: the only traffic a miss may come from (cell-traffic.ts) */
  own: { exchanges: readonly HttpExchange[]; messages: readonly WireMessage[] };
  submitted: string | undefined;
}

/**
 * The exercise's verdict: passed now or before (kept in progress the moment it turns green), the
 * miss worth showing (reported once per new miss, as an attempt), and the teacher's board's word.
 */
export function useExerciseVerdict({ lesson, id, check, exchanges, messages, own, submitted }: ExerciseInput) {
  const progress = useProgress();
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
  const missCount = useSyncExternalStore(onBoardVerdict, () => missCountOf(lesson, id));

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

  // A miss the student sees is reported once per new miss, naming the exchange or message it is
  // about and the answer typed: the server judges from its own captures whether it counts (an
  // attempt that reached it and was wrong for this question) and what it was — the page does not.
  const shownMiss = showMiss && miss && checks ? checks.missIdentity(miss, submitted) : null;
  const missShown = useRef({ miss, submitted });
  missShown.current = { miss, submitted };
  useEffect(() => {
    const { miss: shown, submitted: typed } = missShown.current;
    if (shownMiss === null || !shown) return;
    const attempt = attemptRefOf(shown);
    emitExerciseEvent({
      lesson,
      exercise: id,
      passed: false,
      miss: attemptMissOf(shown),
      ...(attempt ? { attempt } : {}),
      ...(typed !== undefined ? { answer: typed } : {}),
    });
  }, [shownMiss, lesson, id]);
  return { needsAnswer, passedNow, passedBefore, passed, miss, showMiss, boardVerdict, missCount };
}
