import type { WireNode } from '../wire/types.ts';

export const BYTES_PER_ROW = 16;

/** A message's bytes as the hex view shows them. */
export interface HexSection {
  dir: 'in' | 'out';
  title: string;
  /** stream offset of bytes[0] */
  start: number;
  bytes: Uint8Array;
  tree: WireNode;
}

export type HexRow =
  | { type: 'title'; section: number }
  | { type: 'bytes'; section: number; from: number; to: number };

export interface HexLayout {
  rows: HexRow[];
  /** index of each section's title row */
  sectionRows: number[];
}

/** One title row per section, then 16 bytes a row; offsets inside a section count from 0. */
export function layoutHexRows(sections: readonly HexSection[]): HexLayout {
  const rows: HexRow[] = [];
  const sectionRows: number[] = [];
  sections.forEach((section, index) => {
    sectionRows.push(rows.length);
    rows.push({ type: 'title', section: index });
    for (let from = 0; from < section.bytes.length; from += BYTES_PER_ROW) {
      rows.push({ type: 'bytes', section: index, from, to: Math.min(section.bytes.length, from + BYTES_PER_ROW) });
    }
  });
  return { rows, sectionRows };
}

/** The row that shows byte `offset` (counted from the section's first byte). */
export function rowOf(layout: HexLayout, section: number, offset: number): number {
  return layout.sectionRows[section] + 1 + Math.floor(offset / BYTES_PER_ROW);
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function hexByte(byte: number): string {
  return HEX[byte];
}

/** How a byte looks in the ASCII column: line ends and tabs visible, anything else unprintable as a dot. */
export function asciiGlyph(byte: number): string {
  if (byte === 0x0d) return '␍';
  if (byte === 0x0a) return '␊';
  if (byte === 0x09) return '␉';
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return '.';
}

/** The name drawn over ␍ ␊ ␉, whose glyphs many Linux fonts lack. */
export function controlName(byte: number): 'CR' | 'LF' | 'HT' | undefined {
  if (byte === 0x0d) return 'CR';
  if (byte === 0x0a) return 'LF';
  if (byte === 0x09) return 'HT';
  return undefined;
}
