import { useCallback, useEffect, useRef, useState } from 'react';
import type { HexBlockView, HexSection } from './hex-rows.ts';
import { HexView } from './hex-view.tsx';
import type { InspectorStrings } from './strings.ts';
import { ancestorKeys, deepestPathAt, nodeAt, pathKey, type NodePath } from './tree-paths.ts';
import { describeNode } from './exchange-sections.ts';
import type { PointedField } from './opened-pointer.ts';
import { useLitBytes } from './use-lit-bytes.ts';
import { scrollRowIntoView, useTreeNavigation, type TreeHover } from './use-tree-navigation.ts';
import { WireTree } from './wire-tree.tsx';

/** The decoded tree beside the bytes, linked both ways by hovering and by the tree's keyboard focus. Remount (key) it per selection. */
export function ExchangeDetail({
  sections,
  onFieldFocus,
  t,
}: {
  sections: readonly HexSection[];
  /** a node of the tree took the focus (a click, the arrow keys): an opened file's question may answer with its value */
  onFieldFocus?: (field: PointedField | null) => void;
  t: InspectorStrings;
}) {
  const [hover, setHover] = useState<TreeHover | null>(null);
  const treeScroller = useRef<HTMLDivElement>(null);
  // the keyboard takes over from a pointer resting on some row
  const tree = useTreeNavigation(sections, treeScroller, () => setHover(null));
  const { expanded, setExpanded } = tree;
  const { hoveredKey, highlight, scrollTarget, announcement } = useLitBytes(sections, hover ?? tree.keyFocus, t);

  const focusItem = useCallback(
    (section: number, path: NodePath, fromKeyboard: boolean) => {
      tree.itemFocused(section, path, fromKeyboard);
      const root = sections[section]?.tree;
      const node = root ? nodeAt(root, path) : undefined;
      onFieldFocus?.(node ? { title: describeNode(node, t).title, value: node.value ?? '' } : null);
    },
    [tree.itemFocused, sections, onFieldFocus, t],
  );
  const hoverTree = useCallback((section: number, path: NodePath) => setHover({ section, path, from: 'tree' }), []);
  const leave = useCallback(() => setHover(null), []);
  const hoverByte = useCallback(
    (section: number, streamOffset: number, view: HexBlockView) => {
      const root = sections[section]?.tree;
      const path = root ? deepestPathAt(root, streamOffset, view) : null;
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
          tabStop={tree.tabStop}
          shown={tree.shown}
          onToggle={tree.toggle}
          onHover={hoverTree}
          onShowMore={tree.showMore}
          onItemFocus={focusItem}
          onLeave={leave}
          onKeyDown={tree.keyDown}
          onTreeBlur={tree.treeBlurred}
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
