import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { HexSection } from './hex-rows.ts';
import { HexView, type HexHighlight } from './hex-view.tsx';
import type { InspectorStrings } from './strings.ts';
import { CHILD_LIMIT, tabStopKey, treeKeyAction, visibleTreeNodes } from './tree-keys.ts';
import { ancestorKeys, deepestPathAt, nodeAt, pathKey, viewOf, type NodePath } from './tree-paths.ts';
import type { HexBlockView } from './hex-rows.ts';
import { WireTree } from './wire-tree.tsx';

interface Hover {
  section: number;
  path: NodePath;
  /** where the pointer (or the keyboard's focus) is: the other side follows (scrolls, expands) */
  from: 'tree' | 'hex' | 'keys';
}

/** The decoded tree beside the bytes, linked both ways by hovering and by the tree's keyboard focus. Remount (key) it per selection. */
export function ExchangeDetail({ sections, t }: { sections: readonly HexSection[]; t: InspectorStrings }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => defaultExpanded(sections));
  const [shown, setShown] = useState<ReadonlyMap<string, number>>(() => new Map());
  const [hover, setHover] = useState<Hover | null>(null);
  // The node the keyboard is on: it lights its bytes as a hovered node does, while the pointer is elsewhere.
  const [keyFocus, setKeyFocus] = useState<Hover | null>(null);
  const [wantedStop, setWantedStop] = useState<string | null>(null);
  const treeScroller = useRef<HTMLDivElement>(null);
  const moveFocusTo = useRef<string | null>(null);

  const roots = useMemo(() => sections.map((section) => section.tree), [sections]);
  const visible = useMemo(() => visibleTreeNodes(roots, expanded, (key) => shown.get(key) ?? CHILD_LIMIT), [roots, expanded, shown]);
  const tabStop = tabStopKey(visible, wantedStop);

  const active = hover ?? keyFocus;
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

  const hoverTree = useCallback((section: number, path: NodePath) => setHover({ section, path, from: 'tree' }), []);
  const leave = useCallback(() => setHover(null), []);
  const hoverByte = useCallback(
    (section: number, streamOffset: number, view: HexBlockView) => {
      const tree = sections[section]?.tree;
      const path = tree ? deepestPathAt(tree, streamOffset, view) : null;
      if (!path) {
        setHover(null);
        return;
      }
      setHover((current) =>
        current && current.section === section && pathKey(section, current.path) === pathKey(section, path) ? current : { section, path, from: 'hex' },
      );
      setExpanded((current) => {
        const needed = ancestorKeys(section, path).filter((key) => !current.has(key));
        return needed.length === 0 ? current : new Set([...current, ...needed]);
      });
    },
    [sections],
  );
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
    // the keyboard takes over from a pointer resting on some row
    setHover(null);
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

  // Hovering a byte brings its node into view inside the tree (not the page).
  useEffect(() => {
    const scroller = treeScroller.current;
    if (hover?.from !== 'hex' || !hoveredKey || !scroller) return;
    const row = scroller.querySelector<HTMLElement>(`[data-key="${hoveredKey}"]`);
    if (row) scrollRowIntoView(scroller, row);
  }, [hover?.from, hoveredKey, expanded]);

  return (
    <div className="insp-detail">
      <section className="insp-pane" aria-label={t.decodedTree}>
        <h3 className="insp-pane-title">{t.decodedTree}</h3>
        <WireTree
          sections={sections}
          expanded={expanded}
          hoveredKey={hoveredKey}
          tabStop={tabStop}
          shown={shown}
          onToggle={toggle}
          onHover={hoverTree}
          onShowMore={showMore}
          onItemFocus={itemFocused}
          onLeave={leave}
          onKeyDown={keyDown}
          onTreeBlur={treeBlurred}
          scrollerRef={treeScroller}
          t={t}
        />
      </section>
      <section className="insp-pane" aria-label={t.hexView}>
        <h3 className="insp-pane-title">{t.hexView}</h3>
        <HexView sections={sections} highlight={highlight} scrollTarget={scrollTarget} onHoverByte={hoverByte} onLeave={leave} t={t} />
        <p className="visually-hidden" aria-live="polite" data-testid="insp-bytes-announcement">
          {announcement}
        </p>
      </section>
    </div>
  );
}

/** Scrolls the tree (not the page) so that the row is inside it (below `coveredTop` px), a third from the top. */
function scrollRowIntoView(scroller: HTMLElement, row: HTMLElement, coveredTop = 0): void {
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
