// The cell kinds a lesson.json may use (lessons/README.md). Pure data so the format check can
// run without React; web/lessons/cell-registry.tsx maps each kind to its editor.
export const CELL_KINDS = ['http'] as const;

export type CellKind = (typeof CELL_KINDS)[number];

export function isCellKind(kind: string): kind is CellKind {
  return (CELL_KINDS as readonly string[]).includes(kind);
}
