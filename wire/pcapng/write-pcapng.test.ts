import { describe, expect, it } from 'vitest';
import { BLOCK_ENHANCED_PACKET, BLOCK_INTERFACE_DESCRIPTION, BLOCK_SECTION_HEADER, BYTE_ORDER_MAGIC, LINKTYPE_ETHERNET, writePcapng } from './write-pcapng.ts';

interface Block {
  type: number;
  length: number;
  body: Uint8Array;
  at: number;
}

/** Walks the blocks as a reader would: both length fields must agree and land on 32-bit bounds. */
function blocks(file: Uint8Array): Block[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const found: Block[] = [];
  let at = 0;
  while (at < file.length) {
    const type = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    expect(length % 4).toBe(0);
    expect(at + length).toBeLessThanOrEqual(file.length);
    expect(view.getUint32(at + length - 4, true)).toBe(length);
    found.push({ type, length, body: file.subarray(at + 8, at + length - 4), at });
    at += length;
  }
  expect(at).toBe(file.length);
  return found;
}

/** Options of a block body from `start`: code → values. */
function options(body: Uint8Array, start: number): Map<number, Uint8Array[]> {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const found = new Map<number, Uint8Array[]>();
  let at = start;
  for (;;) {
    const code = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (code === 0) {
      expect(length).toBe(0);
      expect(at + 4).toBe(body.length);
      return found;
    }
    found.set(code, [...(found.get(code) ?? []), body.slice(at + 4, at + 4 + length)]);
    at += 4 + ((length + 3) & ~3);
  }
}

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

describe('writePcapng', () => {
  it('starts with a little-endian Section Header Block of version 1.0 and unspecified length', () => {
    const file = writePcapng([], { application: 'Wirelab test' });
    const [shb] = blocks(file);
    expect(shb.type).toBe(BLOCK_SECTION_HEADER);
    // The magic in the file's byte order reads 4D 3C 2B 1A: little-endian.
    expect([...shb.body.subarray(0, 4)]).toEqual([0x4d, 0x3c, 0x2b, 0x1a]);
    const view = new DataView(shb.body.buffer, shb.body.byteOffset);
    expect(view.getUint32(0, true)).toBe(BYTE_ORDER_MAGIC);
    expect(view.getUint16(4, true)).toBe(1);
    expect(view.getUint16(6, true)).toBe(0);
    expect([...shb.body.subarray(8, 16)]).toEqual(Array(8).fill(0xff));
    expect(text(options(shb.body, 16).get(4)?.[0])).toBe('Wirelab test');
  });

  it('describes one Ethernet interface with microsecond timestamps (if_tsresol 6)', () => {
    const [, idb] = blocks(writePcapng([], { interfaceName: 'tap' }));
    expect(idb.type).toBe(BLOCK_INTERFACE_DESCRIPTION);
    const view = new DataView(idb.body.buffer, idb.body.byteOffset);
    expect(view.getUint16(0, true)).toBe(LINKTYPE_ETHERNET);
    expect(view.getUint32(4, true)).toBe(0);
    const found = options(idb.body, 8);
    expect(text(found.get(2)?.[0])).toBe('tap');
    expect([...(found.get(9)?.[0] ?? [])]).toEqual([6]);
  });

  it('writes each packet as an Enhanced Packet Block: 64-bit microseconds, lengths, data padded to 32 bits', () => {
    const at = 1_763_900_000_123.456; // ms, fractional
    const frame = Uint8Array.from({ length: 61 }, (_, index) => index + 1);
    const file = writePcapng([
      { at, frame, comment: 'first' },
      { at: at + 1, frame: frame.subarray(0, 4) },
    ]);
    const [, , first, second] = blocks(file);
    expect(first.type).toBe(BLOCK_ENHANCED_PACKET);
    const view = new DataView(first.body.buffer, first.body.byteOffset);
    expect(view.getUint32(0, true)).toBe(0);
    const micros = view.getUint32(4, true) * 2 ** 32 + view.getUint32(8, true);
    expect(micros).toBe(1_763_900_000_123_456);
    expect(view.getUint32(12, true)).toBe(61);
    expect(view.getUint32(16, true)).toBe(61);
    expect([...first.body.subarray(20, 81)]).toEqual([...frame]);
    expect([...first.body.subarray(81, 84)]).toEqual([0, 0, 0]);
    expect(text(options(first.body, 84).get(1)?.[0])).toBe('first');
    // No options: the block ends right after the (already aligned) data.
    expect(second.length).toBe(12 + 20 + 4);
  });

  it('keeps the packets in the order given', () => {
    const file = writePcapng([1, 2, 3].map((byte) => ({ at: 1000 * byte, frame: Uint8Array.of(byte) })));
    expect(
      blocks(file)
        .slice(2)
        .map((block) => block.body[20]),
    ).toEqual([1, 2, 3]);
  });
});
