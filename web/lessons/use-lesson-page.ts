import { useCallback, useEffect, useRef, useState } from 'react';
import type { HttpExchange } from '../../wire/types.ts';
import type { Lang } from '../kit/lang-context.ts';
import { withOwner, type CellOwners } from './cell-traffic.ts';
import { loadLesson, type LessonMore, type LoadedLesson } from './lesson-loader.ts';
import type { LessonIndexEntry } from './lesson-types.ts';
import type { RenderedLesson } from './render-lesson.ts';
import { isPageSettled, onPageSettled } from '../kit/page-shown.ts';

function whenSettled(): Promise<void> {
  return new Promise((resolve) => (isPageSettled() ? resolve() : onPageSettled(resolve)));
}

export type ReaderState =
  | { status: 'loading' }
  | {
      status: 'ready';
      loaded: LoadedLesson;
      /** the text so far: its first part, then all of it */
      rendered: RenderedLesson;
      /** whether the rest of the text has come (or there is none) */
      whole: boolean;
      /** why the rest of the text did not come */
      restFailed?: string;
    }
  | { status: 'failed'; message: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The lesson's files in the language, loaded again when either changes (a late answer for the old one is dropped). */
export function useLoadedLesson(entry: LessonIndexEntry, lang: Lang): ReaderState {
  const [state, setState] = useState<ReaderState>({ status: 'loading' });
  useEffect(() => {
    let alive = true;
    loadLesson(entry, lang).then(
      (loaded) => alive && setState({ status: 'ready', loaded, rendered: loaded.rendered, whole: loaded.more === null }),
      (error: unknown) => alive && setState({ status: 'failed', message: messageOf(error) }),
    );
    return () => {
      alive = false;
    };
  }, [entry, lang]);

  // The rest of the text, asked for once its first part is on the page (an effect runs after the
  // commit that shows it): not one of the scripts on the way to the first cell. A link to a
  // heading in it waits for it (scrollToHash); no cell of it is near the viewport before it comes.
  const more = state.status === 'ready' && !state.whole ? state.loaded.more : null;
  useEffect(() => {
    if (!more) return;
    let alive = true;
    // only into the text it belongs to (a language switch loads another, with its own `more`)
    const into = (change: (ready: ReaderState & { status: 'ready' }) => ReaderState) => {
      if (alive) setState((previous) => (previous.status === 'ready' && previous.loaded.more === more ? change(previous) : previous));
    };
    more().then(
      // into the page once it has settled (its first editor up, or none expected; at most 3 s after
      // the text): rendering the rest and its cells shared the main thread with Monaco's start
      ({ default: rest }) => whenSettled().then(() => into((ready) => withRest(ready, rest))),
      (error: unknown) => into((ready) => ({ ...ready, whole: true, restFailed: messageOf(error) })),
    );
    return () => {
      alive = false;
    };
  }, [more]);
  return state;
}

/** The text with its rest after its first part, and the rest's cells. */
function withRest(ready: ReaderState & { status: 'ready' }, rest: LessonMore): ReaderState {
  return {
    ...ready,
    whole: true,
    loaded: { ...ready.loaded, cells: { ...ready.loaded.cells, ...rest.cells } },
    rendered: { ...ready.rendered, blocks: [...ready.rendered.blocks, ...rest.blocks] },
  };
}

/**
 * Which cell produced which exchange: an exercise's misses come from its own cell only
 * (cell-traffic.ts). `onCellExchange(cellId)` is the handler a cell reports to, stable per cell;
 * it also passes the exchange on to `showExchange`.
 */
export function useCellOwners(showExchange: (exchange: HttpExchange) => void) {
  const [owners, setOwners] = useState<CellOwners>(() => new Map());
  const cellExchangeHandlers = useRef(new Map<string, (exchange: HttpExchange) => void>());
  const onCellExchange = useCallback(
    (cellId: string) => {
      let handler = cellExchangeHandlers.current.get(cellId);
      if (!handler) {
        handler = (exchange: HttpExchange) => {
          setOwners((previous) => withOwner(previous, exchange, cellId));
          showExchange(exchange);
        };
        cellExchangeHandlers.current.set(cellId, handler);
      }
      return handler;
    },
    [showExchange],
  );
  return [owners, onCellExchange] as const;
}
