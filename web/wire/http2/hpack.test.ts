import hpack from 'hpack.js';
import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import { contiguousOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { HpackDecoder } from './hpack.ts';
import { decodeHuffman } from './huffman.ts';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

describe('Huffman (RFC 7541 Appendix B)', () => {
  it('decodes the code of "www.example.com" (RFC 7541 C.4.1)', () => {
    const result = decodeHuffman(fromHex('f1e3 c2e5 f23a 6ba0 ab90 f4ff'));
    expect('bytes' in result && Buffer.from(result.bytes).toString()).toBe('www.example.com');
  });

  it('rejects padding that is not the start of EOS and padding longer than 7 bits', () => {
    expect(decodeHuffman(fromHex('f1e3 c2e5 f23a 6ba0 ab90 f4fe'))).toEqual({ error: 'huffman-invalid-padding' });
    expect(decodeHuffman(fromHex('ff'))).toEqual({ error: 'huffman-invalid-padding' });
  });
});

describe('HPACK decoder, RFC 7541 Appendix C', () => {
  it('C.3: three requests without Huffman share one dynamic table', () => {
    const decoder = new HpackDecoder();
    const first = decoder.decodeBlock(fromHex('8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'), contiguousOffsets(0));
    expect(first.fields.map((field) => [field.name, field.value, field.representation])).toEqual([
      [':method', 'GET', 'indexed'],
      [':scheme', 'http', 'indexed'],
      [':path', '/', 'indexed'],
      [':authority', 'www.example.com', 'literal-incremental-indexing'],
    ]);
    expect(decoder.tableSize).toBe(57);
    const second = decoder.decodeBlock(fromHex('8286 84be 5808 6e6f 2d63 6163 6865'), contiguousOffsets(100));
    expect(second.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([':method: GET', ':scheme: http', ':path: /', ':authority: www.example.com', 'cache-control: no-cache']);
    // index 62 (be) is the first dynamic entry; its node says so and points at its one byte
    expect(second.fields[3].range).toEqual({ start: 103, end: 104 });
    expect(second.fields[3].node.children?.[0].value).toMatch(/^dynamic table entry 62/);
    expect(decoder.tableSize).toBe(110);
    const third = decoder.decodeBlock(fromHex('8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'), contiguousOffsets(0));
    expect(third.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([':method: GET', ':scheme: https', ':path: /index.html', ':authority: www.example.com', 'custom-key: custom-value']);
    expect(decoder.tableEntries).toBe(3);
    expect(decoder.tableSize).toBe(164);
  });

  it('C.4.1: Huffman-coded strings are annotated as such', () => {
    const decoder = new HpackDecoder();
    const block = decoder.decodeBlock(fromHex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'), contiguousOffsets(0));
    const authority = block.fields[3];
    expect(authority.value).toBe('www.example.com');
    const value = authority.node.children?.find((child) => child.kind === 'hpack-value');
    expect(value?.children?.[0].label).toMatch(/^H=1 Huffman-coded, 12 bytes/);
    expect(value?.children?.[1]).toMatchObject({ kind: 'hpack-huffman', range: { start: 5, end: 17 } });
  });

  it('C.5: a 256-byte table evicts the oldest entries; never-indexed and size updates are named', () => {
    const decoder = new HpackDecoder();
    // size update to 256 (3f e1 01), then the C.5.1 response
    const block = decoder.decodeBlock(
      fromHex('3fe101 4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'),
      contiguousOffsets(0),
    );
    expect(block.nodes[0]).toMatchObject({ kind: 'hpack-table-size-update', value: '256 bytes', range: { start: 0, end: 3 } });
    expect(block.fields.map((field) => field.name)).toEqual([':status', 'cache-control', 'date', 'location']);
    expect(decoder.tableSize).toBe(222);
    const second = decoder.decodeBlock(fromHex('4803 3330 37c1 c0bf'), contiguousOffsets(0));
    expect(second.fields.map((field) => field.value)).toEqual(['307', 'private', 'Mon, 21 Oct 2013 20:13:21 GMT', 'https://www.example.com']);
    expect(decoder.tableEntries).toBe(4);
    const never = decoder.decodeBlock(fromHex('1008 7061 7373 776f 7264 0673 6563 7265 74'), contiguousOffsets(0));
    expect(never.fields[0]).toMatchObject({ name: 'password', value: 'secret', representation: 'literal-never-indexed' });
    expect(decoder.tableEntries).toBe(4);
  });

  it('says what is wrong with a broken block and keeps what it read', () => {
    const decoder = new HpackDecoder();
    expect(decoder.decodeBlock(fromHex('82 ff'), contiguousOffsets(0))).toMatchObject({ error: 'truncated-integer', fields: [{ name: ':method' }] });
    expect(new HpackDecoder().decodeBlock(fromHex('be'), contiguousOffsets(0)).error).toBe('index-out-of-range');
    expect(new HpackDecoder().decodeBlock(fromHex('80'), contiguousOffsets(0)).error).toBe('index-zero');
    expect(new HpackDecoder().decodeBlock(fromHex('410f7777'), contiguousOffsets(0)).error).toBe('truncated-string');
    const afterGap = new HpackDecoder();
    afterGap.loseHistory();
    const block = afterGap.decodeBlock(fromHex('82 be'), contiguousOffsets(10));
    expect(block.error).toBe('dynamic-entry-before-gap');
    expect(block.nodes[block.nodes.length - 1]).toMatchObject({ kind: 'hpack-error', range: { start: 11, end: 12 } });
  });
});

/** Header blocks of every HEADERS/PUSH_PROMISE(+CONTINUATION) in one direction, with the fields our decoder found. */
function headerBlocks(name: string, dir: 'in' | 'out'): Array<{ bytes: Buffer; fields: Array<[string, string]> }> {
  const { fixture, chunks } = readFixture(name);
  const decoded = decodeConnection(fixture.connections[0], chunks);
  const blocks: Array<{ bytes: Buffer; fields: Array<[string, string]> }> = [];
  let current: { pieces: Buffer[]; fields: Array<[string, string]> } | null = null;
  for (const message of (decoded.messages ?? []).filter((candidate) => candidate.layer === 'h2-frame' && candidate.dir === dir).sort((a, b) => a.range.start - b.range.start)) {
    const fragment = message.tree.children?.find((child) => child.kind === 'hpack-block');
    if (!fragment) continue;
    if (message.fields?.type !== 'CONTINUATION') current = { pieces: [], fields: [] };
    current!.pieces.push(Buffer.from(decoded.streams[dir].slice(fragment.range)));
    current!.fields.push(...(fragment.children ?? []).filter((node: WireNode) => node.kind === 'hpack-field').map((node: WireNode): [string, string] => [node.label, node.value ?? '']));
    if (message.fields?.endHeaders) blocks.push({ bytes: Buffer.concat(current!.pieces), fields: current!.fields });
  }
  return blocks;
}

async function decompressWithHpackJs(blocks: Buffer[]): Promise<Array<Array<[string, string]>>> {
  const decompressor = hpack.decompressor.create({ table: { maxSize: 4096 } });
  const results: Array<Array<[string, string]>> = [];
  for (const block of blocks) {
    decompressor.write(block);
    await new Promise<void>((resolve, reject) => decompressor.execute((error) => (error ? reject(error) : resolve())));
    const fields: Array<[string, string]> = [];
    for (let item = decompressor.read() as { name: string; value: string } | null; item !== null; item = decompressor.read() as { name: string; value: string } | null) {
      fields.push([item.name, Buffer.from(item.value, 'latin1').toString('utf8')]);
    }
    results.push(fields);
  }
  return results;
}

describe('HPACK on captured connections agrees with hpack.js', () => {
  for (const name of ['h2c-curl-get', 'h2c-curl-post', 'h2c-nghttp', 'h2c-node-control', 'h2c-push', 'grpc-unary', 'grpc-server-streaming', 'grpc-wirelab']) {
    for (const dir of ['in', 'out'] as const) {
      it(`${name} · ${dir}`, async () => {
        const blocks = headerBlocks(name, dir);
        expect(blocks.length).toBeGreaterThan(0);
        const reference = await decompressWithHpackJs(blocks.map((block) => block.bytes));
        expect(blocks.map((block) => block.fields)).toEqual(reference);
      });
    }
  }
});
