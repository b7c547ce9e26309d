import { useCallback, useEffect, useRef, useState } from 'react';
import type { HttpExchange } from '../../wire/types.ts';
import type { Lang } from '../kit/lang-context.ts';
import { withOwner, type CellOwners } from './cell-traffic.ts';
import { loadLesson, type LoadedLesson } from './lesson-loader.ts';
import type { LessonIndexEntry } from './lesson-types.ts';
import type { RenderedLesson } from './render-lesson.ts';

export type ReaderState = { status: 'loading' } | { status: 'ready'; loaded: LoadedLesson; rendered: RenderedLesson } | { status: 'failed'; message: string };

/** The lesson's files in the language, loaded again when either changes (a late answer for the old one is dropped). */
export function useLoadedLesson(entry: LessonIndexEntry, lang: Lang): ReaderState {
  const [state, setState] = useState<ReaderState>({ status: 'loading' });
  useEffect(() => {
    let alive = true;
    loadLesson(entry, lang).then(
      (loaded) => alive && setState({ status: 'ready', loaded, rendered: loaded.rendered }),
      (error: unknown) => alive && setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      alive = false;
    };
  }, [entry, lang]);
  return state;
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
