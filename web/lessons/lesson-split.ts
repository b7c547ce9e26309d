import type { LessonBlock } from './render-lesson.ts';

/**
 * How much of a lesson's text comes with its page's first script (vite.config.ts, `?lesson-page`):
 * everything down to its first cell, and about a screen's worth of text after it (characters of
 * HTML); a lesson without cells, about two screens. The rest (`?lesson-more`) is fetched once that
 * part is on the page, and goes in once the page has settled (use-lesson-page.ts), so the first
 * cell does not wait for the whole text, nor the first editor for its rendering: the REST lesson's
 * text is 12.7 kB of gzip, its part down to the first cell and a screen on 4.2 kB (issue 40 item 4,
 * the scripts before the first cell within 100 kB).
 */
export const TEXT_AFTER_FIRST_CELL = 3000;
export const TEXT_WITHOUT_CELLS = 6000;

const textLength = (block: LessonBlock): number => (block.type === 'cell' ? 0 : block.type === 'exercise' ? block.promptHtml.length : block.html.length);

/** The blocks of the page's first part (`head`) and the rest; `rest` is empty when the text is short. */
export function splitLessonBlocks(blocks: readonly LessonBlock[]): { head: LessonBlock[]; rest: LessonBlock[] } {
  const hasCells = blocks.some((block) => block.type === 'cell');
  let total = 0;
  // characters since the first cell, or -1 before it
  let afterCell = -1;
  let end = 0;
  while (end < blocks.length) {
    const block = blocks[end++];
    total += textLength(block);
    if (afterCell >= 0) afterCell += textLength(block);
    else if (block.type === 'cell') afterCell = 0;
    if (hasCells ? afterCell >= TEXT_AFTER_FIRST_CELL : total >= TEXT_WITHOUT_CELLS) break;
  }
  return { head: blocks.slice(0, end), rest: blocks.slice(end) };
}

/** The cells' texts that the given blocks show. */
export function cellsOf(blocks: readonly LessonBlock[], cells: Readonly<Record<string, string>>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const block of blocks) if (block.type === 'cell' && Object.hasOwn(cells, block.id)) shown[block.id] = cells[block.id];
  return shown;
}
