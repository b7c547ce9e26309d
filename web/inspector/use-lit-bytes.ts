import { useMemo } from 'react';
import type { HexSection } from './hex-rows.ts';
import type { HexHighlight } from './hex-view.tsx';
import type { InspectorStrings } from './strings.ts';
import { nodeAt, pathKey, viewOf } from './tree-paths.ts';
import type { TreeHover } from './use-tree-navigation.ts';

/**
 * What the active node (hovered, or else the keyboard's) lights: its tree row, its bytes, where the
 * byte view scrolls to (not when the pointer is already on the bytes), and what a screen reader hears.
 */
export function useLitBytes(sections: readonly HexSection[], active: TreeHover | null, t: InspectorStrings) {
  const activeTree = active ? sections[active.section]?.tree : undefined;
  const activeNode = active && activeTree ? nodeAt(activeTree, active.path) : undefined;
  const hoveredKey = active && activeNode ? pathKey(active.section, active.path) : null;
  const highlight: HexHighlight | null =
    active && activeNode ? { section: active.section, view: viewOf(activeNode), start: activeNode.range.start, end: activeNode.range.end } : null;
  const scrollTarget = useMemo(
    () => (active && active.from !== 'hex' && activeNode ? { section: active.section, offset: activeNode.range.start, view: viewOf(activeNode) } : null),
    // a new target (and a scroll) only when the lit node changes
    [active?.from, active?.section, hoveredKey],
  );
  // Said to a screen reader when the keyboard lights bytes (a pointer's hover is seen, not said).
  const announcement =
    active?.from === 'keys' && activeNode
      ? t.bytesLit(activeNode.range.start - sections[active.section].start, activeNode.range.end - sections[active.section].start, activeNode.unmasked === true)
      : '';
  return { hoveredKey, highlight, scrollTarget, announcement };
}
