import { importAgain } from '../../shared/import-again.ts';
import type { ComponentType } from 'react';
import type { CellKind } from './cell-kinds.ts';
import type { CellProps } from '../editors/cell-props.ts';

// Each editor is its own chunk: a lesson pulls only the editors it uses.
export const CELL_LOADERS: Record<CellKind, () => Promise<ComponentType<CellProps>>> = {
  http: () => importAgain(() => import('../editors/http/http-cell.tsx')).then((m) => m.HttpCell),
  websocket: () => importAgain(() => import('../editors/websocket/websocket-cell.tsx')).then((m) => m.WebSocketCell),
  'socket-io': () => importAgain(() => import('../editors/socket-io/socket-io-cell.tsx')).then((m) => m.SocketIoCell),
  sse: () => importAgain(() => import('../editors/sse/sse-cell.tsx')).then((m) => m.SseCell),
  'long-polling': () => importAgain(() => import('../editors/long-polling/long-polling-cell.tsx')).then((m) => m.LongPollCell),
  graphql: () => importAgain(() => import('../editors/graphql/graphql-cell.tsx')).then((m) => m.GraphqlCell),
  grpc: () => importAgain(() => import('../editors/grpc/grpc-cell.tsx')).then((m) => m.GrpcCell),
  protobuf: () => importAgain(() => import('../editors/protobuf-workbench/protobuf-workbench-cell.tsx')).then((m) => m.ProtobufWorkbenchCell),
  mqtt: () => importAgain(() => import('../editors/mqtt/mqtt-cell.tsx')).then((m) => m.MqttCell),
  pipeline: () => importAgain(() => import('../editors/pipeline/pipeline-cell.tsx')).then((m) => m.PipelineCell),
  'own-server': () => importAgain(() => import('../editors/own-server/own-server-cell.tsx')).then((m) => m.OwnServerCell),
};

/**
 * The Monaco each kind's editors take (web/editors/monaco-loaders.ts), for the cell's placeholder
 * to start as the cell nears the viewport: beside the cell's own chunk, not after it. The same
 * module URLs as the editors' imports, so the browser fetches and runs each once.
 */
const jsonMonaco = () => importAgain(() => import('../editors/grpc/json-language.ts'));
export const CELL_MONACO: Partial<Record<CellKind, () => Promise<unknown>>> = {
  http: () => importAgain(() => import('../editors/http/monaco-setup.ts')),
  // one import for both: each import is written out, with its chunks' list, in this chunk
  grpc: jsonMonaco,
  protobuf: jsonMonaco,
  graphql: () => importAgain(() => import('../editors/graphql/graphql-language.ts')),
};

/**
 * How near the viewport a placeholder starts its Monaco: the editors' own margin
 * (MONACO_PRELOAD_MARGIN, use-near-viewport.ts; cell-registry.test.ts holds them equal). A copy,
 * not an import: importing it would add the editors' shared chunk to the scripts before the text.
 */
export const CELL_MONACO_MARGIN = '50% 0px';
