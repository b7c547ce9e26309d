import { describe, expect, it } from 'vitest';
import { MONACO_PRELOAD_MARGIN } from '../editors/use-near-viewport.ts';
import { CELL_KINDS } from './cell-kinds.ts';
import { CELL_COMPONENTS, CELL_LOADERS, CELL_MONACO, CELL_MONACO_MARGIN } from './cell-registry.tsx';

describe('the cell registry', () => {
  it('starts a placeholder’s Monaco no farther from the viewport than its editor would', () => {
    expect(CELL_MONACO_MARGIN).toBe(MONACO_PRELOAD_MARGIN);
  });

  it('names an editor for every kind, and Monaco only for kinds that have an editor', () => {
    expect(Object.keys(CELL_LOADERS).sort()).toEqual([...CELL_KINDS].sort());
    expect(Object.keys(CELL_COMPONENTS).sort()).toEqual([...CELL_KINDS].sort());
    for (const kind of Object.keys(CELL_MONACO)) expect(CELL_KINDS).toContain(kind);
  });
});
