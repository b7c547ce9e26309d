import type { WireNode } from '../../wire/types.ts';
import { pathKey, type NodePath } from './tree-paths.ts';

/** Children shown at first: a chunked body can have thousands of chunks. */
export const CHILD_LIMIT = 100;

/** A node the reader can reach now: every ancestor open, and within its parent's shown children. */
export interface VisibleTreeNode {
  key: string;
  section: number;
  path: NodePath;
  /** 1 for a message's root, as aria-level counts */
  level: number;
  expandable: boolean;
  expanded: boolean;
  parentKey: string | null;
}

/**
 * The tree's nodes in reading order, as the arrow keys walk them (WAI-ARIA tree pattern):
 * each section's root, and below an open node its first `shown(key)` children.
 */
export function visibleTreeNodes(
  roots: readonly WireNode[],
  expanded: ReadonlySet<string>,
  shown: (key: string) => number = () => CHILD_LIMIT,
): VisibleTreeNode[] {
  const nodes: VisibleTreeNode[] = [];
  const walk = (node: WireNode, section: number, path: NodePath, parentKey: string | null) => {
    const key = pathKey(section, path);
    const children = node.children ?? [];
    const open = children.length > 0 && expanded.has(key);
    nodes.push({ key, section, path, level: path.length + 1, expandable: children.length > 0, expanded: open, parentKey });
    if (!open) return;
    children.slice(0, shown(key)).forEach((child, index) => walk(child, section, [...path, index], key));
  };
  roots.forEach((root, section) => walk(root, section, [], null));
  return nodes;
}

/** What a key does in the tree: move the focus to a node, or open/close one. */
export type TreeKeyAction = { kind: 'focus'; key: string } | { kind: 'toggle'; key: string } | null;

/**
 * The WAI-ARIA tree pattern's keys (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/):
 * Down/Up the next/previous visible node; Right opens a closed node, or moves into an open one's
 * first child; Left closes an open node, or moves to the parent; Home/End the first/last visible
 * node; Enter and Space open or close. null: not a key of the tree (the page keeps it).
 */
export function treeKeyAction(key: string, visible: readonly VisibleTreeNode[], currentKey: string): TreeKeyAction {
  const index = visible.findIndex((node) => node.key === currentKey);
  if (index === -1) return visible.length > 0 && isTreeKey(key) ? { kind: 'focus', key: visible[0].key } : null;
  const current = visible[index];
  const focus = (node: VisibleTreeNode | undefined): TreeKeyAction => (node && node.key !== currentKey ? { kind: 'focus', key: node.key } : null);
  switch (key) {
    case 'ArrowDown':
      return focus(visible[index + 1]);
    case 'ArrowUp':
      return focus(visible[index - 1]);
    case 'Home':
      return focus(visible[0]);
    case 'End':
      return focus(visible[visible.length - 1]);
    case 'ArrowRight':
      if (!current.expandable) return null;
      if (!current.expanded) return { kind: 'toggle', key: current.key };
      return focus(visible[index + 1]?.parentKey === current.key ? visible[index + 1] : undefined);
    case 'ArrowLeft':
      if (current.expanded) return { kind: 'toggle', key: current.key };
      return focus(visible.find((node) => node.key === current.parentKey));
    case 'Enter':
    case ' ':
      return current.expandable ? { kind: 'toggle', key: current.key } : null;
    default:
      return null;
  }
}

/**
 * The node that holds the tree's one tab stop: `wanted` while it is visible, else its nearest
 * visible ancestor (a click closed a parent), else the first node.
 */
export function tabStopKey(visible: readonly VisibleTreeNode[], wanted: string | null): string | null {
  if (visible.length === 0) return null;
  if (wanted === null) return visible[0].key;
  const keys = new Set(visible.map((node) => node.key));
  const [section, pathText] = wanted.split(':');
  const path = pathText ? pathText.split('.') : [];
  for (let length = path.length; length >= 0; length -= 1) {
    const candidate = `${section}:${path.slice(0, length).join('.')}`;
    if (keys.has(candidate)) return candidate;
  }
  return visible[0].key;
}

function isTreeKey(key: string): boolean {
  return ['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'Enter', ' '].includes(key);
}
