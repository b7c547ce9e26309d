import { parseUrlOnlyCell } from '../sse/sse-cell-config.ts';
import type { CellConfigParse } from '../console-kit/cell-config-parse.ts';

/** `*.poll.json` (lessons/README.md): the long polling endpoint; the console adds `?since=`. */
export interface LongPollCellConfig {
  url: string;
}

/**
 * What the student edits in the console, kept across reloads; the lesson's cell gives its start.
 * `since` is what the student typed: the cursor the loop moves on is not saved.
 */
export interface LongPollDraft {
  url: string;
  since: string;
  hold: string;
}

export function longPollDraftOf(config: LongPollCellConfig): LongPollDraft {
  return { url: config.url, since: '0', hold: '' };
}

export function parseLongPollCell(text: string): CellConfigParse<LongPollCellConfig> {
  const parsed = parseUrlOnlyCell(text);
  if (parsed.ok && parsed.config.url.includes('?'))
    return { ok: false, problems: [`url "${parsed.config.url}" must have no query: the console adds ?since= itself`] };
  return parsed;
}
