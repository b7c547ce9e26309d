import { isObject, parseCellJson, samePagePathProblem, unknownKeys } from '../console-kit/json-shape.ts';
import type { CellConfigParse } from '../console-kit/cell-config-parse.ts';

/** `*.sse.json` (lessons/README.md): the stream to open. */
export interface SseCellConfig {
  url: string;
}

/** What the student edits in the console, kept across reloads; the lesson's cell gives its start. */
export interface SseDraft {
  url: string;
  client: 'eventsource' | 'fetch';
}

export function sseDraftOf(config: SseCellConfig): SseDraft {
  return { url: config.url, client: 'eventsource' };
}

export function parseSseCell(text: string): CellConfigParse<SseCellConfig> {
  return parseUrlOnlyCell(text);
}

/** Shared by the SSE and long polling cells: `{ "url": "/api/…" }` and nothing else. */
export function parseUrlOnlyCell(text: string): CellConfigParse<{ url: string }> {
  const parsed = parseCellJson(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const value = parsed.value;
  if (!isObject(value)) return { ok: false, problems: ['the file must hold a JSON object { "url": "/api/…" }'] };
  const problems = unknownKeys('the cell', value, ['url']);
  const urlProblem = samePagePathProblem('url', value.url);
  if (urlProblem) problems.push(urlProblem);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { url: value.url as string } };
}
