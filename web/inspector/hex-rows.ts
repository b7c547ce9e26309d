import { lastIndexAtOrBelow } from '../wire/sorted-search.ts';
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
  rowCount: number;
  /** index of each section's title row */
  sectionRows: number[];
  sections: readonly HexSection[];
}

/**
 * One title row per section, then 16 bytes a row; offsets inside a section count from 0.
 * Rows are computed when asked for (rowAt): a streaming body of 1 MB is 65 536 rows, and the
 * layout is redone whenever more of it arrives.
 */
export function layoutHexRows(sections: readonly HexSection[]): HexLayout {
  const sectionRows: number[] = [];
  let rowCount = 0;
  for (const section of sections) {
    sectionRows.push(rowCount);
    rowCount += 1 + Math.ceil(section.bytes.length / BYTES_PER_ROW);
  }
  return { rowCount, sectionRows, sections };
}

/** The row at `index` (0 ≤ index < rowCount). */
export function rowAt(layout: HexLayout, index: number): HexRow {
  const { sectionRows } = layout;
  const low = lastIndexAtOrBelow(sectionRows.length, index, (at) => sectionRows[at]);
  const inSection = index - sectionRows[low];
  if (inSection === 0) return { type: 'title', section: low };
  const from = (inSection - 1) * BYTES_PER_ROW;
  return { type: 'bytes', section: low, from, to: Math.min(layout.sections[low].bytes.length, from + BYTES_PER_ROW) };
}

/** Rows `first` (inclusive) to `last` (exclusive). */
export function rowsBetween(layout: HexLayout, first: number, last: number): HexRow[] {
  const rows: HexRow[] = [];
  for (let index = Math.max(0, first); index < Math.min(last, layout.rowCount); index += 1) rows.push(rowAt(layout, index));
  return rows;
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
