// The Monaco modules the cell editors load lazily, one download each for the whole page. A cell's
// placeholder may have started the same import already
// (web/lessons/cell-registry.tsx, CELL_MONACO): the browser fetches a module once.
import { importAgain } from '../../shared/import-again.ts';

type HttpMonaco = typeof import('./http/monaco-setup.ts');
type JsonMonaco = typeof import('./grpc/json-language.ts');
type GraphqlMonaco = typeof import('./graphql/graphql-language.ts');

/** One import for the page; a failure (null) leaves the editors on their plain text areas. */
function loaderOf<T>(load: () => Promise<T>, whatStaysPlain: string): () => Promise<T | null> {
  let promise: Promise<T | null> | null = null;
  return () =>
    (promise ??= load().catch((error: unknown) => {
      console.warn(`Monaco could not load; ${whatStaysPlain} stay plain text areas.`, error);
      return null;
    }));
}

/** Monaco with the cells' HTTP language: the http cells. */
export const loadHttpMonaco = loaderOf<HttpMonaco>(() => importAgain(() => import('./http/monaco-setup.ts')), 'the cells');
/** Monaco with the JSON language service and its worker: the gRPC cells and the protobuf workbench. */
export const loadJsonMonaco = loaderOf<JsonMonaco>(() => importAgain(() => import('./grpc/json-language.ts')), 'the gRPC cells');
/** Monaco with the GraphQL language: the GraphQL cells. */
export const loadGraphqlMonaco = loaderOf<GraphqlMonaco>(() => importAgain(() => import('./graphql/graphql-language.ts')), 'the GraphQL cells');

let nextTurn: Promise<void> = Promise.resolve();

/** After the next frame has been drawn (or 200 ms, in a hidden tab that draws none). */
function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 200);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/**
 * Editors start one at a time, a frame apart: editors that come near the view together (a gRPC
 * cell's message editor and the http cell below it) were otherwise all created in one task of
 * 200 ms, and the first was drawn only after the last. The first editor starts at once.
 */
export function editorTurn(): Promise<void> {
  const turn = nextTurn;
  nextTurn = turn.then(afterNextFrame);
  return turn;
}
