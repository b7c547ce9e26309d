import { lazy, type ComponentType } from 'react';
import type { CellProps } from '../editors/cell-props.ts';
import type { CellKind } from '../lessons/cell-kinds.ts';
import { CELL_LOADERS } from '../lessons/cell-registry.tsx';

// The lesson cells' editors as React.lazy components, for the quiz, which renders them under
// Suspense. Here, not in the cell registry: the registry is on every lesson page's way to its
// first cell (issue 15's budget), and lesson pages load their cells without Suspense.
export const CELL_COMPONENTS = {} as Record<CellKind, ComponentType<CellProps>>;
for (const kind of Object.keys(CELL_LOADERS) as CellKind[]) {
  CELL_COMPONENTS[kind] = lazy(() => CELL_LOADERS[kind]().then((component) => ({ default: component })));
}
