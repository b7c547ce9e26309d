import { importAgain } from '../../shared/import-again.ts';
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type RefObject } from 'react';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import type { Selection } from '../inspector/exchange-sections.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { navigate, scrollToHash, takeRequestedHash } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import { LoadingNote } from '../kit/loading-note.tsx';
import { captureTimeNow } from '../kit/session.ts';
import { expectEditor, markEditorSettled, markPageShown, usePageSettled, usePageShown } from '../kit/page-shown.ts';
import { useCapturesLater } from '../inspector/use-captures-later.ts';
import { exerciseTraffic } from './exercise-traffic.ts';
import { useChunk } from '../kit/use-chunk.ts';
import { useClassroomParts } from '../kit/classroom-parts.ts';
import { CELL_LOADERS, CELL_MONACO, CELL_MONACO_MARGIN } from './cell-registry.tsx';
import { isWithinMonacoMargin } from './near-viewport-box.ts';
import type { CellKind } from './cell-kinds.ts';
import type { ExerciseCardProps } from './exercise-card.tsx';
import { trafficOfCell, type CellOwners } from './cell-traffic.ts';
import { InspectorDock } from './inspector-dock.tsx';
import { LessonPager } from './lesson-pager.tsx';
import type { LoadedLesson } from './lesson-loader.ts';
import type { LessonIndexEntry } from './lesson-types.ts';
import type { RenderedLesson, TocEntry } from './render-lesson.ts';
import { lessonStrings } from './strings.ts';
import { useProjectorAttribute } from './projector/projector-attribute.ts';
import { useCellOwners, useLoadedLesson } from './use-lesson-page.ts';
import { useInspectorFocus } from './inspector-focus.ts';

// The presenter's controls (toggle, key legend, keys) come after the text; its size comes at once.
const PresenterControls = lazy(() => importAgain(() => import('./projector/projector-mode.tsx')).then((module) => ({ default: module.PresenterControls })));
import './lessons.css';

export function LessonReader({ entry }: { entry: LessonIndexEntry }) {
  const lang = useLang();
  const t = useStrings(lessonStrings);
  const app = useStrings(appStrings);
  const state = useLoadedLesson(entry, lang);
  const { focus, inspect, readerPicked, showExchange } = useInspectorFocus();
  // Checks count only what the student does from here on; kept across a language switch.
  const [openedAt] = useState(captureTimeNow);

  const title = state.status === 'ready' ? state.rendered.title : entry.headline[lang].title;
  useEffect(() => {
    document.title = `${title} — ${app.appName}`;
  }, [title, app]);

  // Each newly loaded text (a language switch included) goes back to the heading in the hash: the
  // same heading sits at another height in the other language. Its first part's arrival, not its
  // rest's (scrollToHash waits for a heading further down; the reader may have scrolled since).
  const loadedText = state.status === 'ready' ? state.loaded.rendered : null;
  // The heading asked for by the navigation (a language switch) wins over the URL's hash, which
  // the old text's scrolling may have moved while the new text was loading.
  useLayoutEffect(() => {
    if (!loadedText) return;
    const hash = takeRequestedHash() ?? window.location.hash;
    if (!hash) return;
    if (window.location.hash !== hash) history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
    scrollToHash(hash);
  }, [loadedText]);

  useProjectorAttribute();
  // the capture store, the inspector and the presenter's controls wait for the first editor too
  const pageSettled = usePageSettled();
  const captures = useCapturesLater(pageSettled);
  useEffect(() => {
    if (state.status === 'loading') return;
    // a task of its own after the text's: the text paints first
    const timer = setTimeout(markPageShown, 0);
    return () => clearTimeout(timer);
  }, [state.status]);
  const { exchanges: allExchanges, messages: allMessages, beforeRestart, connections } = captures;
  const { exchanges, messages, relayed } = useMemo(
    () => exerciseTraffic({ exchanges: allExchanges, messages: allMessages, beforeRestart, connections }, openedAt),
    [allExchanges, allMessages, beforeRestart, connections, openedAt],
  );

  // Which cell produced which exchange: an exercise's misses come from its own cell only (cell-traffic.ts).
  const [owners, onCellExchange] = useCellOwners(showExchange);

  return (
    <div className="reader">
      <div className="reader-text">
        {state.status === 'loading' && <LoadingNote />}
        {state.status === 'failed' && (
          <p className="cell-message cell-message-error" role="alert">
            {t.loadFailed} {state.message}
          </p>
        )}
        {state.status === 'ready' && (
          <LessonText
            slug={entry.slug}
            loaded={state.loaded}
            rendered={state.rendered}
            whole={state.whole}
            exchanges={exchanges}
            messages={messages}
            relayed={relayed}
            owners={owners}
            onCellExchange={onCellExchange}
            onInspect={inspect}
          />
        )}
        {state.status === 'ready' && state.restFailed && (
          <p className="cell-message cell-message-error" role="alert">
            {t.restLoadFailed} {state.restFailed}
          </p>
        )}
      </div>
      <InspectorDock focus={focus} onPick={readerPicked} afterText={pageSettled} />
      {pageSettled && (
        <Suspense fallback={null}>
          <PresenterControls />
        </Suspense>
      )}
    </div>
  );
}

interface LessonTextProps {
  slug: string;
  loaded: LoadedLesson;
  rendered: RenderedLesson;
  /** whether the rest of the text has come (use-lesson-page.ts): until then the article is busy */
  whole: boolean;
  exchanges: readonly HttpExchange[];
  messages: readonly WireMessage[];
  /** exchanges of cells aimed at "my server": shown, never checked (exercise-traffic.ts) */
  relayed: readonly HttpExchange[];
  owners: CellOwners;
  /** the handler a cell reports its exchanges to (stable per cell) */
  onCellExchange(cellId: string): (exchange: HttpExchange) => void;
  onInspect(selection: Selection): void;
}

function LessonText({ slug, loaded, rendered, whole, exchanges, messages, relayed, owners, onCellExchange, onInspect }: LessonTextProps) {
  const articleRef = useRef<HTMLElement>(null);
  const current = useCurrentHeading(articleRef, rendered.toc);
  // each cell's own traffic, once per cell however many exercises start from it
  const trafficByCell = useMemo(() => new Map<string, ReturnType<typeof trafficOfCell>>(), [owners, exchanges, messages]);
  const ownTraffic = (cellId: string | undefined) => {
    const key = cellId ?? '';
    let traffic = trafficByCell.get(key);
    if (!traffic) {
      traffic = trafficOfCell(owners, cellId, exchanges, messages);
      trafficByCell.set(key, traffic);
    }
    return traffic;
  };

  // Links between lessons stay inside the app instead of reloading the page.
  const followLocalLinks = (event: MouseEvent<HTMLElement>) => {
    const link = (event.target as HTMLElement).closest('a');
    const href = link?.getAttribute('href');
    if (!link || !href || !href.startsWith('/') || href.startsWith('//') || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(href);
  };

  return (
    <>
      <header className="lesson-header">
        <h1>{rendered.title}</h1>
        {rendered.summaryHtml && <p className="lead" dangerouslySetInnerHTML={{ __html: rendered.summaryHtml }} />}
      </header>
      <LessonContents toc={rendered.toc} current={current} />
      <article className="lesson" ref={articleRef} onClick={followLocalLinks} aria-busy={whole ? undefined : true}>
        <FormatProblems problems={rendered.problems} />
        {rendered.blocks.map((block, index) => {
          switch (block.type) {
            case 'html':
              return <div key={index} className="prose" dangerouslySetInnerHTML={{ __html: block.html }} />;
            case 'callout':
              // a note inside the lesson's text, not a landmark of the page (an <aside> in <main> would be one)
              return <div key={index} role="note" className={`callout callout-${block.kind}`} dangerouslySetInnerHTML={{ __html: block.html }} />;
            case 'cell':
              // keyed by id, not position: a language switch keeps the cell's text and response
              return <CellSlot key={`cell-${block.id}`} id={block.id} slug={slug} loaded={loaded} onCellExchange={onCellExchange} onInspect={onInspect} />;
            case 'exercise': {
              const exercise = loaded.json.exercises?.[block.id];
              return exercise ? (
                <ExerciseCardLater
                  key={`exercise-${block.id}`}
                  lesson={slug}
                  id={block.id}
                  check={exercise.check}
                  cell={exercise.cell}
                  runOnly={exercise.runOnly}
                  promptHtml={block.promptHtml}
                  hintsHtml={block.hintsHtml}
                  exchanges={exchanges}
                  messages={messages}
                  own={ownTraffic(exercise.cell)}
                  aimedAtMine={exercise.cell !== undefined && trafficOfCell(owners, exercise.cell, relayed, []).exchanges.length > 0}
                />
              ) : (
                <p key={index} className="cell-message cell-message-error">
                  :::exercise {block.id} — lesson.json has no such exercise
                </p>
              );
            }
          }
        })}
      </article>
      <LessonTermsLater slug={slug} />
      <LessonPager slug={slug} />
    </>
  );
}

/** The lesson's contents, the heading being read marked. */
function LessonContents({ toc, current }: { toc: TocEntry[]; current: string | null }) {
  const t = useStrings(lessonStrings);
  if (toc.length === 0) return null;
  return (
    <nav className="toc" aria-label={t.contents}>
      <p className="toc-title">{t.contents}</p>
      <ol>
        {toc.map((entry) => (
          <li key={entry.id} className={`toc-depth-${entry.depth} ${entry.id === current ? 'is-current' : ''}`}>
            <a href={`#${entry.id}`} aria-current={entry.id === current ? 'location' : undefined}>
              {entry.text}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** What the lesson's own files got wrong, by line (for its author). */
function FormatProblems({ problems }: { problems: RenderedLesson['problems'] }) {
  const t = useStrings(lessonStrings);
  if (problems.length === 0) return null;
  return (
    <div className="cell-message cell-message-warning" role="note">
      <p>{t.formatProblems}</p>
      <ul>
        {problems.map((problem, index) => (
          <li key={index}>
            {problem.line}: {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A cell's place in the text: its live editor and the class's tools for it, or what lesson.json lacks. */
function CellSlot({
  id,
  slug,
  loaded,
  onCellExchange,
  onInspect,
}: {
  id: string;
  slug: string;
  loaded: LoadedLesson;
  onCellExchange(cellId: string): (exchange: HttpExchange) => void;
  onInspect(selection: Selection): void;
}) {
  return (
    <div id={`cell-${id}`} className="cell-slot">
      {id in loaded.cells ? (
        <>
          <LiveCell
            kind={loaded.json.cells?.[id]?.kind ?? ''}
            id={id}
            saveKey={`${slug}/${id}`}
            text={loaded.cells[id]}
            onExchange={onCellExchange(id)}
            onInspect={onInspect}
          />
          <ClassCellTools saveKey={`${slug}/${id}`} />
        </>
      ) : (
        <p className="cell-message cell-message-error">::cell {id} — lesson.json has no such cell</p>
      )}
    </div>
  );
}

/**
 * The heading being read: highlighted in the contents and kept in the URL's hash, so that
 * switching the language (same ids in both) lands on the same heading.
 */
function useCurrentHeading(articleRef: RefObject<HTMLElement | null>, toc: TocEntry[]): string | null {
  const [current, setCurrent] = useState<string | null>(null);
  useEffect(() => {
    const article = articleRef.current;
    if (!article || toc.length === 0) return;
    const update = () => {
      // Looked up on every scroll: a language switch replaces the text before this effect re-runs,
      // and a kept reference to a replaced (detached) heading measures top 0, so the last heading
      // (#interview) used to become current. Ids are the same in both languages.
      // A heading scrolled to lands at the page's scroll padding, which grows with what is pinned
      // under the header (a class's notices): it is the current one there, not the heading above.
      const line = Math.max(120, (Number.parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0) + 40);
      let active: string | null = null;
      for (const entry of toc) {
        const heading = document.getElementById(entry.id);
        if (heading && heading.getBoundingClientRect().top < line) active = heading.id;
      }
      setCurrent(active);
      const hash = active ? `#${active}` : '';
      if (window.location.hash !== hash) history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
    };
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(update);
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
    };
  }, [articleRef, toc]);
  return current;
}

/**
 * The cell's code as plain text while its editor's chunk arrives: readable with the lesson text,
 * about as tall as the cell will be, so the page does not jump when the cell takes its place.
 */
function CellPlaceholder({ kind, text }: { kind: CellKind; text: string }) {
  const startMonaco = useStartMonacoNearViewport(kind);
  return (
    <div ref={startMonaco} className="cell-placeholder" data-testid="cell-placeholder">
      <pre>{text}</pre>
    </div>
  );
}

/**
 * Monaco is a cell's longest wait: its import starts as soon as the placeholder comes within the
 * editors' margin of the viewport (straight from the observer, no render in between), while the
 * cell's own chunk is still on its way; and the rest of the page waits for that editor
 * (page-shown.ts, "settled"). A placeholder already near the viewport when it appears does not
 * wait for the observer: its first answer comes in a task after the frame that lays the lesson
 * out has also been drawn (under load, tens of ms); the placeholder reads its position in that
 * frame's animation callback instead, where the frame lays the page out anyway.
 */
function useStartMonacoNearViewport(kind: CellKind): (element: HTMLElement | null) => void {
  const observer = useRef<IntersectionObserver | null>(null);
  return useCallback(
    (element: HTMLElement | null) => {
      observer.current?.disconnect();
      observer.current = null;
      const start = CELL_MONACO[kind];
      if (!element || !start || typeof IntersectionObserver === 'undefined') return;
      // once, and only while this placeholder is the one watched (not after it has gone)
      const startOnce = () => {
        if (observer.current !== watching) return;
        watching.disconnect();
        observer.current = null;
        expectEditor();
        // a failed import is the editor's to report; the rest of the page need not wait for it
        start().catch(markEditorSettled);
      };
      const watching = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && startOnce(), {
        rootMargin: CELL_MONACO_MARGIN,
      });
      watching.observe(element);
      observer.current = watching;
      requestAnimationFrame(() => isWithinMonacoMargin(element.getBoundingClientRect(), innerHeight) && startOnce());
    },
    [kind],
  );
}

// The exercise cards (exercise-card.tsx, with their words and the evaluator's loader) come with the
// cells' editors, once the text is on screen: until then each shows its heading and its task,
// which read the same in the card (its status, hints and answer come with it, around them).
const loadExerciseCard = () => importAgain(() => import('./exercise-card.tsx')).then((module) => module.ExerciseCard);

function ExerciseCardLater(props: ExerciseCardProps) {
  const t = useStrings(lessonStrings);
  const Card = useChunk(loadExerciseCard, usePageShown());
  if (Card) return <Card {...props} />;
  return (
    <div role="group" className="exercise" data-testid="exercise-placeholder" aria-labelledby={`exercise-${props.id}-title`}>
      <header className="exercise-header">
        <h3 id={`exercise-${props.id}-title`} className="exercise-label">
          {t.exercise}
        </h3>
      </header>
      <div className="prose" dangerouslySetInnerHTML={{ __html: props.promptHtml }} />
    </div>
  );
}

// The class's tools under a cell (the classroom's part, web/kit/classroom-parts.ts): the leading
// teacher sends the cell, a student takes the teacher's version. Fetched once the first editor is
// up, like the class bar: nothing of it is on the way to the text or the first cell.
function ClassCellTools({ saveKey }: { saveKey: string }) {
  const Tools = useChunk(useClassroomParts().loadCellTools, usePageSettled());
  return Tools ? <Tools saveKey={saveKey} /> : null;
}

// The glossary's terms of this lesson (web/glossary/lesson-terms.tsx), under its text: the glossary
// comes once the first editor is up, like the class's tools, never on the way to the text.
const loadLessonTerms = () => importAgain(() => import('../glossary/lesson-terms.tsx')).then((module) => module.LessonTerms);

function LessonTermsLater({ slug }: { slug: string }) {
  const Terms = useChunk(loadLessonTerms, usePageSettled());
  return Terms ? <Terms slug={slug} /> : null;
}

function LiveCell({
  kind,
  id,
  saveKey,
  text,
  onExchange,
  onInspect,
}: {
  kind: string;
  id: string;
  saveKey: string;
  text: string;
  onExchange(exchange: HttpExchange): void;
  onInspect(selection: Selection): void;
}) {
  // CELL_LOADERS, not cell-kinds.ts: that one brings every console's cell-file parser along
  if (!Object.hasOwn(CELL_LOADERS, kind))
    return (
      <p className="cell-message cell-message-error">
        ::cell {id} — unknown kind "{kind}"
      </p>
    );
  return <KnownCell kind={kind as CellKind} id={id} saveKey={saveKey} text={text} onExchange={onExchange} onInspect={onInspect} />;
}

function KnownCell({
  kind,
  id,
  saveKey,
  text,
  onExchange,
  onInspect,
}: {
  kind: CellKind;
  id: string;
  saveKey: string;
  text: string;
  onExchange(exchange: HttpExchange): void;
  onInspect(selection: Selection): void;
}) {
  // The editors' chunks are fetched once the text (with every cell's code) is on screen, and the
  // cell takes its placeholder's place as soon as its chunk is in (use-chunk.ts: no Suspense).
  const pageShown = usePageShown();
  const Cell = useChunk(CELL_LOADERS[kind], pageShown);
  if (!Cell) return <CellPlaceholder kind={kind} text={text} />;
  return <Cell cellId={id} initialText={text} saveKey={saveKey} onExchange={onExchange} onInspect={onInspect} />;
}
