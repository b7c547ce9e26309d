// The cell kinds a lesson.json may use (lessons/README.md). Pure data so the format check can
// run without React; web/lessons/cell-registry.tsx maps each kind to its editor.
import { parseWebSocketCell } from '../editors/websocket/ws-cell-config.ts';
import { parseSocketIoCell } from '../editors/socket-io/sio-cell-config.ts';
import { parseSseCell } from '../editors/sse/sse-cell-config.ts';
import { parseLongPollCell } from '../editors/long-polling/poll-cell-config.ts';
import { graphqlCellProblems } from '../editors/graphql/cell-problems.ts';
import { parseGrpcCell } from '../editors/grpc/grpc-cell-config.ts';
import { parseProtobufCell } from '../editors/protobuf-workbench/workbench-cell-config.ts';
import { parseMqttCell } from '../editors/mqtt/mqtt-cell-config.ts';
import { parsePipelineCell } from '../editors/pipeline/pipeline-cell-config.ts';
import { parseOwnServerCell } from '../editors/own-server/own-server-cell-config.ts';
export const CELL_KINDS = ['http', 'websocket', 'socket-io', 'sse', 'long-polling', 'graphql', 'grpc', 'protobuf', 'mqtt', 'pipeline', 'own-server'] as const;

export type CellKind = (typeof CELL_KINDS)[number];

export function isCellKind(kind: string): kind is CellKind {
  return (CELL_KINDS as readonly string[]).includes(kind);
}

/**
 * Kinds whose cell file is JSON with a shape of its own: the name it must end with and its
 * checker (the console's own parser), so a malformed file is a lesson-format error.
 */
export const CELL_FILE_FORMATS: Partial<Record<CellKind, { suffix: string; problems(text: string): string[] }>> = {
  websocket: { suffix: '.ws.json', problems: (text) => problemsOf(parseWebSocketCell(text)) },
  'socket-io': { suffix: '.sio.json', problems: (text) => problemsOf(parseSocketIoCell(text)) },
  sse: { suffix: '.sse.json', problems: (text) => problemsOf(parseSseCell(text)) },
  'long-polling': { suffix: '.poll.json', problems: (text) => problemsOf(parseLongPollCell(text)) },
  graphql: { suffix: '.graphql', problems: graphqlCellProblems },
  grpc: { suffix: '.grpc.json', problems: (text) => problemsOf(parseGrpcCell(text)) },
  protobuf: { suffix: '.pb.json', problems: (text) => problemsOf(parseProtobufCell(text)) },
  mqtt: { suffix: '.mqtt.json', problems: (text) => problemsOf(parseMqttCell(text)) },
  pipeline: { suffix: '.pipeline.json', problems: (text) => problemsOf(parsePipelineCell(text)) },
  'own-server': { suffix: '.own-server.json', problems: (text) => problemsOf(parseOwnServerCell(text)) },
};

function problemsOf(parsed: { ok: true } | { ok: false; problems: string[] }): string[] {
  return parsed.ok ? [] : parsed.problems;
}
