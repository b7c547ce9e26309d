// What a gRPC cell holds while the student edits it (kept across reloads by saved-cell-state),
// and that text turned into a call: the method, the request, the metadata, the deadline.
import type { DescMethod, JsonValue, Registry } from '@bufbuild/protobuf';
import { GRPC_MAX_TIMEOUT_MS, metadataToLines, parseGrpcCell, parseMetadataLines, type GrpcCellConfig, type GrpcProtocol } from './grpc-cell-config.ts';
import { findMethod } from './method-catalog.ts';
import type { grpcEditorStrings } from './strings.ts';

export interface GrpcInputs {
  method: string;
  protocol: GrpcProtocol;
  requestText: string;
  metadataText: string;
  deadlineText: string;
}

export function inputsOf(config: GrpcCellConfig): GrpcInputs {
  return {
    method: config.method,
    protocol: config.protocol,
    requestText: JSON.stringify(config.request, null, 2),
    metadataText: metadataToLines(config.metadata),
    deadlineText: config.timeoutMs === undefined ? '' : String(config.timeoutMs),
  };
}

/** The cell file is checked by the lesson-format test; a broken one still gives a usable cell. */
export function initialInputs(text: string): { inputs: GrpcInputs; problems: string[] } {
  const parsed = parseGrpcCell(text);
  if (parsed.ok) return { inputs: inputsOf(parsed.config), problems: [] };
  return {
    inputs: { method: 'wirelab.users.v1.UserService/GetUser', protocol: 'connect-json', requestText: '{}', metadataText: '', deadlineText: '' },
    problems: parsed.problems,
  };
}

export type PreparedCall =
  | { ok: true; method: DescMethod; request: JsonValue; metadata: Record<string, string>; timeoutMs?: number }
  | { ok: false; problem: string };

type Strings = (typeof grpcEditorStrings)['en'];

/** The inputs as a call, or the first thing wrong with them, in the page's language. */
export function prepareCall(inputs: GrpcInputs, registry: Registry, t: Strings): PreparedCall {
  const chosen = findMethod(inputs.method, registry);
  if (!chosen) return { ok: false, problem: t.unknownMethod(inputs.method) };
  let request: JsonValue;
  try {
    request = JSON.parse(inputs.requestText === '' ? '{}' : inputs.requestText) as JsonValue;
  } catch (error) {
    return { ok: false, problem: t.jsonProblem((error as Error).message) };
  }
  const metadata = parseMetadataLines(inputs.metadataText);
  if (!metadata.ok) return { ok: false, problem: t.metadataProblem(metadata.line, metadata.problem) };
  const deadline = inputs.deadlineText.trim();
  if (deadline === '') return { ok: true, method: chosen, request, metadata: metadata.metadata };
  const timeoutMs = Number(deadline);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > GRPC_MAX_TIMEOUT_MS) return { ok: false, problem: t.deadlineProblem(GRPC_MAX_TIMEOUT_MS) };
  return { ok: true, method: chosen, request, metadata: metadata.metadata, timeoutMs };
}
