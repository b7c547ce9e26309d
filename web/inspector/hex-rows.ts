import { lastIndexAtOrBelow } from '../../wire/sorted-search.ts';
import type { WireNode } from '../../wire/types.ts';

export const BYTES_PER_ROW = 16;

/** A message's bytes as the hex view shows them. */
export interface HexSection {
  dir: 'in' | 'out';
  title: string;
  /** stream offset of bytes[0] */
  start: number;
  /** the bytes as they crossed the wire */
  bytes: Uint8Array;
  /**
   * The same bytes with the WebSocket mask removed, when nodes of `tree` are marked `unmasked`
   * (a client's frames): shown as a second block, where those nodes light their bytes.
   */
  unmasked?: Uint8Array;
  tree: WireNode;
}

/** Which of a section's blocks a byte is in: the wire's bytes, or the same range unmasked. */
export type HexBlockView = 'wire' | 'unmasked';

/** One block of rows: a section's wire bytes, or its unmasked bytes. */
export interface HexBlock {
  section: number;
  view: HexBlockView;
  bytes: Uint8Array;
}

export type HexRow = { type: 'title'; section: number; view: HexBlockView } | { type: 'bytes'; section: number; view: HexBlockView; from: number; to: number };

export interface HexLayout {
  rowCount: number;
  /** index of each block's title row */
  blockRows: number[];
  blocks: HexBlock[];
  sections: readonly HexSection[];
}

/** Each section's wire bytes, then (a client's WebSocket frames) the same bytes unmasked. */
export function hexBlocks(sections: readonly HexSection[]): HexBlock[] {
  return sections.flatMap((section, index): HexBlock[] => [
    { section: index, view: 'wire', bytes: section.bytes },
    ...(section.unmasked ? [{ section: index, view: 'unmasked' as const, bytes: section.unmasked }] : []),
  ]);
}

/**
 * One title row per block, then 16 bytes a row; offsets inside a section count from 0.
 * Rows are computed when asked for (rowAt): a streaming body of 1 MB is 65 536 rows, and the
 * layout is redone whenever more of it arrives.
 */
export function layoutHexRows(sections: readonly HexSection[]): HexLayout {
  const blocks = hexBlocks(sections);
  const blockRows: number[] = [];
  let rowCount = 0;
  for (const block of blocks) {
    blockRows.push(rowCount);
    rowCount += 1 + Math.ceil(block.bytes.length / BYTES_PER_ROW);
  }
  return { rowCount, blockRows, blocks, sections };
}

/** The row at `index` (0 ≤ index < rowCount). */
export function rowAt(layout: HexLayout, index: number): HexRow {
  const { blockRows, blocks } = layout;
  const low = lastIndexAtOrBelow(blockRows.length, index, (at) => blockRows[at]);
  const { section, view, bytes } = blocks[low];
  const inBlock = index - blockRows[low];
  if (inBlock === 0) return { type: 'title', section, view };
  const from = (inBlock - 1) * BYTES_PER_ROW;
  return { type: 'bytes', section, view, from, to: Math.min(bytes.length, from + BYTES_PER_ROW) };
}

/** Rows `first` (inclusive) to `last` (exclusive). */
export function rowsBetween(layout: HexLayout, first: number, last: number): HexRow[] {
  const rows: HexRow[] = [];
  for (let index = Math.max(0, first); index < Math.min(last, layout.rowCount); index += 1) rows.push(rowAt(layout, index));
  return rows;
}

/** The row that shows byte `offset` (counted from the section's first byte) in the section's `view` block. */
export function rowOf(layout: HexLayout, section: number, offset: number, view: HexBlockView = 'wire'): number {
  const block = layout.blocks.findIndex((candidate) => candidate.section === section && candidate.view === view);
  const wire = layout.blocks.findIndex((candidate) => candidate.section === section);
  return layout.blockRows[block === -1 ? wire : block] + 1 + Math.floor(offset / BYTES_PER_ROW);
}

/** The bytes a block shows at `offset` of `section`. */
export function blockBytes(section: HexSection, view: HexBlockView): Uint8Array {
  return view === 'unmasked' && section.unmasked ? section.unmasked : section.bytes;
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
