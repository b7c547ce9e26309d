import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { HexSection } from './hex-rows.ts';
import { CHILD_LIMIT, tabStopKey, treeKeyAction, visibleTreeNodes } from './tree-keys.ts';
import { pathKey, type NodePath } from './tree-paths.ts';

/** A node of the decoded tree, and where the pointer (or the keyboard's focus) is: the other side follows (scrolls, expands). */
export interface TreeHover {
  section: number;
  path: NodePath;
  from: 'tree' | 'hex' | 'keys';
}

/**
 * The decoded tree's own state: which nodes are open, how many children each shows, and the
 * keyboard's tab stop, moved by the arrow keys (the focus and the tree's scroll follow it).
 * `keyFocus` is the node the keyboard is on; `onKeysTakeOver` runs when the keys move it.
 */
export function useTreeNavigation(sections: readonly HexSection[], treeScroller: RefObject<HTMLDivElement | null>, onKeysTakeOver: () => void) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => defaultExpanded(sections));
  const [shown, setShown] = useState<ReadonlyMap<string, number>>(() => new Map());
  // The node the keyboard is on: it lights its bytes as a hovered node does, while the pointer is elsewhere.
  const [keyFocus, setKeyFocus] = useState<TreeHover | null>(null);
  const [wantedStop, setWantedStop] = useState<string | null>(null);
  const moveFocusTo = useRef<string | null>(null);

  const roots = useMemo(() => sections.map((section) => section.tree), [sections]);
  const visible = useMemo(() => visibleTreeNodes(roots, expanded, (key) => shown.get(key) ?? CHILD_LIMIT), [roots, expanded, shown]);
  const tabStop = tabStopKey(visible, wantedStop);

  const toggle = useCallback(
    (key: string) =>
      setExpanded((current) => {
        const next = new Set(current);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  const showMore = useCallback((key: string) => setShown((current) => new Map(current).set(key, (current.get(key) ?? CHILD_LIMIT) + CHILD_LIMIT * 5)), []);
  const itemFocused = useCallback((section: number, path: NodePath, fromKeyboard: boolean) => {
    setWantedStop(pathKey(section, path));
    if (fromKeyboard) setKeyFocus({ section, path, from: 'keys' });
  }, []);
  const treeBlurred = useCallback(() => setKeyFocus(null), []);

  const keyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || !tabStop) return;
    if (!(event.target instanceof HTMLElement) || event.target.getAttribute('role') !== 'treeitem') return;
    const action = treeKeyAction(event.key, visible, tabStop);
    if (!action) return;
    event.preventDefault();
    if (action.kind === 'toggle') {
      toggle(action.key);
      return;
    }
    onKeysTakeOver();
    setWantedStop(action.key);
    moveFocusTo.current = action.key;
  };

  // The arrow keys moved the tab stop: the focus follows, and the row comes into view inside the tree.
  useEffect(() => {
    const scroller = treeScroller.current;
    const key = moveFocusTo.current;
    if (!scroller || !key || key !== tabStop) return;
    moveFocusTo.current = null;
    const item = scroller.querySelector<HTMLElement>(`[data-tree-item="${key}"]`);
    const row = item?.querySelector<HTMLElement>('.insp-tree-row');
    if (!item || !row) return;
    item.focus({ preventScroll: true });
    // below the message's sticky heading, which would hide a row scrolled to the very top
    scrollRowIntoView(scroller, row, item.closest('.insp-tree-section')?.querySelector<HTMLElement>('.insp-tree-heading')?.offsetHeight ?? 0);
  }, [tabStop, visible]);

  return { expanded, setExpanded, shown, tabStop, keyFocus, toggle, showMore, itemFocused, treeBlurred, keyDown };
}

/** Scrolls the tree (not the page) so that the row is inside it (below `coveredTop` px), a third from the top. */
export function scrollRowIntoView(scroller: HTMLElement, row: HTMLElement, coveredTop = 0): void {
  const top = row.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  if (top < scroller.scrollTop + coveredTop || top + row.offsetHeight > scroller.scrollTop + scroller.clientHeight) {
    scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 3);
  }
}

/** Each message open, with its headers: what a student looks at first. */
function defaultExpanded(sections: readonly HexSection[]): ReadonlySet<string> {
  const keys = new Set<string>();
  sections.forEach((section, index) => {
    keys.add(pathKey(index, []));
    section.tree.children?.forEach((child, childIndex) => {
      if (child.kind === 'headers') keys.add(pathKey(index, [childIndex]));
    });
  });
  return keys;
}
