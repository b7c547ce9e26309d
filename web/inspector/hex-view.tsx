import { useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { formatBytes } from './format.ts';
import {
  asciiGlyph,
  blockBytes,
  controlName,
  hexByte,
  layoutHexRows,
  rowOf,
  rowsBetween,
  type HexBlockView,
  type HexRow,
  type HexSection,
} from './hex-rows.ts';
import type { InspectorStrings } from './strings.ts';
import { PROJECTOR_SIZES, useProjectorMode } from '../kit/projector-setting.ts';

/** Fixed so only the visible rows are rendered: a 1 MB body is 65 536 rows (taller in projector mode). */
const NORMAL_ROW_HEIGHT = 22;
const OVERSCAN = 10;

export interface HexHighlight {
  section: number;
  /** which block lights: the wire's bytes, or (a node marked `unmasked`) the same bytes unmasked */
  view: HexBlockView;
  /** stream offsets, half-open */
  start: number;
  end: number;
}

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
  const [viewport, setViewport] = useState(400);
  const [hoveredByte, setHoveredByte] = useState<{ section: number; offset: number; view: HexBlockView } | null>(null);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    // Reading the height now would force a layout of the whole page; the observer reports it
    // after the next layout anyway (and its first report comes unasked).
    if (typeof ResizeObserver === 'undefined') {
      setViewport(element.clientHeight || 400);
      return;
    }
    const observer = new ResizeObserver(() => setViewport(element.clientHeight || 400));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = scroller.current;
    const section = scrollTarget ? sections[scrollTarget.section] : undefined;
    if (!element || !scrollTarget || !section) return;
    const top = rowOf(layout, scrollTarget.section, scrollTarget.offset - section.start, scrollTarget.view) * rowHeight;
    if (top < element.scrollTop || top + rowHeight > element.scrollTop + element.clientHeight) {
      element.scrollTop = Math.max(0, top - element.clientHeight / 3);
    }
  }, [scrollTarget, layout, sections, rowHeight]);

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

  const renderRow = (row: HexRow, rowIndex: number): ReactNode => {
    const section = sections[row.section];
    const dirClass = section.dir === 'in' ? 'insp-dir-in' : 'insp-dir-out';
    const unmasked = row.view === 'unmasked';
    if (row.type === 'title') {
      return (
        <div key={`t${row.section}${row.view}`} className={`insp-hex-title ${dirClass}`} style={{ height: rowHeight }}>
          {unmasked ? (
            <span data-testid="insp-hex-unmasked-title">{t.unmaskedBlock}</span>
          ) : (
            <>
              <span aria-hidden="true">{section.dir === 'in' ? '→' : '←'}</span> {section.title} · {formatBytes(section.bytes.length, t)}
            </>
          )}
        </div>
      );
    }
    const bytes = blockBytes(section, row.view);
    const hexCells: ReactNode[] = [];
    const asciiCells: ReactNode[] = [];
    for (let offset = row.from; offset < row.to; offset += 1) {
      const byte = bytes[offset];
      const streamOffset = section.start + offset;
      const lit =
        highlight !== null &&
        highlight.section === row.section &&
        highlight.view === row.view &&
        streamOffset >= highlight.start &&
        streamOffset < highlight.end;
      const className = `${lit ? 'insp-lit' : ''}${byte === 0x0d || byte === 0x0a ? ' insp-crlf' : ''}`;
      hexCells.push(
        <span
          key={offset}
          data-testid="insp-hex-byte"
          data-section={row.section}
          data-offset={offset}
          data-view={unmasked ? 'unmasked' : undefined}
          data-highlighted={lit ? 'true' : undefined}
          className={className}
        >
          {hexByte(byte)}
        </span>,
      );
      const control = controlName(byte);
      asciiCells.push(
        <span
          key={offset}
          data-testid="insp-ascii-byte"
          data-section={row.section}
          data-offset={offset}
          data-view={unmasked ? 'unmasked' : undefined}
          data-glyph={control}
          className={control ? `${className} insp-ctl` : className}
        >
          {asciiGlyph(byte)}
        </span>,
      );
    }
    return (
      <div key={rowIndex} className={`insp-hex-row ${dirClass}${unmasked ? ' insp-hex-unmasked' : ''}`} style={{ height: rowHeight }}>
        <span className="insp-hex-offset">{String(row.from).padStart(6, ' ')}</span>
        <span className="insp-hex-bytes">{hexCells}</span>
        <span className="insp-hex-ascii">{asciiCells}</span>
      </div>
    );
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
            {rowsBetween(layout, first, last).map((row, index) => renderRow(row, first + index))}
          </div>
        </div>
      </div>
      <div className="insp-hex-status" aria-live="off">
        {hovered && hoveredByte ? t.byteTitle(hoveredByte.offset, hovered.start + hoveredByte.offset) : t.offsetHint}
      </div>
    </div>
  );
}
