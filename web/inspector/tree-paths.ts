import type { WireNode } from '../../wire/types.ts';

/** A node's position in its tree: child indexes from the root ([] is the root). */
export type NodePath = readonly number[];

export function nodeAt(root: WireNode, path: NodePath): WireNode | undefined {
  let node: WireNode | undefined = root;
  for (const index of path) node = node?.children?.[index];
  return node;
}

/**
 * The deepest node whose range holds `offset` (stream offset), or null when none does. In the
 * wire's bytes (`view` 'wire') nodes marked `unmasked` are passed over: they describe the
 * unmasked bytes, where `view` 'unmasked' prefers them.
 */
export function deepestPathAt(root: WireNode, offset: number, view: 'wire' | 'unmasked' = 'wire'): number[] | null {
  if (!contains(root, offset)) return null;
  if (view === 'wire' && root.unmasked) return null;
  const path: number[] = [];
  let node = root;
  for (;;) {
    const children = node.children ?? [];
    const holds = (child: WireNode) => contains(child, offset) && (view === 'unmasked' || !child.unmasked);
    let index = view === 'unmasked' ? children.findIndex((child) => child.unmasked && holds(child)) : -1;
    if (index === -1) index = children.findIndex(holds);
    if (index === -1) return path;
    path.push(index);
    node = children[index];
  }
}

/** Which bytes a node lights: the wire's, or (a node marked `unmasked`) the same range unmasked. */
export function viewOf(node: WireNode): 'wire' | 'unmasked' {
  return node.unmasked ? 'unmasked' : 'wire';
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
