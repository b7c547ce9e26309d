// The starting point of a protobuf workbench cell: `lessons/<lesson>/cells/*.pb.json`
// (lessons/README.md). Pure and schema-free: the lesson reader's bundle carries it, and the
// descriptors stay in the workbench's lazy chunk (workbench-model.test.ts checks every cell's
// type exists and its value encodes).

export interface ProtobufCellConfig {
  /** full name of the message type, e.g. "wirelab.users.v1.User" */
  message: string;
  /** the starting value in protobuf JSON */
  value: Record<string, unknown>;
}

export type ProtobufCellParse = { ok: true; config: ProtobufCellConfig } | { ok: false; problems: string[] };

const TYPE_NAME = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/;

export function parseProtobufCell(text: string): ProtobufCellParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problems: ['the file must hold a JSON object { "message": "package.Type", "value": { … } }'] };
  }
  const record = json as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record)) if (key !== 'message' && key !== 'value') problems.push(`unknown field "${key}"`);
  if (typeof record.message !== 'string' || !TYPE_NAME.test(record.message)) {
    problems.push('"message" must be a full message type name, e.g. "wirelab.users.v1.User"');
  }
  const value = record.value ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push('"value" must be a JSON object (the message in protobuf JSON)');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { message: record.message as string, value: value as Record<string, unknown> } };
}
