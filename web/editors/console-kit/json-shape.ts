// Small shape checks for the realtime cells' JSON files (lessons/README.md, "Cell files").
// A malformed cell file is an authoring mistake: the lesson format test names every problem at
// once, in English, with the path of the offending value.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a cell file's JSON text; the error names the position JSON.parse reported. */
export function parseCellJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problem: `not valid JSON: ${(error as Error).message}` };
  }
}

/** Every key of `value` outside `allowed`, as problems. */
export function unknownKeys(where: string, value: JsonObject, allowed: readonly string[]): string[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where} has unknown field "${key}" (allowed: ${allowed.join(', ')})`);
}

/** A path on this page's own server: the consoles never connect elsewhere. */
export function samePagePathProblem(where: string, value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return `${where} must be a path such as "/ws/echo"`;
  if (!value.startsWith('/') || value.startsWith('//'))
    return `${where} "${value}" must start with a single "/": the console connects only to this page's server`;
  if (/\s/.test(value)) return `${where} "${value}" contains white space`;
  return null;
}
