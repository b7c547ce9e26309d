// The starting point of a gRPC cell: `lessons/<lesson>/cells/*.grpc.json` (lessons/README.md).
// Pure: the lesson-format check runs it in Node, and the lesson reader's bundle carries it, so it
// must not pull in the protobuf schemas (whether the method exists is checked by the lesson test).

export const GRPC_PROTOCOLS = ['connect-json', 'connect-binary', 'grpc-web'] as const;
export type GrpcProtocol = (typeof GRPC_PROTOCOLS)[number];

/** The server refuses deadlines above 5 minutes (server/protocols/grpc/README.md, Limits). */
export const GRPC_MAX_TIMEOUT_MS = 300_000;

export interface GrpcCellConfig {
  /** "package.Service/Method" */
  method: string;
  protocol: GrpcProtocol;
  /** protobuf JSON of the method's input (for streaming requests: the first message to send) */
  request: Record<string, unknown>;
  /** request metadata: lower-case header names, string values */
  metadata: Record<string, string>;
  timeoutMs?: number;
}

const KNOWN_KEYS = new Set(['method', 'protocol', 'request', 'metadata', 'timeoutMs']);
const METHOD_PATH = /^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*\/[A-Za-z_]\w*$/;
/** An HTTP field name (RFC 9110 token), lower case as gRPC metadata must be. */
const METADATA_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
/** a text metadata value: printable ASCII (binary values travel base64-encoded in `-bin` keys) */
const METADATA_VALUE = /^[\x20-\x7e]*$/;

export type MetadataProblem = 'syntax' | 'name' | 'value';

export type GrpcCellParse = { ok: true; config: GrpcCellConfig } | { ok: false; problems: string[] };

export function parseGrpcCell(text: string): GrpcCellParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  if (!isPlainObject(json)) return { ok: false, problems: ['the cell must be a JSON object'] };
  const problems: string[] = [];
  for (const key of Object.keys(json)) if (!KNOWN_KEYS.has(key)) problems.push(`unknown field "${key}"`);

  const method = typeof json.method === 'string' ? json.method.replace(/^\//, '') : '';
  if (!METHOD_PATH.test(method)) problems.push('"method" must be "package.Service/Method", e.g. "wirelab.users.v1.UserService/GetUser"');

  const protocol = json.protocol ?? 'connect-json';
  if (typeof protocol !== 'string' || !(GRPC_PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.push(`"protocol" must be one of ${GRPC_PROTOCOLS.join(', ')}`);
  }

  const request = json.request ?? {};
  if (!isPlainObject(request)) problems.push('"request" must be a JSON object (the protobuf JSON of the input message)');

  const metadata = json.metadata ?? {};
  if (!isPlainObject(metadata)) problems.push('"metadata" must be an object of header names to string values');
  else {
    for (const [name, value] of Object.entries(metadata)) {
      if (!METADATA_NAME.test(name)) problems.push(`metadata name "${name}" must be a lower-case header name`);
      if (typeof value !== 'string') problems.push(`metadata "${name}" must be a string`);
    }
  }

  const timeoutMs = json.timeoutMs;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || (timeoutMs as number) < 1 || (timeoutMs as number) > GRPC_MAX_TIMEOUT_MS)) {
    problems.push(`"timeoutMs" must be a whole number of milliseconds from 1 to ${GRPC_MAX_TIMEOUT_MS}`);
  }

  if (problems.length > 0) return { ok: false, problems };
  const config: GrpcCellConfig = {
    method,
    protocol: protocol as GrpcProtocol,
    request: request as Record<string, unknown>,
    metadata: metadata as Record<string, string>,
  };
  if (timeoutMs !== undefined) config.timeoutMs = timeoutMs as number;
  return { ok: true, config };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Metadata typed in the cell's metadata box: one `name: value` per line, `#` lines ignored.
 * Returns the problems by line, so the box can say what is wrong.
 */
export function parseMetadataLines(text: string): { ok: true; metadata: Record<string, string> } | { ok: false; line: number; problem: MetadataProblem } {
  const metadata: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, line: index + 1, problem: 'syntax' };
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!METADATA_NAME.test(name)) return { ok: false, line: index + 1, problem: 'name' };
    const value = line.slice(colon + 1).trim();
    // gRPC's ASCII-Value (PROTOCOL-HTTP2.md); fetch would refuse some of the rest with a bare TypeError
    if (!METADATA_VALUE.test(value)) return { ok: false, line: index + 1, problem: 'value' };
    metadata[name] = value;
  }
  return { ok: true, metadata };
}

export function metadataToLines(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}
