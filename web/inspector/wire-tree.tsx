import type { FocusEvent, KeyboardEvent, Ref } from 'react';
import type { WireNode } from '../../wire/types.ts';
import { useLang } from '../kit/lang-context.ts';
import { nodeTermTitle } from '../glossary/node-terms.ts';
import { describeNode } from './exchange-sections.ts';
import { formatBytes } from './format.ts';
import type { HexSection } from './hex-rows.ts';
import type { InspectorStrings } from './strings.ts';
import { CHILD_LIMIT } from './tree-keys.ts';
import { pathKey, type NodePath } from './tree-paths.ts';

/** How the tree and its keyboard talk to the detail view (exchange-detail.tsx). */
export interface TreeHandlers {
  onToggle: (key: string) => void;
  onHover: (section: number, path: NodePath) => void;
  onShowMore: (key: string) => void;
  /** a node took the focus; `fromKeyboard`: it shows a focus ring (:focus-visible), a click does not */
  onItemFocus: (section: number, path: NodePath, fromKeyboard: boolean) => void;
}

interface WireTreeProps extends TreeHandlers {
  sections: readonly HexSection[];
  expanded: ReadonlySet<string>;
  hoveredKey: string | null;
  /** the node the tree's one tab stop is on (roving tabindex) */
  tabStop: string | null;
  shown: ReadonlyMap<string, number>;
  onLeave: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
  /** the focus left the tree */
  onTreeBlur: () => void;
  scrollerRef: Ref<HTMLDivElement>;
  t: InspectorStrings;
}

export function WireTree({ sections, expanded, hoveredKey, tabStop, shown, onLeave, onKeyDown, onTreeBlur, scrollerRef, t, ...handlers }: WireTreeProps) {
  const blur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onTreeBlur();
  };
  return (
    <div className="insp-tree" ref={scrollerRef} onMouseLeave={onLeave} onKeyDown={onKeyDown} onBlur={blur} role="tree" aria-label={t.decodedTree}>
      {sections.map((section, index) => (
        <div key={index} className={`insp-tree-section ${section.dir === 'in' ? 'insp-dir-in' : 'insp-dir-out'}`} role="group" aria-label={section.title}>
          <div className="insp-tree-heading" aria-hidden="true">
            <span>{section.dir === 'in' ? '→' : '←'}</span> {section.title}
          </div>
          <TreeNode
            node={section.tree}
            section={index}
            path={[]}
            sectionStart={section.start}
            expanded={expanded}
            hoveredKey={hoveredKey}
            tabStop={tabStop}
            shown={shown}
            handlers={handlers}
            t={t}
          />
        </div>
      ))}
    </div>
  );
}

interface TreeNodeProps {
  node: WireNode;
  section: number;
  path: NodePath;
  sectionStart: number;
  expanded: ReadonlySet<string>;
  hoveredKey: string | null;
  tabStop: string | null;
  shown: ReadonlyMap<string, number>;
  handlers: TreeHandlers;
  t: InspectorStrings;
}

function TreeNode({ node, section, path, sectionStart, expanded, hoveredKey, tabStop, shown, handlers, t }: TreeNodeProps) {
  const key = pathKey(section, path);
  const depth = path.length;
  const limit = shown.get(key) ?? CHILD_LIMIT;
  const children = node.children ?? [];
  const open = children.length > 0 && expanded.has(key);
  const { title, value } = describeNode(node, t);
  // a node the glossary defines (a frame's opcode, a close code): its definition on hover
  const term = nodeTermTitle(node.kind, useLang());
  const size = node.range.end - node.range.start;
  const focus = (event: FocusEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    handlers.onItemFocus(section, path, event.currentTarget.matches(':focus-visible'));
  };
  return (
    <div
      role="treeitem"
      className="insp-tree-item"
      data-tree-item={key}
      tabIndex={tabStop === key ? 0 : -1}
      aria-level={depth + 1}
      aria-expanded={children.length > 0 ? open : undefined}
      aria-selected={tabStop === key}
      onFocus={focus}
    >
      <div
        className={`insp-tree-row${hoveredKey === key ? ' insp-lit' : ''}${node.error ? ' insp-has-error' : ''}`}
        style={{ paddingInlineStart: `${depth * 1.1 + 0.3}rem` }}
        data-testid="insp-tree-node"
        data-kind={node.kind}
        data-key={key}
        onMouseEnter={() => handlers.onHover(section, path)}
        onClick={() => children.length > 0 && handlers.onToggle(key)}
      >
        <span className="insp-caret" aria-hidden="true">
          {children.length > 0 ? (open ? '▾' : '▸') : ''}
        </span>
        <span className={`insp-node-title${term ? ' insp-has-term' : ''}`} title={term}>
          {title}
        </span>
        {value !== undefined && <span className="insp-node-value">{value}</span>}
        <span className="insp-node-range" title={`${node.range.start - sectionStart}…${node.range.end - sectionStart}`}>
          @{node.range.start - sectionStart} · {formatBytes(size, t)}
        </span>
        {node.error && <span className="insp-node-error">{t.errors[node.error] ?? t.wireError(node.error) ?? node.error}</span>}
      </div>
      {open && (
        <div role="group">
          {children.slice(0, limit).map((child, index) => (
            <TreeNode
              key={index}
              node={child}
              section={section}
              path={[...path, index]}
              sectionStart={sectionStart}
              expanded={expanded}
              hoveredKey={hoveredKey}
              tabStop={tabStop}
              shown={shown}
              handlers={handlers}
              t={t}
            />
          ))}
          {children.length > limit && (
            <button type="button" className="insp-more" style={{ marginInlineStart: `${(depth + 1) * 1.1 + 0.3}rem` }} onClick={() => handlers.onShowMore(key)}>
              {t.showMore(children.length - limit)}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
