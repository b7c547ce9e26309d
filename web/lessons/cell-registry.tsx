import { lazy, type ComponentType } from 'react';
import type { CellKind } from './cell-kinds.ts';
import type { CellProps } from './cell-props.ts';

// Each editor is its own chunk: a lesson pulls only the editors it uses.
export const CELL_COMPONENTS: Record<CellKind, ComponentType<CellProps>> = {
  http: lazy(() => import('../editors/http/http-cell.tsx').then((m) => ({ default: m.HttpCell }))),
  websocket: lazy(() => import('../editors/websocket/websocket-cell.tsx').then((m) => ({ default: m.WebSocketCell }))),
  socketio: lazy(() => import('../editors/socketio/socketio-cell.tsx').then((m) => ({ default: m.SocketIoCell }))),
  sse: lazy(() => import('../editors/sse/sse-cell.tsx').then((m) => ({ default: m.SseCell }))),
  longpoll: lazy(() => import('../editors/longpoll/longpoll-cell.tsx').then((m) => ({ default: m.LongPollCell }))),
  graphql: lazy(() => import('../editors/graphql/graphql-cell.tsx').then((m) => ({ default: m.GraphqlCell }))),
  grpc: lazy(() => import('../editors/grpc/grpc-cell.tsx').then((m) => ({ default: m.GrpcCell }))),
  protobuf: lazy(() => import('../editors/protobuf-workbench/protobuf-workbench-cell.tsx').then((m) => ({ default: m.ProtobufWorkbenchCell }))),
  mqtt: lazy(() => import('../editors/mqtt/mqtt-cell.tsx').then((m) => ({ default: m.MqttCell }))),
  pipeline: lazy(() => import('../editors/pipeline/pipeline-cell.tsx').then((m) => ({ default: m.PipelineCell }))),
};
