import type { ReactNode } from 'react';
import { formatBytes } from './format.ts';
import { asciiGlyph, blockBytes, controlName, hexByte, type HexBlockView, type HexRow, type HexSection } from './hex-rows.ts';
import type { InspectorStrings } from './strings.ts';

export interface HexHighlight {
  section: number;
  /** which block lights: the wire's bytes, or (a node marked `unmasked`) the same bytes unmasked */
  view: HexBlockView;
  /** stream offsets, half-open */
  start: number;
  end: number;
}

/** One row of the byte view: a block's title, or up to 16 bytes as hex and as text, the highlighted ones lit. */
export function HexRowView({
  row,
  section,
  highlight,
  rowHeight,
  t,
}: {
  row: HexRow;
  section: HexSection;
  highlight: HexHighlight | null;
  rowHeight: number;
  t: InspectorStrings;
}) {
  const dirClass = section.dir === 'in' ? 'insp-dir-in' : 'insp-dir-out';
  const unmasked = row.view === 'unmasked';
  if (row.type === 'title') {
    return (
      <div className={`insp-hex-title ${dirClass}`} style={{ height: rowHeight }}>
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
      highlight !== null && highlight.section === row.section && highlight.view === row.view && streamOffset >= highlight.start && streamOffset < highlight.end;
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
    <div className={`insp-hex-row ${dirClass}${unmasked ? ' insp-hex-unmasked' : ''}`} style={{ height: rowHeight }}>
      <span className="insp-hex-offset">{String(row.from).padStart(6, ' ')}</span>
      <span className="insp-hex-bytes">{hexCells}</span>
      <span className="insp-hex-ascii">{asciiCells}</span>
    </div>
  );
}
