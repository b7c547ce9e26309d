import { parseUrlOnlyCell } from '../sse/sse-cell-config.ts';
import type { CellConfigParse } from '../websocket/ws-cell-config.ts';

/** `*.poll.json` (lessons/README.md): the long polling endpoint; the console adds `?since=`. */
export interface LongPollCellConfig {
  url: string;
}

export function parseLongPollCell(text: string): CellConfigParse<LongPollCellConfig> {
  const parsed = parseUrlOnlyCell(text);
  if (parsed.ok && parsed.config.url.includes('?')) return { ok: false, problems: [`url "${parsed.config.url}" must have no query: the console adds ?since= itself`] };
  return parsed;
}
