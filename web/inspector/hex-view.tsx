import { useMemo, useRef, useState, type MouseEvent } from 'react';
import { layoutHexRows, rowsBetween, type HexBlockView, type HexSection } from './hex-rows.ts';
import { HexRowView, type HexHighlight } from './hex-row-view.tsx';
import type { InspectorStrings } from './strings.ts';
import { PROJECTOR_SIZES, useProjectorMode } from '../kit/projector-setting.ts';
import { useScrollToByte, useViewportHeight } from './use-hex-scroll.ts';

export type { HexHighlight } from './hex-row-view.tsx';

/** Fixed so only the visible rows are rendered: a 1 MB body is 65 536 rows (taller in projector mode). */
const NORMAL_ROW_HEIGHT = 22;
const OVERSCAN = 10;

interface HexViewProps {
  sections: readonly HexSection[];
  highlight: HexHighlight | null;
  /** scroll so that this byte (stream offset) is visible; a new object scrolls again */
  scrollTarget: { section: number; offset: number; view: HexBlockView } | null;
  onHoverByte: (section: number, streamOffset: number, view: HexBlockView) => void;
  onLeave: () => void;
  t: InspectorStrings;
}

export function HexView({ sections, highlight, scrollTarget, onHoverByte, onLeave, t }: HexViewProps) {
  const layout = useMemo(() => layoutHexRows(sections), [sections]);
  const rowHeight = useProjectorMode() ? PROJECTOR_SIZES.hexRowHeight : NORMAL_ROW_HEIGHT;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = useViewportHeight(scroller);
  useScrollToByte(scroller, scrollTarget, layout, sections, rowHeight);
  const [hoveredByte, setHoveredByte] = useState<{ section: number; offset: number; view: HexBlockView } | null>(null);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(layout.rowCount, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN);

  const byteUnder = (event: MouseEvent): { section: number; offset: number; view: HexBlockView } | null => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-offset]');
    if (!target) return null;
    return { section: Number(target.dataset.section), offset: Number(target.dataset.offset), view: target.dataset.view === 'unmasked' ? 'unmasked' : 'wire' };
  };

  const hover = (event: MouseEvent) => {
    const byte = byteUnder(event);
    if (!byte || (byte.section === hoveredByte?.section && byte.offset === hoveredByte.offset && byte.view === hoveredByte.view)) return;
    setHoveredByte(byte);
    onHoverByte(byte.section, sections[byte.section].start + byte.offset, byte.view);
  };

  const hovered = hoveredByte && sections[hoveredByte.section];
  return (
    <div className="insp-hex-wrap">
      <div
        ref={scroller}
        className="insp-hex"
        data-testid="insp-hex"
        // the byte view scrolls: it takes keyboard focus so it can be scrolled without a mouse
        tabIndex={0}
        aria-label={t.hexView}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        onMouseOver={hover}
        onMouseLeave={() => {
          setHoveredByte(null);
          onLeave();
        }}
      >
        <div style={{ height: layout.rowCount * rowHeight, position: 'relative' }}>
          <div style={{ position: 'absolute', top: first * rowHeight, left: 0, right: 0 }}>
            {rowsBetween(layout, first, last).map((row, index) => (
              <HexRowView
                key={row.type === 'title' ? `t${row.section}${row.view}` : first + index}
                row={row}
                section={sections[row.section]}
                highlight={highlight}
                rowHeight={rowHeight}
                t={t}
              />
            ))}
          </div>
        </div>
      </div>
      <div className="insp-hex-status" aria-live="off">
        {hovered && hoveredByte ? t.byteTitle(hoveredByte.offset, hovered.start + hoveredByte.offset) : t.offsetHint}
      </div>
    </div>
  );
}
