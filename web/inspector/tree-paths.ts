import type { WireNode } from '../wire/types.ts';

/** A node's position in its tree: child indexes from the root ([] is the root). */
export type NodePath = readonly number[];

export function nodeAt(root: WireNode, path: NodePath): WireNode | undefined {
  let node: WireNode | undefined = root;
  for (const index of path) node = node?.children?.[index];
  return node;
}

/** The deepest node whose range holds `offset` (stream offset), or null when none does. */
export function deepestPathAt(root: WireNode, offset: number): number[] | null {
  if (!contains(root, offset)) return null;
  const path: number[] = [];
  let node = root;
  for (;;) {
    const index = node.children?.findIndex((child) => contains(child, offset)) ?? -1;
    if (index === -1) return path;
    path.push(index);
    node = node.children![index];
  }
}

export function pathKey(section: number, path: NodePath): string {
  return `${section}:${path.join('.')}`;
}

/** Keys of every ancestor of `path` (the node itself excluded): what must be open to show it. */
export function ancestorKeys(section: number, path: NodePath): string[] {
  return path.map((_, length) => pathKey(section, path.slice(0, length)));
}

function contains(node: WireNode, offset: number): boolean {
  return offset >= node.range.start && offset < node.range.end;
}
