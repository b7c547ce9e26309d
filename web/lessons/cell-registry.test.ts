import { describe, expect, it } from 'vitest';
import { MONACO_PRELOAD_MARGIN } from '../editors/use-near-viewport.ts';
import { CELL_KINDS } from './cell-kinds.ts';
import { CELL_COMPONENTS } from '../course/quiz-cells.ts';
import { CELL_LOADERS, CELL_MONACO, CELL_MONACO_MARGIN } from './cell-registry.tsx';
import { isWithinMonacoMargin, MONACO_MARGIN_SHARE } from './near-viewport-box.ts';

describe('the cell registry', () => {
  it('starts a placeholder’s Monaco no farther from the viewport than its editor would', () => {
    expect(CELL_MONACO_MARGIN).toBe(MONACO_PRELOAD_MARGIN);
    expect(CELL_MONACO_MARGIN).toBe(`${MONACO_MARGIN_SHARE * 100}% 0px`);
  });

  it('names an editor for every kind, and Monaco only for kinds that have an editor', () => {
    expect(Object.keys(CELL_LOADERS).sort()).toEqual([...CELL_KINDS].sort());
    expect(Object.keys(CELL_COMPONENTS).sort()).toEqual([...CELL_KINDS].sort());
    for (const kind of Object.keys(CELL_MONACO)) expect(CELL_KINDS).toContain(kind);
  });

  it('reads a box as near the viewport as the observer with that margin would', () => {
    const viewport = 900;
    const box = (top: number, height = 200) => ({ top, bottom: top + height, width: 800 });
    expect(isWithinMonacoMargin(box(100), viewport)).toBe(true);
    // half a screen below and above, and no further
    expect(isWithinMonacoMargin(box(900 + 450), viewport)).toBe(true);
    expect(isWithinMonacoMargin(box(900 + 451), viewport)).toBe(false);
    expect(isWithinMonacoMargin(box(-450 - 200), viewport)).toBe(true);
    expect(isWithinMonacoMargin(box(-451 - 200), viewport)).toBe(false);
    // not laid out (display: none): never near
    expect(isWithinMonacoMargin({ top: 0, bottom: 0, width: 0 }, viewport)).toBe(false);
  });
});
