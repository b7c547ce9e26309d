import { useState, type Ref } from 'react';
import type { WireNode } from '../wire/types.ts';
import { describeNode } from './exchange-sections.ts';
import { formatBytes } from './format.ts';
import type { HexSection } from './hex-rows.ts';
import type { InspectorStrings } from './strings.ts';
import { pathKey, type NodePath } from './tree-paths.ts';

/** Children shown at first: a chunked body can have thousands of chunks. */
const CHILD_LIMIT = 100;

interface WireTreeProps {
  sections: readonly HexSection[];
  expanded: ReadonlySet<string>;
  hoveredKey: string | null;
  onToggle: (key: string) => void;
  onHover: (section: number, path: NodePath) => void;
  onLeave: () => void;
  scrollerRef: Ref<HTMLDivElement>;
  t: InspectorStrings;
}

export function WireTree({ sections, expanded, hoveredKey, onToggle, onHover, onLeave, scrollerRef, t }: WireTreeProps) {
  return (
    <div className="insp-tree" ref={scrollerRef} onMouseLeave={onLeave} role="tree" aria-label={t.decodedTree}>
      {sections.map((section, index) => (
        <div key={index} className={`insp-tree-section ${section.dir === 'in' ? 'insp-dir-in' : 'insp-dir-out'}`}>
          <div className="insp-tree-heading">
            <span aria-hidden="true">{section.dir === 'in' ? '→' : '←'}</span> {section.title}
          </div>
          <TreeNode
            node={section.tree}
            section={index}
            path={[]}
            sectionStart={section.start}
            depth={0}
            expanded={expanded}
            hoveredKey={hoveredKey}
            onToggle={onToggle}
            onHover={onHover}
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
  depth: number;
  expanded: ReadonlySet<string>;
  hoveredKey: string | null;
  onToggle: (key: string) => void;
  onHover: (section: number, path: NodePath) => void;
  t: InspectorStrings;
}

function TreeNode({ node, section, path, sectionStart, depth, expanded, hoveredKey, onToggle, onHover, t }: TreeNodeProps) {
  const [limit, setLimit] = useState(CHILD_LIMIT);
  const key = pathKey(section, path);
  const children = node.children ?? [];
  const open = children.length > 0 && expanded.has(key);
  const { title, value } = describeNode(node, t);
  const size = node.range.end - node.range.start;
  return (
    <div role="treeitem" aria-expanded={children.length > 0 ? open : undefined} aria-selected={hoveredKey === key}>
      <div
        className={`insp-tree-row${hoveredKey === key ? ' insp-lit' : ''}${node.error ? ' insp-has-error' : ''}`}
        style={{ paddingInlineStart: `${depth * 1.1 + 0.3}rem` }}
        data-testid="insp-tree-node"
        data-kind={node.kind}
        data-key={key}
        onMouseEnter={() => onHover(section, path)}
        onClick={() => children.length > 0 && onToggle(key)}
      >
        <span className="insp-caret" aria-hidden="true">
          {children.length > 0 ? (open ? '▾' : '▸') : ''}
        </span>
        <span className="insp-node-title">{title}</span>
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
              depth={depth + 1}
              expanded={expanded}
              hoveredKey={hoveredKey}
              onToggle={onToggle}
              onHover={onHover}
              t={t}
            />
          ))}
          {children.length > limit && (
            <button type="button" className="insp-more" style={{ marginInlineStart: `${(depth + 1) * 1.1 + 0.3}rem` }} onClick={() => setLimit((shown) => shown + CHILD_LIMIT * 5)}>
              {t.showMore(children.length - limit)}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
