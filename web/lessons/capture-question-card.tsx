import { useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { onLayerSettled } from '../../wire/lazy-layer.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { OPEN_INSPECTOR_EVENT } from '../kit/inspector-events.ts';
import {
  evaluateCaptureAsk,
  exchangePick,
  isPick,
  messagePick,
  type CaptureAskResult,
  type CaptureQuestion,
  type CaptureTraffic,
} from '../../contracts/exercise-checks/capture-question.ts';
import { captureAttemptMissOf } from '../../contracts/exercise-checks/attempt-miss.ts';
import type { CaptureSnapshot, CaptureStore } from '../inspector/capture-store.ts';
import { selectedMessageIn, type Selection } from '../inspector/exchange-sections.ts';
import { getOpenedCaptures, useOpenedCaptures } from '../inspector/opened-captures.ts';
import { useOpenedPointer, type PointedField } from '../inspector/opened-pointer.ts';
import { inspectorStrings } from '../inspector/strings.ts';
import { captureQuestionStrings, type CaptureQuestionStrings } from './capture-question-strings.ts';
import { ExerciseFrame } from './exercise-frame.tsx';
import { ExerciseHints } from './exercise-hints.tsx';
import { exerciseStrings } from './exercise-strings.ts';
import { boardVerdictOf, emitExerciseEvent, missCountOf, onBoardVerdict } from './exercise-events.ts';
import { lessonCaptureUrl } from './lesson-captures.ts';
import { markPassed, useProgress } from './progress.ts';

export interface CaptureQuestionCardProps {
  lesson: string;
  id: string;
  question: CaptureQuestion;
  promptHtml: string;
  hintsHtml: string[];
}

/** What the student answered and what the page judged of it over the capture's traffic. */
interface Judged {
  answer: string;
  /** how the pick reads in the inspector's list (a frame's summary, an exchange's request line) */
  picked?: string;
  result: CaptureAskResult;
}

/**
 * An exercise whose question is about a capture file of the lesson (lesson.json `"type": "capture"`):
 * "Open the capture" opens the file in the inspector; the student answers with the frame or exchange
 * selected there, or a value (typed, or a field of the inspector's tree). The page judges the answer
 * at once over the opened file's decoded traffic (evaluateCaptureAsk) and reports it to the class as
 * every exercise does (`answer`); the class's server judges the same answer from the same file.
 */
export function CaptureQuestionCard({ lesson, id, question, promptHtml, hintsHtml }: CaptureQuestionCardProps) {
  const t = useStrings(captureQuestionStrings);
  const file = useLessonCapture(lesson, question.file);
  const traffic = useCaptureTraffic(file.store);
  const pointer = useOpenedPointer();
  const [pending, setPending] = useState<{ answer: string; picked?: string } | null>(null);
  const [judged, setJudged] = useState<Judged | null>(null);

  const progress = useProgress();
  const passedBefore = Boolean(progress[lesson]?.[id]);
  const passedNow = judged?.result.passed === true;
  const passed = passedNow || passedBefore;
  const missed = judged !== null && !judged.result.passed;

  // Judged once the opened file is decoded with every layer it needs; reported at once, once per answer sent.
  useEffect(() => {
    if (!pending || !traffic.decoded) return;
    const result = evaluateCaptureAsk(question.ask, traffic.decoded, pending.answer);
    setPending(null);
    setJudged({ ...pending, result });
    if (result.passed) markPassed(lesson, id, { answer: pending.answer });
    else if (result.miss.kind !== 'no-answer')
      emitExerciseEvent({ lesson, exercise: id, passed: false, answer: pending.answer, ...reportedMiss(result.miss, pending.answer) });
  }, [pending, traffic.decoded, question.ask, lesson, id]);

  const send = (answer: string, picked?: string) => {
    setJudged(null);
    setPending({ answer, ...(picked !== undefined ? { picked } : {}) });
  };

  return (
    <ExerciseFrame id={id} passed={passed} missed={missed} promptHtml={promptHtml} kind="exercise-capture">
      <p className="exercise-capture-open">
        <button type="button" className="button" data-testid="capture-open" disabled={file.opening} onClick={file.open}>
          {file.store ? t.openCaptureAgain : t.openCapture}
        </button>{' '}
        <span role="status" className="exercise-capture-state" data-testid="capture-state">
          {file.problem ? t.openFailed(file.problem) : file.opening ? t.opening : file.store ? (traffic.decoded ? t.opened : t.decoding) : null}
        </span>
      </p>
      <ExerciseHints hintsHtml={hintsHtml} />
      {isPick(question.ask) ? (
        <PickAnswer
          what={question.ask.type === 'pick-message' ? 'frame' : 'exchange'}
          snapshot={traffic.snapshot}
          selection={file.store ? pointer.selection : null}
          onAnswer={send}
          t={t}
        />
      ) : (
        <ValueAnswer id={id} field={file.store ? pointer.field : null} onAnswer={send} t={t} />
      )}
      <div aria-live="polite">
        {pending && !file.store && <p className="exercise-feedback">{t.notOpened}</p>}
        <Verdict lesson={lesson} id={id} question={question} judged={judged} passedBefore={passedBefore} t={t} />
      </div>
    </ExerciseFrame>
  );
}

/** The page's verdict on the answer sent (why a miss missed), and what the class's server said of it. */
function Verdict({
  lesson,
  id,
  question,
  judged,
  passedBefore,
  t,
}: {
  lesson: string;
  id: string;
  question: CaptureQuestion;
  judged: Judged | null;
  passedBefore: boolean;
  t: CaptureQuestionStrings;
}) {
  const te = useStrings(exerciseStrings);
  const verdictNow = () => boardVerdictOf(lesson, id);
  const missCountNow = () => missCountOf(lesson, id);
  const boardVerdict = useSyncExternalStore(onBoardVerdict, verdictNow, verdictNow);
  const missCount = useSyncExternalStore(onBoardVerdict, missCountNow, missCountNow);
  const passedNow = judged?.result.passed === true;
  const missed = judged !== null && !judged.result.passed;
  return (
    <>
      {passedNow && <p className="exercise-feedback is-passed">{t.passed}</p>}
      {!passedNow && passedBefore && !missed && <p className="exercise-feedback">{te.passedBefore}</p>}
      {judged && missed && (
        <p className="exercise-feedback is-miss" data-testid="exercise-miss">
          {missText(judged, question, t)}
        </p>
      )}
      {missed && missCount && (
        <p className="exercise-feedback" data-testid="exercise-miss-count" data-counted={String(missCount.counted)}>
          {missCount.counted ? te.missCounted : te.missNotCounted(missCount.why)}
        </p>
      )}
      {(passedNow || passedBefore) && boardVerdict && !boardVerdict.passed && (
        <p className="exercise-feedback" data-testid="exercise-board-verdict">
          {te.boardRefused(boardVerdict.why)}
        </p>
      )}
    </>
  );
}

/** A value typed, or taken from the field focused in the inspector's tree. */
function ValueAnswer({ id, field, onAnswer, t }: { id: string; field: PointedField | null; onAnswer: (answer: string) => void; t: CaptureQuestionStrings }) {
  const [typed, setTyped] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim() !== '') onAnswer(typed);
  };
  return (
    <form className="exercise-answer" onSubmit={submit}>
      <label htmlFor={`answer-${id}`}>{t.valueLabel}</label>
      <input
        id={`answer-${id}`}
        data-testid="exercise-answer"
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" className="button button-primary" data-testid="exercise-submit">
        {t.check}
      </button>
      <FieldValue field={field} onUse={setTyped} t={t} />
    </form>
  );
}

/** "Answer with the selected frame": what the inspector has selected in the opened file, and the button that sends it. */
function PickAnswer({
  what,
  snapshot,
  selection,
  onAnswer,
  t,
}: {
  what: 'frame' | 'exchange';
  snapshot: CaptureSnapshot | null;
  selection: Selection | null;
  onAnswer: (answer: string, picked: string) => void;
  t: CaptureQuestionStrings;
}) {
  const lang = useLang();
  const picked = snapshot && selection ? pickOf(what, snapshot, selection) : null;
  const summary = picked && ('layer' in picked ? messageSummary(picked, lang) : `${picked.request.method} ${picked.request.target}`);
  return (
    <div className="exercise-answer exercise-pick">
      <p className="exercise-picked" data-testid="capture-picked">
        {picked ? (
          <>
            {t.selected} <strong>{summary}</strong>
          </>
        ) : selection ? (
          t.pickNotThatKind(what)
        ) : (
          t.pickNothing(what)
        )}
      </p>
      <button
        type="button"
        className="button button-primary"
        data-testid="capture-answer-pick"
        disabled={!picked}
        onClick={() => picked && summary && onAnswer('layer' in picked ? messagePick(picked) : exchangePick(picked), summary)}
      >
        {t.answerWith(what)}
      </button>
    </div>
  );
}

/** The field focused in the inspector's tree, and «Подставить значение поля». */
function FieldValue({ field, onUse, t }: { field: PointedField | null; onUse: (value: string) => void; t: CaptureQuestionStrings }) {
  if (!field || field.value === '') return <p className="exercise-field">{t.fieldNothing}</p>;
  return (
    <p className="exercise-field" data-testid="capture-field">
      {t.field} {field.title} = <code>{field.value}</code>{' '}
      <button type="button" className="button button-quiet" data-testid="capture-use-field" onClick={() => onUse(answerOfField(field.value))}>
        {t.useField}
      </button>
    </p>
  );
}

/**
 * The value a field's decoded text stands for, as a question compares it: a bit field drawn as
 * `.... .01. = 1` is its value after `=`, a code with its name (`1003 unsupported data`, `404 Not
 * Found`) is the number; any other text is itself.
 */
export function answerOfField(value: string): string {
  const text = value.trim();
  const bits = /^[.01 ]+=\s*(\S.*)$/.exec(text);
  if (bits) return bits[1]!.trim();
  const code = /^(-?\d+)\s+\p{L}/u.exec(text);
  return code ? code[1]! : text;
}

function pickOf(what: 'frame' | 'exchange', snapshot: CaptureSnapshot, selection: Selection): WireMessage | HttpExchange | null {
  if (what === 'frame') return selectedMessageIn(snapshot.messages, selection) ?? null;
  if (!('index' in selection)) return null;
  return snapshot.exchanges.find((exchange) => exchange.conn === selection.conn && exchange.index === selection.index) ?? null;
}

function messageSummary(message: WireMessage, lang: 'en' | 'ru'): string {
  return `${message.layer} · ${inspectorStrings[lang].wireSummary(message) ?? message.summary}`;
}

function missText(judged: Judged, question: CaptureQuestion, t: CaptureQuestionStrings): string {
  const { miss } = judged.result as Extract<CaptureAskResult, { passed: false }>;
  switch (miss.kind) {
    case 'wrong-pick':
      return t.wrongPick(question.ask.type === 'pick-exchange' ? 'exchange' : 'frame', judged.picked ?? miss.picked);
    case 'no-answer':
      return t.noAnswer;
    case 'no-value':
    case 'no-message':
    case 'no-request':
      return t.noValue;
    default:
      return t.wrongValue;
  }
}

/** What the class is told of a miss: a wrong answer with the answer itself (the server judges that answer over the same file). */
function reportedMiss(miss: Extract<CaptureAskResult, { passed: false }>['miss'], answer: string) {
  const attempt = captureAttemptMissOf(miss, answer);
  return attempt ? { miss: attempt } : {};
}

/** The lesson's capture file: opening it in the inspector (fetched from the build), and its store once it is open there. */
function useLessonCapture(lesson: string, file: string) {
  const name = file.split('/').pop()!;
  const captures = getOpenedCaptures();
  const state = useOpenedCaptures(captures);
  const [opening, setOpening] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const shown = state.opened?.kind === 'packets' && state.opened.name === name ? state.opened : null;
  const reading = state.reading?.name === name;

  const open = () => {
    const url = lessonCaptureUrl(lesson, file);
    setProblem(null);
    if (!url) {
      setProblem('404');
      return;
    }
    setOpening(true);
    // the dock shows the file as it arrives, and takes the focus: the student picks there
    window.dispatchEvent(new Event(OPEN_INSPECTOR_EVENT));
    fetch(url)
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const bytes = await response.arrayBuffer();
        await captures.open({ name, size: bytes.byteLength, arrayBuffer: async () => bytes });
      })
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)))
      .finally(() => setOpening(false));
  };
  return { store: shown?.store ?? null, opening: opening || reading, problem, open };
}

const noStore = () => () => undefined;
const nothing = () => null;

/** The opened file's snapshot, and its traffic once every connection is decoded with every layer it needs. */
function useCaptureTraffic(store: CaptureStore | null): { snapshot: CaptureSnapshot | null; decoded: CaptureTraffic | null } {
  const snapshot = useSyncExternalStore(store ? store.subscribe : noStore, store ? store.getSnapshot : nothing, store ? store.getSnapshot : nothing);
  // a layer another store was waiting for settles without this store changing: look again then
  const [, setLayersSettled] = useState(0);
  useEffect(() => onLayerSettled(() => setLayersSettled((count) => count + 1)), []);
  const caughtUp = store !== null && snapshot !== null && store.caughtUp();
  const decoded = useMemo(() => (caughtUp && snapshot ? { exchanges: snapshot.exchanges, messages: snapshot.messages } : null), [caughtUp, snapshot]);
  return { snapshot, decoded };
}
