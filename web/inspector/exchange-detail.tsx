import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HexSection } from './hex-rows.ts';
import { HexView, type HexHighlight } from './hex-view.tsx';
import type { InspectorStrings } from './strings.ts';
import { ancestorKeys, deepestPathAt, nodeAt, pathKey, viewOf, type NodePath } from './tree-paths.ts';
import type { HexBlockView } from './hex-rows.ts';
import { WireTree } from './wire-tree.tsx';

interface Hover {
  section: number;
  path: NodePath;
  /** where the pointer is: the other side follows (scrolls, expands) */
  from: 'tree' | 'hex';
}

/** The decoded tree beside the bytes, linked both ways by hovering. Remount (key) it per selection. */
export function ExchangeDetail({ sections, t }: { sections: readonly HexSection[]; t: InspectorStrings }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => defaultExpanded(sections));
  const [hover, setHover] = useState<Hover | null>(null);
  const treeScroller = useRef<HTMLDivElement>(null);

  const hoveredTree = hover ? sections[hover.section]?.tree : undefined;
  const hoveredNode = hover && hoveredTree ? nodeAt(hoveredTree, hover.path) : undefined;
  const hoveredKey = hover && hoveredNode ? pathKey(hover.section, hover.path) : null;
  const highlight: HexHighlight | null =
    hover && hoveredNode ? { section: hover.section, view: viewOf(hoveredNode), start: hoveredNode.range.start, end: hoveredNode.range.end } : null;
  const scrollTarget = useMemo(
    () => (hover?.from === 'tree' && hoveredNode ? { section: hover.section, offset: hoveredNode.range.start, view: viewOf(hoveredNode) } : null),
    // a new target (and a scroll) only when the hovered node changes
    [hover?.from, hover?.section, hoveredKey],
  );

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

  // Hovering a byte brings its node into view inside the tree (not the page).
  useEffect(() => {
    const scroller = treeScroller.current;
    if (hover?.from !== 'hex' || !hoveredKey || !scroller) return;
    const row = scroller.querySelector<HTMLElement>(`[data-key="${hoveredKey}"]`);
    if (!row) return;
    const top = row.offsetTop;
    if (top < scroller.scrollTop || top + row.offsetHeight > scroller.scrollTop + scroller.clientHeight) {
      scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 3);
    }
  }, [hover?.from, hoveredKey, expanded]);

  return (
    <div className="insp-detail">
      <section className="insp-pane" aria-label={t.decodedTree}>
        <h3 className="insp-pane-title">{t.decodedTree}</h3>
        <WireTree
          sections={sections}
          expanded={expanded}
          hoveredKey={hoveredKey}
          onToggle={toggle}
          onHover={hoverTree}
          onLeave={leave}
          scrollerRef={treeScroller}
          t={t}
        />
      </section>
      <section className="insp-pane" aria-label={t.hexView}>
        <h3 className="insp-pane-title">{t.hexView}</h3>
        <HexView sections={sections} highlight={highlight} scrollTarget={scrollTarget} onHoverByte={hoverByte} onLeave={leave} t={t} />
      </section>
    </div>
  );
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
