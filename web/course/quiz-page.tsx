import { Suspense, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import lessonIndex from 'virtual:wirelab-lesson-index';
import type { Lang } from '../kit/lang-context.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import { LoadingNote } from '../kit/loading-note.tsx';
import { selectedMessageIn, type Selection } from '../inspector/exchange-sections.ts';
import { useCaptures, type CaptureSnapshot } from '../inspector/capture-store.ts';
import { CELL_COMPONENTS } from './quiz-cells.ts';
import { InspectorDock } from '../lessons/inspector-dock.tsx';
import { useInspectorFocus } from '../lessons/inspector-focus.ts';
import { markPassed, useProgress } from '../lessons/progress.ts';
import type { HttpExchange } from '../../wire/types.ts';
import { lessonInterviewQuestions, type LessonInterviewQuestion } from '../lessons/lesson-interview.ts';
import { typesetRussian } from '../lessons/typography-ru.ts';
import { proofHref, type Proof } from './matrix-data.ts';
import { QUIZ_LEVELS, QUIZ_QUESTIONS, type QuizQuestion, type QuizQuestionText, type QuizText } from './quiz-data.ts';
import { QUIZ_PROGRESS_KEY, lessonQuestionId } from './quiz-progress-key.ts';
import { clearQuizAnswers, forgetQuizProgress, quizScore, readQuizAnswers, saveQuizAnswer, useQuizAnswers, type QuizAnswer } from './quiz-answers.ts';
import { choiceIsRight, openAnswerIsAttempt, orderIsRight, pointedAtTarget, scrambledOrder, type PointedAt } from './quiz-scoring.ts';
import { quizTextEn } from './quiz-text.en.ts';
import { quizTextRu } from './quiz-text.ru.ts';
import { courseStrings } from './strings.ts';
import '../lessons/lessons.css';
import './course.css';

const QUIZ_TEXT: Record<Lang, QuizText> = { en: quizTextEn, ru: quizTextRu };

// The lessons' texts, fetched only when the quiz opens (each its own small chunk, as in the reader).
const lessonMarkdowns = import.meta.glob<string>('../../lessons/*/*.md', { query: '?raw', import: 'default' });

interface LessonQuestions {
  slug: string;
  title: string;
  questions: LessonInterviewQuestion[];
}

async function loadLessonQuestions(lang: Lang): Promise<LessonQuestions[]> {
  const withQuestions = lessonIndex.filter((entry) => entry.interviewQuestions > 0);
  return Promise.all(
    withQuestions.map(async (entry) => {
      const load = lessonMarkdowns[`../../lessons/${entry.folder}/${lang}.md`];
      const markdown = load ? await load() : '';
      const text = lang === 'ru' ? typesetRussian(markdown) : markdown;
      return { slug: entry.slug, title: entry.headline[lang].title, questions: lessonInterviewQuestions(text) };
    }),
  );
}

/** Resolves what the inspector shows to the message or exchange the student points at. */
function resolveSelection(snapshot: CaptureSnapshot, selection: Selection | null): PointedAt {
  if (!selection) return null;
  const view = snapshot.connections.find((candidate) => candidate.connection.id === selection.conn);
  if (!view) return null;
  if ('index' in selection) {
    const exchange = view.exchanges.find((candidate) => candidate.index === selection.index);
    return exchange ? { exchange } : null;
  }
  if ('message' in selection) {
    const message = selectedMessageIn(view.messages, selection);
    return message ? { message } : null;
  }
  return null;
}

export function QuizPage() {
  const lang = useLang();
  const t = useStrings(courseStrings);
  const app = useStrings(appStrings);
  const { focus, inspect, readerPicked, showExchange } = useInspectorFocus();
  const [selection, setSelection] = useState<Selection | null>(null);
  const [lessonQuestions, setLessonQuestions] = useState<LessonQuestions[] | null>(null);
  // "Start over" remounts the cards, so each takes its (now empty) kept answer again
  const [round, setRound] = useState(0);
  const snapshot = useCaptures();
  const pointed = useMemo(() => resolveSelection(snapshot, selection), [snapshot, selection]);

  useEffect(() => {
    document.title = `${t.quizTitle} — ${app.appName}`;
  }, [t, app]);

  useEffect(() => {
    let alive = true;
    setLessonQuestions(null);
    loadLessonQuestions(lang).then((loaded) => alive && setLessonQuestions(loaded));
    return () => {
      alive = false;
    };
  }, [lang]);

  const text = QUIZ_TEXT[lang];
  return (
    <div className="reader">
      <div className="course-quiz" data-testid="quiz-page">
        <header className="lesson-header">
          <h1>{t.quizTitle}</h1>
          <p className="lead">{t.quizIntro}</p>
          <QuizScoreBar onStartOver={() => setRound(round + 1)} />
        </header>
        {QUIZ_LEVELS.map((level) => (
          <section key={`${level}-${round}`} className="quiz-level" aria-labelledby={`quiz-${level}`}>
            <h2 id={`quiz-${level}`}>{t.levels[level]}</h2>
            {QUIZ_QUESTIONS.filter((question) => question.level === level).map((question) => (
              <QuestionCard key={question.id} question={question} text={text[question.id]} pointed={pointed} onExchange={showExchange} onInspect={inspect} />
            ))}
          </section>
        ))}
        <section key={`lessons-${round}`} className="quiz-level" aria-labelledby="quiz-lessons">
          <h2 id="quiz-lessons">{t.fromLessons}</h2>
          {lessonQuestions === null && <LoadingNote />}
          {lessonQuestions?.map((lesson) => (
            <section key={lesson.slug} className="quiz-lesson">
              <h3>{lesson.title}</h3>
              {lesson.questions.map((question, index) => (
                <OpenCard
                  key={index}
                  id={lessonQuestionId(lesson.slug, index + 1)}
                  prompt={question.question}
                  answer={question.answer}
                  teach={{ lesson: lesson.slug, section: question.section }}
                  markdown
                />
              ))}
            </section>
          ))}
        </section>
      </div>
      <InspectorDock focus={focus} onSelectionChange={setSelection} onPick={readerPicked} />
    </div>
  );
}

interface QuestionCardProps {
  question: QuizQuestion;
  text: QuizQuestionText;
  pointed: PointedAt;
  onExchange(exchange: HttpExchange): void;
  onInspect(selection: Selection): void;
}

function QuestionCard({ question, text, pointed, onExchange, onInspect }: QuestionCardProps) {
  switch (question.kind) {
    case 'choice':
      return <ChoiceCard question={question} text={text} />;
    case 'order':
      return <OrderCard question={question} text={text} />;
    case 'bytes':
      return <BytesCard question={question} text={text} pointed={pointed} onExchange={onExchange} onInspect={onInspect} />;
    case 'open':
      return <OpenCard id={question.id} prompt={text.prompt} answer={text.answer} teach={question.teach} />;
  }
}

/** The frame of every question: its state (answered or not, kept in the progress store) and its link to the lesson. */
function Card({ id, kind, teach, children, prompt }: { id: string; kind: string; teach: Proof; prompt: string; children: ReactNode }) {
  const t = useStrings(courseStrings);
  const progress = useProgress();
  const kept = useQuizAnswers()[id];
  // the kept answer says it best; a question answered before answers were kept has only its pass
  const state = kept ? ('right' in kept && !kept.right ? 'wrong' : 'answered') : progress[QUIZ_PROGRESS_KEY]?.[id] ? 'answered' : 'pending';
  const answered = state === 'answered';
  return (
    <article className={`quiz-question ${answered ? 'is-answered' : ''}`} data-testid="quiz-question" data-question-id={id} data-kind={kind} data-state={state}>
      <header className="quiz-question-header">
        <p className="quiz-prompt">{prompt}</p>
        <span className={`exercise-status ${answered ? 'is-passed' : ''}`}>
          {answered ? `✓ ${t.answered}` : state === 'wrong' ? t.answeredWrong : t.notAnswered}
        </span>
      </header>
      {children}
      <TeachLink proof={teach} />
    </article>
  );
}

function TeachLink({ proof }: { proof: Proof }) {
  const lang = useLang();
  const t = useStrings(courseStrings);
  const href = proofHref(proof, lang);
  return (
    <p className="quiz-teach">
      {t.teachesIt}:{' '}
      {'lab' in proof ? (
        <a href={href} data-testid="quiz-teach-link">
          {href}
        </a>
      ) : (
        <Link href={href} data-testid="quiz-teach-link">
          {lessonIndex.find((entry) => entry.slug === proof.lesson)?.headline[lang].title ?? proof.lesson} → #{proof.section}
        </Link>
      )}
    </p>
  );
}

function Verdict({ right }: { right: boolean | null }) {
  const t = useStrings(courseStrings);
  if (right === null) return null;
  return (
    <p className={`cell-message ${right ? 'quiz-right' : 'cell-message-warning'}`} role="status" data-testid="quiz-verdict" data-right={right}>
      {right ? t.right : t.wrong}
    </p>
  );
}

function ChoiceCard({ question, text }: { question: Extract<QuizQuestion, { kind: 'choice' }>; text: QuizQuestionText }) {
  const t = useStrings(courseStrings);
  const [kept] = useState(() => keptAnswer(question.id, 'choice'));
  const [picked, setPicked] = useState<string[]>(() => kept?.picked.filter((option) => question.options.includes(option)) ?? []);
  const [right, setRight] = useState<boolean | null>(kept?.right ?? null);
  const several = question.correct.length > 1;
  const check = (event: FormEvent) => {
    event.preventDefault();
    const isRight = choiceIsRight(question, picked);
    setRight(isRight);
    saveQuizAnswer(question.id, { kind: 'choice', picked, right: isRight });
    if (isRight) markPassed(QUIZ_PROGRESS_KEY, question.id);
  };
  return (
    <Card id={question.id} kind="choice" teach={question.teach} prompt={text.prompt}>
      <form onSubmit={check}>
        <fieldset className="quiz-options">
          <legend className="visually-hidden">{text.prompt}</legend>
          {question.options.map((option) => (
            <label key={option} className="choose-option">
              <input
                type={several ? 'checkbox' : 'radio'}
                name={`quiz-${question.id}`}
                value={option}
                data-option={option}
                checked={picked.includes(option)}
                onChange={(event) => {
                  setRight(null);
                  setPicked(several ? (event.currentTarget.checked ? [...picked, option] : picked.filter((item) => item !== option)) : [option]);
                }}
              />
              {text.options?.[option]}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" data-testid="quiz-check" disabled={picked.length === 0}>
          {t.check}
        </button>
      </form>
      <Verdict right={right} />
      {right && <p className="quiz-explain">{text.answer}</p>}
    </Card>
  );
}

function OrderCard({ question, text }: { question: Extract<QuizQuestion, { kind: 'order' }>; text: QuizQuestionText }) {
  const t = useStrings(courseStrings);
  const [kept] = useState(() => keptAnswer(question.id, 'order'));
  const [order, setOrder] = useState(() => (kept && isPermutation(kept.order, question.items) ? kept.order : scrambledOrder(question.items)));
  const [right, setRight] = useState<boolean | null>(kept?.right ?? null);
  const move = (index: number, by: -1 | 1) => {
    const next = [...order];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    setOrder(next);
    setRight(null);
  };
  const check = () => {
    const isRight = orderIsRight(question, order);
    setRight(isRight);
    saveQuizAnswer(question.id, { kind: 'order', order, right: isRight });
    if (isRight) markPassed(QUIZ_PROGRESS_KEY, question.id);
  };
  return (
    <Card id={question.id} kind="order" teach={question.teach} prompt={text.prompt}>
      <ol className="quiz-order">
        {order.map((item, index) => (
          <li key={item} data-item={item}>
            <span>{text.items?.[item]}</span>
            <span className="quiz-order-buttons">
              <button
                type="button"
                className="button button-quiet"
                aria-label={`${t.moveUp}: ${text.items?.[item]}`}
                disabled={index === 0}
                onClick={() => move(index, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button-quiet"
                aria-label={`${t.moveDown}: ${text.items?.[item]}`}
                disabled={index === order.length - 1}
                onClick={() => move(index, 1)}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ol>
      <button type="button" className="button" data-testid="quiz-check" onClick={check}>
        {t.check}
      </button>
      <Verdict right={right} />
      {right && <p className="quiz-explain">{text.answer}</p>}
    </Card>
  );
}

function BytesCard({
  question,
  text,
  pointed,
  onExchange,
  onInspect,
}: { question: Extract<QuizQuestion, { kind: 'bytes' }> } & Omit<QuestionCardProps, 'question'>) {
  const t = useStrings(courseStrings);
  const [right, setRight] = useState<boolean | null>(() => keptAnswer(question.id, 'bytes')?.right ?? null);
  const Cell = CELL_COMPONENTS[question.cell.kind];
  const summary = !pointed
    ? null
    : 'message' in pointed
      ? pointed.message.summary
      : `${pointed.exchange.request.method} ${pointed.exchange.request.target}${pointed.exchange.response ? ` → ${pointed.exchange.response.status}` : ''}`;
  const answer = () => {
    const isRight = pointedAtTarget(question.target, pointed);
    setRight(isRight);
    saveQuizAnswer(question.id, { kind: 'bytes', right: isRight });
    if (isRight) markPassed(QUIZ_PROGRESS_KEY, question.id);
  };
  return (
    <Card id={question.id} kind="bytes" teach={question.teach} prompt={text.prompt}>
      <div className="cell-slot">
        <Suspense fallback={<LoadingNote />}>
          <Cell cellId={`quiz-${question.id}`} initialText={question.cell.text} onExchange={onExchange} onInspect={onInspect} />
        </Suspense>
      </div>
      <p className="quiz-pointed" data-testid="quiz-pointed">
        {summary ? (
          <>
            {t.selected} <code>{summary}</code>
          </>
        ) : (
          t.nothingSelected
        )}{' '}
        <span className="quiz-hint">{t.bytesHint}</span>
      </p>
      <button type="button" className="button" data-testid="quiz-this-one" disabled={!pointed} onClick={answer}>
        {t.thisOne}
      </button>
      {right === false && (
        <p className="cell-message cell-message-warning" role="status" data-testid="quiz-verdict" data-right="false">
          {t.notThisOne}
        </p>
      )}
      {right && (
        <>
          <Verdict right />
          <p className="quiz-explain">{text.answer}</p>
        </>
      )}
    </Card>
  );
}

function OpenCard({ id, prompt, answer, teach, markdown = false }: { id: string; prompt: string; answer: string | null; teach: Proof; markdown?: boolean }) {
  const t = useStrings(courseStrings);
  const progress = useProgress();
  const [kept] = useState(() => keptAnswer(id, 'open'));
  const [draft, setDraft] = useState(kept?.text ?? '');
  const [shown, setShown] = useState(kept !== null);
  const [tooShort, setTooShort] = useState(false);
  const attemptedBefore = Boolean(progress[QUIZ_PROGRESS_KEY]?.[id]);
  const reveal = (event: FormEvent) => {
    event.preventDefault();
    if (!openAnswerIsAttempt(draft) && !attemptedBefore) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    setShown(true);
    saveQuizAnswer(id, { kind: 'open', text: draft });
    markPassed(QUIZ_PROGRESS_KEY, id);
  };
  return (
    <Card id={id} kind="open" teach={teach} prompt={markdown ? plainInline(prompt) : prompt}>
      <form onSubmit={reveal}>
        <label className="quiz-open">
          <span>{t.yourAnswer}</span>
          <textarea rows={3} value={draft} data-testid="quiz-open-answer" onChange={(event) => setDraft(event.currentTarget.value)} />
        </label>
        <button type="submit" className="button" data-testid="quiz-reveal">
          {t.showModel}
        </button>
      </form>
      {tooShort && (
        <p className="cell-message cell-message-warning" role="alert">
          {t.attemptFirst}
        </p>
      )}
      {shown && (
        <div className="quiz-model" data-testid="quiz-model">
          <p className="quiz-model-title">{t.modelAnswer}</p>
          {answer === null ? <p>{t.noModelAnswer}</p> : markdown ? <p dangerouslySetInnerHTML={{ __html: inlineMarkdown(answer) }} /> : <p>{answer}</p>}
        </div>
      )}
    </Card>
  );
}

/** The answer this browser kept for a question, if it is of the question's kind. */
function keptAnswer<K extends QuizAnswer['kind']>(id: string, kind: K): Extract<QuizAnswer, { kind: K }> | null {
  const answer = readQuizAnswers()[id];
  return answer?.kind === kind ? (answer as Extract<QuizAnswer, { kind: K }>) : null;
}

/** A kept order is shown again only if it still holds the question's items (the question may have changed since). */
function isPermutation(order: readonly string[], items: readonly string[]): boolean {
  return order.length === items.length && [...order].sort().join('\n') === [...items].sort().join('\n');
}

const CHECKABLE_IDS = QUIZ_QUESTIONS.filter((question) => question.kind !== 'open').map((question) => question.id);
// every open question: the quiz's own and each lesson's (counted from the index, before the lessons' texts load)
const OPEN_IDS = [
  ...QUIZ_QUESTIONS.filter((question) => question.kind === 'open').map((question) => question.id),
  ...lessonIndex.flatMap((lesson) => Array.from({ length: lesson.interviewQuestions }, (_, index) => lessonQuestionId(lesson.slug, index + 1))),
];

/** The score (right of answered, of all) and "start over", which forgets the answers after a confirm. */
function QuizScoreBar({ onStartOver }: { onStartOver(): void }) {
  const t = useStrings(courseStrings);
  const score = quizScore(useQuizAnswers(), CHECKABLE_IDS, OPEN_IDS);
  const [confirming, setConfirming] = useState(false);
  const startOver = () => {
    clearQuizAnswers();
    forgetQuizProgress();
    setConfirming(false);
    onStartOver();
  };
  return (
    <section
      className="quiz-score"
      aria-labelledby="quiz-score-title"
      data-testid="quiz-score"
      data-right={score.right}
      data-answered={score.answered}
      data-total={score.total}
      data-open={score.openAnswered}
    >
      <h2 id="quiz-score-title" className="quiz-score-title">
        {t.scoreTitle}
      </h2>
      <p aria-live="polite">
        <strong>{t.score(score.right, score.answered, score.total)}</strong>
        <br />
        {t.openScore(score.openAnswered, score.openTotal)}
      </p>
      <p className="muted">{t.scoreKept}</p>
      {confirming ? (
        <div className="quiz-start-over" role="group" aria-label={t.startOver}>
          <p>{t.startOverQuestion}</p>
          <button type="button" className="button button-danger" data-testid="quiz-start-over-confirm" onClick={startOver} autoFocus>
            {t.startOverConfirm}
          </button>{' '}
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {t.cancel}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button button-quiet"
          data-testid="quiz-start-over"
          disabled={score.answered + score.openAnswered === 0}
          onClick={() => setConfirming(true)}
        >
          {t.startOver}
        </button>
      )}
    </section>
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

/** The lessons' answers use only inline markdown: code, bold, italics (escaped first, so nothing else gets through). */
function inlineMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\*(.+?)\*/g, '<em>$1</em>');
}

function plainInline(text: string): string {
  return text.replace(/`([^`]+)`/g, '$1').replace(/\*\*?(.+?)\*\*?/g, '$1');
}
