// The text of a graphql cell (lessons/README.md, "graphql cells"): the GraphQL document, then
// optional sections, each opened by a line of its own:
//
//   query User($id: ID!) { user(id: $id) { name } }
//
//   ### variables
//   { "id": "1" }
//
//   ### headers
//   x-wirelab-batching: off
//
// A section line starts with "#", so the whole file is still a valid GraphQL document.
import { BATCHING_HEADER } from '../../../contracts/graphql-extras/extras.ts';

export interface GraphqlCellSource {
  document: string;
  /** JSON text of the variables, '' when none */
  variables: string;
  /** "Name: value" lines */
  headers: string;
}

const SECTION = /^###\s*(variables|headers)\s*$/i;

export function parseCellText(text: string): GraphqlCellSource {
  const sections: Record<'document' | 'variables' | 'headers', string[]> = { document: [], variables: [], headers: [] };
  let current: keyof typeof sections = 'document';
  for (const line of text.split(/\r?\n/)) {
    const section = SECTION.exec(line.trim());
    if (section) {
      current = section[1].toLowerCase() as 'variables' | 'headers';
      continue;
    }
    sections[current].push(line);
  }
  const tidy = (lines: string[]) =>
    lines
      .join('\n')
      .replace(/^\s*\n/, '')
      .trimEnd();
  return { document: tidy(sections.document), variables: tidy(sections.variables), headers: tidy(sections.headers) };
}

export function formatCellText(source: GraphqlCellSource): string {
  let text = source.document.trimEnd();
  if (source.variables.trim()) text += `\n\n### variables\n${source.variables.trim()}`;
  if (source.headers.trim()) text += `\n\n### headers\n${source.headers.trim()}`;
  return `${text}\n`;
}

export type VariablesResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** The variables text as an object: empty means none; anything but a JSON object is an error. */
export function parseVariables(text: string): VariablesResult {
  if (!text.trim()) return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'not-an-object' };
  return { ok: true, value: value as Record<string, unknown> };
}

export type HeadersResult = { ok: true; headers: Array<[string, string]> } | { ok: false; line: number; text: string };

/** "Name: value" lines; blank lines and lines starting with # are skipped. */
export function parseHeaderLines(text: string): HeadersResult {
  const headers: Array<[string, string]> = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index].trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):\s*(.*)$/.exec(line);
    if (!match) return { ok: false, line: index + 1, text: line };
    headers.push([match[1], match[2]]);
  }
  return { ok: true, headers };
}

/** The header that switches the server's batched loading off for one request (contracts/graphql-extras/). */
export { BATCHING_HEADER };
export const BATCHING_OFF_VALUE = 'off';

export function batchingSwitchedOff(headers: ReadonlyArray<[string, string]>): boolean {
  return headers.some(([name, value]) => name.toLowerCase() === BATCHING_HEADER && value.trim().toLowerCase() === BATCHING_OFF_VALUE);
}

/** The header lines with batching switched on (the header removed) or off (the header set). */
export function withBatching(headersText: string, on: boolean): string {
  const kept = headersText.split(/\r?\n/).filter((line) => line.trim() && !new RegExp(`^\\s*${BATCHING_HEADER}\\s*:`, 'i').test(line));
  if (!on) kept.push(`${BATCHING_HEADER}: ${BATCHING_OFF_VALUE}`);
  return kept.join('\n');
}
